"""A form that creates something creates it once, however often the same form is sent.

Each test takes the form as the page renders it (its CSRF token and its one-time form token), sends it twenty times
unchanged, as a double-clicking person or a browser's "resend" would, and counts the rows.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from portal.clock import now, today
from portal.domain import form_tokens
from portal.domain.retention import Holding, rule_for
from portal.extensions import db
from portal.models import (
    AllocationRun,
    ApiToken,
    BlackoutDay,
    Cast,
    EvaluationReturn,
    FollowUpLesson,
    FormSubmission,
    LessonPack,
    LessonPackFile,
    Performance,
    PerformanceAttendance,
    PerformanceStatus,
    Production,
    Request,
    Role,
    Season,
    Slot,
    User,
)
from portal.services import lessons, submissions
from portal.services.lessons import LessonDetails
from portal.services.retention import purge_expired
from tests import files
from tests.factories import make_performance, make_production, make_request, make_school, make_season, make_user
from tests.integration.html_forms import page_form, post_forms
from tests.integration.pages import location_path, post_form, request_form_data

REPEATS = 20


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def delivered_performance(school=None, days_ago: int = 10):
    request_ = make_request(school or make_school(), year_groups={9: 60})
    performance = make_performance(
        request_, status=PerformanceStatus.DELIVERED, day=today() - timedelta(days=days_ago), pupils_attended=55
    )
    performance.attendance = [PerformanceAttendance(year_group=9, pupils=55)]
    db.session.flush()
    return performance


def send_repeatedly(client, url: str, data: dict, times: int = REPEATS) -> list:
    return [client.post(url, data=data) for _ in range(times)]


def assert_one_made_and_repeats_sent_to_it(responses, expected_path: str, client) -> None:
    assert [response.status_code for response in responses] == [302] * len(responses)
    assert {location_path(response) for response in responses} == {expected_path}
    page = client.get(expected_path).get_data(as_text=True)
    assert form_tokens.ALREADY_SAVED in page


def lesson_data(form, day) -> dict:
    return {
        **form.defaults(),
        "delivered_on": [str(day.day), str(day.month), str(day.year)],
        "year_group": "9",
        "pupils": "28",
        "pack_id": "0",
    }


def test_twenty_identical_posts_of_a_follow_up_lesson_record_one(login_as):
    performance = delivered_performance()
    client = login_as(make_user(Role.SCHOOL, school=performance.school))
    url = f"/school/performances/{performance.id}/lessons/new"
    form = page_form(client, url)
    assert form_tokens.token_is_current(form.hidden("form_token"), now())

    responses = send_repeatedly(client, url, lesson_data(form, today() - timedelta(days=2)))

    assert count(FollowUpLesson, FollowUpLesson.performance_id == performance.id) == 1
    assert_one_made_and_repeats_sent_to_it(responses, f"/school/performances/{performance.id}", client)


def test_each_fresh_form_records_another_lesson(login_as):
    """Two classes taught the same lesson on the same day are two lessons: a new form, a new record."""
    performance = delivered_performance()
    client = login_as(make_user(Role.SCHOOL, school=performance.school))
    url = f"/school/performances/{performance.id}/lessons/new"
    day = today() - timedelta(days=2)
    for _ in range(2):
        assert client.post(url, data=lesson_data(page_form(client, url), day)).status_code == 302
    assert count(FollowUpLesson, FollowUpLesson.performance_id == performance.id) == 2


def test_a_refused_submission_leaves_its_token_for_the_corrected_one(login_as):
    performance = delivered_performance()
    client = login_as(make_user(Role.SCHOOL, school=performance.school))
    url = f"/school/performances/{performance.id}/lessons/new"
    form = page_form(client, url)
    # The service refuses a date before the performance: nothing is saved, and the token is not used up.
    refused = client.post(url, data=lesson_data(form, performance.day - timedelta(days=1)))
    assert refused.status_code == 200
    assert "on or after the performance" in refused.get_data(as_text=True)
    assert count(FormSubmission, FormSubmission.token == form.hidden("form_token")) == 0

    corrected = client.post(url, data=lesson_data(form, today()))
    assert corrected.status_code == 302
    assert count(FollowUpLesson, FollowUpLesson.performance_id == performance.id) == 1


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "made-up",
        "١٢٣٤٥٦٧٨٩٠." + "0" * 32,
        form_tokens.new_token(datetime(2020, 1, 1, tzinfo=UTC)),
        form_tokens.new_token(datetime.now(UTC) + timedelta(days=2)),
    ],
    ids=["missing", "empty", "made-up", "other-digits", "stale", "from-the-future"],
)
def test_a_form_without_a_current_token_is_out_of_date_and_saves_nothing(login_as, token):
    performance = delivered_performance()
    client = login_as(make_user(Role.SCHOOL, school=performance.school))
    url = f"/school/performances/{performance.id}/lessons/new"
    data = lesson_data(page_form(client, url), today())
    if token is None:
        del data["form_token"]
    else:
        data["form_token"] = [token]

    response = client.post(url, data=data)

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'class="govuk-error-summary' in body and form_tokens.OUT_OF_DATE in body
    assert count(FollowUpLesson, FollowUpLesson.performance_id == performance.id) == 0
    # The page shown again carries a fresh token: sending it as it is now works.
    again = next(form for form in post_forms(body, url) if form.action == url)
    assert form_tokens.token_is_current(again.hidden("form_token"), now())
    assert client.post(url, data={**data, "form_token": again.hidden("form_token")}).status_code == 302


def answered_up_to_the_check_page(client, form_url: str, data: dict) -> str:
    """The request form and its preferred dates filled in, as a person does: the check page's address."""
    response = post_form(client, form_url, {name: value for name, value in data.items() if name != "preferred_dates"})
    response = post_form(client, location_path(response), {"preferred_dates": data["preferred_dates"]})
    assert response.status_code == 302 and location_path(response).endswith("/check")
    return location_path(response)


def assert_request_made_once(responses, made: int, area: str, client) -> None:
    """The first answer shows the confirmation page; every repeat goes to the request made, saying so."""
    assert [response.status_code for response in responses] == [302] * len(responses)
    assert location_path(responses[0]) == f"/{area}/requests/{made}/sent"
    assert {location_path(response) for response in responses[1:]} == {f"/{area}/requests/{made}"}
    assert form_tokens.ALREADY_SAVED in client.get(f"/{area}/requests/{made}").get_data(as_text=True)


def test_twenty_identical_posts_of_a_request_make_one(login_as, world):
    client = login_as(world.users["school"])
    data = request_form_data(world.season, production=str(world.season.productions[1].id))
    check = answered_up_to_the_check_page(client, f"/school/seasons/{world.season.id}/requests/new", data)
    form = page_form(client, check)
    assert form_tokens.token_is_current(form.hidden("form_token"), now())
    before = count(Request, Request.school_id == world.school_a.id)

    responses = send_repeatedly(client, check, form.defaults())

    assert count(Request, Request.school_id == world.school_a.id) == before + 1
    made = db.session.scalar(select(func.max(Request.id)).where(Request.school_id == world.school_a.id))
    assert_request_made_once(responses, made, "school", client)


def test_twenty_identical_posts_of_a_request_on_a_schools_behalf_make_one(login_as, world):
    client = login_as(world.users["council"])
    data = request_form_data(world.season, production=str(world.season.productions[1].id))
    url = f"/council/schools/{world.school_b.id}/seasons/{world.season.id}/requests/new"
    check = answered_up_to_the_check_page(client, url, data)
    before = count(Request, Request.school_id == world.school_b.id)

    responses = send_repeatedly(client, check, page_form(client, check).defaults())

    assert count(Request, Request.school_id == world.school_b.id) == before + 1
    made = db.session.scalar(select(func.max(Request.id)).where(Request.school_id == world.school_b.id))
    assert_request_made_once(responses, made, "council", client)


def test_twenty_identical_posts_of_a_new_season_make_one(login_as):
    production = make_production()
    client = login_as(Role.COMPANY)
    url = "/company/seasons/new"
    starts = today() + timedelta(days=60)
    data = {
        **page_form(client, url).defaults(),
        "name": "Summer term double-click",
        "starts_on": as_date_fields(starts),
        "ends_on": as_date_fields(starts + timedelta(days=30)),
        "request_deadline": as_date_fields(starts - timedelta(days=20)),
        "production_ids": [str(production.id)],
    }

    responses = send_repeatedly(client, url, data)

    seasons = db.session.scalars(select(Season).where(Season.name == "Summer term double-click")).all()
    assert len(seasons) == 1
    assert_one_made_and_repeats_sent_to_it(responses, f"/company/seasons/{seasons[0].id}", client)


def test_twenty_identical_posts_of_a_new_lesson_pack_make_one(login_as):
    production = make_production()
    client = login_as(Role.COUNCIL)
    data = {
        **page_form(client, "/packs/new").defaults(),
        "production": str(production.id),
        "year_group": "9",
        "title": "Double-clicked pack",
    }

    responses = send_repeatedly(client, "/packs/new", data)

    packs = db.session.scalars(select(LessonPack).where(LessonPack.title == "Double-clicked pack")).all()
    assert len(packs) == 1
    assert_one_made_and_repeats_sent_to_it(responses, f"/packs/{packs[0].id}", client)


def as_date_fields(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@dataclass
class CreatingForm:
    """A form that creates something: who fills it in, where, with what, and how to count what it makes."""

    role: str
    page: str
    action: str | None
    data: dict
    counted: Callable[[], int]
    shown_at: str
    first_answer: int = 302  # the new API token is shown on the answer itself, never again


def creating_forms(world) -> dict[str, Callable[[], CreatingForm]]:
    """Every form that creates something, beyond those tested twenty times above."""
    season = world.season

    def evaluation():
        performance = delivered_performance(world.school_a)
        return CreatingForm(
            "school",
            f"/school/performances/{performance.id}/evaluation",
            None,
            {
                "respondents": "40",
                "confident_before": "10",
                "confident_after": "30",
                "know_help_before": "12",
                "know_help_after": "35",
                "staff_rating": "5",
            },
            lambda: count(EvaluationReturn, EvaluationReturn.performance_id == performance.id),
            f"/school/performances/{performance.id}",
        )

    def cast():
        return CreatingForm(
            "company",
            f"/company/seasons/{season.id}/casts/new",
            None,
            {"name": "Cast C"},
            lambda: count(Cast, Cast.season_id == season.id),
            f"/company/seasons/{season.id}",
        )

    def production():
        return CreatingForm(
            "company",
            "/company/productions/new",
            None,
            {"title": "Second Thoughts", "duration_minutes": "50", "audience_cap": "90"},
            lambda: count(Production, Production.title == "Second Thoughts"),
            "/company/",
        )

    def slot():
        return CreatingForm(
            "company",
            f"/company/seasons/{season.id}",
            f"/company/seasons/{season.id}/slots",
            {"code": "EV", "starts_at": "16:00"},
            lambda: count(Slot, Slot.season_id == season.id),
            f"/company/seasons/{season.id}",
        )

    def blackout():
        return CreatingForm(
            "company",
            f"/company/seasons/{season.id}",
            f"/company/seasons/{season.id}/blackouts",
            {"day": as_date_fields(season.starts_on + timedelta(days=2)), "reason": "INSET day"},
            lambda: count(BlackoutDay, BlackoutDay.season_id == season.id),
            f"/company/seasons/{season.id}",
        )

    def run():
        closed = make_season(request_deadline=today() - timedelta(days=1))
        return CreatingForm(
            "company",
            f"/company/seasons/{closed.id}/allocation",
            f"/company/seasons/{closed.id}/allocation/runs",
            {},
            lambda: count(AllocationRun, AllocationRun.season_id == closed.id),
            f"/company/seasons/{closed.id}/allocation/runs/",  # then the run's id
        )

    def pack_file():
        pack = LessonPack(production_id=season.productions[0].id, year_group=9, title="Files", created_by_id=None)
        db.session.add(pack)
        db.session.flush()
        return CreatingForm(
            "company",
            f"/packs/{pack.id}",
            None,
            {"file": lambda: (io.BytesIO(files.clean_pdf()), "lesson.pdf")},
            lambda: count(LessonPackFile, LessonPackFile.pack_id == pack.id),
            f"/packs/{pack.id}",
        )

    def api_token():
        return CreatingForm(
            "council",
            "/account/api-tokens",
            None,
            {"name": "Nightly export"},
            lambda: count(ApiToken, ApiToken.name == "Nightly export"),
            "/account/api-tokens",
            first_answer=200,
        )

    return {
        "evaluation": evaluation,
        "cast": cast,
        "production": production,
        "slot": slot,
        "blackout": blackout,
        "allocation-run": run,
        "pack-file": pack_file,
        "api-token": api_token,
    }


@pytest.mark.parametrize(
    "name", ["evaluation", "cast", "production", "slot", "blackout", "allocation-run", "pack-file", "api-token"]
)
def test_every_other_creating_form_creates_once_however_often_it_is_sent(login_as, world, name):
    case = creating_forms(world)[name]()
    client = login_as(world.users[case.role])
    form = page_form(client, case.page, case.action)
    assert form.hidden("form_token"), f"{case.page} renders no one-time token"
    before = case.counted()
    url = case.action or case.page

    responses = []
    for _ in range(3):
        data = {**form.defaults(), **{key: value() if callable(value) else value for key, value in case.data.items()}}
        responses.append(client.post(url, data=data))

    assert case.counted() == before + 1, [response.status_code for response in responses]
    assert [response.status_code for response in responses] == [case.first_answer, 302, 302]
    first, *repeats = [location_path(response) for response in responses]
    assert (first or case.shown_at).startswith(case.shown_at)
    assert repeats == [first or case.shown_at] * 2
    assert form_tokens.ALREADY_SAVED in client.get(repeats[0]).get_data(as_text=True)


RACERS = 12


def test_the_same_form_sent_at_once_to_several_servers_creates_once(committing_app):
    """Real transactions on a database of their own: the unique constraint, not a look-up, picks the first."""
    with committing_app.app_context():
        performance = delivered_performance()
        user = make_user(Role.SCHOOL, school=performance.school)
        performance_id, user_id = performance.id, user.id
        db.session.commit()
    token = form_tokens.new_token(now())
    barrier = threading.Barrier(RACERS)
    outcomes: list[tuple[str, str | None]] = []
    lock = threading.Lock()

    def send() -> None:
        with committing_app.app_context():
            db.session.rollback()  # on SQLite a read holds the write lock (BEGIN IMMEDIATE): start all at once
            barrier.wait()
            try:
                actor, performance = db.session.get(User, user_id), db.session.get(Performance, performance_id)
                details = LessonDetails(today(), 9, 25, None, "")
                submissions.create_once(
                    actor,
                    token,
                    "school.lesson_new",
                    now(),
                    lambda: lessons.record_lesson(actor, performance, details, today()),
                    lambda _lesson: f"/school/performances/{performance_id}",
                )
                db.session.commit()
                outcome = ("made", None)
            except submissions.RepeatedSubmission as repeat:
                db.session.rollback()
                outcome = ("repeat", repeat.path)
            except (IntegrityError, OperationalError) as error:  # would mean the claim is not what decides
                db.session.rollback()
                outcome = ("error", str(error))
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=send) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [("made", None)] + [("repeat", f"/school/performances/{performance_id}")] * (RACERS - 1)
    with committing_app.app_context():
        assert count(FollowUpLesson, FollowUpLesson.performance_id == performance_id) == 1
        assert count(FormSubmission, FormSubmission.token == token) == 1


def test_used_form_tokens_are_purged_on_the_retention_schedule(session):
    user = make_user(Role.COUNCIL)
    cutoff = rule_for(Holding.FORM_SUBMISSIONS).cutoff(now())
    for age, token in ((cutoff - timedelta(hours=1), "old"), (cutoff + timedelta(hours=1), "recent")):
        session.add(
            FormSubmission(user_id=user.id, token=token, form="packs.pack_new", result_path="/", created_at=age)
        )
    session.flush()

    report = purge_expired(now())

    assert report.removed[Holding.FORM_SUBMISSIONS] == 1
    assert session.scalars(select(FormSubmission.token).where(FormSubmission.user_id == user.id)).all() == ["recent"]
