"""The reach tables by district, each on pages of its own one link from the dashboard (a national programme covers
over a hundred districts): figures, the pipeline and questionnaire results, found by the district's name and sorted
by it or by a figure, for the dashboard's period."""

from __future__ import annotations

from portal.clock import today
from portal.domain.reach_lists import DISTRICT_EVALUATION_SORTS, DISTRICT_FIGURE_SORTS, DISTRICT_PIPELINE_SORTS
from portal.services import reach_lists
from portal.web.reach.routes import bp
from portal.web.reach.schools import school_list

SEARCH_LABEL = "Search by district"


@bp.get("/districts")
def districts():
    read = lambda p, asked: reach_lists.district_figures(p, today(), asked)  # noqa: E731
    return school_list("districts", DISTRICT_FIGURE_SORTS, "Reach by district", read, SEARCH_LABEL)


@bp.get("/pipeline-districts")
def pipeline_districts():
    read = lambda p, asked: reach_lists.district_pipeline(p, today(), asked)  # noqa: E731
    return school_list("pipeline_districts", DISTRICT_PIPELINE_SORTS, "Pipeline by district", read, SEARCH_LABEL)


@bp.get("/evaluation-districts")
def evaluation_districts():
    read = reach_lists.district_evaluation
    title = "Questionnaire results by district"
    return school_list("evaluation_districts", DISTRICT_EVALUATION_SORTS, title, read, SEARCH_LABEL)
