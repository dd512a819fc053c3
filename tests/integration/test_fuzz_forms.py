"""Every form every role can reach, found by crawling, survives hypothesis-made text in every field: never a 5xx.

For each role the test client walks the pages a person could reach by following links (two pages of each shape,
like tests/browser/crawling.py), reads every <form method="post"> on them with its fields and tokens, and posts it
again and again with hypothesis choosing, field by field, the value the page gave, nothing at all, several values,
or text from all of Unicode (no lone surrogates, which a browser cannot send): empty, NUL, very long, other
scripts' digits, markup. File fields get made-up bytes, some dressed as a PDF or an Office file.

The CSRF token stays valid, so each post is judged on its fields. Runs on both databases; under a minute on SQLite.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.clock import today
from portal.extensions import db
from portal.models import BlackoutDay, LessonPack, PerformanceAttendance, PerformanceStatus
from tests.factories import make_performance, make_request
from tests.integration.html_forms import PostForm, post_forms
from tests.integration.pages import assert_no_traceback

# "pending": school staff whose account the council has not approved yet.
ROLES = ("anonymous", "pending", "school", "company", "council", "admin")
START_PAGES = {
    "anonymous": ["/", "/login", "/register", "/forgot-password"],
    "pending": ["/awaiting-approval", "/account"],
    "school": ["/school/", "/account"],
    "company": ["/company/", "/account"],
    "council": ["/council/", "/account"],
    "admin": ["/admin/", "/account"],
}
# Links that are not pages, or that end the session the crawl is using.
NOT_PAGES = re.compile(r"^/(static/|healthz$|signed-out$|logout$|session/|api/)|\.(ics|csv|pdf|docx|pptx)$")
# Forms that end the crawling session; posting them is tested elsewhere.
NOT_FUZZED = re.compile(r"^/(logout|session/keep-alive)$")
PAGES_PER_SHAPE = 2
MOST_PAGES = 60
EXAMPLES_PER_FORM = 40

FUZZ = settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example],
)

# All of Unicode a browser can send (lone surrogates cannot be encoded), with NUL and the line breaks.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
tricky_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "0",
        "-1",
        "2147483648",
        "9" * 400,
        "1e309",
        "NaN",
        "٦٠",
        "６０",
        "6²",
        "27 3 2027",
        "2027-02-30",
        "13:60",
        "<script>alert(1)</script>",
        "\u202e\ufeff",
        "\r\nBcc: x@evil.example",
        "🙂" * 40,
    ]
)
long_text = st.builds(
    lambda character, length: character * length, st.characters(exclude_categories=["Cs"]), st.integers(300, 20_000)
)
# The reliability checklist's D1 mix too: numbers of any size, and bytes as Python shows them.
hostile_text = st.one_of(
    tricky_text, any_text, long_text, st.integers(-(10**30), 10**30).map(str), st.binary(max_size=40).map(repr)
)
upload = st.tuples(
    st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=400).map(lambda data: b"%PDF-1.7\n" + data),
        st.binary(max_size=400).map(lambda data: b"PK\x03\x04" + data),
    ),
    hostile_text.map(lambda name: (name or "file")[:200]),
)


def shape(path: str) -> str:
    """The route a path comes from, as far as links tell: ids and ISO dates become placeholders."""
    path = re.sub(r"(?<=[/=])[0-9]{4}-[0-9]{2}-[0-9]{2}(?=[/&]|$)", "{date}", path)
    return re.sub(r"(?<=[/=])[0-9]+(?=[/&]|$)", "{id}", path)


LINK = re.compile(r'<a\b[^>]*\bhref="([^"#]*)', re.IGNORECASE)


def crawl(client, starts: list[str]) -> dict[str, tuple[str, PostForm]]:
    """shape of the form's action -> (the page it was found on, the form), over the pages reachable from starts."""
    queue, seen, shapes = deque(starts), set(starts), Counter()
    forms: dict[str, tuple[str, PostForm]] = {}
    visited = 0
    while queue and visited < MOST_PAGES:
        path = queue.popleft()
        if shapes[shape(path)] >= PAGES_PER_SHAPE:
            continue
        response = client.get(path)
        shapes[shape(path)] += 1
        visited += 1
        assert response.status_code < 500, f"GET {path}: {response.status_code}"
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for form in post_forms(html, path):
            if not NOT_FUZZED.match(form.action):
                forms.setdefault(shape(form.action), (path, form))
        for href in LINK.findall(html):
            parts = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc in ("", "localhost") and not NOT_PAGES.search(parts.path) and link not in seen:
                seen.add(link)
                queue.append(link)
    return forms


def field_values(form: PostForm):
    """A strategy for a whole submission: each field kept as the page gave it, left out, or fuzzed."""
    defaults = form.defaults()
    fields = {}
    for name in form.names:
        if name == "csrf_token":
            continue
        kind = next(f.kind for f in form.fields if f.name == name)
        fuzzed = upload if kind == "file" else st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=4))
        kept = st.just(defaults.get(name, []))
        fields[name] = st.one_of(kept, st.just(None), fuzzed)
    return st.fixed_dictionaries(fields)


@pytest.fixture
def reachable_world(world):
    """The shared world, plus what makes more forms reachable: a delivered performance (lessons, questionnaire),
    one awaiting its delivery record, a blackout day and a lesson pack."""
    request_ = make_request(world.school_a, world.season, production=world.season.productions[1], year_groups={9: 50})
    performance = make_performance(
        request_, status=PerformanceStatus.DELIVERED, day=today() - timedelta(days=7), pupils_attended=45
    )
    performance.attendance = [PerformanceAttendance(year_group=9, pupils=45)]
    make_performance(world.request_b, status=PerformanceStatus.CONFIRMED, day=today() - timedelta(days=3))
    world.season.blackout_days.append(BlackoutDay(day=world.season.starts_on + timedelta(days=1), reason="INSET"))
    db.session.add(LessonPack(production_id=request_.production_id, year_group=9, title="Fuzzed pack"))
    db.session.flush()
    return world


def fuzz_form(client, page: str, form: PostForm, where: str) -> int:
    """Post the form EXAMPLES_PER_FORM times with hypothesis-made values; how many posts were made."""
    token = form.hidden("csrf_token") or ""
    posts = []

    @FUZZ
    @given(values=field_values(form))
    def post_hostile_values(values):
        data = {name: value for name, value in values.items() if value is not None}
        response = client.post(form.action, data={**data, "csrf_token": token})
        posts.append(response.status_code)
        assert response.status_code < 500, f"POST {form.action} (form on {page}) {where}: {response.status_code}"
        assert_no_traceback(response)

    post_hostile_values()
    # A button with nothing but the CSRF token has one possible submission; any other form gets many.
    assert len(posts) >= (EXAMPLES_PER_FORM // 2 if set(form.names) - {"csrf_token"} else 1), form.action
    return len(posts)


@pytest.mark.parametrize("role", ROLES)
def test_no_field_of_any_form_a_role_can_reach_causes_a_server_error(reachable_world, fresh_client, login_as, role):
    world = reachable_world

    def signed_in():
        if role == "anonymous":
            return fresh_client()
        return login_as(world.pending if role == "pending" else world.users[role])

    forms = crawl(signed_in(), START_PAGES[role])
    assert len(forms) >= (2 if role == "pending" else 3), f"only {sorted(forms)} found for {role}"
    posted: Counter[str] = Counter()
    for action_shape, (page, form) in sorted(forms.items()):
        client = signed_in()  # a fresh session each form: one form's effects do not hide the next one's
        # The page again in this session: its own CSRF token, and a fresh one-time token for a creating form.
        shown = post_forms(client.get(page).get_data(as_text=True), page)
        form = next((again for again in shown if again.action == form.action), form)
        posted[action_shape] = fuzz_form(client, page, form, f"as {role}")
    assert sum(posted.values()) >= len(forms), posted
