"""Revocation deadlines in business days: pure decisions, no Flask, no SQLAlchemy.

The manual (*Revoking End User Access*): the agency notifies the HMIS Lead "as soon
as possible but no later than three (3) business days" after a person stops
needing access.  A business day is a weekday that is not a U.S. federal holiday
(observed days included: July 4, 2026 is a Saturday, so Friday July 3 is off).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

#: Business days an agency has to notify after the person stops needing access.
NOTICE_BUSINESS_DAYS = 3
#: How far from today a revocation's effective date may lie (a typo like 2062 is refused).
MAX_DAYS_BACK = 366
MAX_DAYS_AHEAD = 366


class Kind(str, enum.Enum):
    """Why the person no longer needs access (the manual's "change in employment or job duty")."""

    SEPARATION = "separation"
    DUTIES = "duties"
    TRANSFER = "transfer"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.SEPARATION: "Leaving the agency",
    Kind.DUTIES: "Job duties no longer need HMIS",
    Kind.TRANSFER: "Transferring to another position",
}


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_business_day(day: date) -> bool:
    """Tell whether ``day`` is a weekday that is not a U.S. federal holiday (or its observed day)."""
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def business_days_after(day: date, n: int) -> date:
    """Return the ``n``-th business day after ``day`` (``day`` itself never counts; n=0 gives ``day``)."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    while n:
        current += timedelta(days=1)
        if is_business_day(current):
            n -= 1
    return current


def notice_deadline(effective: date) -> date:
    """Return the last day an agency may notify for a person who stops needing access on ``effective``."""
    return business_days_after(effective, NOTICE_BUSINESS_DAYS)


def is_late(effective: date, notified: date) -> bool:
    """Tell whether a notice filed on ``notified`` came after the manual's three business days."""
    return notified > notice_deadline(effective)


def credential_due(effective: date, notified: date, business_days: int) -> date:
    """Return when the live credential must be inactive: ``business_days`` after access ends or the
    notice arrives, whichever is later (an advance notice waits for its effective date)."""
    return business_days_after(max(effective, notified), business_days)


@dataclass(frozen=True)
class NoticeCheck:
    """Whether a notice may be filed, with every reason it may not."""

    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.reasons


def notice_refusals(*, effective: date | None, today: date, member_now: bool, open_notice: bool,
                    reason_text: str) -> NoticeCheck:
    """Check a revocation notice before it is filed; return every reason it cannot be."""
    reasons = []
    if effective is None:
        reasons.append("Enter the date the person stops needing HMIS access.")
    elif effective < today - timedelta(days=MAX_DAYS_BACK):
        reasons.append("The date is more than a year ago. Check the year.")
    elif effective > today + timedelta(days=MAX_DAYS_AHEAD):
        reasons.append("The date is more than a year ahead. Check the year, or send the notice nearer the time.")
    if not member_now:
        reasons.append("This person no longer has access through your agency.")
    if open_notice:
        reasons.append("A notice for this person at your agency is already waiting for its date.")
    if not reason_text.strip():
        reasons.append("Say briefly why the person no longer needs access.")
    return NoticeCheck(reasons)


def status_of(*, applied: bool, credential_done: bool) -> str:
    """Return a notice's state: "scheduled" (before its date), "open" (credential to make inactive), "done"."""
    if not applied:
        return "scheduled"
    return "done" if credential_done else "open"


STATUS_LABELS = {"scheduled": "Scheduled", "open": "Credential to make inactive", "done": "Done"}
