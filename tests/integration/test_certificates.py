"""Certificates: a learner who attended downloads theirs as a PDF (read back here with pikepdf, not the library that
wrote it), nobody else can; anyone can check a code on /certificates/<code>, which says the certificate is genuine and
nothing more about its holder; an unknown code is a 404 page, and guessing is limited."""

from __future__ import annotations

import io
from datetime import timedelta

import pikepdf
import pytest
from sqlalchemy import select

from portal.access_log import REDACTED, redact
from portal.clock import now, today
from portal.domain.training import BookingStatus, CourseLevel
from portal.extensions import db
from portal.models import Role, TrainingBooking, TrainingCompletion, User
from portal.services import training_register
from portal.services.certificates import Certificate, certificate_pdf
from tests.factories import make_user
from tests.training_factories import make_agency, make_course, make_job_role, make_learner, make_session


def attended(learner, session) -> tuple[TrainingBooking, TrainingCompletion]:
    """A place on the session, marked attended on its register."""
    booking = TrainingBooking(
        session_id=session.id, course_id=session.course_id, learner=learner, status=BookingStatus.BOOKED
    )
    db.session.add(booking)
    session.places_taken += 1
    db.session.flush()
    completion = training_register.mark_attended(session.trainer, booking, now())
    assert completion is not None
    return booking, completion


@pytest.fixture
def certificate():
    """Kim Ellis attended a multi-agency session last week."""
    course = make_course(
        title="Multi-agency CSE: acting on concerns", level=CourseLevel.MULTI_AGENCY, length_minutes=390
    )
    session = make_session(course, trainer=make_user(Role.TRAINER), day=today() - timedelta(days=7))
    learner = make_learner(
        make_user(Role.LEARNER, full_name="Kim Ellis", email="kim.ellis@police.example"),
        organisation="Thames Valley Police",
        agency=make_agency("Police (test)"),
        job_role=make_job_role("Detective (test)"),
        district="Cherwell",
    )
    return attended(learner, session)


def pdf_text(body: bytes) -> tuple[list[str], list[str]]:
    """The lines of text a PDF shows, and the addresses it links to."""
    pdf = pikepdf.open(io.BytesIO(body))
    lines, links = [], []
    for page in pdf.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tj":
                lines.append(bytes(operands[0]).decode("latin-1"))
        for annotation in page.get("/Annots", []):
            links.append(str(annotation.A.URI))
    return lines, links


def test_a_learner_downloads_their_certificate_with_the_verification_address(app, login_as, certificate):
    booking, completion = certificate
    client = login_as(booking.learner.user)
    page = client.get(f"/learning/bookings/{booking.id}").get_data(as_text=True)
    assert f"/learning/bookings/{booking.id}/certificate.pdf" in page
    response = client.get(f"/learning/bookings/{booking.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    lines, links = pdf_text(response.get_data())
    address = f"{app.config['PORTAL_URL']}/certificates/{completion.certificate_code}"
    assert "Kim Ellis" in lines
    assert address in lines and links == [address]
    assert "Multi-agency CSE: acting on concerns" in lines
    assert "Level: Multi-agency CSE" in lines
    assert "Length: 6 hours 30 minutes" in lines
    assert any(line.startswith("Date: ") and str(completion.completed_on.year) in line for line in lines)
    assert app.config["COUNCIL_NAME"] in lines
    assert not any("police.example" in line or "Thames Valley" in line for line in lines)


def test_nobody_else_gets_a_learners_certificate(login_as, certificate):
    booking, _completion = certificate
    url = f"/learning/bookings/{booking.id}/certificate.pdf"
    assert login_as(make_learner().user).get(url).status_code == 404
    assert login_as(Role.SCHOOL).get(url).status_code == 404
    assert login_as(Role.COUNCIL).get(url).status_code == 403


def test_a_place_not_attended_has_no_certificate(login_as):
    learner = make_learner()
    session = make_session(day=today())
    booking = TrainingBooking(
        session_id=session.id, course_id=session.course_id, learner=learner, status=BookingStatus.BOOKED
    )
    db.session.add(booking)
    db.session.flush()
    client = login_as(learner.user)
    assert client.get(f"/learning/bookings/{booking.id}/certificate.pdf").status_code == 404
    assert "certificate.pdf" not in client.get(f"/learning/bookings/{booking.id}").get_data(as_text=True)


def test_a_name_in_any_script_gets_a_certificate(login_as):
    trainer = make_user(Role.TRAINER)
    learner = make_learner(make_user(Role.LEARNER, full_name="Łucja Żółw-Nowak"))
    booking, _completion = attended(learner, make_session(trainer=trainer, day=today()))
    response = login_as(learner.user).get(f"/learning/bookings/{booking.id}/certificate.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")
    assert len(pikepdf.open(io.BytesIO(response.get_data())).pages) == 1


def test_anyone_can_check_a_certificate_and_learns_nothing_more_about_its_holder(anonymous, certificate):
    _booking, completion = certificate
    response = anonymous.get(f"/certificates/{completion.certificate_code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This certificate is genuine" in page
    assert "Kim Ellis" in page and "Multi-agency CSE: acting on concerns" in page and "Multi-agency CSE" in page
    assert f"{completion.completed_on.day} " in page and str(completion.completed_on.year) in page
    for private in (
        "kim.ellis@police.example",
        "Thames Valley Police",
        "Police (test)",
        "Detective (test)",
        "Cherwell",
    ):
        assert private not in page
    assert "govuk-footer" in page
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("code", ["x" * 32, "short", "a" * 31 + "!", "%00" * 11])
def test_an_unknown_code_is_a_clear_404_page(anonymous, code):
    response = anonymous.get(f"/certificates/{code}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Certificate not found" in page and "govuk-footer" in page


def test_a_certificate_whose_attendance_is_taken_back_no_longer_verifies(anonymous, login_as, certificate):
    booking, completion = certificate
    code = completion.certificate_code
    assert anonymous.get(f"/certificates/{code}").status_code == 200
    training_register.mark_not_attended(None, booking, now())
    assert anonymous.get(f"/certificates/{code}").status_code == 404
    assert login_as(booking.learner.user).get(f"/learning/bookings/{booking.id}/certificate.pdf").status_code == 404


def test_guessing_codes_is_limited_then_even_a_genuine_code_waits(anonymous, certificate):
    _booking, completion = certificate
    for number in range(20):
        assert anonymous.get(f"/certificates/{number:032d}").status_code == 404
    response = anonymous.get(f"/certificates/{'y' * 32}")
    assert response.status_code == 429
    assert anonymous.get(f"/certificates/{completion.certificate_code}").status_code == 429


def test_the_demo_learners_attendance_has_completions_and_certificates(app, session):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    attended = list(session.scalars(select(TrainingBooking).where(TrainingBooking.status == BookingStatus.ATTENDED)))
    assert len(attended) >= 7
    codes = {booking.id: code for booking, code in session.execute(
        select(TrainingBooking, TrainingCompletion.certificate_code).join(
            TrainingCompletion, TrainingCompletion.booking_id == TrainingBooking.id
        )
    )}  # fmt: skip
    assert {booking.id for booking in attended} == set(codes) and all(codes.values())
    learner = session.scalar(select(User).where(User.email == "learner@example.org"))
    assert any(booking.learner.user_id == learner.id for booking in attended)


def test_a_certificates_code_is_kept_out_of_the_logs():
    """Its address shows the holder's name to whoever has it: the logs name the route only."""
    assert redact(f"GET /certificates/{'a' * 32} HTTP/1.1") == f"GET /certificates/{REDACTED} HTTP/1.1"


def test_an_anonymised_completion_has_no_certificate_to_download_or_verify(anonymous, login_as, certificate):
    booking, completion = certificate
    code = completion.certificate_code
    completion.certificate_code, completion.name = None, ""  # as the retention purge leaves it
    db.session.flush()
    assert anonymous.get(f"/certificates/{code}").status_code == 404
    assert login_as(booking.learner.user).get(f"/learning/bookings/{booking.id}/certificate.pdf").status_code == 404


def test_the_longest_name_and_title_still_fit_on_one_page_with_the_address():
    longest = Certificate("W" * 200, "M" * 200, CourseLevel.AWARENESS, today(), 180, "a" * 32)
    address = "https://book.example.gov.uk/certificates/" + "a" * 32
    pdf = pikepdf.open(io.BytesIO(certificate_pdf(longest, address, "Shireshire County Council")))
    assert len(pdf.pages) == 1
    lines, height = [], 0.0
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
        if str(operator) == "Td":
            height = float(operands[1])
        elif str(operator) == "Tj":
            lines.append((height, bytes(operands[0]).decode("latin-1")))
    [address_height] = [height for height, text in lines if text == address]
    assert address_height > 12 * 72 / 25.4  # above the border, 12 mm from the bottom edge
