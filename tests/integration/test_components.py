"""GOV.UK components drawn once per worker: the macro's own HTML, drawn again only for other parameters."""

from flask import render_template_string
from markupsafe import Markup

from portal.web import components

PARAMS = {
    "name": "dates",
    "idPrefix": "dates-2027-01-11",
    "items": [{"value": "2027-01-11", "text": "Monday 11 January", "checked": True}],
}
AS_MACRO = (
    '{% from "govuk_frontend_jinja/components/checkboxes/macro.html" import govukCheckboxes %}'
    "{{ govukCheckboxes(params) }}"
)


def test_a_component_is_the_govuk_macros_html_and_is_drawn_once(app, monkeypatch):
    monkeypatch.setattr(components, "_drawn", components.DrawnCache(components.MOST_ENTRIES))
    with app.test_request_context():
        first = components.drawn_component("checkboxes", PARAMS)
        assert first == render_template_string(AS_MACRO, params=PARAMS)
        assert 'value="2027-01-11" checked' in first
        assert components.drawn_component("checkboxes", dict(PARAMS)) is first  # equal parameters: a look-up
        unticked = {**PARAMS, "items": [{**PARAMS["items"][0], "checked": False}]}
        assert "checked" not in components.drawn_component("checkboxes", unticked)


def test_the_cache_keeps_a_bounded_number_of_components(app, monkeypatch):
    monkeypatch.setattr(components, "_drawn", components.DrawnCache(3))
    with app.test_request_context():
        for number in range(10):
            components.drawn_component("checkboxes", {**PARAMS, "idPrefix": f"week-{number}"})
    assert len(components._drawn) <= 3


def test_macro_names_follow_govuk():
    assert components.macro_name("checkboxes") == "govukCheckboxes"
    assert components.macro_name("error-summary") == "govukErrorSummary"


def test_html_and_text_that_spell_the_same_are_drawn_apart(app):
    """A component escapes text and keeps HTML: the cache must never hand one the other's drawing."""
    with app.test_request_context():
        as_html = components.drawn_component("inset-text", {"html": Markup("<b>Note</b>")})
        as_text = components.drawn_component("inset-text", {"text": "<b>Note</b>"})
        html_in_text = components.drawn_component("inset-text", {"html": "<b>Note</b>"})
    assert "<b>Note</b>" in as_html
    assert "&lt;b&gt;Note&lt;/b&gt;" in as_text and "<b>" not in as_text
    assert "<b>" not in html_in_text or html_in_text == as_html  # the macro's own rule for a plain string as html


def test_a_form_field_is_drawn_once_until_its_value_or_error_changes(app, monkeypatch):
    from govuk_frontend_wtf.gov_form_base import GovFormBase

    from portal.web.auth.forms import LoginForm

    monkeypatch.setattr(
        components, "_drawn", components.DrawnCache(components.MOST_ENTRIES)
    )  # nothing drawn by earlier tests
    drawn = []
    real = GovFormBase.render
    monkeypatch.setattr(GovFormBase, "render", lambda widget, params: drawn.append(params) or real(widget, params))
    with app.test_request_context():
        form = LoginForm(meta={"csrf": False})
        first = str(form.email())
        assert str(form.email()) == first and len(drawn) == 1
        form.email.data = "dsl@school.example.org"
        assert 'value="dsl@school.example.org"' in str(form.email()) and len(drawn) == 2
        form.email.errors = ["Enter an email address"]
        assert "Enter an email address" in str(form.email()) and len(drawn) == 3
