"""Rate limits on guessing: sign-in, password confirmation, second-factor codes and e-mailed links; and on
registering, which sends e-mail.

Only failures count (a right answer redirects), so a person who gets it right is never slowed down. Sign-in failures
are counted per account *and client*, so someone who only knows an address cannot keep its owner out by failing from
elsewhere, and per account across every client with a ceiling ten times higher (ASVS 2.2.1: at most 100 failed
attempts an hour per account), so spreading guesses over many clients does not help either. The account part of a key
carries a fingerprint of the current password, so a password reset starts every count for that account again.
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.extensions import limiter
from portal.services import accounts

# The per-account ceiling, as a multiple of the per-account-and-client limit (LOGIN_ATTEMPTS_PER_HOUR).
ACCOUNT_CEILING_FACTOR = 10


def attempts_per_hour() -> str:
    return f"{current_app.config['LOGIN_ATTEMPTS_PER_HOUR']} per hour"


def account_attempts_per_hour() -> str:
    return f"{ACCOUNT_CEILING_FACTOR * current_app.config['LOGIN_ATTEMPTS_PER_HOUR']} per hour"


def failed(response) -> bool:
    """Whether an answer counts towards the limit: every answer but a redirect (success) does."""
    return response.status_code != 302


def completed(response) -> bool:
    """Whether an answer counts towards a limit on things done (and e-mails sent): only a redirect does."""
    return response.status_code == 302


def signed_in_user_key() -> str:
    return f"user:{current_user.get_id()}"


def email_in_form_key() -> str:
    return "email:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _account_in_form() -> str:
    """The address in the form and its password's fingerprint."""
    email = accounts.normalise_email(request.form.get("email", ""))[:254]
    return f"{email}:{accounts.password_generation(email)}"


def account_key() -> str:
    return "account:" + _account_in_form()


def account_and_client_key() -> str:
    return f"account:{_account_in_form()}:client:{get_remote_address()}"


def failures_per_user(scope: str):
    """At most LOGIN_ATTEMPTS_PER_HOUR wrong answers an hour from one signed-in account (password, code)."""
    return limiter.limit(
        attempts_per_hour, key_func=signed_in_user_key, methods=["POST"], deduct_when=failed, scope=scope
    )
