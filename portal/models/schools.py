"""Schools: the directory imported from CSV, plus what their staff keep up to date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.addresses import address_lines
from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow


class School(db.Model):
    __tablename__ = "schools"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
        CheckConstraint("hall_capacity IS NULL OR hall_capacity BETWEEN 1 AND 2000", name="hall_capacity_range"),
        CheckConstraint("pupils_on_roll >= 0", name="pupils_on_roll_not_negative"),
        # Lists of schools, or of their requests and performances, in name or district order.
        Index("ix_schools_name_id", "name", "id"),
        Index("ix_schools_district_name_id", "district", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(50))
    district: Mapped[str] = mapped_column(String(100))
    town: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(10))
    # The national directory has a few schools with no location or no count of pupils yet (new, or closing).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    pupils_on_roll: Mapped[int | None] = mapped_column(Integer)
    # Kept by the school's own staff: the directory does not know them.
    address: Mapped[str] = mapped_column(String(300), default="")
    # The directory (GIAS TelephoneNum) fills it when empty; staff correct it, and an import keeps their number.
    office_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    hall_capacity: Mapped[int | None] = mapped_column(Integer)
    # 1 to 3, set by the council, read by the scheduler (3 = most wanted).
    priority: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def label(self) -> str:
        return School.label_of(self.name, self.urn)

    @staticmethod
    def label_of(name: str, urn: str) -> str:
        """How a school is named wherever one is chosen: "Cherwell Academy (URN 100001)"."""
        return f"{name} (URN {urn})"

    @property
    def postal_address(self) -> list[str]:
        """The address lines, town and postcode, each once (the day sheet's address)."""
        return address_lines(self.address, self.town, self.postcode)
