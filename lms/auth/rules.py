"""Pure decisions about sign-in: throttling, session expiry, TOTP steps. No Flask, no SQL."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

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
    """Return the seconds until the session would expire if nothing more happens.

    Rounded up: a page counting down from this number reaches zero at or after the
    server's end, never before it (0.2 s left is 1, not 0).
    """
    end = min(created_at + absolute, last_seen_at + idle)
    return max(0, math.ceil((end - now).total_seconds()))


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def totp_match_step(secret: str, code: str, *, now: datetime, last_step: int | None) -> int | None:
    """Return the time step the code belongs to, or None if wrong or already used.

    A code is accepted for the current step or one step either side; once a step
    has been accepted, no code of that step or an earlier one is accepted again
    (replay protection, as warehouse's ``check_totp_value``).
    """
    code = totp_code(code)
    if code is None:
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_PERIOD)
    current = totp.timecode(now)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None


_TOTP_CODE = re.compile(r"[0-9]{6}")
_RECOVERY_CODE = re.compile(r"[a-z0-9]{5}-?[a-z0-9]{5}")


def totp_code(raw: str | None) -> str | None:
    """Return the 6 ASCII digits of a typed TOTP code (spaces dropped), or None.

    Only ASCII 0-9: ``str.isdigit`` and ``int`` also accept "１２３４５６" or "٠١٢٣٤٥",
    which no authenticator shows and which ``hmac.compare_digest`` refuses with an error.
    """
    code = (raw or "").replace(" ", "").strip()
    return code if _TOTP_CODE.fullmatch(code) else None


def is_recovery_code(raw: str | None) -> bool:
    """Tell whether the input has the shape of a recovery code ("abcde-23456", ASCII only)."""
    return bool(_RECOVERY_CODE.fullmatch((raw or "").replace(" ", "").strip().lower()))


def has_control_chars(text: str | None) -> bool:
    """Tell whether text holds a control or format character (NUL, tab, newline, zero-width ...)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in (text or ""))


#: What browsers remove from anywhere in a URL before parsing it (WHATWG URL: tab and newlines).
_URL_REMOVED = str.maketrans("", "", "\t\n\r")
#: What browsers strip from both ends of a URL (C0 controls and space).
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def safe_next_path(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects).

    The check runs on what a browser would make of the value: tabs and newlines
    removed, leading and trailing controls and spaces stripped (WHATWG URL parsing),
    and once more after percent-decoding.  Refused: anything not starting with a
    single "/", a backslash (browsers read it as "/"), a scheme or a host, and any
    control, format or space character left (they break the Location header or
    hide what the URL says).
    """
    if not target or len(target) > 2000:
        return None
    if any(unicodedata.category(ch)[0] in "CZ" for ch in target):
        return None
    for candidate in (target, unquote(target)):
        seen = candidate.translate(_URL_REMOVED).strip(_C0_AND_SPACE)
        if not seen.startswith("/") or seen.startswith("//") or "\\" in seen:
            return None
        parts = urlsplit(seen)
        if parts.scheme or parts.netloc:
            return None
    return target
