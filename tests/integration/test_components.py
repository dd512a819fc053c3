"""GOV.UK components drawn once per worker: the macro's own HTML, drawn again only for other parameters."""

from flask import render_template_string

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
    with app.test_request_context():
        first = components.drawn_component("checkboxes", PARAMS)
        assert first == render_template_string(AS_MACRO, params=PARAMS)
        assert 'value="2027-01-11" checked' in first
        assert components.drawn_component("checkboxes", dict(PARAMS)) is first  # equal parameters: a look-up
        unticked = {**PARAMS, "items": [{**PARAMS["items"][0], "checked": False}]}
        assert "checked" not in components.drawn_component("checkboxes", unticked)


def test_the_cache_keeps_a_bounded_number_of_components(app, monkeypatch):
    monkeypatch.setattr(components, "MOST_ENTRIES", 3)
    with app.test_request_context():
        for number in range(10):
            components.drawn_component("checkboxes", {**PARAMS, "idPrefix": f"week-{number}"})
    assert len(components._drawn) <= 3


def test_macro_names_follow_govuk():
    assert components.macro_name("checkboxes") == "govukCheckboxes"
    assert components.macro_name("error-summary") == "govukErrorSummary"
