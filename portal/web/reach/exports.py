"""Every reach table as CSV, every row of it, written as it is sent (portal.services.reach_exports)."""

from __future__ import annotations

from flask import Response, abort, stream_with_context

from portal.clock import today
from portal.domain.csv_files import csv_stream
from portal.services.reach_exports import EXPORTS
from portal.web.reach.routes import bp, period_from_args


@bp.get("/export/<table>.csv")
def export(table: str):
    if table not in EXPORTS:
        abort(404)
    period, problems = period_from_args()
    if problems:
        abort(400)
    # The figures are read (or computed and cached) here, inside the request's transaction; only the rows stream.
    header, rows = EXPORTS[table](period, today())
    response = Response(stream_with_context(csv_stream(header, rows)), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="reach-{table}-{today():%Y%m%d}.csv"'
    return response
