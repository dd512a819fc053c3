"""The national data set's schools as their staff and the council keep them, and their staff accounts.

Most schools have one approved member of staff, some two or three, a few none yet; a few accounts wait for the
council's approval, were refused, or were closed. Everyone shares one password hash (made once: hashing thousands of
passwords would take minutes), the demo password, so any account can be signed in to.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

HALLS = (90, 120, 120, 150, 150, 150, 180, 200, 240, None)
PRIORITIES, PRIORITY_WEIGHTS = (1, 2, 3), (0.7, 0.2, 0.1)
STAFF_PER_SCHOOL, STAFF_WEIGHTS = (0, 1, 2, 3), (0.06, 0.8, 0.12, 0.02)
PENDING, REFUSED, CLOSED = 0.015, 0.02, 0.03  # cumulative shares of accounts
JOB_TITLES = ("Designated Safeguarding Lead", "PSHE lead", "Deputy headteacher", "Head of year 9", "Pastoral lead")
FIRST_NAMES = "Amira Ben Chloe Dev Ellie Femi Grace Hamza Isla Jack Kiran Leah Mo Nia Owen Priya Rhys Sana Tom Zara"
LAST_NAMES = "Ahmed Baker Clarke Davies Evans Fischer Green Hughes Iqbal Jones Khan Lewis Morgan Nowak Patel Shah"


def school_profiles(school_ids: list[int], seed: int) -> list[dict]:
    """Each school's hall capacity (staff keep it; a few have not yet) and the council's priority, 1 to 3."""
    rng = random.Random(f"{seed}:profiles")
    return [
        {
            "id": school_id,
            "hall_capacity": rng.choice(HALLS),
            "priority": rng.choices(PRIORITIES, weights=PRIORITY_WEIGHTS)[0],
        }
        for school_id in school_ids
    ]


def _account_state(rng: random.Random, created: datetime, now: datetime) -> dict:
    draw = rng.random()
    if draw < PENDING:
        return {"approval_state": "pending"}
    if draw < REFUSED:
        return {"approval_state": "refused", "refusal_reason": "Not a member of staff at this school"}
    if draw < CLOSED:
        return {"approval_state": "approved", "active": False, "closed_at": min(now, created + timedelta(days=400))}
    return {"approval_state": "approved", "last_login_at": min(now, created + timedelta(days=rng.randint(1, 300)))}


def school_staff(
    schools: list[tuple[int, str]], seed: int, password_hash: str, now: datetime, first_id: int
) -> list[dict]:
    """Staff accounts for (school id, URN) pairs, with ids from first_id."""
    rng = random.Random(f"{seed}:staff")
    firsts, lasts = FIRST_NAMES.split(), LAST_NAMES.split()
    users: list[dict] = []
    for school_id, urn in schools:
        for n in range(rng.choices(STAFF_PER_SCHOOL, weights=STAFF_WEIGHTS)[0]):
            first, last = rng.choice(firsts), rng.choice(lasts)
            created = min(now, datetime(2022, 9, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 1500)))
            user = {
                "id": first_id + len(users), "email": f"{first}.{last}{n + 1}@school{urn}.example.org".lower(),
                "full_name": f"{first} {last}", "job_title": rng.choice(JOB_TITLES),
                "phone": f"01632 960 {rng.randint(100, 999)}", "password_hash": password_hash, "role": "school",
                "school_id": school_id, "approval_state": "approved", "refusal_reason": "",
                "email_verified_at": created + timedelta(minutes=10), "active": True, "wants_reminders": True,
                "created_at": created, "last_login_at": None, "closed_at": None,
            }  # fmt: skip
            user.update(_account_state(rng, created, now))
            users.append(user)
    return users
