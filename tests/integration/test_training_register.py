"""A session's register: the trainer who runs it (and council officers) print it and tick who attended, from the
session's day on; each tick is a completion with a certificate code, each untick takes it back; saving twice changes
nothing; another trainer's session is not found."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.clock import now, today
from portal.domain.form_tokens import new_token
from portal.domain.training import BookingStatus, SessionStatus
from portal.extensions import db
from portal.models import AuditEvent, Role, TrainingBooking, TrainingCompletion, TrainingSession, User
from portal.services import training_register
from portal.services.training_register import RegisterError
from tests.factories import make_user
from tests.integration.pages import location_path, post_form
from tests.training_factories import make_learner, make_session


def place(learner, session, status=BookingStatus.BOOKED) -> TrainingBooking:
    """A place on a session, however it was booked (the booking rules refuse a session that has started)."""
    booking = TrainingBooking(session_id=session.id, course_id=session.course_id, learner=learner, status=status)
    db.session.add(booking)
    session.places_taken += 1
    db.session.flush()
    return booking


@pytest.fixture
def on_the_day():
    """A trainer's session today with two people booked on it (one e-mail in capitals) and one cancelled."""
    trainer = make_user(Role.TRAINER)
    session = make_session(trainer=trainer, day=today())
    kim = make_learner(make_user(Role.LEARNER, email="Kim.Ellis@Police.EXAMPLE", full_name="Kim Ellis"))
    lee = make_learner(make_user(Role.LEARNER, full_name="Lee Grant"), organisation="Oxford Health")
    gone = make_learner(make_user(Role.LEARNER, full_name="Gone Away"))
    bookings = place(kim, session), place(lee, session), place(gone, session, BookingStatus.CANCELLED)
    session.places_taken = 2
    db.session.flush()
    return trainer, session, bookings


def completions(booking) -> list[TrainingCompletion]:
    query = select(TrainingCompletion).where(TrainingCompletion.booking_id == booking.id)
    return list(db.session.scalars(query))


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def tick(client, session, *bookings, token: str | None = None):
    data = {"attended": [str(booking.id) for booking in bookings]}
    if token:
        data["form_token"] = token
    return post_form(client, f"/training/sessions/{session.id}/attendance", data)


def test_ticking_a_person_marks_them_attended_with_a_completion_copied_from_their_learner(login_as, on_the_day):
    trainer, session, (kim, lee, _gone) = on_the_day
    client = login_as(trainer)
    response = tick(client, session, kim)
    assert location_path(response) == f"/training/sessions/{session.id}/attendance"
    db.session.refresh(kim)
    db.session.refresh(lee)
    assert kim.status == BookingStatus.ATTENDED and kim.attended_at is not None
    assert lee.status == BookingStatus.BOOKED and lee.attended_at is None
    [completion] = completions(kim)
    learner = kim.learner
    assert completion.email == "kim.ellis@police.example"
    assert completion.name == "Kim Ellis"
    assert (completion.organisation, completion.district) == (learner.organisation, learner.district)
    assert (completion.agency_id, completion.job_role_id) == (learner.agency_id, learner.job_role_id)
    assert completion.level == session.course.level and completion.completed_on == session.day
    assert completion.certificate_code and len(completion.certificate_code) == 32
    assert completions(lee) == []
    db.session.refresh(session)
    assert session.places_taken == 2  # attended still holds its place
    assert audit_count("training.attended") == 1
    assert "1 marked as attended" in client.get(location_path(response)).get_data(as_text=True)


def test_unticking_takes_the_attendance_and_its_completion_back(login_as, on_the_day):
    trainer, session, (kim, lee, _gone) = on_the_day
    client = login_as(trainer)
    tick(client, session, kim, lee)
    code = completions(kim)[0].certificate_code
    tick(client, session, lee)
    db.session.refresh(kim)
    assert kim.status == BookingStatus.BOOKED and kim.attended_at is None
    assert completions(kim) == [] and len(completions(lee)) == 1
    assert audit_count("training.attendance_removed") == 1
    assert client.get(f"/certificates/{code}").status_code == 404
    db.session.refresh(session)
    assert session.places_taken == 2


def test_saving_the_same_ticks_again_changes_nothing(login_as, on_the_day):
    trainer, session, (kim, _lee, _gone) = on_the_day
    client = login_as(trainer)
    tick(client, session, kim)
    code = completions(kim)[0].certificate_code
    response = tick(client, session, kim)  # a new page, the same ticks
    assert location_path(response) == f"/training/sessions/{session.id}/attendance"
    assert [row.certificate_code for row in completions(kim)] == [code]
    assert audit_count("training.attended") == 1
    assert "no changes" in client.get(location_path(response)).get_data(as_text=True)


def test_the_same_form_sent_twice_is_saved_once(login_as, on_the_day):
    trainer, session, (kim, lee, _gone) = on_the_day
    client = login_as(trainer)
    token = new_token(now())
    tick(client, session, kim, lee, token=token)
    tick(client, session, kim, token=token)  # a double click's second request, with other ticks even: not saved
    db.session.refresh(lee)
    assert lee.status == BookingStatus.ATTENDED
    assert len(completions(kim)) == 1 and len(completions(lee)) == 1
    assert "That was already saved" in client.get(f"/training/sessions/{session.id}/attendance").get_data(as_text=True)


def test_a_booking_not_on_the_register_cannot_be_ticked(login_as, on_the_day):
    trainer, session, (_kim, _lee, gone) = on_the_day
    other = place(make_learner(), make_session(trainer=trainer, day=today()))
    tick(login_as(trainer), session, gone, other)
    for booking in (gone, other):
        db.session.refresh(booking)
        assert booking.status != BookingStatus.ATTENDED and completions(booking) == []


def test_attendance_cannot_be_marked_before_the_sessions_day_and_the_page_says_so(login_as):
    trainer = make_user(Role.TRAINER)
    session = make_session(trainer=trainer, day=today() + timedelta(days=1))
    booking = place(make_learner(), session)
    client = login_as(trainer)
    page = client.get(f"/training/sessions/{session.id}/attendance").get_data(as_text=True)
    assert "You can mark who attended from the day of the session" in page
    assert 'name="attended"' not in page
    response = tick(client, session, booking)
    assert location_path(response) == f"/training/sessions/{session.id}/attendance"
    db.session.refresh(booking)
    assert booking.status == BookingStatus.BOOKED and completions(booking) == []
    with pytest.raises(RegisterError, match="from the day of the session"):
        training_register.save_attendance(trainer, session, [booking.id], now(), today())


def test_a_past_session_can_be_marked_and_a_cancelled_one_cannot(login_as):
    trainer = make_user(Role.TRAINER)
    past = make_session(trainer=trainer, day=today() - timedelta(days=3))
    booking = place(make_learner(), past)
    tick(login_as(trainer), past, booking)
    db.session.refresh(booking)
    assert booking.status == BookingStatus.ATTENDED
    assert completions(booking)[0].completed_on == past.day

    cancelled = make_session(trainer=trainer, day=today(), status=SessionStatus.CANCELLED, cancel_reason="Ill")
    other = place(make_learner(), cancelled)
    with pytest.raises(RegisterError, match="cancelled"):
        training_register.save_attendance(trainer, cancelled, [other.id], now(), today())
    tick(login_as(trainer), cancelled, other)
    db.session.refresh(other)
    assert other.status == BookingStatus.BOOKED and completions(other) == []


def test_another_trainers_session_register_is_not_found(login_as, on_the_day):
    _trainer, session, (kim, _lee, _gone) = on_the_day
    client = login_as(Role.TRAINER)
    assert client.get(f"/training/sessions/{session.id}/register").status_code == 404
    assert client.get(f"/training/sessions/{session.id}/attendance").status_code == 404
    assert tick(client, session, kim).status_code == 404
    db.session.refresh(kim)
    assert kim.status == BookingStatus.BOOKED


def test_a_council_officer_prints_the_register_and_ticks_it_too(login_as, on_the_day):
    _trainer, session, (kim, _lee, _gone) = on_the_day
    client = login_as(Role.COUNCIL)
    page = client.get(f"/training/sessions/{session.id}/register").get_data(as_text=True)
    assert "Kim Ellis" in page and "Oxford Health" in page and "Signature" in page
    assert "Gone Away" not in page  # a cancelled place is not on the register
    assert "data-print" in page
    tick(client, session, kim)
    assert len(completions(kim)) == 1


def test_the_attendance_page_ticks_those_already_marked(login_as, on_the_day):
    trainer, session, (kim, lee, _gone) = on_the_day
    client = login_as(trainer)
    tick(client, session, kim)
    page = client.get(f"/training/sessions/{session.id}/attendance").get_data(as_text=True)
    assert f'value="{kim.id}" checked' in page
    assert f'value="{lee.id}" checked' not in page


def test_attendance_is_not_taken_back_from_someone_booked_on_the_course_again(login_as):
    """Taking attendance back makes the place live again, and a learner holds one live place per course."""
    trainer = make_user(Role.TRAINER)
    past = make_session(trainer=trainer, day=today() - timedelta(days=7))
    learner = make_learner(make_user(Role.LEARNER, full_name="Mo Said"))
    booking = place(learner, past)
    client = login_as(trainer)
    tick(client, past, booking)
    db.session.refresh(booking)
    place(learner, make_session(past.course, day=today() + timedelta(days=7)))  # booked again since
    with pytest.raises(RegisterError, match="Mo Said has booked another session of this course"):
        training_register.save_attendance(trainer, past, [], now(), today())
    response = tick(client, past)
    assert location_path(response) == f"/training/sessions/{past.id}/attendance"
    assert "Mo Said has booked another session" in client.get(location_path(response)).get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status == BookingStatus.ATTENDED and len(completions(booking)) == 1


def test_the_database_refuses_the_second_live_place_even_unchecked(session, monkeypatch):
    """Someone who books at the very moment the attendance is taken back: the partial unique index refuses it."""
    trainer = make_user(Role.TRAINER)
    past = make_session(trainer=trainer, day=today() - timedelta(days=7))
    learner = make_learner(make_user(Role.LEARNER, full_name="Nia Brooks"))
    booking = place(learner, past)
    training_register.save_attendance(trainer, past, [booking.id], now(), today())
    place(learner, make_session(past.course, day=today() + timedelta(days=7)))
    monkeypatch.setattr(training_register, "_holds_another_place", lambda _booking: False)
    with pytest.raises(RegisterError, match="Nia Brooks has booked another session"):
        training_register.save_attendance(trainer, past, [], now(), today())
    db.session.refresh(booking)
    assert booking.status == BookingStatus.ATTENDED and len(completions(booking)) == 1


def test_an_out_of_date_register_form_is_shown_again_with_its_error_and_saves_nothing(login_as, on_the_day):
    trainer, session, (kim, _lee, _gone) = on_the_day
    response = tick(login_as(trainer), session, kim, token="not-a-token-we-issued")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and 'name="attended"' in page
    db.session.refresh(kim)
    assert kim.status == BookingStatus.BOOKED and completions(kim) == []


def test_two_saves_of_the_same_ticks_at_once_write_one_completion_each(committing_app):
    """A trainer's phone and an officer's laptop sending the same register at the same moment: the conditional UPDATE
    lets one move each booking, so nobody gets two completions (or two certificates)."""
    with committing_app.app_context():
        trainer, council = make_user(Role.TRAINER), make_user(Role.COUNCIL)
        session = make_session(trainer=trainer, day=today())
        booking_ids = [place(make_learner(), session).id for _ in range(3)]
        ids = (session.id, trainer.id, council.id)
        db.session.commit()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(actor_id: int) -> None:
        with committing_app.app_context():
            actor, racing = db.session.get(User, actor_id), db.session.get(TrainingSession, ids[0])
            db.session.rollback()  # on SQLite the read transaction would hold the write lock
            barrier.wait()
            try:
                training_register.save_attendance(actor, racing, booking_ids, now(), today())
                db.session.commit()
            except OperationalError:
                db.session.rollback()  # SQLite: the other writer held the lock for too long; it saved the ticks
            except BaseException as error:  # noqa: BLE001 (reported below, from the test's own thread)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(actor_id,)) for actor_id in ids[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with committing_app.app_context():
        rows = db.session.scalars(
            select(TrainingCompletion.booking_id).where(TrainingCompletion.booking_id.in_(booking_ids))
        ).all()
        assert sorted(rows) == sorted(booking_ids)
        assert audit_count("training.attended") == len(booking_ids)
        statuses = {db.session.get(TrainingBooking, booking_id).status for booking_id in booking_ids}
        assert statuses == {BookingStatus.ATTENDED}
