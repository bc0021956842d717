"""Pure recertification rules: what a cycle asks, when it is due, which reminder is due today, who is overdue.

Facts and dates in, answers out; no Flask, no SQLAlchemy.  Evidence is read by
attribute (``requirement``, ``fiscal_year``, ``achieved_at``), as in
:mod:`lms.training.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence

from lms.training import rules as training_rules

#: What every end user completes again at the start of each HUD fiscal year, in the manual's order
#: (Annual Recertification: the UPRA, Security and Privacy Awareness, HMIS Data Standards).
REQUIREMENTS: tuple[str, ...] = (training_rules.UPRA, training_rules.SECURITY_PRIVACY, training_rules.DATA_STANDARDS)

DEFAULT_DUE_MONTH, DEFAULT_DUE_DAY = 10, 31
DEFAULT_REMINDER_DAYS = (30, 14, 7, 1)
DEFAULT_OVERDUE_EVERY_DAYS = 7


def cycle_start(fiscal_year: int) -> date:
    """Return the first day of ``fiscal_year`` (October 1 of the year before)."""
    return date(fiscal_year - 1, 10, 1)


def due_date(fiscal_year: int, month: int = DEFAULT_DUE_MONTH, day: int = DEFAULT_DUE_DAY) -> date:
    """Return the due date of ``fiscal_year``'s cycle: the first ``month``/``day`` on or after October 1.

    A day past the month's end is the month's last day (February 30 → February 28 or 29).
    """
    year = fiscal_year - 1 if month >= 10 else fiscal_year
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return first.replace(day=min(max(day, 1), last))


def parse_days(words: Iterable[str]) -> tuple[int, ...]:
    """Turn reminder days ("30", "14", ...) into distinct whole numbers, largest first; ignore the rest."""
    out = set()
    for w in words:
        w = str(w).strip()
        if w.isascii() and w.isdigit() and 0 < int(w) <= 365:
            out.add(int(w))
    return tuple(sorted(out, reverse=True))


@dataclass(frozen=True)
class Reminder:
    """A reminder point: its key (one mail per person per key) and what it says."""

    key: str
    #: Days before the due date (positive), or days overdue (negative).
    days_before: int

    @property
    def overdue(self) -> bool:
        return self.days_before < 0


def reminder_due(today: date, *, opened_on: date, due_on: date, days_before: Sequence[int],
                 overdue_every_days: int = DEFAULT_OVERDUE_EVERY_DAYS) -> Reminder | None:
    """Return the latest reminder point on or before ``today`` (None when there is none yet).

    Before the due date: the points ``due_on - d`` for each ``d`` in ``days_before``
    (those before the cycle opened do not count).  After it: every
    ``overdue_every_days`` days, starting the day after the due date.  A job that
    missed a day still sends the latest point, and each point is mailed once.
    """
    if today < opened_on:
        return None
    if today > due_on:
        if overdue_every_days <= 0:
            return None
        late = (today - due_on).days
        step = 1 + ((late - 1) // overdue_every_days) * overdue_every_days
        return Reminder(f"overdue:{step}", -step)
    points = [d for d in sorted(set(days_before)) if opened_on <= due_on - timedelta(days=d) <= today]
    if not points:
        return None
    d = min(points)  # the latest point reached
    return Reminder(f"before:{d}", d)


def requirement_met(requirement: str, evidence: Iterable, *, fiscal_year: int, carry_over_from: datetime | None,
                    fiscal_year_start: datetime, now: datetime) -> datetime | None:
    """Return when ``requirement`` was met for ``fiscal_year`` (the latest such evidence), or None.

    Evidence of the fiscal year counts; so does evidence achieved from
    ``carry_over_from`` until the year began (new-user training completed shortly
    before October 1), when a carry-over window is set.
    """
    best = None
    for ev in evidence:
        if ev.requirement != requirement or ev.achieved_at > now:
            continue
        counts = ev.fiscal_year == fiscal_year or (
            carry_over_from is not None and carry_over_from <= ev.achieved_at < fiscal_year_start)
        if counts and (best is None or ev.achieved_at > best):
            best = ev.achieved_at
    return best


@dataclass(frozen=True)
class Standing:
    """Where one person stands in one cycle."""

    #: requirement key -> when met (None: not yet).
    met: dict[str, datetime | None]

    @property
    def complete(self) -> bool:
        return all(self.met.values())

    @property
    def completed_at(self) -> datetime | None:
        return max(self.met.values()) if self.complete and self.met else None

    @property
    def missing(self) -> list[str]:
        return [k for k, v in self.met.items() if v is None]

    def missing_labels(self) -> list[str]:
        return [training_rules.requirement_label(k) for k in self.missing]


def standing(evidence: Iterable, *, fiscal_year: int, fiscal_year_start: datetime, carry_over_days: int,
             now: datetime) -> Standing:
    """Return every requirement of the cycle with when it was met."""
    evidence = list(evidence)
    carry = fiscal_year_start - timedelta(days=carry_over_days) if carry_over_days > 0 else None
    return Standing({key: requirement_met(key, evidence, fiscal_year=fiscal_year, carry_over_from=carry,
                                          fiscal_year_start=fiscal_year_start, now=now) for key in REQUIREMENTS})


def in_new_user_training(plan_created_at: datetime | None, fiscal_year_start: datetime) -> bool:
    """A person whose new-user plan began in this fiscal year completes the series instead (no recertification)."""
    return plan_created_at is not None and plan_created_at >= fiscal_year_start


def is_overdue(today: date, due_on: date, standing_: Standing) -> bool:
    """Tell whether a person is overdue: the due date has passed and something is missing."""
    return today > due_on and not standing_.complete


def sign_in_message(fiscal_year: int, due_on: date, missing: Sequence[str]) -> str:
    """Tell a person, in words, why their HMIS access is suspended and how to lift it.

    The suspension is of their access to the live HMIS (the manual: recertification is completed "to
    maintain HMIS access"); they still sign in here, where the training that lifts it is done.
    """
    what = ", ".join(missing) if missing else "the yearly training"
    return (f"Your HMIS access is suspended because you did not complete the annual recertification for "
            f"fiscal year {fiscal_year} by {due_on.strftime('%B')} {due_on.day}, {due_on.year} "
            f"(still missing: {what}). Complete it here, in My training: the suspension is lifted as soon "
            f"as it is completed. Contact the HMIS Lead for help.")


# --- the compliance dashboard ---------------------------------------------------------------------

CERTIFIED, IN_PROGRESS, NOT_STARTED, OVERDUE, SUSPENDED, EXEMPT = (
    "certified", "in_progress", "not_started", "overdue", "suspended", "exempt")
#: Every status a person has in a cycle, in the dashboard's order.
STATUSES: tuple[str, ...] = (CERTIFIED, IN_PROGRESS, NOT_STARTED, OVERDUE, SUSPENDED, EXEMPT)
STATUS_LABELS = {
    CERTIFIED: "Certified",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not started",
    OVERDUE: "Overdue",
    SUSPENDED: "Suspended",
    EXEMPT: "In new-user training (exempt)",
}


def person_status(standing_: Standing, *, exempt: bool, suspended: bool, today: date, due_on: date) -> str:
    """Return one person's single status in a cycle.

    A live recertification suspension comes first (the person's HMIS access is suspended, even when the
    evidence that lifts it is already recorded and the lift waits for the next job run or sign-in); then
    new-user training this year (no recertification asked); then certified (every requirement met);
    overdue (the due date has passed); in progress (some met); not started (none met).
    """
    if suspended:
        return SUSPENDED
    if exempt:
        return EXEMPT
    if standing_.complete:
        return CERTIFIED
    if today > due_on:
        return OVERDUE
    return IN_PROGRESS if any(standing_.met.values()) else NOT_STARTED


def percent(part: int, whole: int) -> float | None:
    """Return ``part`` as a percentage of ``whole``, to one decimal (None when there is no whole)."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


def completions_per_day(days: Iterable[date], first: date, last: date) -> list[tuple[date, int]]:
    """Count completions on each day from ``first`` to ``last`` (both included).

    A completion before ``first`` (evidence carried over, or recorded before the cycle opened) counts on
    ``first``; one after ``last`` counts on ``last``: every completion is in the series once.
    """
    if last < first:
        last = first
    counts = {first + timedelta(days=i): 0 for i in range((last - first).days + 1)}
    for day in days:
        counts[min(max(day, first), last)] += 1
    return sorted(counts.items())


#: A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Keep a spreadsheet from reading a text cell as a formula: prefix an apostrophe where it would."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
