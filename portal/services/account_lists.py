"""The people with accounts, as long lists: the administrator's users and the council's approval queue, searched,
sorted and a page at a time, each row's school loaded with it (a national programme has thousands of accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select

from portal.domain.listings import Listing, ListQuery
from portal.models import ApprovalState, Role, School, User
from portal.services.listings import containing, page_of, starting

USER_SORTS = {
    "email": "Email (A to Z)",
    "name": "Name (A to Z)",
    "role": "Role",
    "school": "School (A to Z)",
    "newest": "Newest first",
    "signed_in": "Signed in most recently",
}
APPROVAL_SORTS = {
    "oldest": "Waiting longest first",
    "newest": "Newest first",
    "school": "School (A to Z)",
    "name": "Name (A to Z)",
}


def _searched(query: Select, search: str) -> Select:
    """An e-mail address or name containing the words typed, a school's name, or a URN's first digits."""
    if not search:
        return query
    return query.where(
        or_(
            containing(User.email, search),
            containing(User.full_name, search),
            containing(School.name, search),
            starting(School.urn, search),
        )
    )


def _with_school(query: Select) -> Select:
    return query.outerjoin(User.school)


@dataclass(frozen=True)
class UserRow:
    """An account as the administrator's list shows it, read as plain columns (USER_ROW)."""

    id: int
    email: str
    full_name: str
    role: Role
    active: bool
    approval_state: ApprovalState
    email_verified_at: datetime | None
    last_login_at: datetime | None
    school_name: str | None  # None for accounts of no school


USER_ROW = (
    User.id,
    User.email,
    User.full_name,
    User.role,
    User.active,
    User.approval_state,
    User.email_verified_at,
    User.last_login_at,
    School.name,
)


def users(asked: ListQuery, role: Role | None = None) -> Listing[UserRow]:
    """One page of every account (of one role if given), with its school's name."""
    search, sort = asked.searched_for(), asked.sorted_by(USER_SORTS, "email")
    query = _searched(_with_school(select(User)), search)
    if role is not None:
        query = query.where(User.role == role)
    orders: dict[str, list[Any]] = {
        "email": [],
        "name": [User.full_name],
        "role": [User.role],
        "school": [School.name.is_(None), School.name],
        "newest": [User.created_at.desc()],
        "signed_in": [User.last_login_at.is_(None), User.last_login_at.desc()],
    }
    rows, pages = page_of(
        query, asked, *orders[sort], User.email, User.id, columns=USER_ROW, columns_joined=_with_school
    )
    return Listing([UserRow(*row) for row in rows], pages, search, sort, USER_SORTS)


@dataclass(frozen=True)
class ApprovalRow:
    """An account waiting for approval as the council's queue shows it, read as plain columns (APPROVAL_ROW)."""

    id: int
    full_name: str
    job_title: str
    email: str
    email_verified_at: datetime | None
    created_at: datetime
    school_name: str
    school_urn: str


APPROVAL_ROW = (
    User.id,
    User.full_name,
    User.job_title,
    User.email,
    User.email_verified_at,
    User.created_at,
    School.name,
    School.urn,
)


def pending_approvals(asked: ListQuery) -> Listing[ApprovalRow]:
    """One page of the council's approval queue (school accounts waiting, active ones), oldest first by default."""
    search, sort = asked.searched_for(), asked.sorted_by(APPROVAL_SORTS, "oldest")
    query = _searched(select(User).join(User.school), search).where(
        User.role == Role.SCHOOL, User.approval_state == ApprovalState.PENDING, User.active.is_(True)
    )
    orders: dict[str, list[Any]] = {
        "oldest": [User.created_at],
        "newest": [User.created_at.desc()],
        "school": [School.name],
        "name": [User.full_name],
    }
    rows, pages = page_of(
        query,
        asked,
        *orders[sort],
        User.created_at,
        User.id,
        columns=APPROVAL_ROW,
        columns_joined=lambda columns: columns.join(School, School.id == User.school_id),
    )
    return Listing([ApprovalRow(*row) for row in rows], pages, search, sort, APPROVAL_SORTS)
