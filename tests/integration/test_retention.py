"""The retention schedule: the privacy notice publishes it, `flask purge-expired` and a nightly job enforce it.

Each holding is seeded just inside and just outside its boundary; exactly the expired rows go, a second run removes
nothing, and the council's reach figures do not move.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from portal.domain.reach import Period
from portal.domain.retention import SCHEDULE, Holding, months_before, rule_for
from portal.models import (
    AccountToken,
    ApiToken,
    AuditEvent,
    OutboxMessage,
    PerformanceAttendance,
    PerformanceStatus,
    Role,
    UserSession,
)
from portal.models.seasons import SeasonStatus
from portal.services import accounts, audit, reach
from portal.services.retention import REMOVED, purge_expired
from tests.factories import DEFAULT_PASSWORD, make_performance, make_request, make_season, make_user

NOW = datetime(2026, 11, 26, 3, 40, tzinfo=UTC)
A_DAY = timedelta(days=1)


def boundary(holding: Holding) -> datetime:
    return rule_for(holding).cutoff(NOW)


def past_season(starts_on: date):
    monday = starts_on - timedelta(days=starts_on.weekday())
    return make_season(status=SeasonStatus.PUBLISHED, starts_on=monday, request_deadline=monday - timedelta(days=14))


def test_the_privacy_notice_publishes_every_rule_of_the_schedule(client):
    page = client.get("/privacy").get_data(as_text=True).replace("&rsquo;", "’").replace("&#39;", "'")
    for rule in SCHEDULE:
        assert f"{rule.what}: {rule.kept}." in page


def test_months_are_counted_back_by_the_calendar():
    assert months_before(datetime(2027, 3, 31, 9, tzinfo=UTC), 1) == datetime(2027, 2, 28, 9, tzinfo=UTC)
    assert months_before(datetime(2028, 3, 31, 9, tzinfo=UTC), 1) == datetime(2028, 2, 29, 9, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def test_deactivating_or_refusing_an_account_starts_its_retention_clock(session):
    admin, council = make_user(Role.ADMIN), make_user(Role.COUNCIL)
    staff, applicant = make_user(Role.COMPANY), make_user(Role.SCHOOL, approved=False)
    accounts.set_active(admin, staff, False, NOW)
    assert staff.closed_at == NOW
    accounts.set_active(admin, staff, True, NOW + A_DAY)
    assert staff.closed_at is None
    accounts.decide_approval(council, applicant, approve=False, reason="Not a school in the county")
    assert applicant.closed_at is not None


def test_accounts_closed_more_than_a_year_ago_lose_their_name_and_contact_details(session):
    admin = make_user(Role.ADMIN)
    expired = make_user(Role.SCHOOL, full_name="Alex Expired", phone="01632 960 555", job_title="PSHE lead")
    recent = make_user(Role.COMPANY, full_name="Robin Recent")
    active = make_user(Role.COUNCIL, full_name="Sam Active")
    accounts.set_active(admin, expired, False, boundary(Holding.CLOSED_ACCOUNTS) - A_DAY)
    accounts.set_active(admin, recent, False, boundary(Holding.CLOSED_ACCOUNTS) + A_DAY)
    session.add(AccountToken(user=expired, purpose="reset", token_hash="a" * 64, expires_at=NOW + A_DAY))
    session.add(ApiToken(user=expired, name="Laptop", token_hash="b" * 64))
    session.flush()
    expired_email = expired.email

    report = purge_expired(NOW)

    assert report.removed[Holding.CLOSED_ACCOUNTS] == 1
    assert (expired.full_name, expired.phone, expired.job_title) == (REMOVED, "", "")
    assert expired.email.endswith("@removed.invalid") and expired.anonymised_at == NOW
    assert not check_password_hash(expired.password_hash, DEFAULT_PASSWORD)
    assert not session.scalar(select(func.count()).select_from(AccountToken).where(AccountToken.user_id == expired.id))
    assert not session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == expired.id))
    snapshots = session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "user", AuditEvent.object_id == expired.id)
    ).all()
    assert snapshots, "the deactivation was audited"
    assert all(expired_email not in str(event.before) + str(event.after) for event in snapshots)
    assert recent.full_name == "Robin Recent" and recent.anonymised_at is None
    assert active.full_name == "Sam Active" and active.anonymised_at is None


def test_an_anonymised_account_cannot_be_reactivated(session):
    admin, staff = make_user(Role.ADMIN), make_user(Role.COMPANY)
    accounts.set_active(admin, staff, False, boundary(Holding.CLOSED_ACCOUNTS) - A_DAY)
    purge_expired(NOW)
    with pytest.raises(accounts.AccountError, match="cannot be reactivated"):
        accounts.set_active(admin, staff, True, NOW)
    assert staff.active is False


def test_request_contacts_go_two_years_after_the_season_ends(session):
    cutoff_day = boundary(Holding.REQUEST_CONTACTS).date()
    old = past_season(cutoff_day - timedelta(weeks=4))
    newer = past_season(cutoff_day)
    assert old.ends_on < cutoff_day <= newer.ends_on
    expired, kept = make_request(season=old), make_request(season=newer)

    purge_expired(NOW)

    assert (expired.dsl_name, expired.dsl_email, expired.dsl_phone, expired.access_notes) == (REMOVED, "", "", "")
    assert expired.contacts_removed_at == NOW
    assert (kept.dsl_name, kept.dsl_email, kept.access_notes) == (
        "Dee Ess-Ell",
        "dsl@example.org",
        "Ground floor hall.",
    )


def test_the_record_of_changes_emails_and_spent_sign_in_records_expire(session):
    user = make_user(Role.COMPANY)
    old_event = audit.record(user, "test.old", "test", None)
    old_event.at = boundary(Holding.AUDIT_EVENTS) - A_DAY
    new_event = audit.record(user, "test.new", "test", None)
    new_event.at = boundary(Holding.AUDIT_EVENTS) + A_DAY
    mail = {}
    for name, age in (("old", boundary(Holding.SENT_EMAILS) - A_DAY), ("new", boundary(Holding.SENT_EMAILS) + A_DAY)):
        mail[name] = OutboxMessage(
            to_address="x@example.org", subject=name, body_text=".", body_html=".", created_at=age
        )
    spent = boundary(Holding.SIGN_IN_RECORDS) - A_DAY
    fresh = boundary(Holding.SIGN_IN_RECORDS) + A_DAY
    sessions = {
        "ended long ago": UserSession(
            user=user, token_hash="c" * 64, created_at=spent, last_seen_at=spent, ended_at=spent
        ),
        "timed out long ago": UserSession(user=user, token_hash="d" * 64, created_at=spent, last_seen_at=spent),
        "ended lately": UserSession(
            user=user, token_hash="e" * 64, created_at=spent, last_seen_at=spent, ended_at=fresh
        ),
    }
    tokens = {
        "expired long ago": AccountToken(user=user, purpose="reset", token_hash="f" * 64, expires_at=spent),
        "still valid": AccountToken(user=user, purpose="reset", token_hash="0" * 64, expires_at=NOW + A_DAY),
    }
    revoked = ApiToken(user=user, name="Old laptop", token_hash="1" * 64, revoked_at=spent)
    session.add_all([*mail.values(), *sessions.values(), *tokens.values(), revoked])
    session.flush()
    ids = {key: row.id for key, row in {**mail, **sessions, **tokens}.items()}

    report = purge_expired(NOW)
    session.expire_all()

    assert session.get(AuditEvent, old_event.id) is None and session.get(AuditEvent, new_event.id) is not None
    assert session.get(OutboxMessage, ids["old"]) is None and session.get(OutboxMessage, ids["new"]) is not None
    assert session.get(UserSession, ids["ended long ago"]) is None
    assert session.get(UserSession, ids["timed out long ago"]) is None
    assert session.get(UserSession, ids["ended lately"]) is not None
    assert session.get(AccountToken, ids["expired long ago"]) is None
    assert session.get(AccountToken, ids["still valid"]) is not None
    assert session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)) == 0
    assert report.removed[Holding.SIGN_IN_RECORDS] == 4
    purge_event = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")).one()
    assert purge_event.after[Holding.SIGN_IN_RECORDS.value] == 4


def test_a_second_run_removes_nothing_and_the_reach_figures_do_not_move(session):
    admin = make_user(Role.ADMIN)
    cutoff_day = boundary(Holding.REQUEST_CONTACTS).date()
    season = past_season(cutoff_day - timedelta(weeks=8))
    school_staff = make_user(Role.SCHOOL)
    request_ = make_request(school=school_staff.school, season=season, created_by=school_staff)
    performance = make_performance(request_, status=PerformanceStatus.DELIVERED, pupils_attended=58)
    session.add(PerformanceAttendance(performance_id=performance.id, year_group=9, pupils=58))
    accounts.set_active(admin, school_staff, False, boundary(Holding.CLOSED_ACCOUNTS) - A_DAY)
    session.flush()
    before = reach.programme_reach(Period(), NOW.date())

    first = purge_expired(NOW)
    second = purge_expired(NOW)
    after = reach.programme_reach(Period(), NOW.date())

    assert first.removed[Holding.CLOSED_ACCOUNTS] == 1 and first.removed[Holding.REQUEST_CONTACTS] == 1
    assert second.total == 0
    assert after.totals == before.totals and after.totals.seen_drama >= 58
    assert after.by_school == before.by_school and after.schools_reached == before.schools_reached


def test_flask_purge_expired_reports_what_it_removed_and_is_safe_to_repeat(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["purge-expired"])
    assert first.exit_code == 0, first.output
    assert [line.split(":")[0] for line in first.output.splitlines()] == [rule.what for rule in SCHEDULE]
    second = runner.invoke(args=["purge-expired"])
    assert second.exit_code == 0
    assert all(line.endswith(": 0") for line in second.output.splitlines())
