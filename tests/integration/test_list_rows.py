"""The long lists drawn in Python (portal/web/list_rows.py) escape every value as the templates did: a school, cast or
production whose name holds markup shows it as text on every list, and never as markup."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.clock import today
from portal.models import PerformanceStatus, Role
from portal.models.seasons import SeasonStatus
from portal.services import audit, invitations
from tests.factories import make_performance, make_request, make_school, make_season, make_user

MARKUP = '<b id="x">Ash & "Elm"</b>'
ESCAPED = "&lt;b id=&#34;x&#34;&gt;Ash &amp; &#34;Elm&#34;&lt;/b&gt;"


@pytest.fixture
def performance(session):
    season = make_season(status=SeasonStatus.PUBLISHED, cast_names=(MARKUP,))
    season.productions[0].title = MARKUP
    school = make_school(name=MARKUP, town=MARKUP, district=MARKUP)
    return make_performance(make_request(school, season, year_groups={9: 60}))


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.COUNCIL, "/council/schools"),
        (Role.COUNCIL, "/council/performances?season={season}"),
        (Role.COUNCIL, "/council/requests?season={season}"),
        (Role.COUNCIL, "/council/seasons/{season}/schedule?week={week}"),
        (Role.COMPANY, "/company/seasons/{season}/schedule?week={week}"),
        (Role.COMPANY, "/company/seasons/{season}/requests"),
        (Role.COUNCIL, "/reach/pipeline-schools"),
    ],
)
def test_names_with_markup_show_as_text_on_every_long_list(login_as, performance, role, path):
    client = login_as(role)
    week = performance.day.toordinal() - performance.day.weekday()
    address = path.format(season=performance.season_id, week=type(performance.day).fromordinal(week).isoformat())
    page = client.get(address)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert ESCAPED in html
    assert MARKUP not in html
    assert 'id="x"' not in html


def test_names_with_markup_show_as_text_on_the_home_pages_lists(login_as, session):
    """The company's performances to record and both home pages' performances about to lapse."""
    season = make_season(status=SeasonStatus.PUBLISHED, cast_names=(MARKUP,))
    request_ = make_request(make_school(name=MARKUP), season, year_groups={9: 60}, days=2)
    make_performance(request_, day=today() - timedelta(days=3), status=PerformanceStatus.CONFIRMED)
    make_performance(request_, day=request_.dates[1].day, confirm_by=today() + timedelta(days=1))
    # To record: school and cast; about to lapse: school.
    for role, lists, names in (
        (Role.COMPANY, ("to-record", "about-to-lapse"), 3),
        (Role.COUNCIL, ("about-to-lapse",), 1),
    ):
        html = login_as(role).get(f"/{role.value}/").get_data(as_text=True)
        assert all(f'id="{section}"' in html for section in lists)
        assert html.count(ESCAPED) == names
        assert MARKUP not in html and 'id="x"' not in html


def test_names_with_markup_show_as_text_on_the_approval_queue(login_as, session):
    """The person waiting (name and job), their school, and the colleague who invited them."""
    school = make_school(name=MARKUP)
    inviter = make_user(Role.SCHOOL, school=school, full_name=MARKUP)
    waiting = make_user(Role.SCHOOL, school=school, approved=False, full_name=MARKUP, job_title=MARKUP)
    audit.record(inviter, invitations.INVITED, "user", waiting.id, school_id=school.id)
    html = login_as(Role.COUNCIL).get("/council/approvals").get_data(as_text=True)
    assert f"Invited by {ESCAPED}" in html
    assert html.count(ESCAPED) == 4  # name, job, school, inviter
    assert MARKUP not in html and 'id="x"' not in html


def test_names_with_markup_show_as_text_on_the_administrators_list_of_accounts(login_as, session):
    make_user(Role.SCHOOL, school=make_school(name=MARKUP), full_name=MARKUP)
    html = login_as(Role.ADMIN).get("/admin/", query_string={"role": "school"}).get_data(as_text=True)
    assert html.count(ESCAPED) == 2  # name, school
    assert MARKUP not in html and 'id="x"' not in html


def test_names_with_markup_show_as_text_on_the_audit_log(login_as, session):
    actor = make_user(Role.COUNCIL, full_name=MARKUP)
    audit.record(actor, "school.priority_set", MARKUP, 7, detail=MARKUP, outcome="failed")
    html = login_as(Role.ADMIN).get("/admin/audit", query_string={"outcome": "failed"}).get_data(as_text=True)
    assert html.count(ESCAPED) == 2  # who and the detail
    assert "&lt;b id=&#34;x&#34;&gt;ash &amp; &#34;elm&#34;&lt;/b&gt; 7" in html  # the record's kind, capitalised
    assert MARKUP not in html and 'id="x"' not in html
