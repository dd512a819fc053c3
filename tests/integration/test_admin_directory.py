"""Administrators import the schools directory and set the CSE team every footer signposts."""

import io

from portal.extensions import db
from portal.models import Role, School
from tests.integration.pages import csrf_token, post_form

HEADER = "urn,name,phase,district,town,postcode,latitude,longitude,pupils_on_roll\n"


def upload(client, text: str):
    data = {"csrf_token": csrf_token(client), "file": (io.BytesIO(text.encode()), "schools.csv")}
    return client.post("/admin/schools/import", data=data, content_type="multipart/form-data")


def test_an_admin_imports_schools_by_urn(session, login_as):
    admin = login_as(Role.ADMIN)
    response = upload(admin, HEADER + "880001,Kestrel Academy,Secondary,Cherwell,Banbury,OX16 1AA,52.06,-1.33,900\n")
    assert response.status_code == 302
    assert db.session.query(School).filter_by(urn="880001").one().name == "Kestrel Academy"


def test_a_bad_row_names_its_line_and_imports_nothing(session, login_as):
    admin = login_as(Role.ADMIN)
    text = HEADER + "880002,Good School,Secondary,Cherwell,Banbury,OX16 1AA,52.06,-1.33,900\n"
    text += "880003,Bad School,Secondary,Cherwell,Banbury,OX16 1AA,north,-1.33,900\n"
    response = upload(admin, text)
    assert response.status_code == 200
    assert "Line 3: latitude and longitude must be numbers. Nothing was imported." in response.get_data(as_text=True)
    assert db.session.query(School).filter(School.urn.in_(["880002", "880003"])).count() == 0


def test_the_footer_signposts_the_team_the_admin_sets(session, login_as, anonymous):
    admin = login_as(Role.ADMIN)
    response = post_form(
        admin, "/admin/settings", {"cse_team_name": "Safe Futures Team", "cse_team_phone": "01632 960 999"}
    )
    assert response.status_code == 302
    page = anonymous.get("/").get_data(as_text=True)
    assert "Safe Futures Team" in page and "01632 960 999" in page


def test_the_footer_is_the_councils_own_without_the_crown_or_crown_copyright(anonymous, app):
    page = anonymous.get("/").get_data(as_text=True)
    footer = page[page.index('class="govuk-footer"') :]
    for mark in ("govuk-footer__crown", "govuk-footer__copyright-logo", "Crown copyright", "Open Government Licence"):
        assert mark not in footer
    assert f"© {app.config['COUNCIL_NAME']}" in footer
    assert 'href="/accessibility"' in footer and 'href="/privacy"' in footer and "Worried about a child?" in footer


def test_a_page_of_many_form_fields_reads_the_signposted_team_once(session, login_as):
    """Each GOV.UK form widget is a template of its own, and Flask runs the context processors for every template: the
    footer's team is read once per request, not once per field."""
    from sqlalchemy import event

    admin = login_as(Role.ADMIN)
    statements = []
    engine = db.session.get_bind()
    listen = lambda *args: statements.append(args[2])  # noqa: E731  (the statement's text)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        page = admin.get("/admin/settings")
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert page.status_code == 200 and page.get_data(as_text=True).count("govuk-input") >= 2
    assert sum("FROM settings" in statement for statement in statements) <= 4  # the form's two, the footer's two
