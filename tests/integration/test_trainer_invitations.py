"""The council invites the CSE training's trainers (administrators can too): the trainer chooses a password through
the e-mailed link and sees only the sessions given to them. An officer invites nobody else, and the users list names
the training's roles."""

from __future__ import annotations

from sqlalchemy import select

from portal.models import AuditEvent, OutboxMessage, Role
from tests.factories import make_user
from tests.integration.pages import location_path, post_form, sign_in
from tests.integration.test_invitations import (
    INVITATION,
    PASSWORD,
    accept,
    account,
    accounts_with,
    invite_user,
    mailed_links,
    new_address,
    subjects_to,
)


def invite_trainer(client, email: str, full_name: str = "Terry Trainer"):
    return post_form(client, "/training/trainers", {"full_name": full_name, "email": email})


def test_a_council_officer_invites_a_trainer_who_signs_in_to_their_sessions(app, session, login_as, fresh_client):
    address = new_address("terry.trainer")
    officer = login_as(Role.COUNCIL)
    assert 'href="/training/trainers"' in officer.get("/training/").get_data(as_text=True)

    response = invite_trainer(officer, address)

    trainer = account(session, address)
    assert location_path(response) == "/training/trainers" and trainer.role == Role.TRAINER
    page = officer.get("/training/trainers").get_data(as_text=True)
    assert "Terry Trainer" in page and "Invitation not yet accepted" in page
    assert subjects_to(session, address) == [INVITATION]
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == trainer.id)) == "account.invited"

    (link,) = mailed_links(app, address)
    accept(fresh_client, link)
    assert location_path(sign_in(fresh_client(), address, PASSWORD)) == "/training/"
    assert "Invitation not yet accepted" not in officer.get("/training/trainers").get_data(as_text=True)


def test_an_officer_is_told_when_the_address_has_an_account_and_nothing_changes(session, login_as):
    existing = make_user(Role.SCHOOL)
    response = invite_trainer(login_as(Role.COUNCIL), existing.email.upper())
    assert response.status_code == 200
    assert "ask an administrator to make it a trainer" in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    session.refresh(existing)
    assert existing.role == Role.SCHOOL and subjects_to(session, existing.email) == []


def test_a_blank_or_bad_address_is_refused_with_its_message(session, login_as):
    officer = login_as(Role.COUNCIL)
    blank = invite_trainer(officer, "", full_name="").get_data(as_text=True)
    assert "Enter the trainer’s full name" in blank and "Enter the trainer’s email address" in blank
    assert accounts_with(session, "not-an-address") == 0
    assert "govuk-error-summary" in invite_trainer(officer, "not-an-address").get_data(as_text=True)
    assert accounts_with(session, "not-an-address") == 0


def test_only_council_officers_invite_trainers_here(session, login_as):
    for role in (Role.ADMIN, Role.TRAINER, Role.COMPANY):
        address = new_address("refused")
        assert invite_trainer(login_as(role), address).status_code in (302, 403, 404)
        assert accounts_with(session, address) == 0


def test_an_administrator_invites_a_trainer_and_the_users_list_names_training_roles(session, login_as):
    address = new_address("admin.invited.trainer")
    admin = login_as(Role.ADMIN)
    assert location_path(invite_user(admin, address, role="trainer")).startswith("/admin/users/")
    assert account(session, address).role == Role.TRAINER
    make_user(Role.LEARNER, full_name="Lee Learner")
    page = admin.get("/admin/?role=trainer").get_data(as_text=True)
    assert "Trainer (CSE training)" in page
    assert "Learner (CSE training)" in admin.get("/admin/?role=learner").get_data(as_text=True)


def test_nobody_is_made_a_learner_by_a_role_change(session, login_as):
    someone = make_user(Role.COMPANY)
    response = post_form(login_as(Role.ADMIN), f"/admin/users/{someone.id}", {"role": "learner"})
    assert response.status_code == 200
    session.refresh(someone)
    assert someone.role == Role.COMPANY


def test_the_invitation_says_a_council_officer_made_the_trainer_account(app, session, login_as):
    address = new_address("told.trainer")
    invite_trainer(login_as(Role.COUNCIL), address)
    body = session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.to_address == address))
    assert ", a council officer, has made you a CSE training trainer account." in body
