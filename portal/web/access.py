"""Deny by default: each role's blueprint lets in only that role, and a record a service did not find for the user
is a 404."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from portal.models import Role

T = TypeVar("T")


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


def found_or_404(record: T | None) -> T:
    """What a service found for the signed-in user, or a 404 when it found nothing.

    Services answer None both for a record that is not there and for one that is not the user's (another school's
    request, another season's cast), so a page never tells the two apart and existence never leaks."""
    if record is None:
        abort(404)
    return record
