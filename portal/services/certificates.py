"""Training certificates: a learner's own certificate of a session they attended, as a PDF, and the public check of
a certificate's code, which says it is genuine and nothing more about its holder than the certificate itself does.

A certificate is its completion row (portal.services.training_register writes it with the attendance mark): when the
attendance is taken back, the row goes, and the code no longer verifies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from sqlalchemy import select

from portal.domain.training import LEVEL_LABELS, BookingStatus, CourseLevel
from portal.domain.training_register import course_length
from portal.domain.wording import long_date
from portal.extensions import db
from portal.models import Learner, TrainingBooking, TrainingCompletion, TrainingSession

# Codes are secrets.token_urlsafe(24): 32 characters of A-Z, a-z, 0-9, - and _. Anything else is looked up never.
CODE_LENGTH = 32
CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
# A font that has every script's letters, for names the PDF's built-in fonts (Latin-1 only) cannot write; the first
# found is used. Without one, such letters are written as "?" rather than refusing the certificate.
UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


@dataclass(frozen=True)
class Certificate:
    """What a certificate says, and what the public check shows: no e-mail, organisation or agency."""

    name: str
    course_title: str
    level: CourseLevel
    completed_on: date
    length_minutes: int
    code: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def length(self) -> str:
        return course_length(self.length_minutes)


def certificate_of(learner: Learner, booking_id: int) -> Certificate | None:
    """The learner's own certificate for a booking they attended; None for anyone else's, or none yet."""
    query = (
        select(TrainingCompletion, TrainingBooking)
        .join(TrainingBooking, TrainingBooking.id == TrainingCompletion.booking_id)
        .where(
            TrainingBooking.id == booking_id,
            TrainingBooking.learner_id == learner.id,
            TrainingBooking.status == BookingStatus.ATTENDED,
            TrainingCompletion.certificate_code.is_not(None),  # none once the record is anonymised
        )
    )
    row = db.session.execute(query).first()
    return _certificate(*row) if row else None


def verified(code: str) -> Certificate | None:
    """The certificate a code belongs to; None for a code that is unknown, or whose attendance was taken back."""
    if len(code) != CODE_LENGTH or not set(code) <= CODE_CHARACTERS:
        return None
    query = (
        select(TrainingCompletion, TrainingBooking)
        .join(TrainingBooking, TrainingBooking.id == TrainingCompletion.booking_id)
        .where(TrainingCompletion.certificate_code == code, TrainingBooking.status == BookingStatus.ATTENDED)
    )
    row = db.session.execute(query).first()
    return _certificate(*row) if row else None


def _certificate(completion: TrainingCompletion, booking: TrainingBooking) -> Certificate:
    session = db.session.get(TrainingSession, booking.session_id)
    assert session is not None and completion.certificate_code is not None
    return Certificate(
        name=completion.name,
        course_title=session.course.title,
        level=completion.level,
        completed_on=completion.completed_on,
        length_minutes=session.course.length_minutes,
        code=completion.certificate_code,
    )


def certificate_pdf(certificate: Certificate, verify_url: str, council_name: str = "") -> bytes:
    """The certificate as a one-page A4 PDF, with the address where anyone can check it is genuine."""
    lines = [council_name, certificate.name, certificate.course_title, verify_url]
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate of attendance: {certificate.course_title}")
    pdf.set_creator(council_name or "CSE training")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    family = _font_for(pdf, lines)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    def say(text: str, size: float, style: str = "", gap: float = 4) -> None:
        """A centred line, in smaller type until it fits on two lines (names and titles run to 200 characters)."""
        text, style = _writable(text, family), style if family == "Helvetica" else ""
        pdf.set_font(family, style, size)
        while size > 10 and pdf.get_string_width(text) > 1.8 * pdf.epw:
            size -= 2
            pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(30)
    if council_name:
        say(council_name, 14)
    say("Certificate of attendance", 30, "B", 10)
    say("This is to certify that", 14)
    say(certificate.name, 26, "B", 6)
    say("attended the course", 14)
    say(certificate.course_title, 20, "B", 6)
    say(f"Level: {certificate.level_label}", 13, gap=2)
    say(f"Length: {certificate.length}", 13, gap=2)
    say(f"Date: {long_date(certificate.completed_on)}", 13, gap=10)
    pdf.set_font(family, "", 11)
    pdf.multi_cell(0, 6, "Anyone can check that this certificate is genuine at:", align="C", new_x="LMARGIN")
    pdf.ln(6)
    pdf.set_text_color(29, 112, 184)
    pdf.multi_cell(0, 6, verify_url, align="C", link=verify_url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _font_for(pdf: FPDF, lines: list[str]) -> str:
    """Helvetica when every line fits Latin-1 (its text can then be read back as it is); a Unicode font otherwise."""
    if all(_latin1(line) for line in lines):
        return "Helvetica"
    for path in UNICODE_FONTS:
        if path.is_file():
            pdf.add_font("Unicode", "", str(path))
            return "Unicode"
    return "Helvetica"


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _writable(text: str, family: str) -> str:
    """The text as the font can write it: every letter with a Unicode font, Latin-1 (others as "?") with Helvetica."""
    return text if family != "Helvetica" else text.encode("latin-1", "replace").decode("latin-1")
