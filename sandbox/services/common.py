"""Identifiers, timestamps and the one way a HUD record's values are written, shared by every service module."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session


def new_id() -> str:
    """Return a fresh HUD identifier (32 hex characters, the CSV limit)."""
    return uuid.uuid4().hex


def stamp(now: datetime) -> datetime:
    """HUD timestamps are naive; the sandbox writes UTC."""
    return now.replace(tzinfo=None, microsecond=0)


def apply_values(sdb: Session, record: Any, values: Mapping[str, Any], ts: datetime) -> Any:
    """Write HUD values onto a record and stamp DateUpdated."""
    for k, v in values.items():
        setattr(record, k, v)
    record.DateUpdated = ts
    sdb.flush()
    return record
