"""Password rules after NCSC guidance: length and a deny-list, no composition rules, no expiry."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
# Words that make a password guessable in this service's context.
CONTEXT_WORDS = ("password", "school", "theatre", "drama", "portal", "council", "booking", "grooming")
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """The 20,000 most common passwords (the list Django ships), lower-cased."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """The reason a password is refused, in words a teacher understands, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in common_passwords():
        return "Password is too common: choose one that other people are unlikely to use"
    words = {*CONTEXT_WORDS, *(part for part in email.lower().split("@")[0].replace(".", " ").split() if len(part) > 3)}
    stripped = "".join(ch for ch in lowered if ch.isalpha())
    if any(stripped == word or stripped == word * 2 for word in words) or len(set(password)) < 4:
        return "Password is too easy to guess: try three random words together"
    return None
