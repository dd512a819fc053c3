"""What the portal holds, column by column: why, and for how long (UK GDPR Art. 5(1)(c) and (e)).

A test walks the database schema and fails on any table or column missing here, so a new column cannot arrive
without someone deciding what it is. Personal data is only ever about adults (staff, learners and parents); pupils
appear as counts alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.retention import Holding

LAWFUL_BASIS = "Public task, UK GDPR Article 6(1)(e)"


@dataclass(frozen=True)
class TableEntry:
    purpose: str
    personal: tuple[str, ...] = ()  # identifies a member of staff: removed on the retention schedule
    secrets: tuple[str, ...] = ()  # hashes and keys: never shown to anyone, not even in a copy of a person's data
    security: tuple[str, ...] = ()  # sign-in and expiry times, kept to protect accounts
    counts: tuple[str, ...] = ()  # numbers of pupils: never a pupil, kept as the programme's reach
    records: tuple[str, ...] = ()  # the programme's own facts about schools, seasons and bookings
    retention: Holding | None = None  # None: kept while the programme runs (no personal data)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.personal + self.secrets + self.security + self.counts + self.records


# One line per group of columns reads better than ruff's one column per line.
# fmt: off
DATA_INVENTORY: dict[str, TableEntry] = {
    "users": TableEntry(
        "Staff who sign in, their role and, for school staff, their school",
        personal=("email", "full_name", "job_title", "phone", "refusal_reason"),
        secrets=("password_hash", "totp_secret", "totp_last_step"),
        security=("email_verified_at", "last_login_at", "totp_enabled_at"),
        records=(
            "id", "role", "school_id", "approval_state", "active", "wants_reminders", "created_at", "closed_at",
            "anonymised_at",
        ),
        retention=Holding.CLOSED_ACCOUNTS,
    ),
    "user_sessions": TableEntry(
        "Signed-in browsers, so signing out or a password change ends them",
        secrets=("token_hash",),
        security=("created_at", "last_seen_at", "ended_at", "authenticated_at", "second_factor_at"),
        records=("id", "user_id"),
        retention=Holding.SIGN_IN_RECORDS,
    ),
    "account_tokens": TableEntry(
        "Password reset, address verification, second-factor set-up and invitation links (stored hashed)",
        secrets=("token_hash",),
        security=("created_at", "expires_at", "used_at"),
        records=("id", "user_id", "purpose"),
        retention=Holding.SIGN_IN_RECORDS,
    ),
    "api_tokens": TableEntry(
        "Personal API tokens for reading reach figures (stored hashed)",
        secrets=("token_hash",),
        security=("created_at", "last_used_at", "revoked_at"),
        records=("id", "user_id", "name"),
        retention=Holding.SIGN_IN_RECORDS,
    ),
    "form_submissions": TableEntry(
        "One-time tokens of forms already sent, and where what each saved is, so a form sent twice saves once",
        records=("id", "user_id", "token", "form", "result_path", "created_at"),
        retention=Holding.FORM_SUBMISSIONS,
    ),
    "audit_events": TableEntry(
        "Who changed what and when, to keep the service secure and accountable",
        personal=("before", "after", "detail"),
        records=("id", "at", "actor_id", "actor_role", "action", "object_type", "object_id", "school_id", "outcome"),
        retention=Holding.AUDIT_EVENTS,
    ),
    "outbox_messages": TableEntry(
        "E-mails waiting to be sent, and copies of those sent",
        personal=("to_address", "subject", "body_text", "body_html", "attachments"),
        records=(
            "id", "dedupe_key", "created_at", "send_after", "attempts", "last_error", "claimed_at", "claimed_by",
            "sent_at",
        ),
        retention=Holding.SENT_EMAILS,
    ),
    "requests": TableEntry(
        "A school's request for a performance, with the DSL who will attend",
        personal=("dsl_name", "dsl_email", "dsl_phone", "access_notes"),
        records=(
            "id", "season_id", "school_id", "production_id", "status", "staff_in_hall", "created_by_id",
            "made_on_behalf", "created_at", "updated_at", "withdrawn_at", "contacts_removed_at",
        ),
        retention=Holding.REQUEST_CONTACTS,
    ),
    "reach_figures": TableEntry(
        "The reach dashboard's figures as last computed from the rows, under the version they were computed at "
        "(aggregate counts of pupils and schools; rebuilt by flask reach rebuild)",
        counts=("body",),
        records=("key", "version", "day", "computed_at"),
    ),
    "reach_versions": TableEntry(
        "A number that every change to a counted row raises, so cached reach figures are never stale",
        records=("name", "version"),
    ),
    "request_year_groups": TableEntry(
        "How many pupils of each year group a request is for",
        counts=("pupils",),
        records=("request_id", "year_group"),
    ),
    "request_dates": TableEntry("Days a school's hall is free", records=("request_id", "day", "preferred")),
    "request_slots": TableEntry("Daily slots a school can host", records=("request_id", "slot_id")),
    "schools": TableEntry(
        "The schools directory (organisations, not people) and each school's hall and priority",
        counts=("pupils_on_roll",),
        records=(
            "id", "urn", "name", "phase", "district", "town", "postcode", "latitude", "longitude", "address",
            "office_phone", "hall_capacity", "priority", "created_at", "updated_at",
        ),
    ),
    "seasons": TableEntry(
        "Tour periods, their deadlines, travel settings and cost",
        records=(
            "id", "name", "starts_on", "ends_on", "request_deadline", "status", "speed_kmh", "road_factor",
            "changeover_minutes", "cost_pence", "created_at",
        ),
    ),
    "season_productions": TableEntry("Productions a season tours", records=("season_id", "production_id")),
    "productions": TableEntry(
        "The dramas", records=("id", "title", "summary", "duration_minutes", "audience_cap")
    ),
    "slots": TableEntry("A season's daily performance times", records=("id", "season_id", "code", "starts_at")),
    "casts": TableEntry("The company's touring casts", records=("id", "season_id", "name", "max_per_day")),
    "cast_dates": TableEntry("Days each cast can perform", records=("cast_id", "day")),
    "cast_productions": TableEntry("Productions each cast performs", records=("cast_id", "production_id")),
    "blackout_days": TableEntry("Days nobody tours", records=("season_id", "day", "reason")),
    "performances": TableEntry(
        "Performances: where, when, by which cast, and how many pupils attended",
        counts=("pupils_planned", "pupils_attended", "support_requests"),
        records=(
            "id", "season_id", "request_id", "school_id", "cast_id", "slot_id", "day", "status", "confirm_by",
            "status_reason", "sequence", "created_at", "updated_at", "released_at", "lapse_warned_at",
        ),
    ),
    "place_offers": TableEntry(
        "Freed places offered first to the waiting requests they fit best, and until when they are held for them",
        records=(
            "id", "season_id", "cast_id", "slot_id", "day", "freed_performance_id", "request_id", "held_until",
            "created_at",
        ),
    ),
    "performance_attendance": TableEntry(
        "Pupils who attended a performance, per year group",
        counts=("pupils",),
        records=("performance_id", "year_group"),
    ),
    "allocation_runs": TableEntry(
        "Scheduler runs: the instance (schools, counts, dates; no contact details) and the proposed allocation",
        counts=("pupils_reached",),
        records=(
            "id", "season_id", "status", "created_by_id", "created_at", "started_at", "finished_at",
            "time_limit_seconds", "instance", "allocation", "error", "weighted", "bound", "schools_served", "progress",
            "stop_requested_at",
        ),
    ),
    "calendar_feeds": TableEntry(
        "Versions of the calendar feed links (the links are derived, never stored)",
        records=("id", "kind", "owner_id", "version"),
    ),
    "lesson_packs": TableEntry(
        "Follow-up lesson packs per production and year group",
        records=(
            "id", "production_id", "year_group", "title", "summary", "learning_objectives", "created_by_id",
            "created_at",
        ),
    ),
    "lesson_pack_files": TableEntry(
        "Files of a lesson pack, stored under names the server chooses",
        records=(
            "id", "pack_id", "original_name", "stored_name", "content_type", "size_bytes", "sha256", "uploaded_at",
        ),
    ),
    "follow_up_lessons": TableEntry(
        "Follow-up lessons a school delivered, and to how many pupils",
        counts=("pupils",),
        records=(
            "id", "school_id", "performance_id", "pack_id", "delivered_on", "year_group", "excess_reason",
            "created_by_id", "created_at",
        ),
    ),
    "evaluation_returns": TableEntry(
        "Aggregate questionnaire results after a performance",
        counts=("respondents", "confident_before", "confident_after", "know_help_before", "know_help_after"),
        records=("id", "performance_id", "staff_rating", "created_by_id", "created_at"),
    ),
    "previews": TableEntry(
        "Preview performances for school staff and parents: when, where, how many seats and for which schools",
        records=(
            "id", "production_id", "day", "starts_at", "venue_address", "access_information", "seats", "seats_taken",
            "audience", "district", "status", "cancel_reason", "created_at", "updated_at",
        ),
    ),
    "preview_schools": TableEntry("The schools a preview is for", records=("preview_id", "school_id")),
    "preview_staff_seats": TableEntry(
        "Seats a school's staff booked at a preview for named colleagues (a name only), and who attended",
        personal=("colleague_name",),
        records=("id", "preview_id", "school_id", "booked_by_id", "attended", "created_at", "names_removed_at"),
        retention=Holding.PREVIEW_NAMES,
    ),
    "parent_links": TableEntry(
        "Each school's link for its parents to book previews (stored hashed; a replaced link is refused)",
        secrets=("token_hash",),
        records=("id", "school_id", "created_at", "replaced_at"),
    ),
    "parent_bookings": TableEntry(
        "Parents' seats at previews: a name and an e-mail address, how many seats, and whether they came",
        personal=("parent_name", "email"),
        secrets=("token_hash",),
        security=("confirm_by",),
        records=(
            "id", "preview_id", "school_id", "seats", "state", "created_at", "confirmed_at", "joined_at",
            "cancelled_at", "names_removed_at",
        ),
        retention=Holding.PREVIEW_NAMES,
    ),
    "training_agencies": TableEntry(
        "The agencies a learner chooses from (schools, police, health...), as the council keeps them",
        records=("id", "name", "active"),
    ),
    "training_job_roles": TableEntry(
        "The job roles a learner chooses from, as the council keeps them", records=("id", "name", "active")
    ),
    "training_email_domains": TableEntry(
        "E-mail domains of the council's agencies: learners with an address on one are approved at once",
        records=("id", "domain", "created_at"),
    ),
    "training_courses": TableEntry(
        "The council's CSE training courses: title, level, length, learning outcomes and who they are for",
        records=(
            "id", "title", "level", "length_minutes", "learning_outcomes", "audience", "created_at", "updated_at",
        ),
    ),
    "training_sessions": TableEntry(
        "Sessions of the courses: when, where or the online joining link, places, the trainer, and cancellations",
        records=(
            "id", "course_id", "trainer_id", "day", "starts_at", "ends_at", "capacity", "places_taken",
            "venue_address", "access_information", "joining_link", "status", "cancel_reason", "sequence",
            "created_at", "updated_at",
        ),
    ),
    # The name and work e-mail address are on the learner's account (users); the agency, job role and district stay
    # once the account is anonymised, as the categories staff trained are counted by (never a name).
    "learners": TableEntry(
        "People who work with children and book the council's CSE training: their organisation, agency, job role "
        "and the district they work in",
        personal=("organisation",),
        records=("id", "user_id", "agency_id", "job_role_id", "district", "created_at", "updated_at"),
        retention=Holding.LEARNER_ACCOUNTS,
    ),
    # A booking names nobody itself: it points at a learner, whose account is removed on its own rule. Cancelled and
    # waiting-list places go a year after the session; booked and attended places stay with the learner's account.
    "training_bookings": TableEntry(
        "Learners' places, waiting-list places and offers on training sessions, and who attended",
        security=("offer_expires_at",),
        records=(
            "id", "session_id", "course_id", "learner_id", "status", "created_at", "cancelled_at", "attended_at",
            "updated_at",
        ),
        retention=Holding.TRAINING_BOOKINGS,
    ),
    # The record of who was trained, kept TRAINING_RECORDS_YEARS after the person's last completion, then anonymised
    # (the e-mail address replaced by a stand-in that keeps each person counted once per level); e-learning rows may
    # belong to people with no account. The learning system's own record id stays: it names nobody here, and keeps a
    # re-imported export from counting an anonymised person again.
    "training_completions": TableEntry(
        "Each person trained at a level on a day, from a session attended or the council's e-learning course: who, "
        "their organisation, and the agency, job role and district staff trained are counted by",
        personal=("email", "name", "organisation", "certificate_code"),
        records=(
            "id", "agency_id", "job_role_id", "district", "level", "completed_on", "booking_id", "source_reference",
            "created_at",
        ),
        retention=Holding.TRAINING_RECORDS,
    ),
    "settings": TableEntry(
        "Service settings (the CSE team's contact line, the reach target)", records=("key", "value", "updated_at")
    ),
}
# fmt: on

# Column names that would mean a pupil is being recorded as a person. None may ever exist.
FORBIDDEN_COLUMN_PATTERN = r"pupil_name|first_name|surname|dob|birth|upn|child_|gender|ethnic|sen_|fsm"
