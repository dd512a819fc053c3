"""The web layer: one blueprint package per audience, plus the plumbing every page shares."""

from __future__ import annotations

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.routing import IntegerConverter

from portal.config import ROOT
from portal.web.fields import MAX_ID


class DatabaseIdConverter(IntegerConverter):
    """The <int:...> converter, limited to what an INTEGER primary key can hold, in ASCII digits only."""

    regex = r"[0-9]+"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_web(app: Flask) -> None:
    """Templates, security headers, sessions, errors, the per-request transaction, blueprints and commands."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    from portal.cli import register_commands
    from portal.web import admin, api, auth, calendars, company, council, packs, public, reach, school, training
    from portal.web.components import register_components
    from portal.web.errors import register_error_handlers
    from portal.web.filters import register_filters
    from portal.web.form_tokens import register_form_tokens
    from portal.web.list_rows import register_list_rows
    from portal.web.navigation import register_context
    from portal.web.security import register_security
    from portal.web.sessions import register_sessions
    from portal.web.tags import register_tags
    from portal.web.templating import TemplateEnvironment
    from portal.web.transactions import register_transactions

    # Ids in URLs are database ids: anything past a 32-bit integer cannot exist, so it is a 404, never a driver error.
    app.url_map.converters["int"] = DatabaseIdConverter
    if "jinja_env" in app.__dict__:
        raise RuntimeError("register_web must choose the template environment before anything renders a template")
    app.jinja_environment = TemplateEnvironment
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["feed_url"] = calendars.feed_url
    WTFormsHelpers(app)
    register_security(app)
    register_sessions(app)
    register_transactions(app)
    register_error_handlers(app)
    register_form_tokens(app)
    register_context(app)
    register_filters(app)
    register_tags(app)
    register_components(app)
    register_list_rows(app)
    blueprints = (public, auth, school, company, council, admin, calendars, reach, packs, api)
    for blueprint in (*(module.bp for module in blueprints), *training.BLUEPRINTS):
        app.register_blueprint(blueprint)
    register_commands(app)
