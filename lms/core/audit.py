"""Keep the append-only audit log of security events and decisions.

An :class:`AuditEvent` says who did what, to whom, when and from where.  It never
holds a secret: :func:`record` refuses detail keys that look like one.  Rows are
never updated or deleted: the ORM refuses it here, and on PostgreSQL a trigger
(created by the migration) refuses it in the database too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.db import Base
from lms.core.types import UTCDateTime

#: Substrings of detail keys that would hold a secret; record() refuses them.
_SECRET_HINTS = ("password", "secret", "token", "totp_code", "recovery_code", "otp")


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: The person who acted; None for the system (jobs) or an anonymous visitor.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Dotted verb, e.g. ``auth.login_failed``, ``accounts.role_granted``.
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    #: Kind and id of the thing acted on, e.g. ("user", "42").
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: Client address (behind nginx: the first X-Forwarded-For hop nginx sets).
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    #: Free-form facts (never secrets), e.g. {"role": "helpdesk"}.
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor = sa.orm.relationship("User", foreign_keys=[actor_id], lazy="joined")

    @property
    def summary(self) -> str:
        """Return the details as a short human-readable line."""
        return ", ".join(f"{k}: {v}" for k, v in sorted((self.details or {}).items()))


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):  # noqa: ANN001
    raise RuntimeError("The audit log is append-only")


def record(
    db_session: Session,
    *,
    action: str,
    now: datetime,
    actor: Any = None,
    target: Any = None,
    target_type: str | None = None,
    target_id: Any = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one audit event; ``target`` may be a model with ``id`` and ``__audit_type__``."""
    for key in details:
        low = key.lower()
        if any(h in low for h in _SECRET_HINTS):
            raise ValueError(f"audit details must not hold secrets (key {key!r})")
    if target is not None:
        target_type = target_type or getattr(target, "__audit_type__", type(target).__name__.lower())
        target_id = getattr(target, "id", target_id)
    ev = AuditEvent(
        occurred_at=now,
        actor_id=getattr(actor, "id", actor),
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip=ip,
        details={k: (v if isinstance(v, (int, float, bool, type(None))) else str(v)) for k, v in details.items()},
    )
    db_session.add(ev)
    return ev


def search(
    db_session: Session,
    *,
    action: str | None = None,
    actor_email: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> sa.Select:
    """Return a SELECT of audit events matching the filters, newest first."""
    from lms.accounts.models import User

    q = sa.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        q = q.where(AuditEvent.action.startswith(action))
    if actor_email:
        q = q.join(User, AuditEvent.actor_id == User.id).where(User.email.contains(actor_email.lower()))
    if target_type:
        q = q.where(AuditEvent.target_type == target_type)
    if target_id:
        q = q.where(AuditEvent.target_id == str(target_id))
    if since:
        q = q.where(AuditEvent.occurred_at >= since)
    if until:
        q = q.where(AuditEvent.occurred_at < until)
    return q
