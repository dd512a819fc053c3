"""Who may open what: one table for every route of the portal, per role.

GET_POLICY answers "what does a GET of this endpoint give each role?", POST_POLICY "what does a POST with a valid
CSRF token and an empty form give?". The access tests walk app.url_map and fail on any endpoint missing here, so a
new route cannot ship without a decision about who sees it. Sample URL arguments are the signed-in school user's
own objects (see tests/integration/conftest.py: World).

Roles: anonymous (signed out), pending (school staff not yet approved by the council), school, company, council,
admin, trainer (runs the council's CSE training sessions), learner (books that training).
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("anonymous", "pending", "school", "company", "council", "admin", "trainer", "learner")
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Redirect:
    """A 302 to a path starting with `to`."""

    to: str

    def __str__(self) -> str:
        return f"302 -> {self.to}"


TO_LOGIN = Redirect("/login")
BAD_LINK = 400  # an e-mailed link that is unknown, used or expired (or none at all)
TO_AWAITING = Redirect("/awaiting-approval")
HOME = {
    "pending": TO_AWAITING,
    "school": Redirect("/school/"),
    "company": Redirect("/company/"),
    "council": Redirect("/council/"),
    "admin": Redirect("/admin/"),
    "trainer": Redirect("/training/"),
    "learner": Redirect("/learning/"),
}
OK, UNAUTHORISED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 401, 403, 404, 405


def everyone(expected) -> dict:
    return dict.fromkeys(ROLES, expected)


def signed_in(expected) -> dict:
    """A page for any signed-in person; the signed-out are sent to sign in."""
    return {"anonymous": TO_LOGIN, **dict.fromkeys(SIGNED_IN, expected)}


def roles(*allowed: str, expected=OK) -> dict:
    """A page several roles share (deny by default for the rest)."""
    return {"anonymous": TO_LOGIN, **dict.fromkeys(SIGNED_IN, FORBIDDEN), **dict.fromkeys(allowed, expected)}


def only(role: str, expected=OK) -> dict:
    """A page of one role's blueprint: deny by default, unapproved school staff wait for approval."""
    table = {"anonymous": TO_LOGIN, **dict.fromkeys(SIGNED_IN, FORBIDDEN), role: expected}
    if role == "school":
        table["pending"] = TO_AWAITING
    return table


def api(*roles: str) -> dict:
    """A JSON API endpoint: 401 signed out (never a redirect), 403 for other roles, 200 for these."""
    return {"anonymous": UNAUTHORISED, **dict.fromkeys(SIGNED_IN, FORBIDDEN), **dict.fromkeys(roles, OK)}


SECOND_FACTOR_PAGES = {"anonymous": TO_LOGIN, **dict.fromkeys(SIGNED_IN, NOT_FOUND), "admin": HOME["admin"]}
# The API token pages: company, council and admin; school staff have no API, so for them the pages do not exist.
API_TOKEN_PAGES = {
    "anonymous": TO_LOGIN,
    **dict.fromkeys(("pending", "school", "trainer", "learner"), NOT_FOUND),
}


GET_POLICY: dict[str, dict] = {
    # public
    "public.start": everyone(OK),
    "public.accessibility": everyone(OK),
    "public.privacy": everyone(OK),
    "public.healthz": everyone(OK),
    # auth
    "auth.login": everyone(OK),
    "auth.logout": everyone(NOT_ALLOWED),
    # Where the idle timeout lands after its POST to /logout: a GET ends nothing, the signed-in just go home.
    "auth.timed_out": {"anonymous": TO_LOGIN, **HOME, "pending": Redirect("/school/")},
    "auth.keep_alive": everyone(NOT_ALLOWED),
    "auth.register": everyone(OK),
    "auth.registration_sent": everyone(OK),
    "auth.awaiting_approval": {"anonymous": TO_LOGIN, **HOME, "pending": OK},
    "auth.account": signed_in(OK),
    "auth.change_password": signed_in(OK),
    "auth.confirm_password": signed_in(OK),
    # The authenticator app pages: only roles that need a second factor; the admin here has passed it already.
    "auth.second_factor_check": SECOND_FACTOR_PAGES,
    "auth.second_factor_set_up": SECOND_FACTOR_PAGES,
    "auth.second_factor_qr": {**SECOND_FACTOR_PAGES, "admin": NOT_FOUND},
    "auth.second_factor_send_link": everyone(NOT_ALLOWED),
    # an e-mailed set-up link: public, its token moves to the session (the set-up page then asks to sign in)
    "auth.second_factor_link": everyone(Redirect("/second-factor/set-up")),
    # password reset and e-mail confirmation: public; a link's token moves to the session, a page without one is a 400
    "auth.forgot_password": everyone(OK),
    "auth.reset_sent": everyone(OK),
    "auth.reset_password_link": everyone(Redirect("/reset-password")),
    "auth.reset_password": everyone(BAD_LINK),
    "auth.verify_email_link": everyone(Redirect("/verify-email")),
    "auth.verify_email": everyone(BAD_LINK),
    "auth.resend_verification": everyone(NOT_ALLOWED),
    # an invitation: public like a reset link; its token moves to the session, the page without one is a 400
    "auth.invitation_link": everyone(Redirect("/invitation")),
    "auth.invitation": everyone(BAD_LINK),
    "auth.api_tokens": {**API_TOKEN_PAGES, "company": OK, "council": OK, "admin": OK},
    "auth.api_tokens_revoke": everyone(NOT_ALLOWED),
    # school
    "school.home": only("school"),
    "school.requests_list": only("school"),
    "school.request_new": only("school"),
    "school.request_detail": only("school"),
    "school.request_edit": only("school"),
    "school.request_withdraw": only("school"),
    # the request form's later steps: without answers kept from the form, back to the form
    "school.request_new_preferred": only("school", Redirect("/school/seasons/")),
    "school.request_new_check": only("school", Redirect("/school/seasons/")),
    "school.request_sent": only("school"),
    "school.request_edit_preferred": only("school", Redirect("/school/requests/")),
    "school.request_edit_check": only("school", Redirect("/school/requests/")),
    "school.profile": only("school"),
    "school.colleague_invite": only("school"),
    "school.performances_list": only("school"),
    "school.performance_detail": only("school"),
    "school.performance_confirm": everyone(NOT_ALLOWED),
    "school.performance_decline": only("school"),
    "school.offer_take": only("school", NOT_FOUND),  # no cast, day or slot given
    "school.packs_list": only("school"),
    "school.pack_file": only("school", NOT_FOUND),  # sample file id names no file
    "school.lesson_new": only("school", NOT_FOUND),  # the sample performance is not delivered yet
    "school.evaluation": only("school", NOT_FOUND),
    # previews: seats for named colleagues
    "school.previews_list": only("school"),
    "school.preview_detail": only("school"),
    "school.staff_seat_edit": only("school"),
    "school.staff_seat_cancel": everyone(NOT_ALLOWED),
    "school.parent_link": only("school"),
    "school.preview_ics": only("school"),
    # parents book preview seats through their school's link (the sample token is no school's link), no account
    "public.parent_previews": everyone(NOT_FOUND),
    "public.parent_booking_sent": everyone(OK),
    "public.parent_booking": everyone(NOT_FOUND),
    "public.parent_booking_confirm": everyone(NOT_ALLOWED),
    "public.parent_booking_cancel": everyone(NOT_ALLOWED),
    "public.parent_booking_ics": everyone(NOT_FOUND),
    # company
    "company.home": only("company"),
    "company.production_new": only("company"),
    "company.season_new": only("company"),
    "company.season_edit": only("company"),
    "company.season_detail": only("company"),
    "company.season_requests": only("company"),
    "company.request_detail": only("company"),
    # Are-you-sure pages: the sample season is open already and the sample run unfinished, so both go back.
    "company.season_open": only("company", Redirect("/company/seasons/")),
    "company.slot_add": everyone(NOT_ALLOWED),
    "company.slot_remove": everyone(NOT_ALLOWED),
    "company.cast_form": only("company"),
    "company.blackout_add": everyone(NOT_ALLOWED),
    "company.blackout_remove": everyone(NOT_ALLOWED),
    "company.allocation": only("company"),
    "company.run_start": everyone(NOT_ALLOWED),
    "company.run_detail": only("company"),
    "company.run_status": only("company"),
    "company.run_discard": everyone(NOT_ALLOWED),
    "company.run_stop": everyone(NOT_ALLOWED),
    "company.run_publish": only("company", Redirect("/company/seasons/")),
    "company.schedule": only("company"),
    "company.cast_feeds": only("company"),
    "company.day_sheet": only("company"),
    "company.cancel_day": only("company"),
    "company.performance_detail": only("company"),
    "company.performance_move": everyone(NOT_ALLOWED),
    "company.performance_cancel": only("company"),
    # a delivered performance's record: the sample performance is provisional, so back to its page
    "company.delivery_correct": only("company", Redirect("/company/performances/")),
    "company.performance_deliver": everyone(NOT_ALLOWED),
    # preview performances for adults, and the on-the-day list
    "company.previews_list": only("company"),
    "company.preview_new": only("company"),
    "company.preview_detail": only("company"),
    "company.preview_edit": only("company"),
    "company.preview_cancel": only("company"),
    "company.preview_attendance": everyone(NOT_ALLOWED),
    "company.preview_figures": only("company"),
    "company.preview_figures_csv": only("company"),
    "council.preview_figures": only("council"),
    "council.preview_figures_csv": only("council"),
    # calendars: a performance for its school, the company and the council; feeds by capability URL
    "calendars.performance_ics": {
        "anonymous": TO_LOGIN,
        "pending": NOT_FOUND,
        "school": OK,
        "company": OK,
        "council": OK,
        **dict.fromkeys(("admin", "trainer", "learner"), NOT_FOUND),
    },
    "calendars.feed": everyone(OK),
    "calendars.reissue": everyone(NOT_ALLOWED),
    # council
    "council.home": only("council"),
    "council.approvals": only("council"),
    "council.approval_decide": only("council"),
    "council.schools_list": only("council"),
    "council.requests_list": only("council"),
    "council.performances_list": only("council"),
    "council.school_detail": only("council"),
    "council.request_detail": only("council"),
    "council.request_new": only("council"),
    "council.request_edit": only("council"),
    "council.request_new_preferred": only("council", Redirect("/council/schools/")),
    "council.request_new_check": only("council", Redirect("/council/schools/")),
    "council.request_sent": only("council"),
    "council.request_edit_preferred": only("council", Redirect("/council/requests/")),
    "council.request_edit_check": only("council", Redirect("/council/requests/")),
    "council.seasons_list": only("council"),
    "council.schedule": only("council"),
    "council.performance_detail": only("council"),
    "council.performance_confirm": everyone(NOT_ALLOWED),
    "council.performance_decline": only("council"),
    # reach: the council's dashboard, which admins may read
    "reach.dashboard": roles("council", "admin"),
    "reach.target": everyone(NOT_ALLOWED),
    "reach.export": roles("council", "admin"),
    "reach.schools": roles("council", "admin"),
    "reach.pipeline_schools": roles("council", "admin"),
    "reach.not_reached": roles("council", "admin"),
    "reach.districts": roles("council", "admin"),
    "reach.pipeline_districts": roles("council", "admin"),
    "reach.evaluation_districts": roles("council", "admin"),
    "reach.training": roles("council", "admin"),
    "reach.training_target": everyone(NOT_ALLOWED),
    # lesson packs, kept by the company and the council
    "packs.packs_list": roles("company", "council"),
    "packs.pack_new": roles("company", "council"),
    "packs.pack_detail": roles("company", "council", expected=NOT_FOUND),  # sample pack id names no pack
    "packs.file_download": roles("company", "council", expected=NOT_FOUND),
    # CSE training: council officers set it up, trainers see their own sessions; learners and school staff book
    "training.home": roles("council", "trainer"),
    "training.course_new": roles("council"),
    "training.course_detail": roles("council"),
    "training.session_new": roles("council"),
    "training.session_detail": roles("council", "trainer"),  # the sample session is the trainer's own
    "training.session_edit": roles("council"),
    "training.session_cancel": roles("council"),
    "training.session_register": roles("council", "trainer"),  # the sample session is the trainer's own
    "training.session_attendance": roles("council", "trainer"),
    "training.learners_pending": roles("council"),
    "training.trainers": roles("council"),
    "training.course_edit": roles("council"),
    "training.kept_list_page": roles("council"),
    "training.kept_list_change": everyone(NOT_ALLOWED),
    "training.learner_decide": roles("council", expected=NOT_FOUND),  # the sample user is no learner
    "training.domains": roles("council"),
    "training.elearning_import_page": roles("council"),
    "training.domain_remove": everyone(NOT_ALLOWED),
    # school staff give their details once before they book (the sample school users have not yet)
    "learning.home": {**roles("learner"), **dict.fromkeys(("school", "pending"), Redirect("/learning/join"))},
    "learning.join": {**roles("school", "pending"), "learner": Redirect("/learning/")},
    "learning.session_book": everyone(NOT_ALLOWED),
    "learning.booking_detail": {**roles("learner"), **dict.fromkeys(("school", "pending"), NOT_FOUND)},
    "learning.booking_ics": {**roles("learner"), **dict.fromkeys(("school", "pending"), NOT_FOUND)},
    "learning.booking_cancel": everyone(NOT_ALLOWED),
    "learning.offer_accept": everyone(NOT_ALLOWED),
    # the sample learner's booking is not attended yet: no certificate
    "learning.certificate": {**roles("learner", expected=NOT_FOUND), **dict.fromkeys(("school", "pending"), NOT_FOUND)},
    "certificates.verify": everyone(NOT_FOUND),  # no such certificate code
    "learning_register.register": everyone(OK),
    "learning_register.sent": everyone(OK),
    # JSON API: the description is public, the data needs a session or a token
    "api.openapi": everyone(OK),
    "api.reach": api("council", "admin"),
    "api.training_reach": api("council", "admin"),
    "api.performances": api("company", "council", "admin"),
    # admin
    "admin.home": only("admin"),
    "admin.user_detail": only("admin"),
    "admin.user_active": everyone(NOT_ALLOWED),
    "admin.user_second_factor_reset": everyone(NOT_ALLOWED),
    "admin.user_invite": only("admin"),
    "admin.user_invite_resend": everyone(NOT_ALLOWED),
    "admin.directory_import": only("admin"),
    "admin.settings_page": only("admin"),
    "council.season_cost": everyone(NOT_ALLOWED),
    "admin.outbox_list": only("admin"),
    "admin.audit_log": only("admin"),
    "admin.outbox_message": only("admin"),
}

POST_POLICY: dict[str, dict] = {
    "auth.login": everyone(OK),  # the form again, with errors
    "auth.logout": everyone(TO_LOGIN),
    "auth.keep_alive": signed_in(OK),
    "auth.register": everyone(OK),
    "auth.account": signed_in(OK),  # the reminder preference form again, with its error
    "auth.change_password": signed_in(OK),  # the form again, with its errors
    "auth.confirm_password": signed_in(OK),
    "auth.second_factor_check": SECOND_FACTOR_PAGES,
    "auth.second_factor_set_up": SECOND_FACTOR_PAGES,
    "auth.second_factor_send_link": SECOND_FACTOR_PAGES,
    "auth.forgot_password": everyone(OK),
    "auth.reset_password": everyone(BAD_LINK),
    "auth.verify_email": everyone(BAD_LINK),
    "auth.invitation": everyone(BAD_LINK),
    "auth.resend_verification": signed_in(Redirect("/account")),
    "auth.api_tokens": {**API_TOKEN_PAGES, "company": OK, "council": OK, "admin": OK},  # the form again, with errors
    "auth.api_tokens_revoke": {**API_TOKEN_PAGES, "company": NOT_FOUND, "council": NOT_FOUND, "admin": NOT_FOUND},
    "school.request_new": only("school"),
    "school.request_edit": only("school"),
    "school.request_withdraw": only("school", Redirect("/school/requests/")),
    "school.request_new_preferred": only("school", Redirect("/school/seasons/")),
    "school.request_new_check": only("school", Redirect("/school/seasons/")),
    "school.request_edit_preferred": only("school", Redirect("/school/requests/")),
    "school.request_edit_check": only("school", Redirect("/school/requests/")),
    "school.profile": only("school"),
    "school.colleague_invite": only("school"),  # the form again, with errors
    "school.performance_confirm": only("school", Redirect("/school/performances/")),
    "school.performance_decline": only("school", Redirect("/school/performances/")),
    "school.offer_take": only("school", NOT_FOUND),  # no cast, day or slot given
    "council.performance_confirm": only("council", Redirect("/council/performances/")),
    "council.performance_decline": only("council", Redirect("/council/performances/")),  # the reason is optional
    "company.production_new": only("company"),
    "company.season_new": only("company"),
    "company.season_edit": only("company"),
    "company.season_open": only("company", Redirect("/company/seasons/")),
    "company.slot_add": only("company", 400),  # the form again, with errors
    "company.slot_remove": only("company", Redirect("/company/seasons/")),
    "company.cast_form": only("company"),
    "company.blackout_add": only("company", 400),
    "company.blackout_remove": only("company", Redirect("/company/seasons/")),
    "company.run_start": only("company", Redirect("/company/seasons/")),  # refused: a run is already queued
    "company.run_discard": only("company", Redirect("/company/seasons/")),
    "company.run_stop": only("company", Redirect("/company/seasons/")),  # refused: the run is not running
    "company.run_publish": only("company", Redirect("/company/seasons/")),
    "company.cancel_day": only("company", 400),  # the are-you-sure page again, asking for the reason
    "company.performance_move": only("company", 400),
    "company.performance_cancel": only("company", 400),
    "company.delivery_correct": only("company", Redirect("/company/performances/")),
    "company.performance_deliver": only("company", 400),
    "company.preview_new": only("company"),  # the form again, with errors
    "company.preview_edit": only("company"),
    "company.preview_cancel": only("company"),  # the are-you-sure page again, asking for the reason
    "company.preview_attendance": only("company", Redirect("/company/previews/")),  # nothing marked
    "calendars.reissue": {
        "anonymous": TO_LOGIN,
        "pending": NOT_FOUND,
        "school": Redirect("/"),
        **dict.fromkeys(("company", "council", "admin", "trainer", "learner"), NOT_FOUND),
    },
    "council.approval_decide": only("council"),
    "council.school_detail": only("council"),
    "council.request_new": only("council"),
    "council.request_edit": only("council"),
    "council.request_new_preferred": only("council", Redirect("/council/schools/")),
    "council.request_new_check": only("council", Redirect("/council/schools/")),
    "council.request_edit_preferred": only("council", Redirect("/council/requests/")),
    "council.request_edit_check": only("council", Redirect("/council/requests/")),
    "reach.target": {**roles("council", expected=Redirect("/reach/")), "admin": FORBIDDEN},
    "reach.training_target": {**roles("council", expected=Redirect("/reach/training")), "admin": FORBIDDEN},
    "training.course_new": roles("council"),  # the form again, with errors
    "training.session_new": roles("council"),
    "training.session_edit": roles("council"),
    "training.session_cancel": roles("council"),  # the are-you-sure page again, asking for the reason
    # the sample session is weeks away: attendance is refused until its day, back to the page that says so
    "training.session_attendance": roles("council", "trainer", expected=Redirect("/training/sessions/")),
    "training.learner_decide": roles("council", expected=NOT_FOUND),
    "training.domains": roles("council"),  # the form again, with its error
    "training.trainers": roles("council"),  # the form again, with its errors
    "training.course_edit": roles("council"),  # the form again, with its errors
    "training.kept_list_page": roles("council"),  # the form again, with its error
    "training.kept_list_change": roles("council", expected=NOT_FOUND),  # no such entry
    "training.elearning_import_page": roles("council"),  # the form again: no file chosen
    "training.domain_remove": roles("council", expected=NOT_FOUND),  # no such domain
    "learning.join": {**roles("school", "pending"), "learner": Redirect("/learning/")},
    # the sample learner is booked on the sample session already: refused, back to their page
    "learning.session_book": {
        **roles("learner", expected=Redirect("/learning/")),
        "school": NOT_FOUND,
        "pending": NOT_FOUND,
    },
    "learning.booking_cancel": {
        **roles("learner", expected=Redirect("/learning/bookings/")),
        **dict.fromkeys(("school", "pending"), NOT_FOUND),
    },
    "learning.offer_accept": {
        **roles("learner", expected=Redirect("/learning/bookings/")),
        **dict.fromkeys(("school", "pending"), NOT_FOUND),
    },
    "learning_register.register": everyone(OK),  # the form again, with errors
    "packs.pack_new": roles("company", "council"),
    "packs.pack_detail": roles("company", "council", expected=NOT_FOUND),
    "school.lesson_new": only("school", NOT_FOUND),
    "school.evaluation": only("school", NOT_FOUND),
    "school.preview_detail": only("school"),  # the form again, with errors
    "school.staff_seat_edit": only("school"),
    "school.staff_seat_cancel": only("school", Redirect("/school/previews/")),
    "school.parent_link": only("school"),  # the page with the school's new link
    "public.parent_previews": everyone(NOT_FOUND),
    "public.parent_booking_confirm": everyone(NOT_FOUND),
    "public.parent_booking_cancel": everyone(NOT_FOUND),
    "admin.user_detail": only("admin"),
    "admin.user_active": only("admin", Redirect("/admin/users/")),
    "admin.user_second_factor_reset": only("admin", NOT_FOUND),  # the sample user has no app set up
    "admin.user_invite": only("admin"),  # the form again, with errors
    "admin.user_invite_resend": only("admin", NOT_FOUND),  # the sample user was not invited
    "admin.directory_import": only("admin"),
    "admin.settings_page": only("admin"),
    "council.season_cost": only("council", Redirect("/council/seasons")),
}

# Cells where the app is known to differ from the policy: each has its own xfail(strict) test that shows it.
KNOWN_BUGS: set[tuple[str, str]] = set()

# Endpoints that end the session they are called with: the access tests call them last.
ENDS_SESSION = {"auth.logout"}

# Endpoints that change state on POST: the CSRF tests post to each without a token.
STATE_CHANGING = set(POST_POLICY)


def sample_outbox_message(world) -> int:
    """An e-mail in the outbox (rolled back with the test), for the administrator's outbox page."""
    from portal.services import outbox

    school_user = world.users["school"]
    return outbox.add_message(to=school_user.email, subject="Sample", text="Sample", html="<p>Sample</p>").id


def sample_preview(world) -> int:
    """A preview for every school (rolled back with the test), with a seat booked by school A's staff."""
    from datetime import time, timedelta

    from portal.domain.previews import Audience, PreviewAudience
    from portal.services import previews, staff_seats
    from portal.services.previews import PreviewDetails

    company, school_user = world.users["company"], world.users["school"]
    day = world.performance.day - timedelta(days=7)
    details = PreviewDetails(
        world.season.productions[0].id,
        day,
        time(18, 30),
        "The Mill, Banbury",
        "",
        40,
        Audience(PreviewAudience.ALL_SCHOOLS),
    )
    preview = previews.create_preview(company, details)
    staff_seats.book_staff_seats(school_user, world.school_a, preview, ["Sam Jones"], day - timedelta(days=7))
    return preview.id


def sample_staff_seat(world) -> int:
    """A seat school A's staff booked for a colleague at a preview of its own."""
    from portal.services import previews, staff_seats

    preview = previews.get_preview(sample_preview(world))
    return staff_seats.staff_seats(preview, world.school_a)[0].id


def sample_arguments(world) -> dict[str, int | str]:
    """Values for URL arguments, by name: the school user's own request, an open season, a pending account."""
    return {
        "request_id": world.request_a.id,
        "season_id": world.season.id,
        "school_id": world.school_a.id,
        "user_id": world.pending.id,
        "cast_id": world.season.casts[0].id,
        "slot_id": world.season.slots[-1].id,
        "day": world.performance.day.isoformat(),  # the sample cast's performance is on it
        "performance_id": world.performance.id,
        "run_id": world.run.id,
        "kind": "school",
        "owner_id": world.school_a.id,
        "token": world.feed_token,
        "message_id": sample_outbox_message(world),
        "token_id": 2**31 - 1,  # no such API token: revoking it is a 404 for everyone
        "file_id": 987654,  # no such lesson pack file
        "pack_id": 987654,  # no such lesson pack
        "table": "districts",
        "course_id": world.training_session.course_id,
        "session_id": world.training_session.id,
        "booking_id": world.training_booking.id,
        "code": "no-such-certificate-code",
        "domain_id": 987654,  # no such e-mail domain
        "list_name": "agencies",
        "entry_id": 987654,  # no such agency
        "change": "hide",
        "preview_id": sample_preview(world),
        "seat_id": sample_staff_seat(world),
    }
