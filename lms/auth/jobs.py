"""The auth package's scheduled job: send the links of "forgot password" requests left waiting."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session

from lms.auth import services
from lms.core.jobs import Job, register
from lms.core.mail import dispatch_pending


def send_reset_links(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Send reset links not sent right after their request (a worker stopped in between)."""
    due = services.send_reset_links(db_session, now=now, base_url=config["BASE_URL"])
    db_session.commit()
    counts = dispatch_pending(db_session, config, now=now, ids=due) if due else {"sent": 0}
    return f"{len(due)} reset link(s) queued, {counts['sent']} sent"


register(Job("auth.send_reset_links", send_reset_links, every_seconds=60,
             description="Send the password reset links of requests still waiting."))
