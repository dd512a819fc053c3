"""What every page knows: service name, the CSE team signpost, and the signed-in person's navigation."""

from __future__ import annotations

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.models import Role
from portal.services import settings
from portal.web.components import drawn, drawn_component
from portal.web.sessions import owes_second_factor, safe_return_path

ROLE_NAVIGATION = {
    Role.SCHOOL: [
        ("school.home", "Your school"),
        ("school.requests_list", "Requests"),
        ("school.performances_list", "Performances"),
        ("school.previews_list", "Previews"),
        ("school.packs_list", "Lesson packs"),
        ("school.profile", "School profile"),
        ("learning.home", "CSE training"),
    ],
    Role.COMPANY: [
        ("company.home", "Tour"),
        ("company.previews_list", "Previews"),
        ("packs.packs_list", "Lesson packs"),
    ],
    Role.COUNCIL: [
        ("council.home", "Programme"),
        ("reach.dashboard", "Reach"),
        ("council.approvals", "Account approvals"),
        ("council.schools_list", "Schools"),
        ("council.requests_list", "Requests"),
        ("council.performances_list", "Performances"),
        ("council.preview_figures", "Previews"),
        ("council.seasons_list", "Seasons"),
        ("training.home", "Training"),
        ("packs.packs_list", "Lesson packs"),
    ],
    Role.ADMIN: [
        ("admin.home", "Users"),
        ("admin.directory_import", "Schools directory"),
        ("admin.settings_page", "Settings"),
        ("admin.outbox_list", "Outbox"),
        ("admin.audit_log", "Audit log"),
        ("reach.dashboard", "Reach"),
    ],
    Role.TRAINER: [("training.home", "Your sessions")],
    Role.LEARNER: [("learning.home", "Your training")],
}

HOME_ENDPOINT = {
    Role.SCHOOL: "school.home",
    Role.COMPANY: "company.home",
    Role.COUNCIL: "council.home",
    Role.ADMIN: "admin.home",
    Role.TRAINER: "training.home",
    Role.LEARNER: "learning.home",
}


def navigation_items() -> list[dict]:
    if not current_user.is_authenticated:
        return [{"href": url_for("auth.login"), "text": "Sign in", "active": request.endpoint == "auth.login"}]
    if owes_second_factor():
        return []  # every page but the code pages and signing out waits for the code
    items = [
        {"href": url_for(endpoint), "text": text, "active": request.endpoint == endpoint}
        for endpoint, text in ROLE_NAVIGATION[current_user.role]
    ]
    items.append(
        {"href": url_for("auth.account"), "text": "Your account", "active": request.endpoint == "auth.account"}
    )
    return items


# Where the sign-out form goes in a navigation drawn once for every page of a role (see service_navigation).
SIGN_OUT_PLACE = Markup("<!-- sign-out form -->")
SIGN_OUT_FORM = Markup(
    '<li class="govuk-service-navigation__item">'
    '<form method="post" action="{action}" class="app-inline-form">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<button type="submit" class="govuk-service-navigation__link app-link-button">Sign out</button>'
    "</form></li>"
)


def service_navigation() -> Markup:
    """The service's name and the person's navigation, with a sign-out form when signed in.

    The navigation depends only on the role, whether a second factor is still owed and the page it marks as current,
    so it is drawn once per worker for each (portal.web.components), without even working out its links again; only
    the sign-out form, whose token is the session's, is put in each time."""
    signed_in = current_user.is_authenticated
    role = current_user.role if signed_in else None
    config = current_app.config
    kind = ("service-navigation", config["SERVICE_NAME"], request.script_root, role, request.endpoint)

    def draw() -> str:
        params: dict = {"serviceName": config["SERVICE_NAME"], "serviceUrl": url_for("public.start")}
        params["navigation"] = navigation_items()
        if signed_in:
            params["slots"] = {"navigationEnd": SIGN_OUT_PLACE}
        return drawn_component("service-navigation", params)

    html = drawn(kind, signed_in and owes_second_factor(), draw)
    if not signed_in:
        return html
    sign_out = SIGN_OUT_FORM.format(action=url_for("auth.logout"), token=generate_csrf())
    return Markup(html.replace(SIGN_OUT_PLACE, sign_out))  # noqa: S704 (both parts are escaped HTML)


def home_url() -> str:
    """The signed-in person's home page (the sign-in page for anyone else)."""
    if current_user.is_authenticated:
        return url_for(HOME_ENDPOINT[current_user.role])
    return url_for("auth.login")


def next_or_home() -> str:
    """Where to go after a page that interrupted the person: the `next` path it was given, if it is ours, else home."""
    return safe_return_path(request.args.get("next")) or home_url()


def register_context(app: Flask) -> None:
    @app.context_processor
    def portal_context():
        config = current_app.config
        # Flask runs this for every template rendered, and each GOV.UK form widget is a template of its own: read the
        # team's settings once per request, not twice per field.
        if "signposted_team" not in g:
            g.signposted_team = settings.signposted_team()
        team_name, team_phone = g.signposted_team
        return {
            "service_name": config["SERVICE_NAME"],
            "council_name": config["COUNCIL_NAME"],
            "cse_team_name": team_name,
            "cse_team_phone": team_phone,
            "service_navigation": service_navigation,
            "home_url": home_url,
            "session_idle_minutes": config["SESSION_IDLE_MINUTES"],
        }
