from __future__ import annotations

from flask import Blueprint, current_app, render_template

from portal import transactions
from portal.domain.retention import PUPIL_COUNTS_KEPT, schedule
from portal.extensions import limiter

bp = Blueprint("public", __name__)


@bp.get("/")
def start():
    return render_template("public/start.html", title="Book the CSE awareness drama for your school")


@bp.get("/accessibility")
def accessibility():
    return render_template("public/accessibility.html", title="Accessibility statement")


@bp.get("/privacy")
def privacy():
    years = current_app.config["TRAINING_RECORDS_YEARS"]
    return render_template(
        "public/privacy.html",
        title="Privacy notice",
        retention_schedule=schedule(years),
        training_records_years=years,
        pupil_counts_kept=PUPIL_COUNTS_KEPT,
    )


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 after a real query; 503 when the database does not answer. Load balancers poll it."""
    if not transactions.database_answers():
        return {"status": "error", "database": "error"}, 503
    return {"status": "ok", "database": "ok"}
