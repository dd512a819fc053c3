"""The lists the council keeps for its training: agencies, job roles and its agencies' e-mail domains."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain.refusals import Refused
from portal.domain.training import normalise_domain
from portal.extensions import db
from portal.models import TrainingAgency, TrainingEmailDomain, TrainingJobRole, User
from portal.services import audit

# The agencies the issue names, as a new installation starts: the council changes them from then on.
DEFAULT_AGENCIES = (
    "Schools",
    "Police",
    "Health",
    "Children's social care",
    "Early help",
    "Voluntary sector",
    "Youth services",
    "Taxi and private hire licensing",
    "Hotels and night-time economy",
    "Other",
)
DEFAULT_JOB_ROLES = (
    "Teacher",
    "Designated Safeguarding Lead",
    "Police officer or PCSO",
    "Nurse or health visitor",
    "Doctor",
    "Social worker",
    "Family support or early help worker",
    "Youth worker",
    "Licensed driver",
    "Hotel or venue staff",
    "Volunteer",
    "Other",
)

ListItem = TypeVar("ListItem", TrainingAgency, TrainingJobRole, TrainingEmailDomain)


class ListError(Refused):
    """A change to the council's lists that the rules refuse."""


def agencies(active_only: bool = True) -> list[TrainingAgency]:
    query = select(TrainingAgency).order_by(TrainingAgency.name, TrainingAgency.id)
    if active_only:
        query = query.where(TrainingAgency.active.is_(True))
    return list(db.session.scalars(query))


def job_roles(active_only: bool = True) -> list[TrainingJobRole]:
    query = select(TrainingJobRole).order_by(TrainingJobRole.name, TrainingJobRole.id)
    if active_only:
        query = query.where(TrainingJobRole.active.is_(True))
    return list(db.session.scalars(query))


def agency(agency_id: int | None, active_only: bool = True) -> TrainingAgency | None:
    found = db.session.get(TrainingAgency, agency_id) if agency_id else None
    return found if found is not None and (found.active or not active_only) else None


def job_role(job_role_id: int | None, active_only: bool = True) -> TrainingJobRole | None:
    found = db.session.get(TrainingJobRole, job_role_id) if job_role_id else None
    return found if found is not None and (found.active or not active_only) else None


def agency_named(name: str) -> TrainingAgency | None:
    return db.session.scalar(select(TrainingAgency).where(func.lower(TrainingAgency.name) == name.strip().lower()))


def job_role_named(name: str) -> TrainingJobRole | None:
    return db.session.scalar(select(TrainingJobRole).where(func.lower(TrainingJobRole.name) == name.strip().lower()))


def add_agency(actor: User | None, name: str) -> TrainingAgency:
    if agency_named(name) is not None:  # "Police" and "police" would split the figures in two
        raise ListError("name", "That agency is already on the list")
    return _add(actor, TrainingAgency(name=name.strip()), "training.agency_added", "agency")


def add_job_role(actor: User | None, name: str) -> TrainingJobRole:
    if job_role_named(name) is not None:
        raise ListError("name", "That job role is already on the list")
    return _add(actor, TrainingJobRole(name=name.strip()), "training.job_role_added", "job role")


def set_active(actor: User, item: TrainingAgency | TrainingJobRole, active: bool) -> None:
    """Take an agency or job role off the list offered to new learners (those who chose it keep it), or back on."""
    item.active = active
    kind = "agency" if isinstance(item, TrainingAgency) else "job_role"
    audit.record(actor, f"training.{kind}_{'shown' if active else 'hidden'}", f"training_{kind}", item.id)


def email_domains() -> list[TrainingEmailDomain]:
    return list(db.session.scalars(select(TrainingEmailDomain).order_by(TrainingEmailDomain.domain)))


def email_domain(domain_id: int) -> TrainingEmailDomain | None:
    return db.session.get(TrainingEmailDomain, domain_id)


def listed_domains() -> list[str]:
    return list(db.session.scalars(select(TrainingEmailDomain.domain).order_by(TrainingEmailDomain.domain)))


def add_domain(actor: User | None, domain: str) -> TrainingEmailDomain:
    cleaned = normalise_domain(domain)
    if "." not in cleaned or "@" in cleaned or " " in cleaned:
        raise ListError("domain", "Enter a domain like police.uk or nhs.net")
    return _add(actor, TrainingEmailDomain(domain=cleaned), "training.domain_added", "domain")


def remove_domain(actor: User, domain: TrainingEmailDomain) -> None:
    """Stop approving new learners on this domain at once; those approved stay approved."""
    audit.record(actor, "training.domain_removed", "training_email_domain", domain.id, detail=domain.domain)
    db.session.delete(domain)
    db.session.flush()


def ensure_default_lists() -> None:
    """Start the agencies and job roles with the usual ones, once (an empty list only)."""
    if db.session.scalar(select(func.count()).select_from(TrainingAgency)) == 0:
        db.session.add_all(TrainingAgency(name=name) for name in DEFAULT_AGENCIES)
    if db.session.scalar(select(func.count()).select_from(TrainingJobRole)) == 0:
        db.session.add_all(TrainingJobRole(name=name) for name in DEFAULT_JOB_ROLES)
    db.session.flush()


def _add(actor: User | None, item: ListItem, action: str, what: str) -> ListItem:
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        raise ListError("name" if what != "domain" else "domain", f"That {what} is already on the list") from None
    audit.record(actor, action, "training_list", item.id)
    return item
