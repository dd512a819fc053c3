"""A small server-drawn SVG chart of progress over time; the page shows the same figures in a table beside it.

The axis runs month by month, every month marked whether or not anything happened in it. Each running total is
drawn at the end of its month, and this month's at today; the projection starts from today, at the pace so far.
"""

from __future__ import annotations

import calendar
import math
from datetime import date

from portal.domain.reach import month_key, months_between

WIDTH, HEIGHT, PAD = 640, 280, 48
PROJECTED_MONTHS = 6
MOST_LABELS = 12


def _add_months(month: str, count: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def progress_chart(
    totals: list[tuple[str, int, int]], target: int, today: date, per_month: int, *, project: bool = True
) -> dict:
    """Coordinates for the cumulative seen and discussed lines, the target, the projection and the month marks.

    totals: (month, seen so far, discussed so far) for every month up to this one (see domain.reach.running_totals).
    """
    this_month = month_key(today)
    first = totals[0][0] if totals else this_month
    last_shown = totals[-1][0] if totals else this_month
    projecting = project and per_month > 0 and last_shown == this_month
    axis = months_between(first, _add_months(last_shown, PROJECTED_MONTHS) if projecting else last_shown)
    seen_now = totals[-1][1] if totals else 0
    projected_end = seen_now + per_month * PROJECTED_MONTHS if projecting else 0
    top = max([target, projected_end, *(seen for _, seen, _ in totals), 1])

    def x(position: float) -> float:
        return PAD + (WIDTH - 2 * PAD) * position / len(axis)

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top

    today_position = None
    if this_month in axis:
        today_position = axis.index(this_month) + today.day / calendar.monthrange(today.year, today.month)[1]
    ends = [today_position if month == this_month else index + 1 for index, (month, _, _) in enumerate(totals)]

    def line(values: list[int]) -> str:
        points = [(x(0), y(0))] + [(x(end), y(value)) for end, value in zip(ends, values, strict=True)]
        return " ".join(f"{px:.1f},{py:.1f}" for px, py in points) if totals else ""

    every = math.ceil(len(axis) / MOST_LABELS)
    # (x, "Jan", "2027"): the year under the first label and under each January.
    labels = [
        (round(x(index + 0.5), 1), f"{date(int(month[:4]), int(month[5:]), 1):%b}", month[:4])
        for index, month in enumerate(axis)
        if index % every == 0
    ]
    labels = [(lx, name, year if i == 0 or name == "Jan" else "") for i, (lx, name, year) in enumerate(labels)]
    projection = ""
    if projecting:
        start, end = (x(today_position), y(seen_now)), (x(today_position + PROJECTED_MONTHS), y(projected_end))
        projection = f"{start[0]:.1f},{start[1]:.1f} {end[0]:.1f},{end[1]:.1f}"
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "seen": line([seen for _, seen, _ in totals]),
        "discussed": line([discussed for _, _, discussed in totals]),
        "projection": projection,
        "today_x": round(x(today_position), 1) if today_position is not None else None,
        "target_y": round(y(target), 1),
        "ticks": [round(x(index), 1) for index in range(len(axis) + 1)],
        "labels": labels,
        "months": len(axis),
        "top": top,
    }
