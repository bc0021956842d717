"""Register the core's scheduled jobs: mail delivery retries and session clean-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.jobs import Job, register
from lms.core.mail import dispatch_pending


def send_outbox(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Send every due message in the outbox (new ones and retries)."""
    counts = dispatch_pending(db_session, config, now=now)
    return f"sent {counts['sent']}, will retry {counts['retry']}, gave up {counts['gave_up']}"


def expire_sessions(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """End sessions past their idle or absolute limit (requests check too; this tidies the registry)."""
    from lms.auth.models import UserSession
    from lms.auth.services import session_limits

    idle, absolute = session_limits(db_session)
    ended = 0
    for reason, cond in (("absolute", UserSession.created_at <= now - absolute),
                         ("idle", UserSession.last_seen_at <= now - idle)):
        ended += db_session.execute(
            sa.update(UserSession).where(UserSession.ended_at.is_(None), cond)
            .values(ended_at=now, end_reason=reason)
        ).rowcount
    return f"ended {ended} expired session(s)"


register(Job("mail.send_outbox", send_outbox, every_seconds=60, label="Send e-mail",
             description="Send queued e-mail and retry failed deliveries."))
register(Job("auth.expire_sessions", expire_sessions, every_seconds=300, label="End expired sessions",
             description="End sessions past their idle or absolute time limit."))
