"""The template environment: Jinja's, with each template's globals in a plain dict (portal.web.templating)."""

from __future__ import annotations

import jinja2

from portal.web.templating import TemplateEnvironment

INPUT = "govuk_frontend_wtf/input.html"
PARAMS = {
    "id": "dsl-name",
    "name": "dsl_name",
    "label": {"text": "Name of the DSL"},
    "hint": {"text": "The designated safeguarding lead who will attend"},
    "errorMessage": {"text": "Enter the DSL’s name"},
    "attributes": {"autocomplete": "name"},
    "value": "Priya <Shah>",
}


def test_templates_keep_their_globals_in_a_plain_dict(app):
    assert isinstance(app.jinja_env, TemplateEnvironment)
    template = app.jinja_env.get_template(INPUT)
    assert type(template.globals) is dict
    assert {"url_for", "csrf_token", "feed_url", "csp_nonce", "PerformanceStatus"} <= template.globals.keys()


def test_a_gov_uk_component_renders_exactly_as_under_jinjas_own_environment(app):
    own = jinja2.Environment(
        loader=app.jinja_env.loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.do"]
    )
    own.globals.update(app.jinja_env.globals)
    own.filters.update(app.jinja_env.filters)
    own.tests.update(app.jinja_env.tests)
    with app.test_request_context("/"):
        rendered = app.jinja_env.get_template(INPUT).render(params=PARAMS)
        assert rendered == own.get_template(INPUT).render(params=PARAMS)
    assert "Priya &lt;Shah&gt;" in rendered and "Enter the DSL’s name" in rendered
