"""The council's view of previews: seats booked, confirmed and attended (counts only)."""

from __future__ import annotations

from portal.web.council.routes import bp
from portal.web.preview_figures import figures_csv, figures_page


@bp.get("/previews")
def preview_figures():
    return figures_page("council.preview_figures", "council.preview_figures_csv")


@bp.get("/previews.csv")
def preview_figures_csv():
    return figures_csv()
