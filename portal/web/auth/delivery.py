"""Sending a message someone is waiting for (a reset link) as soon as the request that queued it has committed."""

from __future__ import annotations

from flask import current_app


def send_mail_soon() -> None:
    """Ask the job consumer to send the outbox now; if that fails, the every-minute run sends it anyway."""
    from portal.jobs import send_outbox_soon

    try:
        send_outbox_soon()
    except Exception:  # the message is safe in the outbox: a queue outage must not fail the person's request
        current_app.logger.warning("could not queue outbox delivery", exc_info=True)
