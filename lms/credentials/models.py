"""Live HMIS credentials: one row per issuance, ``issued → revoked``."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime

ISSUED = "issued"
REVOKED = "revoked"
STATUS_LABELS = {ISSUED: "Issued", REVOKED: "Revoked"}

_ISSUED = sa.text("status = 'issued'")


class LiveCredential(Base):
    """Live HMIS credentials given to one person (the temporary password is never stored)."""

    __tablename__ = "live_credentials"
    __audit_type__ = "live_credential"
    __table_args__ = (
        sa.CheckConstraint("status IN ('issued','revoked')", name="status_known"),
        sa.CheckConstraint("status != 'revoked' OR revoked_at IS NOT NULL", name="revoked_has_time"),
        # One issued credential per person, and an issued user name belongs to one person: the database
        # refuses a second even when two submissions race each other.
        sa.Index("uq_live_credentials_issued_user", "user_id", unique=True,
                 sqlite_where=_ISSUED, postgresql_where=_ISSUED),
        sa.Index("uq_live_credentials_issued_username", "username", unique=True,
                 sqlite_where=_ISSUED, postgresql_where=_ISSUED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The person's user name in the live HMIS (ASCII letters, digits, ``.``, ``_``, ``-``).
    username: Mapped[str] = mapped_column(sa.String(64), index=True)
    #: ``issued`` or ``revoked``.
    status: Mapped[str] = mapped_column(sa.String(16), default=ISSUED)
    #: Who issued it; None for the operator at the command line.
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it was revoked, in words.
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(500))

    user = relationship("User", foreign_keys=[user_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)
