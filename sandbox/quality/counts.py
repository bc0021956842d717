"""The cache and the pages: a workspace's findings counted by kind (counted again only after the workspace
changes), and the clients that have any, one page at a time."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sandbox.models import QualitySummary, Workspace
from sandbox.quality.sql import KINDS, clients_queries, summary_query


def count_findings(sdb: Session, workspace_id: int) -> dict[str, int]:
    """Count a workspace's findings by kind in one query (equal to ``summary(findings(...))``); the
    query reads every record of the workspace, so pages use :func:`workspace_summary`."""
    counts = sdb.execute(summary_query(), {"workspace_id": workspace_id}).one()
    return {kind: int(n) for kind, n in zip(KINDS, counts)}


@functools.cache
def _kept_counts() -> sa.Select:
    """The workspace's data version beside the version its kept counts were made at (built once, at first use)."""
    return (sa.select(Workspace.data_version, QualitySummary.data_version, QualitySummary.counts)
            .outerjoin(QualitySummary, QualitySummary.workspace_id == Workspace.id)
            .where(Workspace.id == sa.bindparam("workspace_id")))


def workspace_summary(sdb: Session, workspace_id: int, *, now: datetime | None = None) -> dict[str, int]:
    """Return :func:`count_findings`, counted once per change of the workspace: one read of the cached
    counts while its ``data_version`` is unchanged; otherwise counted and stored (the caller commits)."""
    version, cached_version, cached = sdb.execute(_kept_counts(), {"workspace_id": workspace_id}).one()
    if cached is not None and cached_version == version:
        return json.loads(cached)
    counts = count_findings(sdb, workspace_id)
    values = {"workspace_id": workspace_id, "data_version": version, "counts": json.dumps(counts),
              "computed_at": now or datetime.now(timezone.utc)}
    insert = (postgresql.insert if sdb.get_bind().dialect.name == "postgresql" else sqlite.insert)(QualitySummary)
    sdb.execute(insert.values(**values).on_conflict_do_update(
        index_elements=[QualitySummary.workspace_id],
        set_={k: v for k, v in values.items() if k != "workspace_id"}))
    return counts


@dataclass(frozen=True)
class ClientsPage:
    """One page of the clients that have findings, in PersonalID order."""

    personal_ids: list[str]
    #: How many clients have at least one finding.
    total: int


def clients_with_findings(sdb: Session, workspace_id: int, *, limit: int, offset: int = 0) -> ClientsPage:
    """Return the PersonalIDs of one page of clients with findings, and how many there are (one query)."""
    count, page = clients_queries()
    rows = sdb.execute(page, {"workspace_id": workspace_id, "limit": limit, "offset": offset}).all()
    if rows:
        return ClientsPage(personal_ids=[r.pid for r in rows], total=rows[0].total)
    total = sdb.execute(count, {"workspace_id": workspace_id}).scalar_one() if offset else 0
    return ClientsPage(personal_ids=[], total=total)
