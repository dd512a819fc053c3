"""Rate limits on guessing: sign-in, password confirmation, second-factor codes and e-mailed links.

Only failures count (a right answer redirects), so a person who gets it right is never slowed down; the keys are
the account (its e-mail address, or the signed-in user), so an attacker cannot dodge the limit by changing address.
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from portal.extensions import limiter
from portal.services import accounts


def attempts_per_hour() -> str:
    return f"{current_app.config['LOGIN_ATTEMPTS_PER_HOUR']} per hour"


def failed(response) -> bool:
    """Whether an answer counts towards the limit: every answer but a redirect (success) does."""
    return response.status_code != 302


def signed_in_user_key() -> str:
    return f"user:{current_user.get_id()}"


def email_in_form_key() -> str:
    return "email:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def failures_per_user(scope: str):
    """At most LOGIN_ATTEMPTS_PER_HOUR wrong answers an hour from one signed-in account (password, code)."""
    return limiter.limit(
        attempts_per_hour, key_func=signed_in_user_key, methods=["POST"], deduct_when=failed, scope=scope
    )
