"""Revocation notices: an agency tells the HMIS Lead a person no longer needs access."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.revocations import rules
from lms.core.db import Base
from lms.core.types import UTCDateTime


class RevocationNotice(Base):
    """One notice: from its effective date the person cannot act for the agency; then the
    administrators make the live credential inactive and record it."""

    __tablename__ = "revocation_notices"
    __audit_type__ = "revocation_notice"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('separation','duties','transfer')", name="kind_known"),
        # A second click of the same form finds this row taken (the service checks first).
        sa.UniqueConstraint("user_id", "agency_id", "effective_on"),
        #: The administrators' queue: applied notices whose credential is still to make inactive.
        sa.Index("ix_revocation_notices_queue", "deactivated_at", "credential_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    #: A :class:`rules.Kind` value.
    kind: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str] = mapped_column(sa.Text)
    #: The day the person stops needing access (local calendar day).
    effective_on: Mapped[date]
    #: The day the agency filed the notice (local calendar day).
    notified_on: Mapped[date]
    #: Filed after the manual's three business days: recorded against the agency.
    is_late: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: When the membership ended and the sessions ended (None: waiting for the effective date).
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The administrators must make the live credential inactive by this day.
    credential_due_on: Mapped[date]
    #: When an administrator recorded the credential as inactive, and who.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])
    agency = relationship("Agency")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    deactivated_by = relationship("User", foreign_keys=[deactivated_by_id])

    @property
    def kind_label(self) -> str:
        return rules.Kind(self.kind).label

    @property
    def status(self) -> str:
        return rules.status_of(applied=self.applied_at is not None, credential_done=self.deactivated_at is not None)

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    def credential_overdue(self, today: date) -> bool:
        return self.status == "open" and self.credential_due_on < today
