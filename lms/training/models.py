"""The evidence ledger, training plans and the User Policy and Responsibility Agreement (UPRA)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime


class Evidence(Base):
    """One thing a person achieved (signed, passed, had approved): the one truth of what they completed.

    Never updated or deleted (the ORM refuses here, a trigger in the database):
    a new fiscal year asks for new evidence, so every cycle's history stays.
    """

    __tablename__ = "evidence"
    __audit_type__ = "evidence"
    __table_args__ = (
        # The same source never counts twice for the same requirement: recording is idempotent.
        sa.UniqueConstraint("user_id", "requirement", "source", "source_id", name="uq_evidence_source"),
        sa.Index("ix_evidence_user_id_fiscal_year", "user_id", "fiscal_year"),
        #: The recertification dashboard asks on every request when the next evidence dated ahead falls.
        sa.Index("ix_evidence_achieved_at", "achieved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: A requirement key: ``upra``, ``security_privacy``, ``data_standards``, ``cs_basics``, ``practice:<group>``.
    requirement: Mapped[str] = mapped_column(sa.String(64))
    #: HUD fiscal year the evidence belongs to (FY N: October 1 of N-1 to September 30 of N, Chicago time).
    fiscal_year: Mapped[int]
    achieved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: What produced it, e.g. ``upra_signature``, ``quiz_attempt``, ``practice_case``.
    source: Mapped[str] = mapped_column(sa.String(40))
    #: The producing row's id (as text, so any package's key fits).
    source_id: Mapped[str] = mapped_column(sa.String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrainingPlan(Base):
    """What one person must complete for their new-user training (the latest plan is the current one)."""

    __tablename__ = "training_plans"
    __audit_type__ = "training_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Evidence achieved before this moment does not count for this plan (a person who had access
    #: before repeats the whole series); None when all of the person's evidence counts.
    evidence_not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the plan was made, in words (e.g. "User access request approved").
    reason: Mapped[str] = mapped_column(sa.String(200), default="")

    requirements: Mapped[list["PlanRequirement"]] = relationship(
        back_populates="plan", order_by="PlanRequirement.position", cascade="all, delete-orphan"
    )

    @property
    def requirement_keys(self) -> list[str]:
        return [r.requirement for r in self.requirements]


class PlanRequirement(Base):
    """One requirement of a training plan."""

    __tablename__ = "plan_requirements"
    __table_args__ = (sa.UniqueConstraint("plan_id", "requirement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("training_plans.id"), index=True)
    #: A requirement key (see :class:`Evidence`).
    requirement: Mapped[str] = mapped_column(sa.String(64))
    #: Order on the checklist.
    position: Mapped[int]

    plan: Mapped[TrainingPlan] = relationship(back_populates="requirements")


class UpraVersion(Base):
    """One published version of the agreement's text; the highest version is the current one."""

    __tablename__ = "upra_versions"
    __audit_type__ = "upra_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Paragraphs shown before the policies (plain text, blank lines between paragraphs).
    introduction: Mapped[str] = mapped_column(sa.Text)
    #: SHA-256 of the loaded file's content: a version's text never changes once published.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)

    policies: Mapped[list["UpraPolicy"]] = relationship(
        back_populates="version", order_by="UpraPolicy.position", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"


class UpraPolicy(Base):
    """One policy of an agreement version; the person checks each one before signing."""

    __tablename__ = "upra_policies"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "key", name="uq_upra_policies_version_key"),
        sa.UniqueConstraint("version_id", "position", name="uq_upra_policies_version_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("upra_versions.id"), index=True)
    #: Stable name within the data file, e.g. ``confidentiality``.
    key: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)

    version: Mapped[UpraVersion] = relationship(back_populates="policies")


class UpraSignature(Base):
    """A person's signature of one agreement version (never changed or deleted)."""

    __tablename__ = "upra_signatures"
    __audit_type__ = "upra_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("upra_versions.id"), index=True)
    #: The fiscal year the signature counts for.
    fiscal_year: Mapped[int]
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The name exactly as typed (it matched the account's name, ignoring case and spacing).
    typed_name: Mapped[str] = mapped_column(sa.String(200))
    #: Client address the signature came from.
    ip: Mapped[str | None] = mapped_column(sa.String(64))

    version: Mapped[UpraVersion] = relationship()
    user = relationship("User", foreign_keys=[user_id])


@event.listens_for(Evidence, "before_update")
@event.listens_for(Evidence, "before_delete")
@event.listens_for(UpraSignature, "before_update")
@event.listens_for(UpraSignature, "before_delete")
def _refuse_change(mapper, connection, target):  # noqa: ANN001
    raise RuntimeError(f"{type(target).__name__} rows are never changed or deleted")
