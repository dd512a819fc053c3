"""How long the portal keeps what it holds: the schedule the privacy notice publishes and the purge job enforces.

One list serves both, so the notice can never promise what the job does not do. Counts of pupils carry no personal
data and are kept: they are the programme's reach.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from portal.domain.previews import NAMES_KEPT_DAYS


class Holding(StrEnum):
    """Each kind of record the schedule covers; the purge job has one step per holding."""

    CLOSED_ACCOUNTS = "closed_accounts"
    REQUEST_CONTACTS = "request_contacts"
    AUDIT_EVENTS = "audit_events"
    SENT_EMAILS = "sent_emails"
    SIGN_IN_RECORDS = "sign_in_records"
    FORM_SUBMISSIONS = "form_submissions"
    PREVIEW_NAMES = "preview_names"
    TRAINING_RECORDS = "training_records"
    LEARNER_ACCOUNTS = "learner_accounts"
    TRAINING_BOOKINGS = "training_bookings"


# How long the council keeps the record of who was trained (the TRAINING_RECORDS_YEARS setting): it must be able to
# show that a person who works with children was trained, long after the session.
TRAINING_RECORDS_YEARS = 6


@dataclass(frozen=True)
class RetentionRule:
    holding: Holding
    what: str  # as the privacy notice names it
    kept: str  # as the privacy notice says how long
    months: int = 0
    days: int = 0

    def cutoff(self, moment: datetime) -> datetime:
        """The instant before which this holding has expired, counted back from `moment`."""
        return months_before(moment, self.months) - timedelta(days=self.days)


_FIXED_RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        Holding.CLOSED_ACCOUNTS,
        "Staff accounts (name, job title, email address and phone number)",
        "until the account is closed or refused, then 12 months; the name and contact details are then removed",
        months=12,
    ),
    RetentionRule(
        Holding.REQUEST_CONTACTS,
        "Contact details on requests (the Designated Safeguarding Lead’s name, email address and phone number, "
        "and the access notes)",
        "2 years after the end of the season",
        months=24,
    ),
    RetentionRule(Holding.AUDIT_EVENTS, "The record of changes (who made them and when)", "2 years", months=24),
    RetentionRule(Holding.SENT_EMAILS, "Copies of the emails the service sends", "90 days", days=90),
    RetentionRule(
        Holding.SIGN_IN_RECORDS,
        "Records of signed-in sessions, password reset, address verification and second-factor set-up links, and "
        "revoked API tokens",
        "30 days after they end or expire",
        days=30,
    ),
    # Longer than portal.domain.form_tokens.LIFETIME, after which a form's token is refused anyway.
    RetentionRule(
        Holding.FORM_SUBMISSIONS,
        "Records of forms already sent (who sent which form, and what it saved), so that a form sent twice is "
        "saved once",
        "7 days",
        days=7,
    ),
    RetentionRule(
        Holding.PREVIEW_NAMES,
        "Names on preview bookings (parents' names and email addresses, and the names of staff booked a seat)",
        "30 days after the preview; the number of seats booked and attended is kept",
        days=NAMES_KEPT_DAYS,
    ),
)


def training_rules(years: int) -> tuple[RetentionRule, ...]:
    """The rules for learners and their training, with the record of who was trained kept `years` years."""
    if not 1 <= years <= 100:
        raise ValueError(f"TRAINING_RECORDS_YEARS must be a whole number of years from 1 to 100, not {years}")
    span = f"{years} year" + ("" if years == 1 else "s")
    return (
        RetentionRule(
            Holding.TRAINING_RECORDS,
            "Records of who completed CSE training (the name, work email address and organisation of each person "
            "trained, from a session attended or the e-learning course, and their certificate code)",
            f"{span} after the person’s last completed training; the name, email address, organisation and "
            "certificate code are then removed, and the agency, job role, district, level and date are kept, so "
            "the number of staff trained does not change",
            months=12 * years,
        ),
        RetentionRule(
            Holding.LEARNER_ACCOUNTS,
            "Learners’ accounts (name, work email address and organisation; the agency, job role and district they "
            "chose) and the places they booked",
            f"{span} after their last booking, completed training or sign-in; the name, email address and "
            "organisation are then removed",
            months=12 * years,
        ),
        RetentionRule(
            Holding.TRAINING_BOOKINGS,
            "Cancelled and waiting-list places on training sessions",
            "1 year after the session",
            months=12,
        ),
    )


def schedule(training_years: int = TRAINING_RECORDS_YEARS) -> tuple[RetentionRule, ...]:
    """The whole schedule, with the training records kept for the configured number of years."""
    return _FIXED_RULES + training_rules(training_years)


# The schedule with the default settings; the privacy notice and the purge use schedule(the configured years).
SCHEDULE: tuple[RetentionRule, ...] = schedule()

PUPIL_COUNTS_KEPT = "Counts of pupils: kept, because they carry no personal data, to report the programme’s reach."


def rule_for(holding: Holding, training_years: int = TRAINING_RECORDS_YEARS) -> RetentionRule:
    return next(rule for rule in schedule(training_years) if rule.holding == holding)


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier; 31 March less one month is 28 or 29 February."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def season_contacts_expired(season_ends_on: date, moment: datetime) -> bool:
    """Whether a season ended long enough ago that its requests' contact details must go."""
    return season_ends_on < rule_for(Holding.REQUEST_CONTACTS).cutoff(moment).date()
