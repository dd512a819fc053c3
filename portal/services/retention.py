"""The purge job: removes what the retention schedule says has expired. Idempotent; counts of pupils are untouched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import String, and_, cast, delete, exists, func, or_, select, update

from portal.domain.retention import Holding, rule_for
from portal.domain.training import BookingStatus
from portal.extensions import db
from portal.models import (
    AccountToken,
    ApiToken,
    AuditEvent,
    FormSubmission,
    Learner,
    OutboxMessage,
    ParentBooking,
    Preview,
    PreviewStaffSeat,
    Request,
    Role,
    Season,
    TrainingBooking,
    TrainingCompletion,
    TrainingSession,
    User,
    UserSession,
)
from portal.services import audit
from portal.services.writes import execute_write

# What identifies a person in a user's row and in audit snapshots of it.
PERSONAL_USER_FIELDS = ("email", "full_name", "job_title", "phone", "refusal_reason")
PERSONAL_REQUEST_FIELDS = ("dsl_name", "dsl_email", "dsl_phone", "access_notes")
REMOVED = "Removed"
# Stand-in addresses end with it: a reserved domain (RFC 2606), so never an address anyone has.
REMOVED_DOMAIN = "@removed.invalid"
# Not a hash any password can match (werkzeug hashes start with a method name), so the account can never sign in.
UNMATCHABLE_HASH = "!removed"


@dataclass
class PurgeReport:
    removed: dict[Holding, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def lines(self) -> list[str]:
        return [f"{rule_for(holding).what}: {count}" for holding, count in self.removed.items()]


def configured_training_years() -> int:
    """How many years the record of who was trained is kept (the TRAINING_RECORDS_YEARS setting)."""
    return int(current_app.config["TRAINING_RECORDS_YEARS"])


def purge_expired(now: datetime, training_years: int | None = None) -> PurgeReport:
    """Apply the whole schedule at `now`; running it again at once removes nothing more."""
    years = configured_training_years() if training_years is None else training_years
    report = PurgeReport()
    report.removed[Holding.CLOSED_ACCOUNTS] = anonymise_closed_accounts(now)
    report.removed[Holding.REQUEST_CONTACTS] = remove_request_contacts(now)
    report.removed[Holding.AUDIT_EVENTS] = delete_old_audit_events(now)
    report.removed[Holding.SENT_EMAILS] = delete_old_emails(now)
    report.removed[Holding.SIGN_IN_RECORDS] = delete_spent_sign_in_records(now)
    report.removed[Holding.FORM_SUBMISSIONS] = delete_old_form_submissions(now)
    report.removed[Holding.PREVIEW_NAMES] = remove_preview_names(now)
    report.removed[Holding.TRAINING_RECORDS] = anonymise_old_training_records(now, years)
    report.removed[Holding.LEARNER_ACCOUNTS] = anonymise_idle_learner_accounts(now, years)
    report.removed[Holding.TRAINING_BOOKINGS] = delete_old_unattended_bookings(now)
    if report.total:
        audit.record(None, "retention.purged", "retention", None, after={h.value: n for h, n in report.removed.items()})
    return report


def anonymise_closed_accounts(now: datetime) -> int:
    """Strip the name and contact details from accounts closed (or refused) 12 months ago; the row stays."""
    cutoff = rule_for(Holding.CLOSED_ACCOUNTS).cutoff(now)
    users = db.session.scalars(
        select(User).where(User.closed_at < cutoff, User.anonymised_at.is_(None)).order_by(User.id)
    ).all()
    for user in users:
        anonymise_user(user, now)
    return len(users)


def anonymise_user(user: User, now: datetime) -> None:
    """Remove a person's name and contact details for good; the row stays for the records that point at it.

    Used by the retention schedule, and at once when the person asks to be erased (portal.services.subject_access).
    """
    address = user.email
    user.email = f"removed-{user.id}@removed.invalid"  # unique, and never a deliverable address
    user.full_name = REMOVED
    user.job_title = user.phone = ""
    if user.refusal_reason:
        user.refusal_reason = REMOVED
    user.password_hash = UNMATCHABLE_HASH
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.active = False
    user.wants_reminders = False
    user.closed_at = user.closed_at or now
    user.anonymised_at = now
    scrub_audit_snapshots("user", user.id, PERSONAL_USER_FIELDS)
    # A learner's organisation goes with them; the agency, job role and district stay, for the counts of staff trained.
    db.session.execute(update(Learner).where(Learner.user_id == user.id).values(organisation=REMOVED))
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(delete(AccountToken).where(AccountToken.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address.lower()))


def remove_request_contacts(now: datetime) -> int:
    """Blank the DSL's details and access notes on requests of seasons that ended two years ago."""
    cutoff_day = rule_for(Holding.REQUEST_CONTACTS).cutoff(now).date()
    requests = db.session.scalars(
        select(Request)
        .join(Season, Season.id == Request.season_id)
        .where(Season.ends_on < cutoff_day, Request.contacts_removed_at.is_(None))
        .order_by(Request.id)
    ).all()
    for request_ in requests:
        request_.dsl_name = REMOVED
        request_.dsl_email = request_.dsl_phone = request_.access_notes = ""
        request_.contacts_removed_at = now
        scrub_audit_snapshots("request", request_.id, PERSONAL_REQUEST_FIELDS)
    return len(requests)


def delete_old_audit_events(now: datetime) -> int:
    cutoff = rule_for(Holding.AUDIT_EVENTS).cutoff(now)
    return execute_write(delete(AuditEvent).where(AuditEvent.at < cutoff))


def delete_old_emails(now: datetime) -> int:
    """Copies of messages, sent or never deliverable, once they are older than the schedule allows."""
    cutoff = rule_for(Holding.SENT_EMAILS).cutoff(now)
    return execute_write(delete(OutboxMessage).where(OutboxMessage.created_at < cutoff))


def delete_spent_sign_in_records(now: datetime) -> int:
    cutoff = rule_for(Holding.SIGN_IN_RECORDS).cutoff(now)
    sessions = delete(UserSession).where(func.coalesce(UserSession.ended_at, UserSession.last_seen_at) < cutoff)
    tokens = delete(AccountToken).where(or_(AccountToken.expires_at < cutoff, AccountToken.used_at < cutoff))
    api_tokens = delete(ApiToken).where(ApiToken.revoked_at < cutoff)
    return sum(execute_write(statement) for statement in (sessions, tokens, api_tokens))


def delete_old_form_submissions(now: datetime) -> int:
    """Used form tokens past the schedule: their forms are refused as out of date long before."""
    cutoff = rule_for(Holding.FORM_SUBMISSIONS).cutoff(now)
    return execute_write(delete(FormSubmission).where(FormSubmission.created_at < cutoff))


def remove_preview_names(now: datetime) -> int:
    """Blank parents' names and addresses and colleagues' names booked for previews 30 days past; the rows stay, so
    the seats booked and attended are still counted."""
    cutoff_day = rule_for(Holding.PREVIEW_NAMES).cutoff(now).date()
    past = select(Preview.id).where(Preview.day < cutoff_day)
    parents = (
        update(ParentBooking)
        .where(ParentBooking.preview_id.in_(past), ParentBooking.names_removed_at.is_(None))
        .values(
            parent_name=REMOVED,
            email="removed-" + cast(ParentBooking.id, String) + "@removed.invalid",
            names_removed_at=now,
        )
    )
    staff = (
        update(PreviewStaffSeat)
        .where(PreviewStaffSeat.preview_id.in_(past), PreviewStaffSeat.names_removed_at.is_(None))
        .values(colleague_name=REMOVED, names_removed_at=now)
    )
    return execute_write(parents) + execute_write(staff)


def anonymise_old_training_records(now: datetime, years: int) -> int:
    """Anonymise the completions of each person whose last completed training is older than the schedule allows."""
    cutoff_day = rule_for(Holding.TRAINING_RECORDS, years).cutoff(now).date()
    stale = db.session.scalars(
        select(TrainingCompletion.email)
        .where(TrainingCompletion.email.not_like(f"%{REMOVED_DOMAIN}"))
        .group_by(TrainingCompletion.email)
        .having(func.max(TrainingCompletion.completed_on) < cutoff_day)
        .order_by(TrainingCompletion.email)
    ).all()
    return anonymise_completions_of(stale)


def anonymise_completions_of(emails: Iterable[str]) -> int:
    """Remove the name, e-mail address, organisation and certificate code from every completion of these addresses;
    the rows stay with their agency, job role, district, level and date. How many rows were changed.

    Reach counts each person once per level by e-mail address (portal.services.training_reach), so the address is
    replaced, not blanked, by a stand-in that is the same for all of one address's rows and different from every
    other: `anonymised-<the id of the address's first row>@removed.invalid`. Every caller hands over whole addresses
    (the purge takes a person when their *last* completion expires; erasure takes all of them at once), so a
    person's rows never end up split between their address and a stand-in, and the first completion at each level,
    hence every count and month of the reach figures, stays where it was. A keyed hash of the address would keep
    the counts too, but anyone holding the key could still test an address against it (pseudonymised data is
    still personal data) and a new SECRET_KEY would split people; the first row's id carries nothing of the person
    and needs no key. `.invalid` can never be a real address (RFC 2606), so it never meets a new import's.
    """
    changed = 0
    for email in sorted({email.strip().lower() for email in emails}):
        first_id = db.session.scalar(select(func.min(TrainingCompletion.id)).where(TrainingCompletion.email == email))
        if first_id is None or email.endswith(REMOVED_DOMAIN):
            continue
        changed += execute_write(
            update(TrainingCompletion)
            .where(TrainingCompletion.email == email)
            .values(
                email=f"anonymised-{first_id}{REMOVED_DOMAIN}", name=REMOVED, organisation="", certificate_code=None
            )
            .execution_options(synchronize_session=False)
        )
    return changed


def anonymise_idle_learner_accounts(now: datetime, years: int) -> int:
    """Remove the learner accounts with no booking, completed training or sign-in for as long as the record of who
    was trained is kept: their name and address go as a closed account's do, the learner's agency, job role and
    district stay. Their bookings stay too, as places of nobody, so the registers of past sessions still add up."""
    cutoff = rule_for(Holding.LEARNER_ACCOUNTS, years).cutoff(now)
    recent_booking = (
        select(TrainingBooking.id)
        .join(Learner, Learner.id == TrainingBooking.learner_id)
        .join(TrainingSession, TrainingSession.id == TrainingBooking.session_id)
        .where(
            Learner.user_id == User.id,
            or_(TrainingSession.day >= cutoff.date(), TrainingBooking.created_at >= cutoff),
        )
    )
    recent_completion = select(TrainingCompletion.id).where(
        TrainingCompletion.email == func.lower(User.email), TrainingCompletion.completed_on >= cutoff.date()
    )
    users = db.session.scalars(
        select(User)
        .where(
            User.role == Role.LEARNER,
            User.anonymised_at.is_(None),
            User.created_at < cutoff,
            or_(User.last_login_at.is_(None), User.last_login_at < cutoff),
            ~exists(recent_booking),
            ~exists(recent_completion),
        )
        .order_by(User.id)
    ).all()
    for user in users:
        anonymise_user(user, now)
    return len(users)


def delete_old_unattended_bookings(now: datetime) -> int:
    """Delete cancelled and waiting-list places on sessions a year past: they show nobody was trained. Places booked
    or attended stay with the learner's account (an attended one is its completion's source)."""
    cutoff_day = rule_for(Holding.TRAINING_BOOKINGS).cutoff(now).date()
    past = select(TrainingSession.id).where(TrainingSession.day < cutoff_day)
    completed = select(TrainingCompletion.booking_id).where(TrainingCompletion.booking_id.is_not(None))
    return execute_write(
        delete(TrainingBooking)
        .where(
            TrainingBooking.session_id.in_(past),
            TrainingBooking.status.in_([BookingStatus.CANCELLED, BookingStatus.WAITING]),
            TrainingBooking.id.not_in(completed),
        )
        .execution_options(synchronize_session=False)
    )


def scrub_audit_snapshots(object_type: str, object_id: int, fields: tuple[str, ...]) -> None:
    """Replace personal fields in the before/after snapshots of one record's audit events; the events remain."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(and_(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id))
        .order_by(AuditEvent.id)
    ).all()
    for event in events:
        event.before = _scrubbed(event.before, fields)
        event.after = _scrubbed(event.after, fields)
        if object_type == "user":
            event.detail = ""
    db.session.flush()


def _scrubbed(snapshot: dict | None, fields: tuple[str, ...]) -> dict | None:
    if not snapshot:
        return snapshot
    return {key: (REMOVED if key in fields and value else value) for key, value in snapshot.items()}
