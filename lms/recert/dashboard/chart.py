"""The geometry of the dashboard's completions-per-day bar chart (the template draws it as inline SVG)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    count: int


@dataclass(frozen=True)
class Chart:
    """The geometry of the completions-per-day bar chart (the template draws it as inline SVG)."""

    width: int
    height: int
    left: int
    top: int
    bottom: int
    bars: list[Bar]
    top_value: int
    #: x of the due date's line, or None when it falls outside the days shown.
    due_x: float | None
    #: Print each bar's count above it (there is room when the days are few).
    labels: bool

    @property
    def base(self) -> int:
        return self.height - self.bottom


def chart(per_day: list[tuple[date, int]], due_on: date, *, width: int = 640, height: int = 240) -> Chart:
    """Lay out one bar per day, scaled to the busiest day."""
    left, right, top, bottom = 40, 10, 24, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([n for _, n in per_day] + [1])
    slot = plot_w / max(len(per_day), 1)
    bars = [Bar(x=round(left + i * slot + slot * 0.1, 2), y=round(top + plot_h * (1 - n / top_value), 2),
                width=round(max(slot * 0.8, 0.5), 2), height=round(plot_h * n / top_value, 2), day=day, count=n)
            for i, (day, n) in enumerate(per_day)]
    due_x = None
    for i, (day, _) in enumerate(per_day):
        if day == due_on:
            due_x = round(left + (i + 0.5) * slot, 2)
    return Chart(width, height, left, top, bottom, bars, top_value, due_x, labels=len(per_day) <= 45)
