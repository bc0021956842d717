"""User access requests, the projects each names, and the one-time invitations approval sends."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime

#: Only one open request per person (e-mail) and agency: the database refuses a second, even when two
#: submissions race each other.
_OPEN = sa.text("status = 'submitted'")


class AccessRequest(Base):
    """An agency's request that a person get HMIS access (the manual's User Access Request form)."""

    __tablename__ = "access_requests"
    __audit_type__ = "access_request"
    __table_args__ = (
        sa.CheckConstraint("status IN ('submitted','approved','denied','withdrawn')", name="status_known"),
        sa.CheckConstraint("employment IN ('employee','volunteer','intern')", name="employment_known"),
        sa.Index("uq_access_requests_open_email", "agency_id", "email", unique=True,
                 sqlite_where=_OPEN, postgresql_where=_OPEN),
        sa.Index("ix_access_requests_status_submitted_at", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    #: Lower-cased; the account approval creates (or reopens) has this e-mail.
    email: Mapped[str] = mapped_column(sa.String(254))
    #: "employee" (paid), "volunteer" (supervised) or "intern": the only kinds the manual allows.
    employment: Mapped[str] = mapped_column(sa.String(16))
    #: The agency says the person had HMIS access before (they repeat the whole training series).
    had_access_before: Mapped[bool] = mapped_column(default=False)
    #: Why the person needs access (the legitimate business purpose).
    justification: Mapped[str] = mapped_column(sa.String(1000))
    #: submitted, approved, denied or withdrawn.
    status: Mapped[str] = mapped_column(sa.String(16), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: When it was approved, denied or withdrawn, and by whom.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The reason given on denial (required) or approval (optional).
    decision_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    #: The account approval created, reopened or extended.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    agency = relationship("Agency")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    user = relationship("User", foreign_keys=[user_id])
    projects = relationship("Project", secondary="access_request_projects", order_by="Project.name")


class AccessRequestProject(Base):
    """A project the requested person will enter data for."""

    __tablename__ = "access_request_projects"

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("access_requests.id"), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), primary_key=True)


class AccessInvitation(Base):
    """A one-time, expiring link with which an approved person sets their first password."""

    __tablename__ = "access_invitations"
    __audit_type__ = "access_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("access_requests.id"), index=True)
    #: SHA-256 of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set when the password was set through it, or when a newer invitation replaced it.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
