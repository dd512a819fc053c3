"""The outbox sends each message once, as a real RFC 5322 message; a dead mail server loses nothing."""

from __future__ import annotations

import email
import socket
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.clock import now
from portal.extensions import db
from portal.jobs import deliver_outbox
from portal.mail import FileSender, SmtpSender
from portal.models import OutboxMessage
from portal.services import outbox
from tests.factories import make_user
from tests.integration.pages import post_form


def add(to: str = "head@example.org", subject: str = "Hello", **fields) -> OutboxMessage:
    message = outbox.add_message(to=to, subject=subject, text="Plain words.", html="<p>Plain words.</p>", **fields)
    db.session.flush()
    return message


def eml_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.eml")) if directory.exists() else []


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def free_port() -> int:
    """A port nothing listens on (aiosmtpd needs a real number: it connects to itself to check it started)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe closes


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, _server, _session, envelope):
        self.received.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_each_message_is_written_once_as_an_eml_file_with_text_html_and_attachment(session, tmp_path):
    message = add(attachments=[outbox.attachment("performance.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n")])
    sender = FileSender(tmp_path)
    assert deliver_outbox(sender).sent == 1
    assert deliver_outbox(sender).sent == 0  # nothing twice
    (path,) = eml_files(tmp_path)
    parsed = parse(path)
    assert parsed["To"] == "head@example.org" and parsed["Subject"] == "Hello"
    assert parsed["Message-ID"].startswith(f"<outbox-{message.id}.")
    assert parsed.get_body(("plain",)).get_content().strip() == "Plain words."
    assert "<p>Plain words.</p>" in parsed.get_body(("html",)).get_content()
    (attached,) = list(parsed.iter_attachments())
    assert attached.get_filename() == "performance.ics" and attached.get_content_type() == "text/calendar"
    assert b"\r\n" in path.read_bytes()  # RFC 5322 line endings
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 0


def test_a_real_smtp_server_receives_the_messages(session, smtp_server):
    controller, inbox = smtp_server
    add(to="one@example.org", subject="First")
    add(to="two@example.org", subject="Second")
    sender = SmtpSender("127.0.0.1", controller.port, starttls=False, user="", password="", timeout=5)
    delivery = deliver_outbox(sender)
    assert (delivery.sent, delivery.failed) == (2, 0)
    assert sorted((m["To"], m["Subject"]) for m in inbox.received) == [
        ("one@example.org", "First"),
        ("two@example.org", "Second"),
    ]
    assert all(m.get_body(("html",)) is not None for m in inbox.received)


def test_a_dead_smtp_server_keeps_messages_waiting_with_back_off_then_sends_them(session, smtp_server, monkeypatch):
    controller, inbox = smtp_server
    messages = [add(to=f"wait{n}@example.org") for n in range(3)]
    dead = SmtpSender("127.0.0.1", free_port(), starttls=False, user="", password="", timeout=2)
    delivery = deliver_outbox(dead)
    assert delivery.server_down and delivery.sent == 0
    for message in messages:
        db.session.refresh(message)
        assert message.sent_at is None and message.claimed_at is None
    first = messages[0]
    assert first.attempts == 1 and "ConnectionRefused" in first.last_error and first.send_after > now()
    # The rest were never tried: they keep their place and no attempt counts against them.
    assert [m.attempts for m in messages[1:]] == [0, 0]
    alive = SmtpSender("127.0.0.1", controller.port, starttls=False, user="", password="", timeout=5)
    assert deliver_outbox(alive).sent == 2  # the first one waits for its back-off
    later = (first.send_after + timedelta(seconds=1)).isoformat()
    monkeypatch.setenv("PORTAL_FAKE_NOW", later)
    assert deliver_outbox(alive).sent == 1
    assert sorted(m["To"] for m in inbox.received) == ["wait0@example.org", "wait1@example.org", "wait2@example.org"]


def test_back_off_grows_and_is_capped():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(50) == outbox.MAX_BACKOFF


def test_a_users_action_succeeds_while_the_mail_server_is_down(app, session, anonymous, monkeypatch):
    user = make_user("school")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    response = post_form(anonymous, "/forgot-password", {"email": user.email})
    assert response.status_code == 302
    (message,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == user.email))
    assert message.sent_at is None and message.attempts == 1  # tried at once, failed, waiting to be tried again


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_the_timeout(session):
    message = add()
    assert outbox.claim_due("worker-that-dies", now()) == [message.id]
    assert outbox.claim_due("other", now()) == []
    later = now() + outbox.CLAIM_TIMEOUT + timedelta(seconds=1)
    assert outbox.claim_due("other", later) == [message.id]


def test_a_dedupe_key_makes_a_second_message_impossible(session):
    assert add(dedupe_key="reminder:test:1") is not None
    assert add(dedupe_key="reminder:test:1") is None
    keyed = select(OutboxMessage).where(OutboxMessage.dedupe_key == "reminder:test:1")
    assert len(db.session.scalars(keyed).all()) == 1


def test_flask_outbox_send_delivers_to_mail_dir(app, session):
    add(to="cli@example.org", subject="From the command line")
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 messages" in result.output
    found = [parse(path) for path in eml_files(Path(app.config["MAIL_DIR"]))]
    assert any(m["To"] == "cli@example.org" and m["Subject"] == "From the command line" for m in found)


def test_the_admin_reads_the_outbox_without_seeing_one_time_links(session, login_as):
    admin = login_as("admin")
    message = add(to="reader@example.org", subject="Reset your password")
    message.body_text = "Open http://127.0.0.1:5000/reset-password/SECRETTOKEN123 within 60 minutes."
    db.session.flush()
    listing = admin.get("/admin/outbox")
    assert listing.status_code == 200 and b"reader@example.org" in listing.data
    detail = admin.get(f"/admin/outbox/{message.id}")
    assert detail.status_code == 200
    assert b"SECRETTOKEN123" not in detail.data and b"/reset-password/[link removed]" in detail.data
    assert admin.get("/admin/outbox/999999").status_code == 404
