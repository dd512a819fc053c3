"""Administrators: the e-mail outbox, to see what was sent, what waits, and why a message has not gone."""

from __future__ import annotations

from flask import render_template

from portal.services import outbox, outbox_lists
from portal.web.access import found_or_404
from portal.web.admin.forms import OutboxSearchForm
from portal.web.admin.routes import bp
from portal.web.list_search import list_asked, list_context, list_search_form


@bp.get("/outbox")
def outbox_list():
    form = list_search_form("Search by address or subject", outbox_lists.SORTS, OutboxSearchForm)
    state = form.chosen_state()
    listing = outbox_lists.messages(list_asked(form), state)
    return render_template(
        "admin/outbox.html",
        title="Outbox",
        counts=outbox.counts(),
        **list_context(form, listing, "admin.outbox_list", state=state),
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
