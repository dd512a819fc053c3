"""Council officers make or change a request on a school's behalf, and read the schedule without changing it."""

from portal.models import Request, Role
from portal.services.audit import history
from tests.factories import make_request, make_school, make_season
from tests.integration.pages import location_path, request_form_data, send_request_form


def test_a_council_officer_makes_a_request_for_a_school_recorded_as_on_its_behalf(session, login_as):
    season, school = make_season(), make_school()
    council = login_as(Role.COUNCIL)
    response = send_request_form(
        council, f"/council/schools/{school.id}/seasons/{season.id}/requests/new", request_form_data(season)
    )
    assert response.status_code == 302
    request_id = int(location_path(response).removesuffix("/sent").rsplit("/", 1)[1])
    request_ = session.get(Request, request_id)
    assert request_.school_id == school.id
    assert request_.made_on_behalf
    (event,) = history("request", request_id)
    assert event.actor_role == "council"


def test_a_council_change_marks_the_request_as_changed_by_the_council(session, login_as):
    request_ = make_request(year_groups={9: 60})
    council = login_as(Role.COUNCIL)
    data = request_form_data(request_.season, year_9="90")
    response = send_request_form(council, f"/council/requests/{request_.id}/edit", data)
    assert response.status_code == 302
    session.refresh(request_)
    assert request_.pupils == 90
    assert request_.made_on_behalf


def test_the_council_schedule_is_read_only(session, login_as):
    season = make_season()
    council = login_as(Role.COUNCIL)
    page = council.get(f"/council/seasons/{season.id}/schedule")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "/company/" not in body
    assert "Get a new address" not in body
