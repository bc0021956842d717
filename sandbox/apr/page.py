"""The report period of the APR page, read from its query string (bad input is a message, never a 500)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from sandbox.apr.q6 import ALL_TIME


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date
    #: Each problem in words a person understands (empty: the period is usable).
    problems: tuple[str, ...] = ()
    #: What the person typed, to show back in the form.
    start_text: str = ""
    end_text: str = ""

    def problems_of(self, name: str) -> list[str]:
        """The problems of one field ("start" or "end")."""
        label = {"start": "Report start", "end": "Report end"}[name]
        return [p for p in self.problems if p.startswith(label)]

    @property
    def by_field(self) -> list[tuple[str, str]]:
        """(input id, message) pairs for the error summary."""
        return [(f"apr-{name}", p) for name in ("start", "end") for p in self.problems_of(name)]


def _date(text: str, label: str, problems: list[str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError(text)
    except ValueError:
        problems.append(f"{label}: enter a date like 2026-10-01.")
        return None
    return value


def period(args: Mapping[str, str], *, today: date) -> Period:
    """Read ``start`` and ``end`` (YYYY-MM-DD): no start means all time, no end means today."""
    start_text, end_text = str(args.get("start", ""))[:40], str(args.get("end", ""))[:40]
    problems: list[str] = []
    start = _date(start_text, "Report start", problems)
    end = _date(end_text, "Report end", problems)
    for value, label in ((start, "Report start"), (end, "Report end")):
        if value is not None and not ALL_TIME <= value <= today:
            problems.append(f"{label}: choose a date from {ALL_TIME:%m/%d/%Y} to today.")
    end_or_today = end if end is not None and not problems else today
    if start is not None and end is not None and not problems and start > end:
        problems.append("Report start: choose a date on or before the report end.")
    return Period(start=None if problems else start, end=end_or_today, problems=tuple(problems),
                  start_text=start_text, end_text=end_text)
