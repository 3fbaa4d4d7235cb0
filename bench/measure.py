"""What every benchmark shares: timing, percentiles, figures and their goals.

A figure is never a bare number: it carries the baseline measured in the same run
and the goal from issue #5, so a reader sees at once what it is compared with and
whether it is met. Nothing here asserts; the suite reports, the reader judges.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    benchmark: str
    measure: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    # Goals: an absolute limit, and a limit on value / baseline.
    at_most: float | None = None
    at_least: float | None = None
    ratio_at_most: float | None = None
    ratio_at_least: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        checks: list[bool] = []
        if self.at_most is not None:
            checks.append(self.value <= self.at_most)
        if self.at_least is not None:
            checks.append(self.value >= self.at_least)
        ratio = self.ratio
        if ratio is not None and self.ratio_at_most is not None:
            checks.append(ratio <= self.ratio_at_most)
        if ratio is not None and self.ratio_at_least is not None:
            checks.append(ratio >= self.ratio_at_least)
        return all(checks) if checks else None

    def goal(self) -> str:
        parts = []
        if self.at_most is not None:
            parts.append(f"≤ {_num(self.at_most)} {self.unit}")
        if self.at_least is not None:
            parts.append(f"≥ {_num(self.at_least)} {self.unit}")
        if self.ratio_at_most is not None:
            parts.append(f"ratio ≤ {self.ratio_at_most:g}")
        if self.ratio_at_least is not None:
            parts.append(f"ratio ≥ {self.ratio_at_least:g}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return ms_since(started)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of a few runs: the figure least disturbed by the rest of the machine."""
    return min(timed_ms(action) for _ in range(runs))


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def table(figures: list[Figure]) -> str:
    """A Markdown table: what bench/RESULTS.md holds and what the run prints."""
    lines = [
        "| benchmark | measure | value | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        base = f"{_num(f.baseline)} {f.unit} ({f.baseline_name})" if f.baseline is not None else ""
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[f.met]
        lines.append(
            f"| {f.benchmark} | {f.measure} | {_num(f.value)} {f.unit} | {base} | {ratio} "
            f"| {f.goal()} | {met} |"
        )
    return "\n".join(lines)


def resident_mb() -> float:
    """This process's resident set now (VmRSS): without a peak that has passed, such as
    the password hash's working memory at sign-in."""
    return _status_mb("VmRSS:")


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not `ru_maxrss`: Linux carries the
    parent's resident set at fork into a child's `ru_maxrss` across exec, so a child
    of a big process reported the parent's size."""
    return _status_mb("VmHWM:")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")
