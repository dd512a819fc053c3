"""Staff trained toward the council's target: each person once per course level at their first completion, the same
figures on the page, in the CSV exports and from the API, every breakdown adding up to the totals."""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from datetime import date, timedelta

import pytest

from portal.domain.training import CourseLevel
from portal.extensions import db
from portal.models import Role, TrainingBooking, TrainingCompletion
from portal.services.training_reach import training_reach
from tests.factories import make_season, make_user
from tests.training_factories import make_agency, make_job_role, make_learner, make_session

AWARENESS, MULTI_AGENCY = CourseLevel.AWARENESS, CourseLevel.MULTI_AGENCY
_records = iter(range(1, 10**9))


def complete(email, level, day, agency, job_role, district="Cherwell", booking=None):
    """A completion as the register or the e-learning import writes it."""
    row = TrainingCompletion(
        email=email.lower(),
        name="A Person",
        organisation="An organisation",
        agency=agency,
        job_role=job_role,
        district=district,
        level=level,
        completed_on=day,
        booking_id=booking.id if booking else None,
        source_reference=None if booking else f"LMS-{next(_records)}",
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def lists(session):
    return {
        "police": make_agency("Police"),
        "health": make_agency("Health"),
        "taxis": make_agency("Taxi and private hire licensing"),
        "officer": make_job_role("Police officer"),
        "nurse": make_job_role("School nurse"),
    }


@pytest.fixture
def trained(lists):
    """Ann: awareness in January (Police), again in March (Health), multi-agency in February; Bob: awareness in
    March, at a session he attended. Ann's second awareness course adds nobody."""
    police, health, officer, nurse = lists["police"], lists["health"], lists["officer"], lists["nurse"]
    complete("Ann@Example.org", AWARENESS, date(2027, 1, 20), police, officer, "Cherwell")
    complete("ann@example.org", AWARENESS, date(2027, 3, 2), health, nurse, "Oxford")
    complete("ann@example.org", MULTI_AGENCY, date(2027, 2, 10), police, officer, "Cherwell")
    learner = make_learner(agency=health, job_role=nurse, district="Oxford")
    training_session = make_session(day=date(2027, 3, 15))
    booking = TrainingBooking(
        session_id=training_session.id,
        course_id=training_session.course_id,
        learner=learner,
        status="attended",
    )
    db.session.add(booking)
    db.session.flush()
    complete(learner.user.email, AWARENESS, date(2027, 3, 15), health, nurse, "Oxford", booking=booking)
    return lists


def counts(row) -> tuple[int, int]:
    return row.by_level[AWARENESS], row.by_level[MULTI_AGENCY]


def test_each_person_counts_once_per_level_at_their_first_completion(trained):
    figures = training_reach()
    assert figures.staff_trained == 3
    assert counts(figures.totals) == (2, 1)
    assert counts(figures.by_month["2027-01"]) == (1, 0)
    assert counts(figures.by_month["2027-02"]) == (0, 1)
    assert counts(figures.by_month["2027-03"]) == (1, 0)  # Bob; Ann's second awareness course adds nobody


def test_the_first_completion_decides_agency_role_and_district(trained):
    figures = training_reach()
    assert counts(figures.by_agency["Police"]) == (1, 1)  # Ann, trained from the police both times first
    assert counts(figures.by_agency["Health"]) == (1, 0)  # Bob only: Ann's later course at Health is not her first
    assert counts(figures.by_role["Police officer"]) == (1, 1)
    assert counts(figures.by_district["Oxford"]) == (1, 0)


def test_agencies_nobody_is_trained_from_are_listed_with_none(trained):
    assert counts(training_reach().by_agency["Taxi and private hire licensing"]) == (0, 0)


def test_a_period_counts_people_first_trained_in_it_only(trained):
    figures = training_reach(date(2027, 2, 1), date(2027, 3, 31))
    # Ann was first trained at awareness in January: her March course is a second one and not counted in the period.
    assert counts(figures.totals) == (1, 1)
    assert sorted(figures.by_month) == ["2027-02", "2027-03"]


def test_periods_that_do_not_overlap_add_up_to_the_whole(trained):
    whole = training_reach().totals
    before, after = training_reach(end=date(2027, 2, 14)).totals, training_reach(start=date(2027, 2, 15)).totals
    assert [b + a for b, a in zip(counts(before), counts(after), strict=True)] == list(counts(whole))


def test_every_breakdown_adds_up_to_the_totals(trained):
    figures = training_reach()
    for table in (figures.by_agency, figures.by_role, figures.by_district, figures.by_month):
        assert sum(row.total for row in table.values()) == figures.staff_trained
        for level in CourseLevel:
            assert sum(row.by_level[level] for row in table.values()) == figures.totals.by_level[level]


def test_the_page_the_csv_and_the_api_give_the_same_figures(trained, login_as):
    council = login_as(Role.COUNCIL)
    query = "?from=2027-01-01&to=2027-12-31"
    api = council.get(f"/api/v1/training-reach{query}").get_json()
    assert (api["staff_trained"], api["awareness"], api["multi_agency"]) == (3, 2, 1)
    assert api["target"] == 7500
    assert {row["agency"]: row["staff_trained"] for row in api["by_agency"]}["Police"] == 2
    for key in ("by_agency", "by_role", "by_district", "by_month"):
        assert sum(row["staff_trained"] for row in api[key]) == api["staff_trained"]

    for table, key, column in [
        ("agencies", "by_agency", "agency"),
        ("job-roles", "by_role", "job_role"),
        ("districts", "by_district", "district"),
        ("months", "by_month", "month"),
    ]:
        response = council.get(f"/reach/export/training-{table}.csv{query}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
        assert {row[column]: int(row["staff_trained"]) for row in rows} == {
            row[column]: row["staff_trained"] for row in api[key]
        }
    totals_csv = council.get(f"/reach/export/training-totals.csv{query}").get_data().decode("utf-8-sig")
    totals = next(csv.DictReader(io.StringIO(totals_csv)))
    assert (int(totals["staff_trained"]), int(totals["target"])) == (3, 7500)

    page = council.get(f"/reach/training{query}")
    assert page.status_code == 200
    assert "3</span><br>staff trained" in page.get_data(as_text=True)
    dashboard = council.get(f"/reach/{query}").get_data(as_text=True)
    assert "3</span><br>staff trained to spot the signs of CSE" in dashboard


def test_a_season_stands_for_its_dates(trained, login_as):
    season = make_season(starts_on=date(2027, 2, 1), weeks=4, request_deadline=date(2027, 1, 10))
    answer = login_as(Role.ADMIN).get(f"/api/v1/training-reach?season={season.id}").get_json()
    assert (answer["awareness"], answer["multi_agency"]) == (0, 1)


def test_only_council_officers_and_administrators_read_the_figures(trained, login_as, anonymous):
    assert anonymous.get("/api/v1/training-reach").status_code == 401
    for role in (Role.SCHOOL, Role.COMPANY, Role.TRAINER, Role.LEARNER):
        assert login_as(role).get("/api/v1/training-reach").status_code == 403
    assert login_as(Role.COUNCIL).get("/api/v1/training-reach?from=never").status_code == 400


def test_the_council_sets_the_training_target(trained, login_as):
    assert "Save training target" not in login_as(Role.ADMIN).get("/reach/training").get_data(as_text=True)
    assert "Save target" not in login_as(Role.ADMIN).get("/reach/").get_data(as_text=True)
    assert "Save target" in login_as(Role.COUNCIL).get("/reach/").get_data(as_text=True)
    council = login_as(Role.COUNCIL)
    page = council.get("/reach/training").get_data(as_text=True)
    assert "Save training target" in page
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = council.post("/reach/training-target", data={"csrf_token": token, "target": "8000"})
    assert response.status_code == 302
    assert council.get("/api/v1/training-reach").get_json()["target"] == 8000
    refused = council.post("/reach/training-target", data={"csrf_token": token, "target": "none"})
    assert refused.status_code == 302
    assert council.get("/api/v1/training-reach").get_json()["target"] == 8000


def test_the_databases_count_as_a_person_would_on_thousands_of_completions(lists):
    """Four thousand completions of 1,500 people, in random order: the grouped SQL agrees with a count by hand."""
    rng = random.Random(7)
    agencies, roles = [lists["police"], lists["health"]], [lists["officer"], lists["nurse"]]
    people = [f"person{n}@example.org" for n in range(1500)]
    rows = []
    for _ in range(4000):
        email, level = rng.choice(people), rng.choice(list(CourseLevel))
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(900))
        agency, role, district = rng.choice(agencies), rng.choice(roles), rng.choice(["Cherwell", "Oxford", "Banbury"])
        rows.append((email, level, day, agency, role, district))
    mappings = [
        {
            "email": email,
            "name": "P",
            "organisation": "",
            "agency_id": agency.id,
            "job_role_id": role.id,
            "district": district,
            "level": level,
            "completed_on": day,
            "source_reference": f"bulk-{n}",
        }
        for n, (email, level, day, agency, role, district) in enumerate(rows)
    ]
    db.session.execute(TrainingCompletion.__table__.insert(), mappings)

    first: dict[tuple, tuple] = {}
    for n, (email, level, day, agency, _role, district) in enumerate(rows):
        key = (level, email)
        if key not in first or (day, n) < first[key][0]:
            first[key] = ((day, n), agency.name, district)
    start, end = date(2026, 6, 1), date(2027, 6, 30)
    in_period = {key: value for key, value in first.items() if start <= value[0][0] <= end}

    figures = training_reach(start, end)
    assert figures.staff_trained == len(in_period)
    by_agency = Counter((name, key[0]) for key, (_, name, _) in in_period.items())
    listed = [lists["police"], lists["health"], lists["taxis"]]
    assert {(name, level): row.by_level[level] for name, row in figures.by_agency.items() for level in CourseLevel} == {
        (agency.name, level): by_agency[(agency.name, level)] for agency in listed for level in CourseLevel
    }
    by_month = Counter((value[0][0].strftime("%Y-%m"), key[0]) for key, value in in_period.items())
    assert {
        (month, level): row.by_level[level] for month, row in figures.by_month.items() for level in CourseLevel
    } == {(month, level): by_month[(month, level)] for month in {m for m, _ in by_month} for level in CourseLevel}


def statements_reading_completions(session, work) -> int:
    from sqlalchemy import event

    seen = []
    engine = session.get_bind()
    listen = lambda *args: seen.append(args[2])  # noqa: E731  (the statement's text)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return sum("FROM training_completions" in statement for statement in seen)


def next_request(session) -> None:
    """The version moves once per transaction; each of the test's writes stands for a request of its own."""
    session.begin_nested().commit()


def test_unchanged_figures_are_read_from_the_cache_and_every_kind_of_write_moves_them_on(trained, session):
    from portal.services import settings

    first = training_reach()
    assert statements_reading_completions(session, training_reach) == 0  # kept under the reach version
    assert training_reach().staff_trained == first.staff_trained == 3

    next_request(session)
    complete("new.person@example.org", MULTI_AGENCY, date(2027, 4, 1), trained["police"], trained["officer"])
    assert training_reach().staff_trained == 4  # a completion written through the session (the register's way)
    next_request(session)
    db.session.execute(
        TrainingCompletion.__table__.insert(),
        [
            {
                "email": "imported@example.org",
                "name": "I",
                "organisation": "",
                "agency_id": trained["health"].id,
                "job_role_id": trained["nurse"].id,
                "district": "Oxford",
                "level": AWARENESS,
                "completed_on": date(2027, 4, 2),
                "source_reference": "LMS-bulk-1",
            }
        ],
    )
    assert training_reach().staff_trained == 5  # a bulk insert (the e-learning import's way)
    next_request(session)
    make_agency("Fire and rescue")
    assert "Fire and rescue" in training_reach().by_agency
    officer = make_user(Role.COUNCIL)
    next_request(session)
    settings.set_setting(officer, "training_target", "9000")
    session.flush()
    assert training_reach().target == 9000


def test_the_tables_drawn_once_are_drawn_again_when_a_completion_changes_them(trained, login_as):
    council, query = login_as(Role.COUNCIL), "?from=2027-01-01&to=2027-12-31"

    def police_row() -> str:
        page = council.get(f"/reach/training{query}").get_data(as_text=True)
        found = re.search(r'<th scope="row" class="govuk-table__header">Police</th>(.*?)</tr>', page, re.S)
        assert found is not None
        return found.group(1)

    first = police_row()
    assert 'data-label="Staff trained">2</td>' in first and police_row() == first
    complete("cy@example.org", AWARENESS, date(2027, 4, 1), trained["police"], trained["officer"])
    assert 'data-label="Staff trained">3</td>' in police_row()
