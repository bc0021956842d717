"""Recertification cycles, the reminders mailed in them, and the suspensions they brought."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime


class RecertCycle(Base):
    """One fiscal year's recertification: opened once (the unique fiscal year), settings kept as they were."""

    __tablename__ = "recert_cycles"
    __audit_type__ = "recert_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(unique=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Who opened it by hand (None: the scheduled job or the command line).
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    opened_on: Mapped[date]
    due_on: Mapped[date]
    #: Reminder days before the due date, as set when the cycle opened ("30,14,7,1").
    reminder_days: Mapped[str] = mapped_column(sa.String(100))
    overdue_every_days: Mapped[int]
    carry_over_days: Mapped[int]
    #: When the day-after-due enforcement first ran.
    enforced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecertReminder(Base):
    """A reminder mailed to one person in one cycle: once per reminder point, never twice."""

    __tablename__ = "recert_reminders"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "user_id", "key", name="uq_recert_reminders_cycle_id_user_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("recert_cycles.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: "before:<days>" or "overdue:<days late>".
    key: Mapped[str] = mapped_column(sa.String(32))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outbox_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_messages.id"))


class RecertSuspension(Base):
    """One person suspended in one cycle for missing recertification, until they complete it."""

    __tablename__ = "recert_suspensions"
    __audit_type__ = "recert_suspension"
    __table_args__ = (
        sa.UniqueConstraint("cycle_id", "user_id", name="uq_recert_suspensions_cycle_id_user_id"),
        #: "Is this person suspended?" is asked at every sign-in.
        sa.Index("ix_recert_suspensions_user_id_lifted_at", "user_id", "lifted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("recert_cycles.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: "completed" (the evidence is recorded) or "out_of_scope" (no longer an active end user).
    lift_reason: Mapped[str | None] = mapped_column(sa.String(32))

    cycle: Mapped[RecertCycle] = relationship()
    user = relationship("User", foreign_keys=[user_id])


class RecertDataVersion(Base):
    """One row: the recertification data version (:mod:`lms.recert.changes`), raised by every commit that
    changes what the dashboard shows, so each process knows whether what it kept is still true."""

    __tablename__ = "recert_data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


# The row exists from the start (the migration inserts it too); the counter is only ever raised.
sa.event.listen(RecertDataVersion.__table__, "after_create",
                sa.DDL("INSERT INTO recert_data_version (id, version) VALUES (1, 0)"))

from lms.recert import changes as _changes  # noqa: E402,F401  (the listeners that raise the version)
