"""Who is signed in: Flask-Login backed by the server-side session records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from portal.clock import now
from portal.extensions import login_manager
from portal.models import User, UserSession
from portal.services import sessions

SESSION_KEY = "sid"
# An e-mailed second-factor set-up link opened before signing in: the one thing kept through sign-in, so the link
# works in a signed-out browser. It is honoured only for the account it was sent to, so planting one in someone
# else's browser achieves nothing.
SET_UP_LINK_KEY = "set_up_link"


def sign_in(user: User) -> None:
    """Start a fresh session: nothing from before sign-in survives but a set-up link (no session fixation)."""
    kept = {key: session[key] for key in (SET_UP_LINK_KEY,) if key in session}
    session.clear()
    session.update(kept)
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

    app.before_request(require_second_factor)

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
        g.user_session = record
        return record.user


def current_session_record() -> UserSession | None:
    current_user._get_current_object()  # loads the user, and with it the session record
    return g.get("user_session")


def safe_return_path(target: str | None) -> str | None:
    """A path on this site to go back to, or None: never another host (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(("//", "/\\")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fresh_login_required(view: Callable) -> Callable:
    """Changes through this view need the password entered within FRESH_LOGIN_MINUTES; reading does not.

    An unattended or stolen session can still read what its user may read, but cannot change roles, credentials or
    calendar links until the password is entered again."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return ask_for_password_if_stale() or view(*args, **kwargs)

    return wrapped


def ask_for_password_if_stale():
    """None when the request may go ahead; else the redirect to "Enter your password to continue". Views that must
    first check who may act at all (a 404 for the rest) call this after that check, instead of the decorator."""
    record = current_session_record()
    window = timedelta(minutes=current_app.config["FRESH_LOGIN_MINUTES"])
    if request.method in ("GET", "HEAD") or (record is not None and sessions.is_fresh(record, now(), window)):
        return None
    return redirect(url_for("auth.confirm_password", next=_page_to_return_to()))


def _page_to_return_to() -> str | None:
    """The page the change was made from: this URL when it can be read with GET, else the form's own `next` field,
    else the referring page."""
    if request.url_rule is not None and "GET" in request.url_rule.methods:
        return _this_page()
    if form_next := safe_return_path(request.form.get("next")):
        return form_next
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return None
    return safe_return_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


# What a signed-in person who still owes the second factor may open: the code pages, signing out, public pages.
SECOND_FACTOR_OPEN = frozenset(
    {
        "auth.second_factor_check",
        "auth.second_factor_set_up",
        "auth.second_factor_qr",
        "auth.second_factor_send_link",
        "auth.second_factor_link",
        "auth.login",
        "auth.logout",
        "auth.timed_out",
        "auth.keep_alive",
        "public.start",
        "public.accessibility",
        "public.privacy",
        "public.healthz",
        "static",
    }
)


def needs_second_factor(user: User) -> bool:
    """Whether the user's role must pass a second factor after the password (SECOND_FACTOR_ROLES)."""
    return user.role.value in current_app.config["SECOND_FACTOR_ROLES"]


def owes_second_factor() -> bool:
    """Whether the signed-in person's role needs a second factor that this session has not yet passed.

    A request signed with an API token has no session record: the token was made in a session that passed it."""
    if not current_user.is_authenticated or not needs_second_factor(current_user):
        return False
    record = current_session_record()
    return record is not None and record.second_factor_at is None


def require_second_factor():
    if request.endpoint in SECOND_FACTOR_OPEN or not owes_second_factor():
        return None
    if request.path.startswith("/api/"):
        message = "Sign in with your second factor in the browser first"
        return {"message": message, "error": "second_factor_required"}, 401
    return redirect(url_for("auth.second_factor_check", next=_this_page() if request.method == "GET" else None))


def _this_page() -> str:
    return request.full_path.rstrip("?")
