"""The previews' figures as a page and as CSV, for the company and the council: one answer, two blueprints."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from portal.clock import today
from portal.domain.csv_files import csv_bytes
from portal.services.preview_figures import GROUPINGS, preview_figures


def grouping() -> str:
    by = request.args.get("by", "preview")
    if by not in GROUPINGS:
        abort(404)
    return by


def figures_page(endpoint: str, csv_endpoint: str) -> str:
    by = grouping()
    header, rows = preview_figures(by)
    return render_template(
        "preview_figures.html",
        title="Previews: adults reached",
        by=by,
        groupings=GROUPINGS,
        header=header,
        rows=rows,
        endpoint=endpoint,
        csv_endpoint=csv_endpoint,
    )


def figures_csv() -> Response:
    by = grouping()
    header, rows = preview_figures(by)
    response = Response(csv_bytes(header, rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="previews-by-{by}-{today():%Y%m%d}.csv"'
    return response
