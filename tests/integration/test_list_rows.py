"""The long lists drawn in Python (portal/web/list_rows.py) escape every value as the templates did: a school, cast or
production whose name holds markup shows it as text on every list, and never as markup."""

from __future__ import annotations

import pytest

from portal.models import Role
from portal.models.seasons import SeasonStatus
from tests.factories import make_performance, make_request, make_school, make_season

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
