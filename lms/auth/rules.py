"""Pure decisions about sign-in: throttling, session expiry, TOTP steps. No Flask, no SQL."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

#: Longest delay between attempts, however many failures.
MAX_DELAY = timedelta(minutes=15)
TOTP_PERIOD = 30
#: Steps either side of now that are accepted (clock drift): 1 step = 30 seconds.
TOTP_WINDOW = 1


@dataclass(frozen=True)
class ThrottleDecision:
    allowed: bool
    #: Seconds to wait before the next attempt may be made (0 when allowed).
    wait_seconds: int = 0


def throttle_delay(failures: int, throttle_after: int) -> timedelta:
    """Return how long to wait after ``failures`` consecutive failures (doubling, capped)."""
    if failures < throttle_after:
        return timedelta(0)
    delay = timedelta(seconds=2 ** (failures - throttle_after + 1))
    return min(delay, MAX_DELAY)


def may_attempt(failures: int, last_failure_at: datetime | None, *, throttle_after: int, now: datetime) -> ThrottleDecision:
    """Decide whether a sign-in attempt may be checked now."""
    if last_failure_at is None:
        return ThrottleDecision(True)
    ready_at = last_failure_at + throttle_delay(failures, throttle_after)
    if now >= ready_at:
        return ThrottleDecision(True)
    return ThrottleDecision(False, int((ready_at - now).total_seconds()) + 1)


@dataclass(frozen=True)
class SessionState:
    alive: bool
    #: idle or absolute when not alive.
    reason: str | None = None


def session_state(*, created_at: datetime, last_seen_at: datetime, now: datetime,
                  idle: timedelta, absolute: timedelta) -> SessionState:
    """Decide whether a session is still alive at ``now``."""
    if now - created_at >= absolute:
        return SessionState(False, "absolute")
    if now - last_seen_at >= idle:
        return SessionState(False, "idle")
    return SessionState(True)


def seconds_left(*, created_at: datetime, last_seen_at: datetime, now: datetime,
                 idle: timedelta, absolute: timedelta) -> int:
    """Return the seconds until the session would expire if nothing more happens."""
    end = min(created_at + absolute, last_seen_at + idle)
    return max(0, int((end - now).total_seconds()))


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def totp_match_step(secret: str, code: str, *, now: datetime, last_step: int | None) -> int | None:
    """Return the time step the code belongs to, or None if wrong or already used.

    A code is accepted for the current step or one step either side; once a step
    has been accepted, no code of that step or an earlier one is accepted again
    (replay protection, as warehouse's ``check_totp_value``).
    """
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_PERIOD)
    current = totp.timecode(now)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None
