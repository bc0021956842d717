"""Workspaces (one trainee's private HMIS each), their cached quality counts and the project catalogue.

Every change to a workspace's records raises its ``data_version`` (:func:`_track_changes`), so a report
cached for one version is good until the next change.
"""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.types import UTCDateTime
from sandbox.db import SandboxBase
from sandbox.models.base import Model


class Workspace(Model):
    """One trainee's private HMIS. The LMS knows it only by ``ref`` (for example "user:42")."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Opaque reference the LMS gives; the sandbox never looks inside it.
    ref: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Written into UserID of every HUD record the trainee creates.
    user_label: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Last time the trainee (or an administrator) emptied it.
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Raised by every change to the workspace's records (see :func:`track_changes`): a report cached for
    #: one version (:class:`QualitySummary`) is good until the next change.
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")


class QualitySummary(Model):
    """A workspace's data-quality counts by kind, as they were at one ``data_version`` (the home page shows
    them on every visit; counting a 10,000-client workspace takes half a second, a cached row one read)."""

    __tablename__ = "workspace_quality"

    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    data_version: Mapped[int]
    #: JSON: {"missing": n, "dk_pnta": n, "issue": n, "late": n}.
    counts: Mapped[str] = mapped_column(sa.Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CatalogProject(Model):
    """A project every new workspace gets a copy of (mirrors the LMS's projects through ``demo_seeded``)."""

    __tablename__ = "catalog_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The LMS project's id; a reference only, not a foreign key.
    lms_project_id: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    organization_name: Mapped[str] = mapped_column(sa.String(200))
    project_type: Mapped[int]
    coc_code: Mapped[str] = mapped_column(sa.String(6))


def bump_data_version(sdb: Session, workspace_ids: Iterable[int]) -> None:
    """Mark workspaces as changed (cached reports of them are stale).  Flushed ORM changes do this by
    themselves (:func:`_track_changes`); bulk statements (reset, import) call it."""
    ids = sorted({i for i in workspace_ids if i is not None})
    if ids:
        table = Workspace.__table__
        sdb.connection().execute(sa.update(table).where(table.c.id.in_(ids))
                                 .values(data_version=table.c.data_version + 1))


@event.listens_for(Session, "before_flush")
def _track_changes(session: Session, _context, _instances) -> None:  # noqa: ANN001
    """Raise ``data_version`` of every workspace whose records a flush adds, changes or deletes (on any
    session: the application's, a job's or a test's)."""
    changed = [o for o in (*session.new, *session.dirty, *session.deleted)
               if isinstance(o, SandboxBase) and not isinstance(o, (Workspace, QualitySummary))]
    if changed:
        bump_data_version(session, (getattr(o, "workspace_id", None) for o in changed))
