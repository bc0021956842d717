"""Read one CSV value leniently: HUD's form as it is, other unambiguous forms normalised with a note."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import lms.hud as hud

_INTEGER = re.compile(r"-?[0-9]{1,9}\Z")
_DECIMAL_INTEGER = re.compile(r"-?[0-9]{1,9}\.0*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\Z")
_MONEY = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?\Z")
#: Month and day first, then a four-digit year, with slashes or (as some US exports write, 12-31-2015) dashes.
_SLASHED = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?\Z")
_OTHER_ISO = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})"
                        r"(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(?:Z|[+-]00:?00)?)?\Z")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})\Z")
COC_SHAPE = re.compile(r"[A-Z]{2}-[0-9]{3}\Z")
_MONEY_LIMIT = Decimal("9999999999.99")


class Unusable(ValueError):
    """Raise when a value cannot be kept in any form (the message says why)."""


def _when(raw: str) -> tuple[int, int, int, int, int, int] | None:
    """Return (year, month, day, hour, minute, second) for an unambiguous written date or timestamp."""
    if m := _OTHER_ISO.match(raw):
        y, mo, d, h, mi, s = m.groups()
        return int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0)
    if m := _COMPACT.match(raw):
        return int(m[1]), int(m[2]), int(m[3]), 0, 0, 0
    if m := _SLASHED.match(raw):
        a, _, b, y, h, mi, s = m.groups()
        a_, b_ = int(a), int(b)
        if a_ == b_ or b_ > 12:  # month/day as US exports write it, and it can only be read one way
            month, day = a_, b_
        elif a_ > 12:  # day/month
            month, day = b_, a_
        else:
            return None  # 03/04/2026: March 4 or 3 April, there is no telling
        return int(y), month, day, int(h or 0), int(mi or 0), int(s or 0)
    return None


def parse(raw: str, col: hud.Column) -> tuple[Any, str | None]:
    """Return (value, note): ``note`` says how a value in another form was normalised. Raise :class:`Unusable`."""
    if raw == "":
        return None, None
    if col.type == "integer":
        if _INTEGER.match(raw):
            return int(raw), None
        text = raw.strip()
        if _INTEGER.match(text):
            return int(text), "spaces around a number were removed"
        if _DECIMAL_INTEGER.match(text):
            return int(text.split(".")[0]), f"{raw!r} was read as the whole number {int(text.split('.')[0])}"
        raise Unusable(f"{raw!r} is not a whole number")
    if col.type == "date":
        if _ISO_DATE.match(raw):
            try:
                return date.fromisoformat(raw), None
            except ValueError:
                raise Unusable(f"{raw!r} is not a date (no such day)") from None
        parts = _when(raw.strip())
        try:
            if parts is None:
                raise ValueError
            value = date(*parts[:3])
        except ValueError:
            raise Unusable(f"{raw!r} is not a date that can be read one way only (HUD writes 2026-10-01)") from None
        return value, f"{raw!r} was read as {value.isoformat()}"
    if col.type == "datetime":
        if _ISO_DATETIME.match(raw):
            try:
                return datetime.fromisoformat(raw), None
            except ValueError:
                raise Unusable(f"{raw!r} is not a timestamp (no such time)") from None
        parts = _when(raw.strip())
        try:
            if parts is None:
                raise ValueError
            value = datetime(*parts)
        except ValueError:
            raise Unusable(f"{raw!r} is not a timestamp that can be read one way only "
                           "(HUD writes 2026-10-01 13:45:00)") from None
        return value, f"{raw!r} was read as {value.isoformat(sep=' ')}"
    if col.is_money:
        if _MONEY.match(raw):
            return Decimal(raw), None
        text = raw.strip().replace("$", "").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise Unusable(f"{raw!r} is not an amount like 1100.00") from None
        if not amount.is_finite() or abs(amount) > _MONEY_LIMIT:
            raise Unusable(f"{raw!r} is not an amount like 1100.00")
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return amount, f"{raw!r} was read as the amount {amount}"
    note = None
    if _CONTROL.search(raw):
        raw = _CONTROL.sub("", raw)
        note = "control characters were removed"
    if col.limit is not None and len(raw) > col.limit:
        note = f"was {len(raw)} characters long; cut to the {col.limit} HUD allows"
        raw = raw[:col.limit]
    return raw, note
