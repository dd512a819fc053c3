"""The council's approval queue: an account is approved only once its e-mail address is confirmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from portal.models import ApprovalState, AuditEvent, OutboxMessage, Role
from tests.factories import make_user
from tests.integration.pages import location_path, post_form

UNCONFIRMED = "You cannot approve this account until its email address is confirmed"


def queue_row(page: str, full_name: str) -> str:
    """The approval queue's table row for one applicant."""
    rows = re.findall(r'<tr class="govuk-table__row">.*?</tr>', page, flags=re.S)
    (row,) = [row for row in rows if full_name in row]
    return row


def events(session, action: str, user_id: int) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_id == user_id)
    return list(session.scalars(query))


def test_an_account_whose_address_is_unconfirmed_cannot_be_approved_and_nothing_changes(session, login_as):
    applicant = make_user(Role.SCHOOL, approved=False)
    council = login_as(Role.COUNCIL)

    response = post_form(council, f"/council/approvals/{applicant.id}", {"decision": "approve"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and UNCONFIRMED in page
    session.refresh(applicant)
    assert applicant.approval_state == ApprovalState.PENDING
    assert events(session, "account.approved", applicant.id) == []
    assert list(session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == applicant.email))) == []


def test_once_the_address_is_confirmed_the_account_can_be_approved(session, login_as):
    applicant = make_user(Role.SCHOOL, approved=False, email_verified_at=datetime.now(UTC))
    council = login_as(Role.COUNCIL)
    response = post_form(council, f"/council/approvals/{applicant.id}", {"decision": "approve"})
    assert location_path(response) == "/council/approvals"
    session.refresh(applicant)
    assert applicant.approval_state == ApprovalState.APPROVED
    assert len(events(session, "account.approved", applicant.id)) == 1


def test_an_account_whose_address_is_unconfirmed_can_still_be_refused(session, login_as):
    applicant = make_user(Role.SCHOOL, approved=False)
    council = login_as(Role.COUNCIL)
    response = post_form(
        council, f"/council/approvals/{applicant.id}", {"decision": "refuse", "reason": "Nobody of that name here"}
    )
    assert location_path(response) == "/council/approvals"
    session.refresh(applicant)
    assert applicant.approval_state == ApprovalState.REFUSED


def test_the_queue_and_the_decision_page_show_whether_each_address_is_confirmed(session, login_as):
    confirmed = make_user(Role.SCHOOL, approved=False, email_verified_at=datetime.now(UTC))
    unconfirmed = make_user(Role.SCHOOL, approved=False)
    council = login_as(Role.COUNCIL)

    queue = council.get("/council/approvals").get_data(as_text=True)
    assert "Email confirmed" in queue
    assert "Confirmed" in queue_row(queue, confirmed.full_name)
    assert "Not yet" in queue_row(queue, unconfirmed.full_name)

    waiting = council.get(f"/council/approvals/{unconfirmed.id}").get_data(as_text=True)
    assert "Email address confirmed" in waiting and "You cannot approve this account yet" in waiting
    ready = council.get(f"/council/approvals/{confirmed.id}").get_data(as_text=True)
    assert "Email address confirmed" in ready and "You cannot approve this account yet" not in ready


def test_the_applicant_is_told_to_confirm_their_address_while_waiting(login_as):
    applicant = make_user(Role.SCHOOL, approved=False)
    page = login_as(applicant).get("/awaiting-approval").get_data(as_text=True)
    assert "Confirm your email address" in page and "Send the confirmation link again" in page
    confirmed = make_user(Role.SCHOOL, approved=False, email_verified_at=datetime.now(UTC))
    assert "Send the confirmation link again" not in login_as(confirmed).get("/awaiting-approval").get_data(
        as_text=True
    )
