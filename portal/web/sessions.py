"""Who is signed in: Flask-Login backed by the server-side session records."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, session
from flask_login import login_user, logout_user

from portal.clock import now
from portal.extensions import login_manager
from portal.models import User
from portal.services import sessions

SESSION_KEY = "sid"


def sign_in(user: User) -> None:
    """Start a fresh session: nothing from before sign-in survives (no session fixation)."""
    session.clear()
    session[SESSION_KEY] = sessions.start_session(user, now())
    session.permanent = True
    login_user(user)


def sign_out() -> None:
    sessions.end_session(session.get(SESSION_KEY), now())
    logout_user()
    session.clear()


def current_token() -> str | None:
    return session.get(SESSION_KEY)


def register_sessions(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the server-side record does this job

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        record = sessions.find_live_session(
            session.get(SESSION_KEY),
            now(),
            idle=timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
            absolute=current_app.config["PERMANENT_SESSION_LIFETIME"],
        )
        if record is None or str(record.user_id) != user_id:
            session.pop(SESSION_KEY, None)
            return None
        return record.user
