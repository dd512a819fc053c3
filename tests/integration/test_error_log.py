"""The error logs never hold a feed token either: Flask's own (every 500 writes "Exception on <path>") and
gunicorn's, redacted by the same function as the access log (portal.access_log.redact)."""

from __future__ import annotations

import logging

import pytest
from gunicorn.config import Config

from portal.access_log import REDACTED, RedactingLogger, redact
from portal.services import calendars


def test_a_server_error_on_a_feed_is_logged_without_its_token(app, world, anonymous, monkeypatch, caplog, capsys):
    def broken(*_args, **_kwargs):
        raise RuntimeError(f"could not build the feed at /feeds/school/{world.school_a.id}/{world.feed_token}.ics")

    monkeypatch.setattr(calendars, "feed_performances", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production: a 500 page, and a log line
    caplog.set_level(logging.ERROR, logger=app.logger.name)

    response = anonymous.get(f"/feeds/school/{world.school_a.id}/{world.feed_token}.ics")

    assert response.status_code == 500
    written = caplog.text + capsys.readouterr().err
    assert f"Exception on /feeds/school/{world.school_a.id}/{REDACTED}.ics [GET]" in written
    assert "RuntimeError: could not build the feed at /feeds/school/" in written  # the traceback is kept...
    assert world.feed_token not in written  # ...without the token, in the message or the traceback


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/school/7/0123abcdef.ics",
        "/feeds/cast/12/%C3%A9.ics",
        "/reset-password/s3cr3t-link",
        "/verify-email/s3cr3t-link",
    ],
)
def test_gunicorns_error_log_redacts_secrets_in_paths(tmp_path, path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = RedactingLogger(config)
    try:
        logger.error("Error handling request %s", path)
        try:
            raise ValueError(f"bad request {path}")
        except ValueError:
            logger.exception("Error handling request %s", path)
    finally:
        for handler in list(logger.error_log.handlers):  # "gunicorn.error" is process-wide: leave it as found
            handler.close()
            logger.error_log.removeHandler(handler)
    written = (tmp_path / "error.log").read_text()
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in written
    assert written.count(redact(path)) == 3  # two messages and the traceback's exception line


def test_the_dev_servers_request_lines_are_redacted(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET %s HTTP/1.1" 200 -', "/feeds/cast/3/deadbeef.ics")
    assert "/feeds/cast/3/[redacted].ics" in caplog.text and "deadbeef" not in caplog.text
