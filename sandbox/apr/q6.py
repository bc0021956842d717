"""APR question 6 for one workspace and report period: one SQL statement, then HUD's tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from sandbox.apr import q6_query
from sandbox.apr.q6_tables import Table, tables

#: "All time" starts here (HMIS records are younger; the date only bounds the period).
ALL_TIME = date(1900, 1, 1)


@dataclass(frozen=True)
class Report:
    start: date | None
    end: date
    counts: dict[str, int]
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def counts(sdb: Session, workspace_id: int, *, start: date | None, end: date) -> dict[str, int]:
    """Every Q6 count, by name, in one statement."""
    row = sdb.execute(q6_query.statement(), {"workspace_id": workspace_id, "start": start or ALL_TIME,
                                             "end": end}).one()
    return {k: int(v or 0) for k, v in row._mapping.items()}


def report(sdb: Session, workspace_id: int, *, start: date | None = None, end: date) -> Report:
    """Q6 for records active from ``start`` (None: all time) to ``end`` (usually today)."""
    found = counts(sdb, workspace_id, start=start, end=end)
    return Report(start=start, end=end, counts=found, tables=tables(found))
