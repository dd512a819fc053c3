"""Council officers import completions of the council's CSE e-learning course from the learning system's CSV report,
so that they count toward staff trained."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField

from portal.clock import today
from portal.domain.elearning import COLUMNS, ExportError
from portal.services import elearning_import
from portal.web.training.manage import bp, council_only
from portal.web.widgets import GovFileInput, GovSubmitInput

# About 65,000 completions, years of a county's course: imported in about 12 s on a 2-core machine, within a
# request's time. A larger report is imported with `flask training import-elearning`, which takes any size.
# (portal.web.security lets this page's body be this big.)
ELEARNING_MAX_BYTES = 5 * 1024 * 1024
TOO_LARGE = "The file is larger than 5 MB: export fewer months at a time, or use flask training import-elearning"
# Bad lines listed on the page at most; the rest are counted ("and 12 more").
PROBLEMS_SHOWN = 20


class ElearningImportForm(FlaskForm):
    file = FileField("Completion report (CSV)", widget=GovFileInput())
    submit = SubmitField("Import completions", widget=GovSubmitInput())


@bp.route("/e-learning/import", methods=["GET", "POST"])
@council_only
def elearning_import_page():
    form = ElearningImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(ELEARNING_MAX_BYTES + 1) if upload is not None and getattr(upload, "filename", "") else b""
        try:
            if not data or len(data) > ELEARNING_MAX_BYTES:
                raise ExportError(["Select the CSV file of completions to import" if not data else TOO_LARGE])
            counts = elearning_import.import_completions(current_user, data, today())
        except ExportError as error:
            problems = error.problems
        else:
            flash(imported_message(counts), "success")
            return redirect(url_for("training.elearning_import_page"))
    problems = problems or [message for messages in form.errors.values() for message in messages]
    if problems:
        form.file.errors = [
            problems[0] if len(problems) == 1 else f"The file has {len(problems)} problems (listed above)"
        ]
    return render_template(
        "training/elearning_import.html", title="Import e-learning completions", upload=form, columns=COLUMNS.values(),
        problems=problems[:PROBLEMS_SHOWN], more=max(0, len(problems) - PROBLEMS_SHOWN),
    )  # fmt: skip


def imported_message(counts: elearning_import.ImportCounts) -> str:
    """The banner after an import: how many completions were added, and how many were there already."""
    added = f"{counts.added} e-learning completion{'' if counts.added == 1 else 's'} added"
    before = f"{counts.already_imported} {'was' if counts.already_imported == 1 else 'were'} imported before"
    return f"{added}; {before}." if counts.already_imported else f"{added}."
