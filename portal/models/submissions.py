"""Forms already sent: one row per one-time form token used, so a form sent twice creates its thing once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow


class FormSubmission(db.Model):
    """A used form token (portal.domain.form_tokens) and where what its first submission made can be seen."""

    __tablename__ = "form_submissions"
    # The constraint, not a look-up first, decides which of two simultaneous submissions is the first.
    __table_args__ = (UniqueConstraint("user_id", "token", name="uq_form_submissions_user_id_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(100))  # the endpoint, like "school.lesson_new"
    # Set in the same transaction as the claim, so a repeat (which only sees committed rows) always finds it.
    result_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
