"""Lists that grow with the programme (the council's schools and approval queue, the administrator's users and
outbox) come a page at a time: every row shows exactly once across the pages, for every sort and search; odd input
in the address never fails; and a page costs the same number of queries however many rows it shows."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from portal.clock import today
from portal.config import ConfigError, load_config
from portal.extensions import db
from portal.models import ApprovalState, AuditEvent, OutboxMessage, PerformanceStatus, Role, School, User
from portal.services import account_lists, audit, lapses, outbox, outbox_lists, performances, school_lists
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.statements import counted_statements

SCHOOL_LINK = re.compile(r'href="/council/schools/(\d+)">')
APPROVAL_LINK = re.compile(r'href="/council/approvals/(\d+)">')
USER_LINK = re.compile(r'href="/admin/users/(\d+)">')
MESSAGE_LINK = re.compile(r'href="/admin/outbox/(\d+)">')
EVENT_LINK = re.compile(r'<tr class="govuk-table__row" data-event="(\d+)">')
PAGE_SIZE = 3
ODD_PAGES = ["0", "-1", "abc", "1.5", "", "99999999999999999999999999", "9" * 5000, "1e3", "٣"]
ODD_SORTS = ["made-up", "", "name;drop table users", "x" * 5000]
ODD_SEARCHES = ["x" * 10_000, "%", "_", "100%", "\\", "'", '"', "   ", "<script>", "Ω"]


@pytest.fixture(autouse=True)
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def directory(session) -> list[School]:
    """Eight schools over three districts (two share a name), so every list crosses page boundaries."""
    places = [("Banbury", "Cherwell"), ("Witney", "West Oxfordshire"), ("Bicester", "Cherwell")]
    schools = [
        make_school(
            name=name,
            urn=f"99{600 + n}",
            town=places[n % 3][0],
            district=places[n % 3][1],
            pupils_on_roll=[900, 450, None, 1200][n % 4],
            priority=1 + n % 3,
        )
        for n, name in enumerate(
            ["Ash School", "Beech 100% Academy", "Cedar School", "Damson College", "Elm School", "Fir School"]
            + ["Hazel_Academy", "Hazel_Academy"]
        )
    ]
    db.session.flush()
    return schools


def walk(client, path: str, link: re.Pattern, **query) -> list[int]:
    """The ids a list shows, page after page, following its numbered links until there is no next page."""
    ids: list[int] = []
    for page in range(1, 100):
        response = client.get(path, query_string={**query, "page": str(page)})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        ids += [int(found) for found in link.findall(body)]
        if 'rel="next"' not in body:
            return ids
        assert 'class="govuk-pagination"' in body
    raise AssertionError("the list never ended")


# The schools directory -------------------------------------------------------------------------------------------


def school_order(schools: list[School], sort: str) -> list[int]:
    keys = {
        "name": lambda s: (s.name, s.urn),
        "district": lambda s: (s.district, s.name, s.urn),
        "town": lambda s: (s.town, s.name, s.urn),
        "pupils": lambda s: (s.pupils_on_roll is None, -(s.pupils_on_roll or 0), s.name, s.urn),
        "priority": lambda s: (-s.priority, s.name, s.urn),
    }
    return [school.id for school in sorted(schools, key=keys[sort])]


@pytest.mark.parametrize("sort", list(school_lists.SORTS))
def test_every_school_shows_once_across_the_pages_in_each_sort(login_as, directory, sort):
    everyone = list(db.session.scalars(select(School)))
    shown = walk(login_as(Role.COUNCIL), "/council/schools", SCHOOL_LINK, sort=sort)
    assert shown == school_order(everyone, sort)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("cedar", ["Cedar School"]),
        ("WITNEY", ["Beech 100% Academy", "Elm School", "Hazel_Academy"]),
        ("west oxford", ["Beech 100% Academy", "Elm School", "Hazel_Academy"]),
        ("99602", ["Cedar School"]),
        (
            "9960",
            ["Ash School", "Beech 100% Academy", "Cedar School", "Damson College", "Elm School", "Fir School"]
            + ["Hazel_Academy", "Hazel_Academy"],
        ),
        ("100%", ["Beech 100% Academy"]),  # a % is a character here, not a wildcard
        ("h_z", []),  # and so is _
        ("hazel_", ["Hazel_Academy", "Hazel_Academy"]),
        ("  damson   college ", ["Damson College"]),
        ("nowhere", []),
    ],
)
def test_schools_are_found_by_name_town_district_or_urn(login_as, directory, search, expected):
    shown = walk(login_as(Role.COUNCIL), "/council/schools", SCHOOL_LINK, q=search)
    names = {school.id: school.name for school in directory}
    assert [names.get(school_id) for school_id in shown] == expected


def test_a_search_crosses_pages_and_the_links_keep_it(login_as, directory):
    client = login_as(Role.COUNCIL)
    body = client.get("/council/schools", query_string={"q": "cherwell", "sort": "town", "page": "2"})
    page = body.get_data(as_text=True)
    assert "5 schools match “cherwell”." in page
    assert "Showing 4 to 5 of 5 schools" in page
    assert 'href="/council/schools?q=cherwell&amp;sort=town&amp;page=1"' in page
    assert 'aria-current="page"' in page
    assert len(walk(client, "/council/schools", SCHOOL_LINK, q="cherwell")) == 5


def test_page_numbers_past_the_end_show_the_last_page(login_as, directory):
    client = login_as(Role.COUNCIL)
    last = client.get("/council/schools?page=3").get_data(as_text=True)
    for page in ("4", "1000", "99999999999999999999999999"):
        assert SCHOOL_LINK.findall(client.get(f"/council/schools?page={page}").get_data(as_text=True)) == (
            SCHOOL_LINK.findall(last)
        )


@pytest.mark.parametrize("path", ["/council/schools", "/council/approvals"])
@pytest.mark.parametrize(
    ("name", "value"),
    [("page", v) for v in ODD_PAGES] + [("sort", v) for v in ODD_SORTS] + [("q", v) for v in ODD_SEARCHES],
)
def test_odd_input_in_the_address_never_fails(login_as, directory, path, name, value):
    response = login_as(Role.COUNCIL).get(path, query_string={name: value})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    if name in ("page", "sort") and path == "/council/schools":
        # The first page in the default order; for a huge number, the last page (8 schools: 3, 3 and 2).
        huge = value.isascii() and value.isdigit() and len(value) > 3
        assert len(SCHOOL_LINK.findall(body)) == (2 if huge else PAGE_SIZE)
    if name == "q":
        assert "x" * 101 not in body  # a long search is cut to 100 characters


# The approval queue ----------------------------------------------------------------------------------------------


@pytest.fixture
def queue(session, directory) -> list[User]:
    """Seven accounts waiting (one invited, with an e-mail address to confirm), and some that are not."""
    waiting = [
        make_user(Role.SCHOOL, school=directory[n % 4], approved=False, full_name=f"{name} Waiting")
        for n, name in enumerate(["Gale", "Adams", "Evans", "Baker", "Fox", "Cole", "Dunn"])
    ]
    make_user(Role.SCHOOL, school=directory[0], full_name="Already Approved")
    make_user(Role.SCHOOL, school=directory[0], approved=False, active=False, full_name="Deactivated Waiting")
    db.session.flush()
    assert all(user.approval_state == ApprovalState.PENDING for user in waiting)
    return waiting


@pytest.mark.parametrize("sort", list(account_lists.APPROVAL_SORTS))
def test_every_waiting_account_shows_once_in_each_sort(login_as, queue, sort):
    shown = walk(login_as(Role.COUNCIL), "/council/approvals", APPROVAL_LINK, sort=sort)
    assert sorted(shown) == sorted(user.id for user in queue)
    keys = {
        "oldest": lambda u: (u.created_at, u.id),
        "newest": lambda u: (-u.created_at.timestamp(), u.created_at, u.id),
        "school": lambda u: (u.school.name, u.created_at, u.id),
        "name": lambda u: (u.full_name, u.created_at, u.id),
    }
    assert shown == [user.id for user in sorted(queue, key=keys[sort])]


def test_the_queue_is_searched_by_name_email_school_or_urn(login_as, queue, directory):
    client = login_as(Role.COUNCIL)
    assert walk(client, "/council/approvals", APPROVAL_LINK, q="evans") == [queue[2].id]
    assert walk(client, "/council/approvals", APPROVAL_LINK, q=queue[3].email.upper()) == [queue[3].id]
    at_cedar = [user.id for user in queue if user.school_id == directory[2].id]
    assert sorted(walk(client, "/council/approvals", APPROVAL_LINK, q="cedar school")) == sorted(at_cedar)
    assert sorted(walk(client, "/council/approvals", APPROVAL_LINK, q=directory[2].urn)) == sorted(at_cedar)
    page = client.get("/council/approvals?q=nobody").get_data(as_text=True)
    assert "0 accounts match “nobody”." in page


def test_an_empty_queue_says_so(login_as, session):
    page = login_as(Role.COUNCIL).get("/council/approvals").get_data(as_text=True)
    assert "No accounts are waiting for approval." in page


# The administrator's users ---------------------------------------------------------------------------------------


@pytest.fixture
def accounts(session, directory) -> list[User]:
    made = [make_user(Role.SCHOOL, school=directory[n % 5]) for n in range(5)]
    made += [make_user(Role.COMPANY), make_user(Role.COUNCIL, full_name="Zoe Officer"), make_user(Role.COUNCIL)]
    db.session.flush()
    return made


@pytest.mark.parametrize("sort", list(account_lists.USER_SORTS))
def test_every_account_shows_once_across_the_pages_in_each_sort(login_as, accounts, sort):
    client = login_as(Role.ADMIN)
    everyone = {user.id for user in db.session.scalars(select(User))}
    shown = walk(client, "/admin/", USER_LINK, sort=sort)
    assert len(shown) == len(set(shown)) and set(shown) == everyone
    if sort == "email":
        users = {user.id: user for user in db.session.scalars(select(User))}
        assert [users[i].email for i in shown] == sorted(users[i].email for i in shown)


def test_users_are_found_by_email_name_or_school_and_filtered_by_role(login_as, accounts, directory):
    client = login_as(Role.ADMIN)
    assert walk(client, "/admin/", USER_LINK, q="zoe officer") == [accounts[6].id]
    assert walk(client, "/admin/", USER_LINK, q=accounts[5].email) == [accounts[5].id]
    at_ash = [user.id for user in accounts if user.school_id == directory[0].id]
    assert walk(client, "/admin/", USER_LINK, q="ash school") == at_ash
    councils = walk(client, "/admin/", USER_LINK, role="council")
    assert sorted(councils) == sorted([accounts[6].id, accounts[7].id])
    assert walk(client, "/admin/", USER_LINK, role="council", q="zoe") == [accounts[6].id]
    page = client.get("/admin/", query_string={"role": "council", "page": "1"}).get_data(as_text=True)
    assert "2 accounts: council officer." in page
    assert len(walk(client, "/admin/", USER_LINK, role="no-such-role")) == len(list(db.session.scalars(select(User))))


@pytest.mark.parametrize(
    ("name", "value"),
    [("page", v) for v in ODD_PAGES]
    + [("sort", v) for v in ODD_SORTS]
    + [("q", v) for v in ODD_SEARCHES]
    + [("role", "x" * 500)],
)
def test_odd_input_on_the_users_list_never_fails(login_as, accounts, name, value):
    assert login_as(Role.ADMIN).get("/admin/", query_string={name: value}).status_code == 200


# The outbox ------------------------------------------------------------------------------------------------------


@pytest.fixture
def messages(session) -> list[OutboxMessage]:
    made = [
        outbox.add_message(to=f"person{n}@example.org", subject=f"Message {n}", text="Words.", html="<p>Words.</p>")
        for n in range(8)
    ]
    db.session.flush()
    made[0].sent_at = made[0].created_at
    made[1].attempts = 2
    db.session.flush()
    return made


@pytest.mark.parametrize("sort", list(outbox_lists.SORTS))
def test_every_message_shows_once_across_the_pages(login_as, messages, sort):
    client = login_as(Role.ADMIN)
    everyone = {message.id for message in db.session.scalars(select(OutboxMessage))}
    shown = walk(client, "/admin/outbox", MESSAGE_LINK, sort=sort)
    assert len(shown) == len(set(shown)) and set(shown) == everyone


def test_the_outbox_is_searched_and_shown_by_state(login_as, messages):
    client = login_as(Role.ADMIN)
    assert walk(client, "/admin/outbox", MESSAGE_LINK, q="person3@") == [messages[3].id]
    assert walk(client, "/admin/outbox", MESSAGE_LINK, state="sent") == [messages[0].id]
    assert walk(client, "/admin/outbox", MESSAGE_LINK, state="retrying") == [messages[1].id]
    assert messages[0].id not in walk(client, "/admin/outbox", MESSAGE_LINK, state="waiting")
    assert walk(client, "/admin/outbox", MESSAGE_LINK, sort="attempts")[0] == messages[1].id
    assert client.get("/admin/outbox", query_string={"state": "x" * 500, "page": "-4"}).status_code == 200


# The audit log ---------------------------------------------------------------------------------------------------


@pytest.fixture
def events(session) -> list[AuditEvent]:
    """Seven events by two people (one later removed: only the role is left) and one failed sign-in by nobody."""
    alice = make_user(Role.COUNCIL, full_name="Alice Auditor", email="alice.auditor@example.org")
    bob = make_user(Role.COMPANY, full_name="Bob Builder")
    made = [audit.record(alice, "season.created", "season", n) for n in range(4)]
    made += [audit.record(bob, "allocation.started", "season", n) for n in range(3)]
    made.append(audit.record(None, "signin.failed", "user", None, outcome="failed", detail="typo@example.org"))
    db.session.flush()
    return made


def test_every_event_shows_once_newest_first(login_as, events):
    client = login_as(Role.ADMIN)
    everyone = [event.id for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()))]
    assert walk(client, "/admin/audit", EVENT_LINK) == everyone
    assert walk(client, "/admin/audit", EVENT_LINK, sort="oldest") == everyone[::-1]


def test_events_are_found_by_action_person_or_detail_and_shown_by_outcome(login_as, events):
    client = login_as(Role.ADMIN)
    ids = lambda chosen: sorted(event.id for event in chosen)  # noqa: E731
    assert sorted(walk(client, "/admin/audit", EVENT_LINK, q="season.")) == ids(events[:4])
    assert sorted(walk(client, "/admin/audit", EVENT_LINK, q="alice.auditor@")) == ids(events[:4])
    assert walk(client, "/admin/audit", EVENT_LINK, q="typo@") == [events[7].id]
    assert walk(client, "/admin/audit", EVENT_LINK, outcome="failed") == [events[7].id]
    assert walk(client, "/admin/audit", EVENT_LINK, q="created", outcome="ok") == []  # actions match from the start
    page = client.get("/admin/audit", query_string={"q": "alice"}).get_data(as_text=True)
    assert "Alice Auditor" in page and "4 events match “alice”." in page


@pytest.mark.parametrize(
    ("name", "value"),
    [("page", v) for v in ODD_PAGES]
    + [("sort", v) for v in ODD_SORTS]
    + [("q", v) for v in ODD_SEARCHES]
    + [("outcome", "x" * 500)],
)
def test_odd_input_on_the_audit_log_never_fails(login_as, events, name, value):
    assert login_as(Role.ADMIN).get("/admin/audit", query_string={name: value}).status_code == 200


# Queries: a page costs the same however many rows it shows -------------------------------------------------------


def statements_for(client, path: str, **query) -> int:
    client.get(path, query_string=query)  # anything cached on a first visit is cached now
    with counted_statements() as statements:
        assert client.get(path, query_string=query).status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    ("role", "path", "link"),
    [
        (Role.COUNCIL, "/council/schools", SCHOOL_LINK),
        (Role.COUNCIL, "/council/approvals", APPROVAL_LINK),
        (Role.ADMIN, "/admin/", USER_LINK),
        (Role.ADMIN, "/admin/outbox", MESSAGE_LINK),
        (Role.ADMIN, "/admin/audit", EVENT_LINK),
    ],
)
def test_a_full_page_costs_no_more_queries_than_a_page_of_one(
    login_as, queue, messages, events, monkeypatch, role, path, link
):
    client = login_as(role)
    monkeypatch.setitem(client.application.config, "LIST_PAGE_SIZE", 1)
    one_row = statements_for(client, path)
    monkeypatch.setitem(client.application.config, "LIST_PAGE_SIZE", 50)
    full = statements_for(client, path)
    assert len(link.findall(client.get(path).get_data(as_text=True))) >= 7
    # Whatever a page looks up besides its rows (the users list: which of them are invited) it does once a page.
    assert full <= one_row + 1


@pytest.mark.parametrize("path", ["/council/schools", "/council/approvals"])
@pytest.mark.parametrize("name", ["page", "sort", "q"])
def test_a_nul_in_the_address_is_a_clear_400_not_a_server_error(login_as, session, path, name):
    response = login_as(Role.COUNCIL).get(path, query_string={name: "\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["0", "501", "ten", "", "٥"])
def test_a_page_size_that_cannot_be_used_stops_the_portal_starting(value):
    with pytest.raises(ConfigError, match="LIST_PAGE_SIZE"):
        load_config({"PORTAL_ENV": "test", "SECRET_KEY": "k" * 48, "LIST_PAGE_SIZE": value})


def test_the_page_size_is_a_setting():
    assert load_config({"PORTAL_ENV": "test", "SECRET_KEY": "k" * 48})["LIST_PAGE_SIZE"] == 50
    assert load_config({"PORTAL_ENV": "test", "SECRET_KEY": "k" * 48, "LIST_PAGE_SIZE": "20"})["LIST_PAGE_SIZE"] == 20


# Lists that stay short but show related rows: one query for them all ---------------------------------------------


def test_the_schools_performances_and_the_councils_lapsing_list_load_their_slots_and_schools_at_once(login_as, session):
    season = make_season(slot_times=(("AM", time(9, 15)), ("PM", time(13, 30)), ("MID", time(11, 0))))
    school = make_school()
    request_ = make_request(school, season, days=4, year_groups={9: 240})
    confirm_by = today() + timedelta(days=2)
    for n in range(8):
        make_performance(
            request_, day=request_.dates[n // 3].day, slot=season.slots[n % 3], confirm_by=confirm_by, pupils_planned=30
        )
    school_id, school_name = school.id, school.name
    db.session.expire_all()
    with counted_statements() as statements:
        found = performances.school_performances(school_id)
        assert [p.slot.label for p in found][:3] == ["9:15am", "11:00am", "1:30pm"]
    assert len(statements) == 1
    db.session.expire_all()
    with counted_statements() as statements:
        lapsing = lapses.performances_about_to_lapse(today())
        assert len(lapsing) == 8 and {p.school_name for p in lapsing} == {school_name}
        assert [p.slot_label for p in lapsing][:3] == ["9:15am", "11:00am", "1:30pm"]
    assert len(statements) == 1
    assert login_as(make_user(Role.SCHOOL, school=school)).get("/school/performances").status_code == 200


def test_a_schools_requests_cost_the_same_queries_however_many_seasons_it_has_asked_in(login_as, session):
    staff = make_user(Role.SCHOOL)
    make_request(staff.school, make_season(), year_groups={9: 60})
    client = login_as(staff)
    one_request = {path: statements_for(client, path) for path in ("/school/", "/school/requests")}
    for _ in range(4):
        make_request(staff.school, make_season(), year_groups={8: 30, 9: 60})
    for path, statements in one_request.items():
        page = client.get(path).get_data(as_text=True)
        assert page.count("/school/requests/") >= 5
        assert statements_for(client, path) == statements, path


def test_a_schools_lesson_packs_cost_the_same_queries_however_many_performances_it_has_seen(login_as, session):
    staff = make_user(Role.SCHOOL)
    first = make_request(staff.school, make_season(), year_groups={9: 60})
    make_performance(first, status=PerformanceStatus.CONFIRMED)
    client = login_as(staff)
    one_performance = statements_for(client, "/school/packs")
    for _ in range(4):
        request_ = make_request(staff.school, make_season(), year_groups={9: 60})
        make_performance(request_, status=PerformanceStatus.DELIVERED)
    assert statements_for(client, "/school/packs") == one_performance


def test_a_seasons_page_counts_its_casts_days_without_loading_them(login_as, session):
    """A national season has a hundred casts and 20,000 cast days: the page counts them in one query, the same
    however many casts the season has, and shows each cast's own count."""
    few = make_season(cast_names=("Cast A",))
    many = make_season(cast_names=tuple(f"Cast {n}" for n in range(6)))
    many.casts[0].dates = many.casts[0].dates[:3]
    db.session.flush()
    client = login_as(Role.COMPANY)
    assert statements_for(client, f"/company/seasons/{many.id}") == statements_for(client, f"/company/seasons/{few.id}")
    page = client.get(f"/company/seasons/{many.id}").get_data(as_text=True)
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    shown = re.findall(rf">(Cast \d)</a></td>\s*{cell}(\d+)</td>", page)
    assert dict(shown) == {cast.name: str(len(cast.dates)) for cast in many.casts}
    assert shown[0] == ("Cast 0", "3") and int(shown[1][1]) > 3
