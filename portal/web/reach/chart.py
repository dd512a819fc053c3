"""A small server-drawn SVG chart of progress over time; the page shows the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 280, 48


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def _scale(values: list[int], top: int) -> list[float]:
    return [HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top if top else HEIGHT - PAD for value in values]


def progress_chart(months: list[str], seen: list[int], discussed: list[int], target: int, projected: list[int]) -> dict:
    """Coordinates for cumulative seen and discussed lines, the target line and the projection."""
    top = max([target, *seen, *projected, 1])
    count = max(len(months) + len(projected) - 1, 1)
    step = (WIDTH - 2 * PAD) / count
    xs = [PAD + step * index for index in range(len(months) + len(projected))]

    def line(values: list[int], offset: int = 0) -> str:
        ys = _scale(values, top)
        return " ".join(f"{xs[offset + i]:.1f},{y:.1f}" for i, y in enumerate(ys))

    projection_values = [seen[-1], *projected] if seen and projected else []
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "seen": line(seen),
        "discussed": line(discussed),
        "projection": line(projection_values, offset=len(months) - 1) if projection_values else "",
        "target_y": round(_scale([target], top)[0], 1),
        "labels": [(round(xs[i], 1), month) for i, month in enumerate(months)],
        "top": top,
    }
