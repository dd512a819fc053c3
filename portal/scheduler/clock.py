"""Time on a busy machine: when the process started, and how much of a core it has had lately.

The time kept back for the phases after the search (travel polish, reasons, the final check, writing) is their
CPU time on a quiet machine. With other CPU-bound processes beside it the solver gets only part of a core, and
those phases take that much longer in wall-clock time: `Pace` turns CPU seconds into the wall seconds they take now.
"""

from __future__ import annotations

import os
import pathlib
import time
from collections import deque

_IMPORTED = time.monotonic()
SPAN = 10.0  # the share of a core is measured over about the last this many wall seconds
MIN_SPAN = 0.5  # measured over less than this, it is taken as a whole core
MIN_SHARE = 0.1  # never assumed below this (a reserve ten times its CPU time)


def process_started() -> float:
    """`time.monotonic()` when this process started (Linux: from /proc), else when this module was imported.

    Interpreter start, imports and reading the instance then count against a command's time limit.
    """
    try:
        stat = pathlib.Path("/proc/self/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime, in clock ticks since boot
        uptime = float(pathlib.Path("/proc/uptime").read_text().split()[0])
        age = uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return _IMPORTED
    if not 0.0 <= age < 3600.0:
        return _IMPORTED
    return min(_IMPORTED, time.monotonic() - age)


class Pace:
    """This process's recent share of one core (CPU seconds per wall second), between MIN_SHARE and 1."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float]] = deque([(time.monotonic(), time.process_time())])

    def share(self) -> float:
        """The share over about the last SPAN seconds (1.0 until MIN_SPAN seconds have passed)."""
        wall, cpu = time.monotonic(), time.process_time()
        self._samples.append((wall, cpu))
        while len(self._samples) > 2 and wall - self._samples[1][0] >= SPAN:
            self._samples.popleft()
        wall0, cpu0 = self._samples[0]
        if wall - wall0 < MIN_SPAN:
            return 1.0
        return min(1.0, max(MIN_SHARE, (cpu - cpu0) / (wall - wall0)))

    def wall(self, cpu_seconds: float) -> float:
        """The wall seconds that `cpu_seconds` of work take at the current share."""
        return cpu_seconds / self.share()
