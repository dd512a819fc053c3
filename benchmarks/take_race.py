"""24 schools race for one freed place across two app servers on one PostgreSQL database.

1. A database of its own (default bench_take_race, dropped and made again) is migrated and loaded with the demo data
   through the flask commands an operator runs.
2. Through the services, as the demo does: one future performance of the touring season is declined (its place is
   freed), and for each round 24 more schools get an approved staff account and a live request that fits the place
   (the freed school's location, its date and slot), checked with the offers page's own computation.
3. Two gunicorn servers (2 workers x 4 threads each, as `make run` and the browser suite start them, PORTAL_ENV=test)
   share the database and the secret key. Each racer signs in on one of them (alternately), opens its performances
   page for a CSRF token, then all 24 POST /school/requests/<id>/take at once (released by a barrier), with the
   Referer a browser would send.

Reported per round: the answers (exactly one 2xx/3xx winner and 23 clean 409s are expected) and the latency of the
POSTs (p50 and max, seconds, from the barrier's release to the answer's last byte).

    .venv/bin/python benchmarks/take_race.py [--rounds 3] [--racers 24]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench_take_race]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.clock import today  # noqa: E402
from portal.config import load_config, normalise_database_url  # noqa: E402
from portal.domain.requests import RequestDraft  # noqa: E402
from portal.domain.schools_csv import DirectoryRow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    ApprovalState,
    Performance,
    PerformanceStatus,
    Request,
    Role,
    School,
    Season,
)
from portal.services import accounts, performances, place_search, schools  # noqa: E402
from portal.services.demo import PAST_SEASON  # noqa: E402
from portal.services.requests import submit_request  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_take_race"
PASSWORD = "bench-race-password-1"  # noqa: S105 (a throwaway database)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Racer:
    email: str
    request_id: int


@dataclass
class Place:
    cast_id: int
    day: str
    slot_id: int


def recreate_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    admin = create_engine(normalise_database_url(base + "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def free_a_place(company) -> Performance:
    """Decline a future performance of the touring season."""
    season = db.session.scalar(select(Season).where(Season.name == PAST_SEASON))
    candidates = db.session.scalars(
        select(Performance)
        .where(
            Performance.season_id == season.id,
            Performance.day > today() + timedelta(days=1),
            Performance.status.in_((PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED)),
        )
        .order_by(Performance.day, Performance.id)
    ).all()
    shows = Counter((p.cast_id, p.day) for p in candidates)
    # Preferably one whose cast has another show that day, so that the re-check has travel to look at.
    freed = next((p for p in candidates if shows[(p.cast_id, p.day)] > 1), candidates[0])
    performances.decline_performance(company, freed, "Freed for the race benchmark")
    return freed


def racers_for(freed: Performance, count: int, round_: int) -> list[Racer]:
    """Schools beside the freed one, each with a live request for exactly that date and slot."""
    council = accounts.find_user_by_email("council@example.org")
    season, near = freed.season, freed.school
    rows = [
        DirectoryRow(
            urn=f"97{round_:02d}{n:03d}",
            name=f"Race School {round_}-{n}",
            phase="Secondary",
            district=near.district,
            town=near.town,
            postcode=near.postcode,
            latitude=near.latitude,
            longitude=near.longitude,
            pupils_on_roll=900,
        )
        for n in range(count)
    ]
    schools.import_directory(rows)
    racers = []
    for row in rows:
        school = db.session.scalar(select(School).where(School.urn == row.urn))
        school.hall_capacity = 150
        user = accounts.create_user(
            email=f"race.{row.urn}@example.org", password=PASSWORD, role=Role.SCHOOL, full_name=row.name, school=school
        )
        user.email_verified_at, user.approval_state = user.created_at, ApprovalState.APPROVED
        draft = RequestDraft(
            production_id=freed.request.production_id,
            year_groups={9: 60},
            dates=frozenset({freed.day}),
            preferred_dates=frozenset(),
            slot_ids=frozenset({freed.slot_id}),
            staff_in_hall=3,
            dsl_name="Race DSL",
            dsl_email="dsl@example.org",
            dsl_phone="01632 960 000",
        )
        # As the demo does: requests made as on the season's deadline day.
        request_ = submit_request(council, school, season, draft, season.request_deadline)
        racers.append(Racer(user.email, request_.id))
    offers = place_search.offers_for_request(db.session.get(Request, racers[0].request_id), today())
    if not any((o.cast.id, o.day, o.slot.id) == (freed.cast_id, freed.day, freed.slot_id) for o in offers):
        sys.exit("set-up: the freed place is not offered to the racers")
    return racers


def set_up(url: str, instance: Path, rounds: int, count: int) -> list[tuple[Place, list[Racer]]]:
    config = load_config(
        {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(instance), "DATABASE_URL": url, "SECRET_KEY": "b" * 48}
    )
    app = create_app(config)
    plan = []
    with app.app_context():
        company = accounts.find_user_by_email("company@example.org")
        for round_ in range(rounds):
            freed = free_a_place(company)
            place = Place(freed.cast_id, freed.day.isoformat(), freed.slot_id)
            plan.append((place, racers_for(freed, count, round_)))
        db.session.commit()
        db.engine.dispose()
    return plan


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One school's browser: its own cookies; answers are never followed, so a redirect is seen as such."""

    def __init__(self, origin: str):
        self.origin = origin
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def send(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        # The Referer a browser sends on a same-origin form (the HTTPS CSRF check wants one).
        url = self.origin + path
        request = urllib.request.Request(url, data=data, headers={"Referer": self.origin + "/"})  # noqa: S310 (ours)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def csrf(self, path: str) -> str:
        status, body = self.send(path)
        match = CSRF_FIELD.search(body)
        if not match:
            sys.exit(f"no CSRF token on {path} ({status})")
        return match.group(1)

    def sign_in(self, email: str) -> None:
        status, _ = self.send("/login", {"email": email, "password": PASSWORD, "csrf_token": self.csrf("/login")})
        if status != 302:
            sys.exit(f"sign-in as {email} answered {status}")


def race(origins: list[str], place: Place, racers: list[Racer]) -> list[tuple[int, float]]:
    browsers, forms = [], []
    for index, racer in enumerate(racers):
        browser = Browser(origins[index % len(origins)])
        browser.sign_in(racer.email)
        token = browser.csrf("/school/performances")
        browsers.append(browser)
        forms.append({"csrf_token": token, "cast": place.cast_id, "day": place.day, "slot": place.slot_id})
    barrier = threading.Barrier(len(racers))
    results: list[tuple[int, float]] = [(0, 0.0)] * len(racers)

    def run(index: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        status, _ = browsers[index].send(f"/school/requests/{racers[index].request_id}/take", forms[index])
        results[index] = (status, time.perf_counter() - started)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def summary(results: list[tuple[int, float]]) -> dict:
    statuses = [status for status, _ in results]
    seconds = [elapsed for _, elapsed in results]
    return {
        "winners": sum(200 <= status < 400 for status in statuses),
        "conflicts_409": statuses.count(409),
        "other": sorted(status for status in statuses if status != 409 and not 200 <= status < 400),
        "p50_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--racers", type=int, default=24)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    recreate_database(args.database_url)
    key = secrets.token_urlsafe(48)
    with tempfile.TemporaryDirectory(prefix="take-race-") as tmp:
        servers = []
        try:
            for name in ("a", "b"):
                server = LiveServer(Path(tmp) / name)
                server.instance.mkdir(parents=True, exist_ok=True)
                server.env.update(DATABASE_URL=args.database_url, SECRET_KEY=key)
                server.start()  # migrates and loads the demo data; the second server's load changes nothing
                servers.append(server)
            plan = set_up(args.database_url, Path(tmp) / "a", args.rounds, args.racers)
            rounds = []
            for number, (place, racers) in enumerate(plan, start=1):
                outcome = summary(race([server.url for server in servers], place, racers))
                print(f"round {number}: {json.dumps(outcome)}", flush=True)
                rounds.append(outcome)
        finally:
            for server in servers:
                server.stop()
    ok = all(r["winners"] == 1 and r["conflicts_409"] == args.racers - 1 for r in rounds)
    print(json.dumps({"racers": args.racers, "rounds": rounds, "all_clean": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
