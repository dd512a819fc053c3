"""Staff trained to spot CSE, beside the pupils: totals against the training target, by level, agency, job role,
district and month, for the dashboard's period (a season stands for its dates), each table as CSV."""

from __future__ import annotations

from flask import flash, render_template, url_for

from portal.domain.training import LEVEL_LABELS
from portal.domain.training_reach import LEVELS
from portal.services import seasons, settings
from portal.services.training_reach import training_period, training_reach
from portal.web.reach.drawn import TRAINING_TABLES
from portal.web.reach.forms import TrainingTargetForm
from portal.web.reach.routes import bp, period_arguments, period_from_args, save_target


@bp.get("/training")
def training():
    period, problems = period_from_args()
    for problem in problems:
        flash(problem, "error")
    start, end = training_period(period.season_id, period.start, period.end)
    figures, arguments = training_reach(start, end), period_arguments(period)
    levels = [(level, LEVEL_LABELS[level]) for level in LEVELS]

    def draw_tables() -> str:
        return render_template("reach/training_tables.html", figures=figures, levels=levels, period_arguments=arguments)

    return render_template(
        "reach/training.html",
        title="Staff trained",
        period=period,
        covered=(start, end),
        seasons=seasons.all_seasons(),
        period_arguments=arguments,
        figures=figures,
        levels=levels,
        # The tables by agency, job role, district and month, drawn once for the same stored figures.
        tables_html=TRAINING_TABLES.html((figures,), tuple(sorted(arguments.items())), draw_tables),
        target_form=TrainingTargetForm(target=settings.training_target()),
    )


@bp.post("/training-target")
def training_target():
    saved = "The training target is now {:,} staff."
    return save_target(TrainingTargetForm(), "training_target", saved, url_for("reach.training"))
