"""The values a practice case file holds, read as the sandbox stores them, and how a member is recognised.

Shared by :mod:`practice_cases.validate.case` (one file's shape and records) and
:mod:`practice_cases.validate.households` (what must agree across segments), and by the auto-compare.
Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import lms.hud as hud

SEGMENTS = ("entry", "update", "exit")
#: HUD data collection stage (list 5.03.1) each segment's assessments are recorded at.
STAGE_OF = {"entry": 1, "update": 2, "exit": 3}
#: The CSV files an answer key may describe, and whether a member holds one record, a dict by type, or a list.
FILES = {"Client": "one", "Enrollment": "one", "IncomeBenefits": "one", "HealthAndDV": "one", "Exit": "one",
         "Disabilities": "by_type", "CurrentLivingSituation": "list"}
#: Files that belong to one segment only.
ONLY_IN = {"Exit": ("exit",)}
#: Columns the sandbox fills itself, or that a key must not use to match records.
NOT_IN_KEYS = {"DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID", "DataCollectionStage",
               "DisabilityType"}
IDENTITY = (("Client", "FirstName"), ("Client", "LastName"), ("Client", "DOB"), ("Enrollment", "RelationshipToHoH"))
DISABILITY_TYPES = frozenset(hud.DISABILITY_TYPES)
_CASE_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}\Z")
_MONEY = re.compile(r"[0-9]{1,10}\.[0-9]{2}\Z")


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


def is_identifier(column: str) -> bool:
    """HUD keys (PersonalID, EnrollmentID, HouseholdID ...) are the database's, never the answer's."""
    return column.endswith("ID") or column in NOT_IN_KEYS


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        return None


def parse_money(value: Any) -> Decimal | None:
    if not isinstance(value, str) or not _MONEY.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already refuses it
        return None


def typed(file: str, column: str, value: Any) -> Any:
    """Return a key's value as the sandbox stores it (date, Decimal, int, text); None when it cannot be read."""
    if value is None:
        return None
    kind = hud.column_type(f"{file}.csv", column)
    if kind == "date":
        return parse_date(value)
    if kind == "money":
        return parse_money(value)
    if kind == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return value if isinstance(value, str) else None


def _members(segments: dict, name: str) -> list[dict]:
    seg = segments.get(name)
    key = seg.get("answer_key") if isinstance(seg, dict) else None
    members = key.get("members") if isinstance(key, dict) else None
    return [m for m in members if isinstance(m, dict)] if isinstance(members, list) else []


def _get(member: dict, file: str, column: str) -> Any:
    record = member.get(file)
    return record.get(column) if isinstance(record, dict) else None


def identity(member: dict) -> tuple[str, str, str]:
    """How a key's member is recognised: first and last name (case and spaces ignored) and date of birth."""
    def norm(v: Any) -> str:
        return " ".join(str(v or "").split()).casefold()
    return norm(_get(member, "Client", "FirstName")), norm(_get(member, "Client", "LastName")), str(
        _get(member, "Client", "DOB") or "")
