"""Administrators: import the schools directory from a CSV file, and the settings every page shows."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from portal.domain.directory_files import read_directory_file
from portal.domain.schools_csv import DirectoryError
from portal.services import schools, settings
from portal.web.admin.routes import bp
from portal.web.sessions import fresh_login_required
from portal.web.widgets import GovFileInput, GovSubmitInput, GovTextInput

# A local authority's GIAS search-results download is well under this; the national file (about 60 MB) is imported
# with `flask schools import`, which takes any size.
DIRECTORY_MAX_BYTES = 20 * 1024 * 1024
TOO_LARGE = "The file is larger than 20 MB: download your local authorities only, or use flask schools import"
WARNINGS_SHOWN = 10


class DirectoryForm(FlaskForm):
    file = FileField("Schools directory (CSV)", widget=GovFileInput())
    submit = SubmitField("Import schools", widget=GovSubmitInput())


class SettingsForm(FlaskForm):
    cse_team_name = StringField(
        "Name of the specialist CSE team",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the team’s name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    cse_team_phone = StringField(
        "The team’s phone number",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the team’s phone number"),
            Length(min=3, max=40, message="Enter a phone number, like 01632 960 000"),
        ],
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


@bp.route("/schools/import", methods=["GET", "POST"])
def directory_import():
    form = DirectoryForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(DIRECTORY_MAX_BYTES + 1) if upload is not None and getattr(upload, "filename", "") else b""
        try:
            if not data:
                raise DirectoryError("Select a CSV file to import")
            if len(data) > DIRECTORY_MAX_BYTES:
                raise DirectoryError(TOO_LARGE)
            found = read_directory_file(data, current_app.config["LOCAL_AUTHORITIES"])
        except DirectoryError as error:
            form.file.errors.append(str(error)[0].upper() + str(error)[1:] + ". Nothing was imported.")
        else:
            created, updated = schools.import_directory(found.rows)
            flash(f"Imported {len(found.rows)} schools: {created} new, {updated} updated.", "success")
            if found.warnings:
                flash(import_warning(found.warnings), "warning")
            return redirect(url_for("admin.directory_import"))
    return render_template(
        "admin/directory_import.html",
        title="Import the schools directory",
        form=form,
        local_authorities=sorted(current_app.config["LOCAL_AUTHORITIES"]),
    )


def import_warning(warnings: list[str]) -> str:
    """The schools imported with something missing, in one banner: the first few named, the rest counted."""
    shown = "; ".join(warnings[:WARNINGS_SHOWN])
    more = f"; and {len(warnings) - WARNINGS_SHOWN} more" if len(warnings) > WARNINGS_SHOWN else ""
    return f"Imported, but check: {shown}{more}."


@bp.route("/settings", methods=["GET", "POST"])
@fresh_login_required  # the signposted team's phone number is who a worried person calls: like a role change
def settings_page():
    form = SettingsForm(
        cse_team_name=settings.get_setting("cse_team_name"), cse_team_phone=settings.get_setting("cse_team_phone")
    )
    if form.validate_on_submit():
        settings.set_setting(current_user, "cse_team_name", form.cse_team_name.data.strip())
        settings.set_setting(current_user, "cse_team_phone", form.cse_team_phone.data.strip())
        flash("Settings saved. Every page footer now shows them.", "success")
        return redirect(url_for("admin.settings_page"))
    return render_template("admin/settings.html", title="Settings", form=form)
