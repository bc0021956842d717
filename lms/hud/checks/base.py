"""The shared pieces of HUD's entry rules: a problem, text and money reading, dates, ids, codes, required columns.

Facts in, every problem out: each check returns a list of :class:`Problem`, one
per broken rule, naming the field (HUD's column name) so forms can show the
message beside it.  No database, no Flask, no clock: dates come in as arguments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping

from lms.hud import csv_columns as _columns
from lms.hud.labels import label_of
from lms.hud.lists import is_valid

YES, NO = 1, 0
#: Earliest believable date of birth (APR Q6a flags anything before it).
EARLIEST_DOB = date(1915, 1, 1)
#: Earliest date any other sandbox answer may hold (HUD's CSV writes four-digit years; no HMIS record predates it).
EARLIEST_DATE = date(1900, 1, 1)
#: A HUD identifier as the sandbox makes them (a form's one-time id, a key in a URL): at most 32 characters, the
#: HMIS CSV limit, of letters, digits, "-" and "_".
RECORD_ID = re.compile(r"[A-Za-z0-9_-]{1,32}\Z")
#: Money columns are Numeric(12, 2), as HUD's CSV carries them: ten digits before the point, two after.
MONEY_PRECISION, MONEY_SCALE = 12, 2
_MONEY = re.compile(rf"[0-9]{{1,{MONEY_PRECISION - MONEY_SCALE}}}(\.[0-9]{{1,{MONEY_SCALE}}})?\Z")
_MONEY_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?\Z")


@dataclass(frozen=True)
class Problem:
    #: HUD column (or form field) the problem is about.
    field: str
    message: str




def merge(first: list[Problem], then: list[Problem]) -> list[Problem]:
    """Return ``first`` and those of ``then`` about other fields: a refused answer is not judged a second time."""
    taken = {p.field for p in first}
    return first + [p for p in then if p.field not in taken]


def dedupe(problems: list[Problem]) -> list[Problem]:
    """Return ``problems`` without repeats, in order: one rule reached twice is still one problem."""
    return list(dict.fromkeys(problems))


def clean_text(value: Any, *, field: str, limit: int | None) -> tuple[str | None, list[Problem]]:
    """Return text as HUD's CSV can carry it: format characters dropped, trimmed, blank as None; or the problem.

    Format characters (zero-width spaces, byte-order marks, direction marks) are
    invisible and mean nothing in a name, so they are removed; control
    characters (NUL, tabs, line breaks, C1 codes) are refused with a message, as
    is text longer than the HMIS CSV column.
    """
    if value is None:
        return None, []
    text = "".join(ch for ch in str(value) if unicodedata.category(ch) != "Cf").strip()
    for position, ch in enumerate(text, start=1):
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return None, [Problem(field, f"{label_of(field)}: remove the control character (U+{ord(ch):04X}) at "
                                         f"position {position}; only printable text can be saved.")]
    if limit is not None and len(text) > limit:
        return None, [Problem(field, f"{label_of(field)}: at most {limit} characters (this is {len(text)}).")]
    return text or None, []


def clean_texts(values: Mapping[str, Any], file_name: str) -> tuple[dict[str, Any], list[Problem]]:
    """Clean every text answer of ``values`` that is a text column of ``file_name``, within that column's length."""
    out, problems = dict(values), []
    text_columns = {c.name: c.limit for c in _columns.columns(file_name) if c.type == "string" and not c.is_money}
    for name, value in values.items():
        if name in text_columns and value is not None:
            cleaned, found = clean_text(value, field=name, limit=text_columns[name])
            # A refused answer stays as typed, so the other rules still see that something was entered.
            out[name] = value if found else cleaned
            problems += found
    return out, problems


def parse_money(value: Any, *, field: str) -> tuple[Decimal | None, list[Problem]]:
    """Read an amount the one way every sandbox money field is read: finite, at least 0, cents at most.

    "$1,234.50" and "1234.5" are fine; NaN, Infinity, negative amounts, a third
    decimal or more digits than the column holds are refused with a message.
    """
    if value is None:
        return None, []
    if isinstance(value, Decimal) and value.is_finite():
        text = f"{value:f}"
    else:
        text = str(value).strip()
    if text.startswith("$"):
        text = text[1:].strip()
    if _MONEY_GROUPED.match(text):
        text = text.replace(",", "")
    if text.startswith("."):
        text = "0" + text
    if text == "":
        return None, []
    if not _MONEY.match(text):
        whole = text.split(".")[0]
        if whole.isascii() and whole.isdigit() and len(whole) > MONEY_PRECISION - MONEY_SCALE:
            limit = "9" * (MONEY_PRECISION - MONEY_SCALE) + "." + "9" * MONEY_SCALE
            return None, [Problem(field, f"{label_of(field)}: the amount is too large (at most {limit}).")]
        return None, [Problem(field, f"{label_of(field)}: enter an amount of at least 0 with at most "
                                     f"{MONEY_SCALE} decimals, such as 450.00.")]
    return Decimal(text).quantize(Decimal(1).scaleb(-MONEY_SCALE)), []


def check_record_id(value: Any, *, field: str = "record_id") -> list[Problem]:
    """A form's one-time id must look like the ids the sandbox hands out (it becomes a HUD key)."""
    if value is None or (isinstance(value, str) and RECORD_ID.match(value)):
        return []
    return [Problem(field, "This form's one-time id is damaged: reload the page and enter the answers again.")]


def is_record_id(value: Any) -> bool:
    return isinstance(value, str) and RECORD_ID.match(value) is not None


def check_dates(values: Mapping[str, Any], fields: Iterable[str], *, today: date) -> list[Problem]:
    """Every date answered lies between 1900 (1915 for a birth) and today: HMIS data records what happened."""
    p: list[Problem] = []
    for name in fields:
        value = values.get(name)
        if not isinstance(value, date):
            continue
        earliest = EARLIEST_DOB if name == "DOB" else EARLIEST_DATE
        if value > today:
            p.append(Problem(name, f"{label_of(name)}: it cannot be in the future."))
        elif value < earliest:
            p.append(Problem(name, f"{label_of(name)}: it cannot be before {earliest:%m/%d/%Y}."))
    return p


def check_required(values: Mapping[str, Any], file_name: str, *, filled: Iterable[str],
                   found: Iterable[Problem] = ()) -> list[Problem]:
    """Ask for every column HUD (and so the database) requires, except those the sandbox fills itself.

    Derived from the FY2026 column specification the models are built from, so
    a required column can never reach the database empty.  A field that already
    has a problem is not asked about twice.
    """
    skip = set(filled) | {p.field for p in found} | _columns.EXPORT_ONLY | {"DateCreated", "DateUpdated", "UserID"}
    out = []
    for col in _columns.columns(file_name):
        if col.required and col.name not in skip and values.get(col.name) in (None, ""):
            verb = "choose an answer" if col.type == "integer" else "enter it"
            out.append(Problem(col.name, f"{label_of(col.name)}: {verb}."))
    return out


def check_codes(record: Mapping[str, Any], fields: Iterable[str]) -> list[Problem]:
    """Refuse any coded answer that is not one of HUD's codes for that field."""
    problems = []
    for name in fields:
        value = record.get(name)
        list_name = _columns.COLUMN_LISTS.get(name)
        if value is None or list_name is None:
            continue
        if not is_valid(list_name, int(value)):
            problems.append(Problem(name, f"{name}: {value} is not one of HUD's answers for this question."))
    return problems
