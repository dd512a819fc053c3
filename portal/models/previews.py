"""Preview performances for adults: the seats school staff book for named colleagues, each school's link for
parents, and the parents' bookings made through it."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.previews import (
    PARENT_SEATS_MAX,
    Audience,
    ParentBookingState,
    PreviewAudience,
    PreviewStatus,
)
from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.schools import School
from portal.models.seasons import Production
from portal.models.users import enum_column

# The schools a preview is for when its audience is a list of schools.
preview_schools = Table(
    "preview_schools",
    db.metadata,
    Column("preview_id", ForeignKey("previews.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("schools.id", ondelete="RESTRICT"), primary_key=True),
)


class Preview(db.Model):
    """A performance for adults (school staff and parents) before pupils see the drama."""

    __tablename__ = "previews"
    __table_args__ = (
        CheckConstraint("seats BETWEEN 1 AND 2000", name="seats_range"),
        # The backstop for the race for the last seat: a booking takes seats with a conditional UPDATE of this
        # counter (portal.services.preview_seats), and the database refuses any count past the seats.
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_taken_within_seats"),
        Index("ix_previews_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time] = mapped_column(Time)
    venue_address: Mapped[str] = mapped_column(String(300))
    access_information: Mapped[str] = mapped_column(Text, default="")
    seats: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    audience: Mapped[PreviewAudience] = mapped_column(enum_column(PreviewAudience, "preview_audience"))
    district: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[PreviewStatus] = mapped_column(
        enum_column(PreviewStatus, "preview_status"), default=PreviewStatus.SCHEDULED
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    production: Mapped[Production] = relationship()
    schools: Mapped[list[School]] = relationship(secondary=preview_schools, order_by=School.name)

    @property
    def audience_rule(self) -> Audience:
        return Audience(self.audience, self.district, frozenset(school.id for school in self.schools))

    @property
    def seats_left(self) -> int:
        return self.seats - self.seats_taken

    @property
    def cancelled(self) -> bool:
        return self.status == PreviewStatus.CANCELLED


class PreviewStaffSeat(db.Model):
    """One seat a school's staff booked for a named colleague (a name only: no other details)."""

    __tablename__ = "preview_staff_seats"
    __table_args__ = (Index("ix_preview_staff_seats_preview_school", "preview_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    preview_id: Mapped[int] = mapped_column(ForeignKey("previews.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    colleague_name: Mapped[str] = mapped_column(String(120))
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    names_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    preview: Mapped[Preview] = relationship()
    school: Mapped[School] = relationship()


# At most one link in use per school; a rotated link is kept, replaced, so that it is refused.
CURRENT_LINK = text("replaced_at IS NULL")


class ParentLink(db.Model):
    """The link a school shares with its parents to book previews; only its hash is stored."""

    __tablename__ = "parent_links"
    __table_args__ = (
        Index(
            "uq_parent_links_current_school",
            "school_id",
            unique=True,
            sqlite_where=CURRENT_LINK,
            postgresql_where=CURRENT_LINK,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school: Mapped[School] = relationship()


class ParentBooking(db.Model):
    """A parent's seats at a preview, booked through their school's link with a name and an e-mail address."""

    __tablename__ = "parent_bookings"
    __table_args__ = (
        CheckConstraint(f"seats BETWEEN 1 AND {PARENT_SEATS_MAX}", name="seats_range"),
        Index("ix_parent_bookings_preview_school", "preview_id", "school_id"),
        Index("ix_parent_bookings_preview_email", "preview_id", "email"),
        Index("ix_parent_bookings_preview_state", "preview_id", "state", "joined_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    preview_id: Mapped[int] = mapped_column(ForeignKey("previews.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    parent_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))  # kept lower-case, so limits per address count every spelling
    seats: Mapped[int] = mapped_column(Integer)
    state: Mapped[ParentBookingState] = mapped_column(
        enum_column(ParentBookingState, "parent_booking_state"), default=ParentBookingState.AWAITING_CONFIRMATION
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirm_by: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the booking joined the seats or the waiting list: the waiting list's order.
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    names_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    preview: Mapped[Preview] = relationship()
    school: Mapped[School] = relationship()
