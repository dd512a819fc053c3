"""Every home page opens with what to do next; requests say where they are; the cast's schedule and day sheet."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import template_rendered

from portal.clock import today
from portal.extensions import db
from portal.models import (
    FollowUpLesson,
    PerformanceAttendance,
    PerformanceStatus,
    RequestStatus,
    Role,
)
from portal.models.seasons import SeasonStatus
from portal.services.schedules import week_start
from tests.factories import make_performance, make_request, make_school, make_season, make_user


def rendered(app, client, url: str) -> tuple[int, dict, str]:
    """The status, the context the page's own template got (keys of interest only) and the body."""
    seen: dict = {}
    keys = ("tasks", "banners", "stages", "stage", "week", "previous_week", "next_week")

    def record(_sender, template, context, **_extra):
        # The page's template reports last: form widgets rendered inside it report before it.
        seen.update({key: context.get(key) for key in keys})

    with template_rendered.connected_to(record, app):
        response = client.get(url)
    return response.status_code, seen, response.get_data(as_text=True)


def titles(context: dict) -> list[str]:
    return [item["title"]["text"] for item in context["tasks"]["items"]]


def long_day(day) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def school_staff(session):
    school = make_school(name="Greenfinch Academy", hall_capacity=None, office_phone="01632 960 400")
    return make_user(Role.SCHOOL, school=school)


def test_the_school_home_starts_with_confirming_and_following_up(app, login_as, school_staff):
    school = school_staff.school
    season = make_season(status=SeasonStatus.PUBLISHED)
    request_ = make_request(school, season, created_by=school_staff, year_groups={8: 60, 9: 60}, days=4)
    confirm_by = today() + timedelta(days=2)
    make_performance(request_, confirm_by=confirm_by)
    make_performance(request_, day=request_.dates[1].day, confirm_by=confirm_by + timedelta(days=5))
    delivered = make_performance(
        request_,
        day=today() - timedelta(days=10),
        status=PerformanceStatus.DELIVERED,
        pupils_attended=110,
        slot=season.slots[1],
    )
    delivered.attendance = [
        PerformanceAttendance(year_group=8, pupils=55),
        PerformanceAttendance(year_group=9, pupils=55),
    ]
    db.session.add(
        FollowUpLesson(school_id=school.id, performance_id=delivered.id, delivered_on=today(), year_group=8, pupils=50)
    )
    open_season = make_season(request_deadline=today())
    db.session.flush()

    status, context, body = rendered(app, login_as(school_staff), "/school/")
    assert status == 200
    assert titles(context) == [
        "Confirm 2 performances",
        "Record the follow-up lessons for 1 performance",  # year 9 has no lesson yet
        "Enter the questionnaire results for 1 performance",
        f"Request a performance in {open_season.name}",
        "Tell us how many pupils your hall holds",
    ]
    items = context["tasks"]["items"]
    assert items[0]["href"] == "/school/performances"
    assert items[1]["href"] == f"/school/performances/{delivered.id}"
    assert items[2]["href"] == f"/school/performances/{delivered.id}/evaluation"
    assert items[0]["status"]["tag"]["text"] == f"Due {confirm_by.day} {confirm_by:%B}"
    assert context["banners"] == [
        f"Confirm 1 performance by {long_day(confirm_by)}",
        f"Requests for {open_season.name} close today",
    ]
    assert body.index("govuk-notification-banner") < body.index("<h1")  # deadlines first
    assert body.index('id="to-do"') < body.index("Seasons open for requests")
    # The request shows where it has got to: allocated (two provisional performances wait), not "Submitted".
    assert context["stages"] == {request_.id: "allocated"}
    assert ">Allocated<" in body


def test_a_school_with_nothing_to_do_is_told_so(app, login_as):
    staff = make_user(Role.SCHOOL, school=make_school(hall_capacity=120))
    status, context, body = rendered(app, login_as(staff), "/school/")
    assert status == 200 and context["tasks"]["items"] == [] and context["banners"] == []
    assert "You have nothing to do at the moment." in body


@pytest.mark.parametrize(
    ("statuses", "stage"),
    [([], "submitted"), (["confirmed", "declined"], "confirmed"), (["delivered"], "delivered")],
)
def test_requests_say_where_they_are_on_every_page(app, login_as, school_staff, statuses, stage):
    request_ = make_request(school_staff.school, make_season(status=SeasonStatus.PUBLISHED), days=4)
    for index, status in enumerate(statuses):
        make_performance(request_, day=request_.dates[index].day, status=PerformanceStatus(status))
    school = login_as(school_staff)
    for url in ("/school/requests", f"/school/requests/{request_.id}"):
        status_code, context, body = rendered(app, school, url)
        assert status_code == 200
        assert (context["stages"] or {request_.id: context["stage"]})[request_.id] == stage
        assert f">{stage.capitalize()}<" in body
    council = login_as(Role.COUNCIL)
    assert rendered(app, council, f"/council/requests/{request_.id}")[1]["stage"] == stage
    assert rendered(app, council, f"/council/schools/{request_.school_id}")[1]["stages"] == {request_.id: stage}


def test_a_withdrawn_request_is_shown_withdrawn(app, login_as, school_staff):
    request_ = make_request(school_staff.school, status=RequestStatus.WITHDRAWN)
    assert rendered(app, login_as(school_staff), "/school/requests")[1]["stages"] == {request_.id: "withdrawn"}


def test_the_company_home_lists_seasons_to_allocate_and_performances_to_record(app, login_as):
    closed = make_season(request_deadline=today() - timedelta(days=1))
    make_request(season=closed)
    started = week_start(today()) - timedelta(weeks=2)
    touring = make_season(status=SeasonStatus.PUBLISHED, starts_on=started, request_deadline=started)
    past = make_performance(make_request(season=touring), status=PerformanceStatus.CONFIRMED)
    status, context, body = rendered(app, login_as(Role.COMPANY), "/company/")
    assert status == 200
    assert f"Allocate {closed.name}" in titles(context)
    assert "Record 1 performance as delivered or cancelled" in titles(context)
    record = next(item for item in context["tasks"]["items"] if item["title"]["text"].startswith("Record"))
    assert record["href"] == f"/company/performances/{past.id}"
    assert (
        f"Requests for {closed.name} closed on {long_day(closed.request_deadline)}: it is ready to allocate"
        in (context["banners"])
    )
    assert 'id="to-record"' in body and f"/company/performances/{past.id}" in body


def test_the_council_home_warns_of_performances_about_to_lapse(app, login_as):
    season = make_season(status=SeasonStatus.PUBLISHED)
    school = make_school(name="Wren School")
    soon = make_performance(make_request(school, season), confirm_by=today() + timedelta(days=1), pupils_planned=90)
    later = make_request(season=season)
    make_performance(later, cast=season.casts[1], confirm_by=today() + timedelta(days=10))  # not yet
    make_user(Role.SCHOOL, school=school, approved=False)
    status, context, body = rendered(app, login_as(Role.COUNCIL), "/council/")
    assert status == 200
    assert "1 performance about to lapse unconfirmed" in titles(context)
    assert any(title.startswith("Approve or refuse ") for title in titles(context))
    assert any(re.fullmatch(r"\d+ schools? not reached yet", title) for title in titles(context))
    assert context["banners"][0] == (
        f"1 performance (90 pupils) will be released unless confirmed by {long_day(soon.confirm_by)}"
    )
    lapsing = body[body.index('id="about-to-lapse"') :]
    assert "Wren School" in lapsing and f"/council/performances/{soon.id}" in lapsing


def test_the_admin_home_says_what_to_look_after(app, login_as):
    make_user(Role.ADMIN, email="new.admin@example.org")  # no authenticator app yet
    status, context, _body = rendered(app, login_as(Role.ADMIN), "/admin/")
    assert status == 200
    assert any("without an authenticator app" in title for title in titles(context))


def test_the_schedule_opens_on_this_week_with_the_weeks_either_side(app, login_as):
    monday = week_start(today())
    started = monday - timedelta(weeks=2)
    season = make_season(status=SeasonStatus.PUBLISHED, starts_on=started, weeks=6, request_deadline=started)
    company = login_as(Role.COMPANY)
    status, context, body = rendered(app, company, f"/company/seasons/{season.id}/schedule")
    assert status == 200
    assert (context["week"], context["previous_week"], context["next_week"]) == (
        monday,
        monday - timedelta(weeks=1),
        monday + timedelta(weeks=1),
    )
    cast = season.casts[1]
    _status, context, body = rendered(app, company, f"/company/seasons/{season.id}/schedule?cast={cast.id}")
    assert f"week={(monday + timedelta(weeks=1)).isoformat()}&amp;cast={cast.id}" in body  # keeps the cast
    first = season.starts_on
    _status, context, _body = rendered(app, company, f"/company/seasons/{season.id}/schedule?week={first.isoformat()}")
    assert context["previous_week"] is None and context["next_week"] == first + timedelta(weeks=1)
    council = login_as(Role.COUNCIL)
    assert rendered(app, council, f"/council/seasons/{season.id}/schedule")[1]["week"] == monday


def test_a_season_not_started_opens_on_its_first_week(app, login_as):
    season = make_season()
    status, context, _body = rendered(app, login_as(Role.COMPANY), f"/company/seasons/{season.id}/schedule")
    assert status == 200 and context["week"] == season.starts_on and context["previous_week"] is None


def test_the_day_sheet_has_what_the_cast_needs_on_the_road(login_as, school_staff):
    school = school_staff.school
    school.address, school.town, school.postcode = "Finch Road, Kidlington", "Oxford", "OX5 1AA"
    school.office_phone = "01632 960 555"
    school_staff.full_name, school_staff.job_title, school_staff.phone = "Sam Patel", "PSHE lead", "01632 960 222"
    request_ = make_request(school, year_groups={8: 160, 9: 90}, access_notes="Side gate; the hall is upstairs.")
    performance = make_performance(request_, status=PerformanceStatus.CONFIRMED, pupils_planned=120)
    db.session.flush()
    page = login_as(Role.COMPANY).get(
        f"/company/seasons/{request_.season_id}/casts/{performance.cast_id}/days/{performance.day.isoformat()}"
    )
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in (
        "Finch Road<br>Kidlington<br>Oxford<br>OX5 1AA",
        '<a class="govuk-link" href="tel:01632960555">01632 960 555</a>',
        'Sam Patel, PSHE lead: <a class="govuk-link" href="tel:01632960222">01632 960 222</a>',
        "Dee Ess-Ell",
        "01632 960 123",
        "Year 8: 160 pupils<br>Year 9: 90 pupils",
        "120 at this performance",
        "150 seats; 3 staff in the hall" if school.hall_capacity else "Size not given; 3 staff in the hall",
        "Side gate; the hall is upstairs.",
        "data-print hidden>Print this day sheet</button>",
    ):
        assert text in body, text


def test_the_council_sees_the_pipeline_and_what_provisional_performances_would_add(login_as):
    season = make_season(status=SeasonStatus.PUBLISHED)
    leaking = make_school(name="Lapwing School", district="Oxford")
    make_request(leaking, season, year_groups={9: 180})  # asked, nothing placed: the leak
    kept = make_request(make_school(name="Kite School", district="Cherwell"), season, year_groups={8: 120})
    make_performance(kept, pupils_planned=120)  # provisional, still to come
    council = login_as(Role.COUNCIL)
    page = council.get("/reach/").get_data(as_text=True)
    assert "+120" in page and "more pupils if schools confirm their provisional performances" in page
    assert 'id="pipeline"' in page and "Pipeline by district" in page and "Pipeline by school" in page

    districts = council.get(f"/reach/export/pipeline-districts.csv?season={season.id}").get_data(as_text=True)
    assert districts.lstrip("\ufeff").splitlines() == [
        "district,requested,provisional,confirmed,delivered,discussed",
        "Cherwell,120,120,0,0,0",
        "Oxford,180,0,0,0,0",
    ]
    schools = council.get(f"/reach/export/pipeline-schools.csv?season={season.id}").get_data(as_text=True)
    assert [line.split(",")[1:] for line in schools.lstrip("\ufeff").splitlines()[1:]] == [
        ["Kite School", "Cherwell", "120", "120", "0", "0", "0"],
        ["Lapwing School", "Oxford", "180", "0", "0", "0", "0"],
    ]
    totals = council.get(f"/reach/export/totals.csv?season={season.id}").get_data(as_text=True).splitlines()
    assert totals[0].endswith(",provisional") and totals[1].endswith(",120")

    api = council.get(f"/api/v1/reach?season={season.id}").get_json()
    assert api["provisional"] == 120 and api["planned"] == 0
    assert api["pipeline"]["requested"] == 300
    assert api["pipeline"]["by_district"][1] == {
        "district": "Oxford",
        "requested": 180,
        "provisional": 0,
        "confirmed": 0,
        "delivered": 0,
        "discussed": 0,
    }


def test_the_progress_chart_marks_every_month_and_projects_from_today(app, login_as):
    season = make_season(
        status=SeasonStatus.PUBLISHED,
        starts_on=today() - timedelta(days=120),
        request_deadline=today() - timedelta(days=130),
    )
    performance = make_performance(
        make_request(season=season), day=today() - timedelta(days=100), status=PerformanceStatus.DELIVERED
    )
    performance.attendance = [PerformanceAttendance(year_group=9, pupils=60)]
    db.session.flush()
    seen: dict = {}

    def record(_sender, template, context, **_extra):
        if template.name == "reach/dashboard_figures.html":
            seen.update({key: context.get(key) for key in ("chart", "months")})

    with template_rendered.connected_to(record, app):
        assert login_as(Role.COUNCIL).get("/reach/").status_code == 200
    months = [month for month, _, _ in seen["months"]]
    assert months[0] == f"{performance.day:%Y-%m}" and months[-1] == f"{today():%Y-%m}"
    assert len(months) >= 4  # the months with nothing delivered in them are there too
    assert [total for _, total, _ in seen["months"]] == [60] * len(months)
    chart = seen["chart"]
    assert len(chart["ticks"]) == len(months) + 6 + 1
    assert chart["projection"].split()[0] == chart["seen"].split()[-1]
    assert float(chart["projection"].split()[0].split(",")[0]) == pytest.approx(chart["today_x"], abs=0.1)


def test_the_performances_to_record_come_a_page_at_a_time_earliest_first(app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", 2)
    started = week_start(today()) - timedelta(weeks=3)
    touring = make_season(status=SeasonStatus.PUBLISHED, starts_on=started, request_deadline=started)
    past = sorted(
        (
            make_performance(
                make_request(season=touring),
                day=started + timedelta(days=n // 2),
                slot=touring.slots[n % 2],
                status=PerformanceStatus.CONFIRMED,
            )
            for n in range(5)
        ),
        key=lambda p: (p.day, p.slot.starts_at, p.cast_id, p.id),
    )
    past_ids = [p.id for p in past]
    client = login_as(Role.COMPANY)
    shown = []
    for page in ("1", "2", "3"):
        status, context, body = rendered(app, client, f"/company/?page={page}")
        assert status == 200
        table = body[body.index('id="to-record"') : body.index("</table>", body.index('id="to-record"'))]
        shown += [int(found) for found in re.findall(r'href="/company/performances/(\d+)"', table)]
    assert shown == past_ids
    assert "Record 5 performances as delivered or cancelled" in titles(context)
    assert 'href="/company/?page=2#to-record"' in body and "Showing 5 to 5 of 5 performances to record" in body
    for odd in ("0", "-1", "abc", "9" * 40):
        assert rendered(app, client, f"/company/?page={odd}")[0] == 200
