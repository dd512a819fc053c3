"""Accounts from a screen: administrators invite company, council and administrator accounts, and school staff invite
a colleague at their own school (whom the council still approves). The invited person chooses a password through a
single-use, expiring e-mailed link, with the same rules as registering; inviting a colleague never reveals whether
an address has an account, and is rate limited."""

from __future__ import annotations

import email
import itertools
import re
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from portal import access_log
from portal.clock import now
from portal.domain.form_tokens import new_token
from portal.models import AccountToken, ApprovalState, AuditEvent, OutboxMessage, Role, User
from portal.services import outbox
from tests.factories import make_user
from tests.integration.pages import csrf_token, location_path, post_form, sign_in

PASSWORD = "meadow lantern copper 84"
INVITATION = "Set a password for your new account"
ALREADY_HAS_ONE = "Someone tried to invite you to an account"
TO_APPROVE = "New school account to approve"
BAD_LINK = "This link has expired or has already been used"
_numbers = itertools.count(1)


def new_address(name: str = "invited") -> str:
    """An address no other test uses (the e-mails sent stay in the app's mail folder for the whole run)."""
    return f"{name}.{next(_numbers)}@invited.example.org".lower()


def subjects_to(session, address: str) -> list[str]:
    query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(session.scalars(query))


def mailed_links(app, address: str, kind: str = "invitation") -> list[str]:
    """The paths of the links of a kind e-mailed to the address, oldest first, read from the .eml files sent (the
    outbox keeps no token once a message has gone)."""
    link = re.compile(rf"http://127\.0\.0\.1:5000(/{kind}/[A-Za-z0-9_\-]+)")
    paths = []
    for path in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            paths += link.findall(message.get_body(("plain",)).get_content())
    return paths


def account(session, address: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == address.lower()))


def accounts_with(session, address: str) -> int:
    return session.scalar(select(func.count()).select_from(User).where(func.lower(User.email) == address.lower()))


def actions_on(session, user: User) -> list[tuple[str, int | None]]:
    query = select(AuditEvent.action, AuditEvent.actor_id).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id
    )
    return list(session.execute(query.order_by(AuditEvent.id)))


def invite_user(client, email: str, role: str = "council", full_name: str = "Casey Officer"):
    return post_form(client, "/admin/users/invite", {"full_name": full_name, "email": email, "role": role})


def invite_colleague(client, email: str, full_name: str = "Jamie Colleague", **extra):
    data = {"full_name": full_name, "job_title": "PSHE lead", "email": email, **extra}
    return post_form(client, "/school/colleagues/invite", data)


def open_link(client, path: str):
    """Follow an e-mailed link as a browser does: the token moves into the session, the address bar loses it."""
    response = client.get(path)
    assert response.status_code == 302 and location_path(response) == "/invitation"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    return client.get("/invitation")


def choose_password(client, password: str = PASSWORD, confirm: str | None = None):
    return post_form(client, "/invitation", {"password": password, "confirm": password if confirm is None else confirm})


def accept(fresh_client, path: str, password: str = PASSWORD):
    client = fresh_client()
    assert open_link(client, path).status_code == 200
    response = choose_password(client, password)
    assert response.status_code == 302 and location_path(response) == "/login", response.get_data(as_text=True)
    return client


# Administrators


def test_an_administrator_invites_a_council_officer_who_chooses_a_password_and_signs_in(
    app, session, login_as, fresh_client, world
):
    address = new_address("Casey.Officer")
    admin = login_as(world.users["admin"])
    page = admin.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/users/invite"' in page

    response = invite_user(admin, address.upper())

    officer = account(session, address)
    assert officer is not None and location_path(response) == f"/admin/users/{officer.id}"
    assert (officer.role, officer.approval_state, officer.email_verified_at) == (
        Role.COUNCIL,
        ApprovalState.APPROVED,
        None,
    )
    assert "Invited: no password yet" in admin.get("/admin/").get_data(as_text=True)
    assert ("account.invited", world.users["admin"].id) in actions_on(session, officer)
    assert subjects_to(session, officer.email) == [INVITATION]
    # Nobody knows the password until the officer chooses one.
    for guess in (PASSWORD, officer.password_hash):
        assert sign_in(fresh_client(), officer.email, guess).status_code == 200

    (link,) = mailed_links(app, officer.email)
    record = session.scalar(select(AccountToken).where(AccountToken.user_id == officer.id))
    assert record.purpose == "invite" and record.expires_at - record.created_at == timedelta(days=3)
    client = fresh_client()
    form = open_link(client, link)
    assert form.status_code == 200 and officer.email in form.get_data(as_text=True)
    assert choose_password(client).status_code == 302

    session.refresh(officer)
    assert check_password_hash(officer.password_hash, PASSWORD) and officer.email_verified_at is not None
    assert location_path(sign_in(fresh_client(), officer.email, PASSWORD)) == "/council/"
    assert ("account.invitation_accepted", officer.id) in actions_on(session, officer)
    assert "Invited: no password yet" not in admin.get("/admin/").get_data(as_text=True)


def test_inviting_needs_the_password_entered_recently(app, session, login_as, world):
    address = new_address("stale.session")
    from tests.integration.test_password_change import make_stale

    admin = login_as(world.users["admin"])
    make_stale(session, world.users["admin"])
    assert admin.get("/admin/users/invite").status_code == 200  # reading the form is fine
    response = invite_user(admin, address)
    assert location_path(response) == "/confirm-password?next=/admin/users/invite"
    assert accounts_with(session, address) == 0


def test_an_administrator_is_told_when_the_address_has_an_account(app, session, login_as, world):
    admin = login_as(world.users["admin"])
    existing = world.users["council"]
    response = invite_user(admin, existing.email.upper(), role="company")
    assert response.status_code == 200 and "There is already an account with this email address" in response.text
    session.refresh(existing)
    assert existing.role == Role.COUNCIL and subjects_to(session, existing.email) == []


@pytest.mark.parametrize("role", ["school", "pupil", ""])
def test_an_administrator_invites_only_company_council_and_administrator_accounts(app, session, login_as, world, role):
    response = invite_user(login_as(world.users["admin"]), "someone.new@example.org", role=role)
    assert response.status_code == 200 and accounts_with(session, "someone.new@example.org") == 0


def test_an_invited_administrator_still_sets_up_the_second_factor_through_its_own_link(
    app, session, login_as, fresh_client, world
):
    address = new_address("new.admin")
    invite_user(login_as(world.users["admin"]), address, role="admin")
    (link,) = mailed_links(app, address)
    client = accept(fresh_client, link)
    # The invitation link, spent or not, is no set-up link: the app is set up through a link of its own.
    client.get(link)
    assert sign_in(client, address, PASSWORD).status_code == 302
    assert location_path(client.get("/admin/")).startswith("/second-factor")
    page = client.get("/second-factor/set-up").get_data(as_text=True)
    assert "Email me a set-up link" in page and 'id="set-up-key"' not in page
    assert client.get("/second-factor/set-up/qr.svg").status_code == 404


def test_an_administrator_sends_a_new_link_and_the_old_one_stops_working(app, session, login_as, fresh_client, world):
    address = new_address("lost.link")
    admin = login_as(world.users["admin"])
    invite_user(admin, address)
    officer = account(session, address)
    page = admin.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    assert "Send a new invitation link" in page

    response = post_form(admin, f"/admin/users/{officer.id}/invitation")
    assert location_path(response) == f"/admin/users/{officer.id}"
    older, newer = mailed_links(app, officer.email)
    assert fresh_client().get(older).status_code == 302
    stale = fresh_client()
    assert open_link(stale, older).status_code == 400
    accept(fresh_client, newer)
    assert ("account.invitation_resent", world.users["admin"].id) in actions_on(session, officer)
    # Once the password is chosen there is nothing to send again.
    assert post_form(admin, f"/admin/users/{officer.id}/invitation").status_code == 404
    assert "Send a new invitation link" not in admin.get(f"/admin/users/{officer.id}").get_data(as_text=True)


# The link


def test_a_used_link_is_refused_and_changes_nothing(app, session, login_as, fresh_client, world):
    address = new_address("once.only")
    invite_user(login_as(world.users["admin"]), address)
    (link,) = mailed_links(app, address)
    accept(fresh_client, link)
    again = fresh_client()
    page = open_link(again, link)
    assert page.status_code == 400 and BAD_LINK in page.get_data(as_text=True)
    assert choose_password(again, "another password entirely 9").status_code == 400
    officer = account(session, address)
    session.refresh(officer)
    assert check_password_hash(officer.password_hash, PASSWORD)


def test_an_expired_link_is_refused(app, session, login_as, fresh_client, world, monkeypatch):
    address = new_address("too.late")
    invite_user(login_as(world.users["admin"]), address)
    (link,) = mailed_links(app, address)
    monkeypatch.setenv("PORTAL_FAKE_NOW", (now() + timedelta(days=3, minutes=1)).isoformat())
    client = fresh_client()
    page = open_link(client, link)
    assert page.status_code == 400 and "ask the person who invited you" in page.get_data(as_text=True)
    assert choose_password(client).status_code == 400
    assert account(session, address).email_verified_at is None


def test_a_password_reset_spends_the_invitation_too(app, session, login_as, fresh_client, world):
    address = new_address("reset.first")
    invite_user(login_as(world.users["admin"]), address)
    (link,) = mailed_links(app, address)
    post_form(fresh_client(), "/forgot-password", {"email": address})
    (reset_link,) = mailed_links(app, address, "reset-password")
    client = fresh_client()
    client.get(reset_link)
    assert post_form(client, "/reset-password", {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    assert open_link(fresh_client(), link).status_code == 400


def mailed_body(session, subject: str) -> str:
    query = select(OutboxMessage.body_text).where(OutboxMessage.subject == subject).order_by(OutboxMessage.id.desc())
    return session.scalars(query).first()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short one", "Password must be 12 characters or more"),
        ("password1234", "Password is too common"),
    ],
)
def test_the_password_rules_are_those_of_registering(app, session, login_as, fresh_client, world, password, message):
    address = new_address("rules.apply")
    invite_user(login_as(world.users["admin"]), address)
    (link,) = mailed_links(app, address)
    client = fresh_client()
    open_link(client, link)
    response = choose_password(client, password)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    mismatch = choose_password(client, PASSWORD, "something else altogether")
    assert "The two passwords do not match" in mismatch.get_data(as_text=True)
    assert open_link(client, link).status_code == 200  # the link still works after a refused password


def test_the_token_stays_out_of_logs_and_of_the_outbox_once_sent():
    line = 'GET /invitation/AbC-123_x HTTP/1.1" 302'
    assert access_log.redact(line) == 'GET /invitation/[redacted] HTTP/1.1" 302'
    body = "Choose a password: http://127.0.0.1:5000/invitation/AbC-123_x within 3 days."
    assert outbox.redact(body) == "Choose a password: http://127.0.0.1:5000/invitation/[link removed] within 3 days."


def test_an_unknown_link_gets_a_clear_page(anonymous):
    for token in ("nope", "x" * 500):
        response = anonymous.get(f"/invitation/{token}", follow_redirects=True)
        assert response.status_code == 400 and BAD_LINK in response.get_data(as_text=True)


# School staff invite a colleague


def test_a_member_invites_a_colleague_whom_the_council_approves(app, session, login_as, fresh_client, world):
    address = new_address("jamie.colleague")
    member = world.users["school"]
    client = login_as(member)
    assert 'href="/school/colleagues/invite"' in client.get("/school/profile").get_data(as_text=True)
    assert 'href="/school/colleagues/invite"' in client.get("/account").get_data(as_text=True)

    response = invite_colleague(client, address)

    assert location_path(response) == "/school/profile"
    colleague = account(session, address)
    assert (colleague.role, colleague.school_id, colleague.approval_state, colleague.job_title) == (
        Role.SCHOOL,
        world.school_a.id,
        ApprovalState.PENDING,
        "PSHE lead",
    )
    assert ("account.invited", member.id) in actions_on(session, colleague)
    # In the council's queue, as invited by the member, but not to be approved before the address is confirmed.
    council = login_as(world.users["council"])
    queue = council.get("/council/approvals").get_data(as_text=True)
    assert f"Invited by {member.full_name}" in queue
    refused = post_form(council, f"/council/approvals/{colleague.id}", {"decision": "approve"})
    assert refused.status_code == 200 and colleague.approval_state == ApprovalState.PENDING
    assert "Jamie Colleague" not in client.get("/school/profile").get_data(as_text=True)

    (link,) = mailed_links(app, colleague.email)
    accept(fresh_client, link)
    session.refresh(colleague)
    assert colleague.email_verified_at is not None
    told = mailed_body(session, f"{TO_APPROVE}: {world.school_a.name}")
    assert f"invited by their colleague {member.full_name}" in told
    waiting = fresh_client()
    assert location_path(sign_in(waiting, colleague.email, PASSWORD)) == "/school/"
    page = waiting.get("/awaiting-approval").get_data(as_text=True)
    assert f"{member.full_name} invited you to an account for {world.school_a.name}" in page
    assert "Jamie Colleague" in client.get("/school/profile").get_data(as_text=True)

    decide = council.get(f"/council/approvals/{colleague.id}").get_data(as_text=True)
    assert member.full_name in decide
    assert location_path(post_form(council, f"/council/approvals/{colleague.id}", {"decision": "approve"})) == (
        "/council/approvals"
    )
    assert fresh_client_signs_in_to(fresh_client, colleague.email) == "/school/"


def fresh_client_signs_in_to(fresh_client, email: str) -> str:
    client = fresh_client()
    sign_in(client, email, PASSWORD)
    response = client.get("/school/")
    return "/school/" if response.status_code == 200 else location_path(response)


def test_a_school_cannot_invite_into_another_school(app, session, login_as, world):
    address = new_address("sneaky")
    client = login_as(world.users["school"])
    invite_colleague(
        client,
        address,
        school=world.school_b.urn,
        school_id=str(world.school_b.id),
        role="admin",
    )
    invited = account(session, address)
    assert (invited.school_id, invited.role, invited.approval_state) == (
        world.school_a.id,
        Role.SCHOOL,
        ApprovalState.PENDING,
    )
    # Nor take over another school's member by inviting their address: the account stays theirs, they are told.
    other = world.target
    before = (other.school_id, other.full_name, other.job_title, other.password_hash, other.approval_state)
    invite_colleague(client, other.email)
    session.refresh(other)
    assert (other.school_id, other.full_name, other.job_title, other.password_hash, other.approval_state) == before
    assert other.school_id == world.school_b.id
    assert subjects_to(session, other.email) == [ALREADY_HAS_ONE]
    # The school's list of staff accounts is its own.
    profile = client.get("/school/profile").get_data(as_text=True)
    assert world.users["school"].full_name in profile and other.full_name not in profile


def comparable(response, email: str) -> tuple:
    """What the inviter can see of an answer: status, redirect, and the page it leads to, less per-response tokens
    and the address they typed themselves."""
    body = re.sub(r'(nonce|value|data-csrf-token)="[^"]*"', "", response.get_data(as_text=True)).replace(
        email, "ADDRESS"
    )
    return response.status_code, location_path(response), body


def answer_and_page(login_as, member, email: str) -> tuple:
    client = login_as(member)
    response = invite_colleague(client, email)
    return comparable(response, email), comparable(client.get(location_path(response)), email)


@pytest.mark.parametrize("role", ["school", "company", "council", "admin"])
def test_inviting_an_address_with_an_account_answers_as_for_a_new_one(app, session, login_as, world, role):
    owner = make_user(role)
    before = (owner.password_hash, owner.full_name, owner.role, owner.school_id, owner.approval_state)
    fresh = new_address("brand.new")

    assert answer_and_page(login_as, world.users["school"], owner.email.upper()) == answer_and_page(
        login_as, world.users["school"], fresh
    )

    session.refresh(owner)
    assert (owner.password_hash, owner.full_name, owner.role, owner.school_id, owner.approval_state) == before
    assert accounts_with(session, owner.email) == 1
    assert [subject for subject in subjects_to(session, owner.email) if "approve" not in subject] == [ALREADY_HAS_ONE]
    assert subjects_to(session, fresh) == [INVITATION]


def test_the_owner_is_told_how_to_sign_in_or_reset_instead(app, session, login_as, world):
    owner = make_user(Role.COUNCIL)
    invite_colleague(login_as(world.users["school"]), owner.email)
    body = mailed_body(session, ALREADY_HAS_ONE)
    portal = app.config["PORTAL_URL"]
    assert world.users["school"].full_name in body and world.school_a.name in body
    assert f"{portal}/login" in body and f"{portal}/forgot-password" in body and "/invitation/" not in body


def test_inviting_again_sends_a_new_link_not_a_second_account(app, session, login_as, fresh_client, world):
    address = new_address("slow.reader")
    invite_colleague(login_as(world.users["school"]), address)
    colleague_member = make_user(Role.SCHOOL, school=world.school_a)
    invite_colleague(login_as(colleague_member), address)
    assert accounts_with(session, address) == 1
    older, newer = mailed_links(app, address)
    assert open_link(fresh_client(), older).status_code == 400
    accept(fresh_client, newer)
    invited = account(session, address)
    assert ("account.invitation_resent", colleague_member.id) in actions_on(session, invited)


def test_staff_waiting_for_approval_cannot_invite(app, session, login_as, world):
    address = new_address("friend")
    response = invite_colleague(login_as(world.pending), address)
    assert location_path(response).startswith("/awaiting-approval")
    assert accounts_with(session, address) == 0


def test_inviting_one_address_is_limited_whether_or_not_it_has_an_account(app, session, login_as, world):
    owner = make_user(Role.COMPANY)
    for address in (owner.email, new_address("limited")):
        answers = [
            invite_colleague(login_as(make_user(Role.SCHOOL, school=world.school_a)), address).status_code
            for _ in range(4)
        ]
        assert answers == [302, 302, 302, 429], address


def test_one_member_invites_at_most_ten_colleagues_an_hour(app, session, login_as, world):
    address = new_address("counted")
    client = login_as(world.users["school"])
    answers = [invite_colleague(client, f"colleague.{n}@alder.example.org").status_code for n in range(11)]
    assert answers == [302] * 10 + [429]
    # Mistakes in the form do not count.
    other = login_as(make_user(Role.SCHOOL, school=world.school_a))
    for _ in range(12):
        assert invite_colleague(other, "not an address").status_code == 200
    assert invite_colleague(other, address).status_code == 302


def test_the_same_invitation_sent_three_times_invites_once(app, session, login_as, world):
    address = new_address("twice.sent")
    client = login_as(world.users["school"])
    data = {
        "full_name": "Twice Sent",
        "job_title": "Head of Year 9",
        "email": address,
        "form_token": new_token(now()),
        "csrf_token": csrf_token(client),
    }
    answers = [client.post("/school/colleagues/invite", data=data) for _ in range(3)]
    assert [location_path(answer) for answer in answers] == ["/school/profile"] * 3
    assert subjects_to(session, address) == [INVITATION]


def test_a_deactivated_invitation_no_longer_works(app, session, login_as, fresh_client, world):
    address = new_address("left.school")
    invite_colleague(login_as(world.users["school"]), address)
    (link,) = mailed_links(app, address)
    session.execute(update(User).where(User.email == address).values(active=False))
    session.flush()
    assert open_link(fresh_client(), link).status_code == 400


def test_a_second_factor_set_up_link_stays_out_of_the_outbox_once_sent():
    body = "Set up your app: http://127.0.0.1:5000/second-factor/link/AbC-123_x within an hour."
    assert (
        outbox.redact(body)
        == "Set up your app: http://127.0.0.1:5000/second-factor/link/[link removed] within an hour."
    )
