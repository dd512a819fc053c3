"""The CSE awareness tour booking portal.

Nothing heavy is imported here, so `python -m portal.scheduler` stays free of Flask and the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict | None = None, **overrides) -> Flask:
    """Build the portal: settings, extensions, templates, blueprints. No database work happens here."""
    from flask import Flask

    from portal.access_log import redact_app_logs
    from portal.config import ROOT, load_config
    from portal.extensions import csrf
    from portal.jobs import configure_jobs
    from portal.web import register_web

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config() if config is None else config)
    app.config.update(overrides)
    redact_app_logs(app)  # before anything can log a request path that carries a feed token
    Path(app.config["PORTAL_INSTANCE"]).mkdir(parents=True, exist_ok=True)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    register_extensions(app)
    register_web(app)
    # After register_web: its body-size hook must run before CSRF reads the form.
    csrf.init_app(app)
    configure_jobs(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the database engine settings to this app."""
    from portal import models  # noqa: F401  (registers every table on the metadata)
    from portal.config import ROOT
    from portal.database import configure_engine
    from portal.extensions import db, limiter, login_manager, migrate
    from portal.services.reach_cache import watch_changes

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, strict_reads=app.testing)
    watch_changes()  # every change to a count moves the reach version on (portal.services.reach_cache)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    limiter.init_app(app)
    login_manager.init_app(app)
