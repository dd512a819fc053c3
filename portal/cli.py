"""flask commands: schools, users, demo data, outbox, reminders, purge-expired. Each commits explicitly, or changes
nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.database import refresh_planner_statistics
from portal.domain.directory_files import read_directory_file
from portal.domain.schools_csv import DirectoryError
from portal.extensions import db
from portal.models import Role
from portal.services import accounts, schools

schools_cli = AppGroup("schools", help="The schools directory.")
users_cli = AppGroup("users", help="User accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
outbox_cli = AppGroup("outbox", help="The e-mail outbox.")
reminders_cli = AppGroup("reminders", help="Reminder e-mails.")
performances_cli = AppGroup("performances", help="Performances waiting to be confirmed (also run hourly).")
training_cli = AppGroup("training", help="The council's CSE training.")
reach_cli = AppGroup("reach", help="The reach figures.")
previews_cli = AppGroup("previews", help="Preview performances for school staff and parents.")


def fail(message: str) -> None:
    """Stop with a one-line reason and a non-zero exit, having changed nothing."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@schools_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_schools(path: Path) -> None:
    """Load or update schools by URN from a directory CSV: the portal's own, or a GIAS extract as downloaded."""
    try:
        data = path.read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    try:
        found = read_directory_file(data, current_app.config["LOCAL_AUTHORITIES"])
    except DirectoryError as error:
        fail(f"{path}: {error}")
    created, updated = schools.import_directory(found.rows)
    db.session.commit()
    passed_over = f"; {found.passed_over} other establishments passed over" if found.passed_over else ""
    rebuild_reach()
    click.echo(f"Imported {len(found.rows)} schools: {created} new, {updated} updated{passed_over}.")
    for warning in found.warnings:
        click.echo(f"Warning: {warning}.")


@users_cli.command("create")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", "full_name", default="", help="Full name (defaults to the e-mail address).")
@click.option("--school-urn", default="", help="The school of a school user.")
@click.password_option(help="Prompted for when not given.")
def create_user(role: str, email: str, full_name: str, school_urn: str, password: str) -> None:
    """Make an approved account (company, council and admin staff; school staff normally register)."""
    school = None
    if role == Role.SCHOOL.value:
        school = schools.find_school(school_urn) if school_urn else None
        if school is None:
            fail("a school user needs --school-urn with the URN of a school in the directory")
    try:
        user = accounts.create_user(
            email=email, password=password, role=Role(role), full_name=full_name or email, school=school
        )
    except accounts.AccountError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


@users_cli.command("reset-second-factor")
@click.option("--email", required=True, help="The account whose authenticator app is lost.")
def reset_second_factor(email: str) -> None:
    """Forget an account's authenticator app (a lost phone); they set it up again at their next sign-in."""
    from portal.clock import now
    from portal.services import second_factor

    user = accounts.find_user_by_email(email)
    if user is None:
        fail(f"no account has the email address {email}")
    second_factor.reset(None, user, now())
    db.session.commit()
    click.echo(f"{user.email} will set up their authenticator app again at their next sign-in.")


@users_cli.command("export-data")
@click.option("--email", required=True, help="The person asking for a copy of their data.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to the screen.")
def export_user_data(email: str, output: Path | None) -> None:
    """A copy of everything the portal holds about one person, as JSON (a subject access request)."""
    import json

    from portal.services import subject_access

    user = accounts.find_user_by_email(email)
    if user is None:
        fail(f"no account has the email address {email}")
    text = json.dumps(subject_access.personal_data_of(user), indent=2, ensure_ascii=False)
    subject_access.record_export(None, user)
    db.session.commit()
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote the data held about {user.email} to {output}.")


@users_cli.command("erase")
@click.option("--email", required=True, help="The person asking to be erased.")
@click.confirmation_option(prompt="This removes the person's name and contact details for good. Continue?")
def erase_user(email: str) -> None:
    """Remove a person's name and contact details now (their account closes; counts of pupils are kept)."""
    from portal.clock import now
    from portal.services import subject_access

    user = accounts.find_user_by_email(email)
    if user is None:
        fail(f"no account has the email address {email}")
    subject_access.erase(None, user, now())
    db.session.commit()
    click.echo(f"Erased the name and contact details of account {user.id}.")


@previews_cli.command("export-parent-data")
@click.option("--email", required=True, help="The address the parent booked with.")
def export_parent_data(email: str) -> None:
    """A copy of what the portal holds about a parent's preview bookings, as JSON (a subject access request)."""
    import json

    from portal.services.parent_data import parent_data_of

    click.echo(json.dumps(parent_data_of(email), indent=2, ensure_ascii=False))


@previews_cli.command("erase-parent")
@click.option("--email", required=True, help="The address the parent booked with.")
@click.confirmation_option(prompt="This removes the parent's name and email address for good. Continue?")
def erase_parent(email: str) -> None:
    """Remove a parent's name and address from their preview bookings now (the seats stay counted)."""
    from portal.clock import now
    from portal.services.parent_data import erase_parent as erase

    changed = erase(email, now())
    db.session.commit()
    click.echo(f"Removed the parent's name and email address from {changed} bookings.")


@previews_cli.command("lapse-unconfirmed")
def lapse_unconfirmed_parents() -> None:
    """Cancel parents' bookings never confirmed from their e-mailed link in time (also run hourly)."""
    from portal.jobs import lapse_parent_bookings

    click.echo(f"Cancelled {lapse_parent_bookings()} bookings never confirmed.")


@demo_cli.command("load")
def load_demo() -> None:
    """Create the demo schools, season, casts, requests and logins; running it again changes nothing."""
    from portal.services.demo import load_demo_data

    created = load_demo_data()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present: nothing changed.")


@demo_cli.command("national")
@click.option("--schools", "schools_count", default=3000, show_default=True, type=click.IntRange(10, 20_000))
@click.option("--performances", default=100_000, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", default=1, show_default=True, help="The same seed and day give the same data.")
@click.option(
    "--directory-file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the GIAS extract used here."
)
def load_national(schools_count: int, performances: int, seed: int, directory_file: Path | None) -> None:
    """Fill an empty database with the national data set: schools over England, 13 seasons of touring."""
    from portal import clock
    from portal.services.national_data import NationalDataError, load_national_data, national_extract

    if directory_file is not None:
        directory_file.write_bytes(national_extract(schools_count, seed))
    try:
        figures = load_national_data(
            schools_count=schools_count,
            performances=performances,
            seed=seed,
            today=clock.today(),
            now=clock.now(),
            storage=Path(current_app.config["PORTAL_INSTANCE"]) / "lesson-packs",
            local_authorities=current_app.config["LOCAL_AUTHORITIES"],
        )
    except NationalDataError as error:
        fail(str(error))
    db.session.commit()
    rebuild_reach()
    states = ", ".join(f"{count} {status}" for status, count in sorted(figures.statuses.items()))
    click.echo(f"Imported {figures.schools} schools ({figures.passed_over} other establishments passed over).")
    click.echo(f"Performances: {states}.")
    click.echo(", ".join(f"{count} {table}" for table, count in figures.rows.items()) + ".")
    completions = figures.rows["training_completions"]
    click.echo(
        f"Staff training: {completions} completions ({completions - figures.elearning} at sessions, "
        f"{figures.elearning} from the e-learning), {figures.staff_trained} people trained (each once per level)."
    )
    click.echo(f"National data loaded in {figures.seconds:.0f} s; {len(figures.warnings)} directory warnings.")


@reach_cli.command("rebuild")
def rebuild_reach_command() -> None:
    """Compute every cached reach figure again from the rows (after a restore, or a change made outside the portal)."""
    periods = rebuild_reach()
    click.echo(f"Reach figures rebuilt: all seasons and {periods - 1} seasons.")


def rebuild_reach() -> int:
    """Drop the cached reach figures, compute the seasons' again and commit, then refresh the query planner's
    statistics (every caller has just written many rows); returns the periods computed."""
    from portal import clock
    from portal.services import reach

    periods = reach.rebuild(clock.today())
    db.session.commit()
    refresh_planner_statistics(db.session.connection())
    db.session.commit()
    return periods


@outbox_cli.command("send")
def send_outbox() -> None:
    """Send every message that is due; failures wait in the outbox and are retried later."""
    from portal.jobs import deliver_outbox

    delivery = deliver_outbox()
    click.echo(f"Sent {delivery.sent} messages; {delivery.failed} failed and will be retried.")
    if delivery.server_down:
        click.echo("The mail server could not be reached: the rest wait in the outbox.", err=True)
        sys.exit(1)


@reminders_cli.command("send")
def send_reminders() -> None:
    """Add the reminders due today to the outbox (running it twice sends nothing twice)."""
    from portal.jobs import queue_reminders

    added = queue_reminders()
    click.echo(f"Added {added} reminder messages to the outbox.")


@performances_cli.command("warn-unconfirmed")
def warn_unconfirmed() -> None:
    """Warn the council and the company of performances near their confirm-by date (each is warned of once)."""
    from portal.jobs import warn_of_lapses

    click.echo(f"Warned of {warn_of_lapses()} performances about to lapse unconfirmed.")


@performances_cli.command("release-unconfirmed")
def release_unconfirmed() -> None:
    """Release the performances not confirmed by their date; each freed place is offered first to the requests it
    fits best (running it twice releases nothing twice)."""
    from portal.jobs import release_lapsed

    click.echo(f"Released {release_lapsed()} performances not confirmed in time.")


@training_cli.command("lapse-offers")
def lapse_offers() -> None:
    """Withdraw training places offered and not accepted by their deadline; each passes to the next person waiting
    (also run hourly)."""
    from portal.jobs import lapse_training_offers

    click.echo(f"Withdrew {lapse_training_offers()} training places not accepted in time.")


@training_cli.command("default-lists")
def default_lists() -> None:
    """Start the lists of agencies and job roles learners choose from with the usual ones (empty lists only)."""
    from portal.services.training_lists import ensure_default_lists

    ensure_default_lists()
    db.session.commit()
    click.echo("The agencies and job roles are listed.")


@training_cli.command("import-elearning")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_elearning(path: Path) -> None:
    """Import completions of the council's CSE e-learning course from the learning system's CSV report (those imported
    before, by Record ID, are not added again); any bad row: each named by its line, and nothing imported."""
    from portal.clock import today
    from portal.domain.elearning import ExportError
    from portal.services.elearning_import import import_completions

    try:
        data = path.read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    try:
        counts = import_completions(None, data, today())
    except ExportError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        fail(f"{path}: nothing was imported ({len(error.problems)} problems)")
    db.session.commit()
    click.echo(
        f"Imported {counts.in_file} e-learning completions from {path}: "
        f"{counts.added} new, {counts.already_imported} imported before."
    )


def _person_without_account(email: str) -> str:
    """The address of a person trained with no account, or stop with why it is not one."""
    from portal.services import learner_data

    address = learner_data.normalised(email)
    if "@" not in address.strip("@") or any(character.isspace() for character in address):
        fail(f"{email!r} is not an email address")
    if accounts.find_user_by_email(address) is not None:
        fail(f"{address} has an account: use flask users export-data or flask users erase --email {address}")
    if not learner_data.has_training_records(address):
        fail(f"no training record has the email address {address}")
    return address


@training_cli.command("export-person")
@click.option("--email", required=True, help="The address the person's training was recorded under.")
def export_trained_person(email: str) -> None:
    """A copy of the training records held under an address with no account (e-learning), as JSON (subject access)."""
    import json

    from portal.services.learner_data import person_training_data

    click.echo(json.dumps(person_training_data(_person_without_account(email)), indent=2, ensure_ascii=False))


@training_cli.command("erase-person")
@click.option("--email", required=True, help="The address the person's training was recorded under.")
@click.confirmation_option(prompt="This removes the person's name and email address for good. Continue?")
def erase_trained_person(email: str) -> None:
    """Anonymise the training records of a person with no account (the number of staff trained does not change)."""
    from portal.services.learner_data import erase_person

    changed = erase_person(_person_without_account(email))
    db.session.commit()
    click.echo(f"Removed the person's name and email address from {changed} training records.")


@click.command("purge-expired")
def purge_expired() -> None:
    """Remove what the retention schedule (the privacy notice) says has expired; running it twice is safe."""
    from portal.jobs import purge_expired_data

    for line in purge_expired_data():
        click.echo(line)


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup(destination: Path) -> None:
    """Copy the embedded SQLite database to DESTINATION while the portal runs (PostgreSQL: use pg_dump -Fc)."""
    from flask import current_app

    from portal.services.backups import BackupError, back_up_sqlite

    try:
        figures = back_up_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], destination)
    except (BackupError, OSError) as error:
        fail(str(error))
    click.echo(f"Backed up to {destination}: {figures['tables']} tables, revision {figures['revision']}, checked.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace everything in the portal's database with this backup?")
def restore(source: Path) -> None:
    """Replace the embedded SQLite database with the backup SOURCE (checked first: a whole portal database at the
    current migration), then rebuild the reach figures (PostgreSQL: pg_restore, then flask reach rebuild)."""
    from alembic.script import ScriptDirectory

    from portal.config import ROOT
    from portal.services.backups import BackupError, check_backup, restore_sqlite, sqlite_path

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    try:
        sqlite_path(url)
        check_backup(source, str(head))
        db.session.remove()
        db.engine.dispose()  # no connection of this process holds the old database open during the copy
        figures = restore_sqlite(url, source, str(head))
    except (BackupError, OSError) as error:
        fail(str(error))
    click.echo(f"Restored {source}: {figures['tables']} tables, revision {figures['revision']}, checked.")
    periods = rebuild_reach()
    click.echo(f"Reach figures rebuilt: all seasons and {periods - 1} seasons.")


def register_commands(app: Flask) -> None:
    for group in (
        schools_cli,
        users_cli,
        demo_cli,
        outbox_cli,
        reminders_cli,
        performances_cli,
        reach_cli,
        training_cli,
        previews_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(purge_expired)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
