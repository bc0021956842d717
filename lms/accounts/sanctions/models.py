"""Violations of the HMIS policies and the suspensions they bring."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.sanctions import rules
from lms.core.db import Base
from lms.core.types import UTCDateTime


class Violation(Base):
    """One reported violation by one person at one agency; reviewed by the HMIS Lead."""

    __tablename__ = "violations"
    __audit_type__ = "violation"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending_review','confirmed','dismissed')", name="status_known"),
        sa.CheckConstraint("panel_decision IS NULL OR panel_decision IN ('retain','terminate')",
                           name="panel_known"),
        sa.CheckConstraint("status != 'confirmed' OR tier IS NOT NULL", name="confirmed_has_tier"),
        #: The report filters by date; the tier counts a person's confirmed violations.
        sa.Index("ix_violations_user_id_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    #: The day the violation happened.
    occurred_on: Mapped[date] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    #: It broke a local, state or federal law: treated as a third violation at once.
    broke_law: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: A :class:`rules.Status` value.
    status: Mapped[str] = mapped_column(sa.String(16), default=rules.Status.PENDING.value)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    #: Set on confirmation: the person's count of confirmed violations, 3 at least for a violation of law.
    tier: Mapped[int | None]
    #: What the agency reported it did to remedy the violation, and when it was recorded.
    remedy: Mapped[str | None] = mapped_column(sa.Text)
    remedied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remedied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The review panel's decision (3rd tier and later): a :class:`rules.Panel` value.
    panel_decision: Mapped[str | None] = mapped_column(sa.String(16))
    panel_note: Mapped[str | None] = mapped_column(sa.Text)
    panel_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    panel_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])
    agency = relationship("Agency")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    remedied_by = relationship("User", foreign_keys=[remedied_by_id])
    suspension: Mapped["Suspension | None"] = relationship(back_populates="violation", uselist=False)

    @property
    def status_enum(self) -> rules.Status:
        return rules.Status(self.status)

    @property
    def panel_enum(self) -> rules.Panel | None:
        return rules.Panel(self.panel_decision) if self.panel_decision else None

    @property
    def conditions(self) -> rules.Conditions | None:
        return rules.conditions_for(self.tier) if self.tier else None


class Suspension(Base):
    """A person may not use the HMIS from ``started_at`` until ``lifted_at`` (one per violation)."""

    __tablename__ = "suspensions"
    __audit_type__ = "suspension"
    __table_args__ = (
        #: "Is this person suspended?" is asked at every sign-in.
        sa.Index("ix_suspensions_user_id_lifted_at", "user_id", "lifted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    violation_id: Mapped[int] = mapped_column(sa.ForeignKey("violations.id"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who lifted it (None: the scheduled job, once its conditions were met).
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: "dismissed" (the review found no violation) or "conditions_met".
    lift_reason: Mapped[str | None] = mapped_column(sa.String(32))

    user = relationship("User", foreign_keys=[user_id])
    violation: Mapped[Violation] = relationship(back_populates="suspension")

    def facts(self) -> rules.SuspensionFacts:
        v = self.violation
        return rules.SuspensionFacts(status=v.status_enum, started_at=self.started_at, tier=v.tier,
                                     remedied=v.remedied_at is not None, panel=v.panel_enum,
                                     lifted=self.lifted_at is not None)
