"""Tell the time through one replaceable callable, so tests can pass the times they need.

Rules and services never read the clock: they take ``now``.  Views, CLI commands and
jobs get ``now`` from :func:`utcnow`, which asks the application's clock; tests
install a :class:`FrozenClock` with ``app.extensions["lms.clock"] = clock``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

from flask import current_app, has_app_context


def system_clock() -> datetime:
    """Return the real current time in UTC."""
    return datetime.now(timezone.utc)


def utcnow() -> datetime:
    """Return the application's idea of now (aware, UTC)."""
    if has_app_context():
        clock: Callable[[], datetime] = current_app.extensions.get("lms.clock", system_clock)
        return clock()
    return system_clock()


class FrozenClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by ``timedelta(**delta)`` and return the new time."""
        self.now = self.now + timedelta(**delta)
        return self.now
