"""Delivering e-mail: by SMTP in production, as one RFC 5322 .eml file per message in development and tests.

Nothing here knows about the database: the outbox (portal.services.outbox) decides what to send and when, and
hands a finished message to a sender. A sender raises MailError when a message did not go, so it waits and retries.
"""

from __future__ import annotations

import base64
import os
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol


class MailError(RuntimeError):
    """A message was not delivered; server_down says the server could not be reached at all."""

    def __init__(self, message: str, server_down: bool = False):
        super().__init__(message)
        self.server_down = server_down


class Sender(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class Envelope:
    """Everything a message needs, as plain values."""

    message_id: str
    sender: str
    to: str
    subject: str
    text: str
    html: str
    date: datetime
    attachments: tuple[dict, ...] = ()


def one_line(value: str) -> str:
    """Header values are single lines: a name holding CR or LF must not add a header (mail injection)."""
    return " ".join(value.split())


def compose(envelope: Envelope) -> EmailMessage:
    """A multipart message: plain text and HTML alternatives, then any attachments."""
    message = EmailMessage(policy=policy.SMTP)
    message["Message-ID"] = envelope.message_id
    message["Date"] = format_datetime(envelope.date)
    message["From"] = one_line(envelope.sender)
    message["To"] = one_line(envelope.to)
    message["Subject"] = one_line(envelope.subject)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(envelope.text)
    message.add_alternative(envelope.html, subtype="html")
    for attachment in envelope.attachments:
        maintype, _, subtype = attachment["content_type"].partition("/")
        message.add_attachment(
            base64.b64decode(attachment["data_base64"]),
            maintype=maintype,
            subtype=subtype.split(";")[0],
            filename=attachment["filename"],
        )
    return message


class FileSender:
    """Writes each message to MAIL_DIR as an .eml file (development and tests): open it in any mail program."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{datetime.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
            partial = self.directory / f".{name}.part"
            partial.write_bytes(message.as_bytes(policy=policy.SMTP))
            # Renamed into place, so a reader never sees half a message.
            os.replace(partial, self.directory / name)
        except OSError as error:
            raise MailError(f"cannot write to {self.directory}: {error.strerror or error}", server_down=True) from error


class SmtpSender:
    """Sends through an SMTP server, with STARTTLS and a login when configured; one connection per message."""

    def __init__(self, host: str, port: int, starttls: bool, user: str, password: str, timeout: float):
        self.host, self.port, self.starttls = host, port, starttls
        self.user, self.password, self.timeout = user, password, timeout

    def send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise MailError(f"{type(error).__name__}: {error}") from error
        except (OSError, smtplib.SMTPException) as error:  # refused, timed out, TLS or login failed
            raise MailError(f"{type(error).__name__}: {error}", server_down=True) from error


def sender_from_config(config) -> Sender:
    """SMTP when SMTP_HOST is set, .eml files in MAIL_DIR otherwise."""
    if config.get("SMTP_HOST"):
        return SmtpSender(
            config["SMTP_HOST"],
            config["SMTP_PORT"],
            config["SMTP_STARTTLS"],
            config["SMTP_USER"],
            config["SMTP_PASSWORD"],
            config["SMTP_TIMEOUT"],
        )
    return FileSender(config["MAIL_DIR"])
