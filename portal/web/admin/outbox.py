"""Administrators: the e-mail outbox, to see what was sent, what waits, and why a message has not gone."""

from __future__ import annotations

from flask import render_template

from portal.services import outbox
from portal.web.access import found_or_404
from portal.web.admin.routes import bp


@bp.get("/outbox")
def outbox_list():
    return render_template(
        "admin/outbox.html", title="Outbox", messages=outbox.recent_messages(), counts=outbox.counts()
    )


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = found_or_404(outbox.get_message(message_id))
    # One-time links are blanked out: an administrator must not be able to use someone's reset link.
    return render_template(
        "admin/outbox_message.html",
        title=message.subject,
        message=message,
        body_text=outbox.redact(message.body_text),
    )
