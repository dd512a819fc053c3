"""Deny by default: each role's blueprint lets in only that role, and school staff only their own school's records."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from portal.models import Role


def restrict_blueprint(blueprint: Blueprint, *roles: Role, approved_only: bool = True) -> None:
    """Every view of the blueprint needs a signed-in, active user with one of the roles (403 otherwise)."""

    @blueprint.before_request
    def check_role():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        if current_user.role not in roles:
            abort(403)
        if approved_only and not current_user.is_approved:
            return redirect(url_for("auth.awaiting_approval"))
        return None


def school_owns(record) -> bool:
    """Whether the signed-in school user's school owns a record that has a school_id."""
    return current_user.role == Role.SCHOOL and record is not None and record.school_id == current_user.school_id


def owned_or_404(record):
    """The record when the signed-in school user's school owns it; otherwise a 404, so existence never leaks."""
    if not school_owns(record):
        abort(404)
    return record
