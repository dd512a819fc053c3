"""Council officers change a course's description; its level only while nobody has completed it, since each
completion keeps the level the staff-trained figures count it at."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.domain.training import BookingStatus, CourseLevel
from portal.models import AuditEvent, Role, TrainingBooking
from tests.integration.pages import post_form
from tests.training_factories import make_course, make_learner, make_session

FIELDS = {"title": "CSE awareness for licensed drivers", "length_minutes": "120"}
FIELDS |= {"learning_outcomes": "Spot the signs in a taxi", "audience": "Taxi and private hire drivers"}


def test_an_officer_changes_a_course(session, login_as):
    course = make_course()
    officer = login_as(Role.COUNCIL)
    assert f'href="/training/courses/{course.id}/edit"' in officer.get(f"/training/courses/{course.id}").text
    form = officer.get(f"/training/courses/{course.id}/edit").get_data(as_text=True)
    assert course.title in form
    response = post_form(officer, f"/training/courses/{course.id}/edit", {**FIELDS, "level": "multi_agency"})
    assert response.status_code == 302
    session.refresh(course)
    assert (course.title, course.length_minutes, course.level) == (FIELDS["title"], 120, CourseLevel.MULTI_AGENCY)
    action = session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
    assert action == "training.course_changed"


def test_a_completed_course_keeps_its_level_and_says_why(session, login_as):
    course = make_course(level=CourseLevel.AWARENESS)
    training_session = make_session(course, day=date(2026, 1, 10))
    session.add(
        TrainingBooking(
            session_id=training_session.id, course_id=course.id, learner=make_learner(), status=BookingStatus.ATTENDED
        )
    )
    session.flush()
    officer = login_as(Role.COUNCIL)
    response = post_form(officer, f"/training/courses/{course.id}/edit", {**FIELDS, "level": "multi_agency"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page and "its level cannot change" in page
    session.refresh(course)
    assert course.level == CourseLevel.AWARENESS and course.title != FIELDS["title"]


def test_a_blank_title_is_refused(session, login_as):
    course = make_course()
    response = post_form(login_as(Role.COUNCIL), f"/training/courses/{course.id}/edit", {**FIELDS, "title": " "})
    assert response.status_code == 200 and "Enter the course’s title" in response.get_data(as_text=True)
