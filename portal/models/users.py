"""Users, their roles and approval, and the server-side records of their sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.schools import School


class Role(enum.StrEnum):
    SCHOOL = "school"
    COMPANY = "company"
    COUNCIL = "council"
    ADMIN = "admin"
    TRAINER = "trainer"  # runs the council's CSE training sessions
    LEARNER = "learner"  # works with children and books the council's CSE training


class ApprovalState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value, as a VARCHAR with a named CHECK constraint on both backends."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("(role = 'school') = (school_id IS NOT NULL)", name="school_staff_have_a_school"),
        CheckConstraint("approval_state <> 'refused' OR refusal_reason <> ''", name="refusal_has_reason"),
        # The council's queue of school accounts waiting for approval, oldest first, among every user (learners too).
        Index("ix_users_role_approval_state_created_at", "role", "approval_state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    approval_state: Mapped[ApprovalState] = mapped_column(
        enum_column(ApprovalState, "approval_state"), default=ApprovalState.PENDING
    )
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    # Reminder e-mails can be turned off; essential messages (approvals, changes to performances) cannot.
    wants_reminders: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the account was deactivated or refused; the retention schedule counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the purge job removed the name and contact details (the row stays for the records that point at it).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The second factor (an authenticator app's time-based codes): the shared key, set up when the user confirms a
    # first code; the last time step accepted, so a code seen over someone's shoulder cannot be used again.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    school: Mapped[School | None] = relationship()

    # Flask-Login's interface. The session cookie carries a session record id, not the user id
    # (see portal.services.sessions), so get_id is only used by Flask-Login's bookkeeping.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_approved(self) -> bool:
        return self.approval_state == ApprovalState.APPROVED


class UserSession(db.Model):
    """One signed-in browser. Logging out ends it, so a copied cookie stops working."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the random token kept in the signed session cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the password was last entered in this session (sign-in or confirming it): sensitive changes need it recent.
    authenticated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When this session passed the second factor (for the roles that need one).
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
