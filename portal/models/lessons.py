"""Lesson packs for the follow-up PSHE lessons, the lessons schools deliver, and their evaluation returns.

Everything about pupils here is a count: no pupil is ever recorded as a person.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.performances import Performance
from portal.models.seasons import Production


class LessonPack(db.Model):
    __tablename__ = "lesson_packs"
    __table_args__ = (CheckConstraint("year_group BETWEEN 7 AND 13", name="year_group_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="RESTRICT"), index=True)
    year_group: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    learning_objectives: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    production: Mapped[Production] = relationship()
    files: Mapped[list[LessonPackFile]] = relationship(order_by="LessonPackFile.id", cascade="all, delete-orphan")


class LessonPackFile(db.Model):
    """An uploaded file, stored outside static/ under a name the server chose; served by id, never by path."""

    __tablename__ = "lesson_pack_files"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("lesson_packs.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpLesson(db.Model):
    """One follow-up lesson a school delivered after a performance: a date, a year group and a count of pupils."""

    __tablename__ = "follow_up_lessons"
    __table_args__ = (
        CheckConstraint("year_group BETWEEN 7 AND 13", name="year_group_range"),
        CheckConstraint("pupils BETWEEN 1 AND 1000", name="pupils_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    performance_id: Mapped[int] = mapped_column(ForeignKey("performances.id", ondelete="RESTRICT"), index=True)
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_packs.id", ondelete="SET NULL"))
    delivered_on: Mapped[date] = mapped_column(Date)
    year_group: Mapped[int] = mapped_column(Integer)
    pupils: Mapped[int] = mapped_column(Integer)
    # Why more pupils took part than attended that year group's performance (required in that case).
    excess_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    performance: Mapped[Performance] = relationship()
    pack: Mapped[LessonPack | None] = relationship()


class EvaluationReturn(db.Model):
    """The aggregate results of the short pupil questionnaire after one performance, and the staff rating."""

    __tablename__ = "evaluation_returns"
    __table_args__ = (
        UniqueConstraint("performance_id", name="uq_evaluation_returns_performance_id"),
        CheckConstraint(
            "respondents >= 0"
            " AND confident_before BETWEEN 0 AND respondents AND confident_after BETWEEN 0 AND respondents"
            " AND know_help_before BETWEEN 0 AND respondents AND know_help_after BETWEEN 0 AND respondents",
            name="counts_within_respondents",
        ),
        CheckConstraint("staff_rating BETWEEN 1 AND 5", name="staff_rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    performance_id: Mapped[int] = mapped_column(ForeignKey("performances.id", ondelete="CASCADE"))
    respondents: Mapped[int] = mapped_column(Integer)
    confident_before: Mapped[int] = mapped_column(Integer)
    confident_after: Mapped[int] = mapped_column(Integer)
    know_help_before: Mapped[int] = mapped_column(Integer)
    know_help_after: Mapped[int] = mapped_column(Integer)
    staff_rating: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    performance: Mapped[Performance] = relationship()
