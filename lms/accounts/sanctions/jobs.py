"""Scheduled job of sanctions: lift suspensions whose conditions are met."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session

from lms.accounts.sanctions import services
from lms.core.jobs import Job, register


def lift_due(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Lift every suspension whose conditions are all met."""
    return f"lifted {services.lift_due(db_session, now=now)} suspension(s)"


register(Job("sanctions.lift_due", lift_due, every_seconds=3600, label="Lift suspensions",
             description="Lift suspensions whose 30 days have passed and whose other conditions are met (hourly)."))
