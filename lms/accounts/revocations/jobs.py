"""Scheduled jobs of revocations: apply notices whose date has come; mail overdue credentials."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session

from lms.accounts.revocations import services
from lms.core.jobs import Job, register


def apply_due(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Apply every revocation notice whose effective date has come."""
    return f"applied {services.apply_due(db_session, now=now)} notice(s)"


def mail_overdue(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Mail the administrators the credentials overdue to make inactive."""
    count = services.mail_overdue(db_session, now=now, base_url=config.get("BASE_URL", ""))
    return f"{count} credential(s) overdue" + (", administrators mailed" if count else "")


register(Job("revocations.apply_due", apply_due, every_seconds=900, label="Apply revocation notices",
             description="End access for notices whose effective date has come (every 15 minutes)."))
register(Job("revocations.mail_overdue", mail_overdue, daily_at="14:00", label="Mail overdue credential revocations",
             description="Once a day, mail the administrators the live credentials overdue to make inactive."))
