"""Write a workspace as an HMIS CSV FY2026 set: HUD's file names, columns and order, dates and codes."""

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.errors import NotFound
import lms.hud as hud
from sandbox.csv import (
    FILES,
    SOFTWARE_NAME,
    SOFTWARE_VERSION,
)
from sandbox.models import ALL_MODELS, Enrollment, Project, ProjectCoC, User, Workspace


def format_value(value: Any, column: hud.Column) -> str:
    """Write one value as the HMIS CSV does: blank for null, dates and timestamps in ISO form, money with cents."""
    if value is None:
        return ""
    # isoformat, not strftime: strftime("%Y") writes the year 1 as "1", which no importer reads as a date.
    if column.type == "datetime" and isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if column.is_money:
        return f"{Decimal(value):.2f}"
    return str(value)


def _made_up_rows(sdb: Session, ws: Workspace, name: str) -> list[dict[str, Any]]:
    """Rows HUD's format needs that the sandbox holds elsewhere: a project's CoC, and the workspace's user.

    Written only where nothing was imported for them, so an imported set exports as it came.
    """
    if name == "ProjectCoC.csv":
        have = sa.select(ProjectCoC.ProjectID).where(ProjectCoC.workspace_id == ws.id)
        projects = sdb.execute(sa.select(Project).where(Project.workspace_id == ws.id, Project.coc_code.is_not(None),
                                                        Project.ProjectID.not_in(have)).order_by(Project.ProjectID))
        return [{"ProjectCoCID": p.ProjectID, "ProjectID": p.ProjectID, "CoCCode": p.coc_code,
                 "DateCreated": p.DateCreated, "DateUpdated": p.DateUpdated, "UserID": p.UserID}
                for p in projects.scalars()]
    if name == "User.csv":
        if sdb.execute(sa.select(User.id).where(User.workspace_id == ws.id).limit(1)).first():
            return []
        created = ws.created_at.replace(tzinfo=None, microsecond=0)
        return [{"UserID": ws.user_label, "DateCreated": created, "DateUpdated": created}]
    return []


def export_workspace(sdb: Session, workspace_id: int, directory: Path, *, now: datetime,
                     export_id: str | None = None) -> dict[str, int]:
    """Write every FY2026 file into ``directory``; return rows written per file (rows are streamed, not loaded)."""
    ws = sdb.get(Workspace, workspace_id)
    if ws is None:
        raise NotFound(f"There is no sandbox workspace {workspace_id}.")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = now.replace(tzinfo=None, microsecond=0)
    export_id = export_id or hashlib.sha1(f"{ws.ref}|{stamp.isoformat()}".encode()).hexdigest()[:32]
    first = sdb.execute(sa.select(sa.func.min(Enrollment.EntryDate)).where(Enrollment.workspace_id == ws.id)).scalar()
    counts: dict[str, int] = {}
    for name in FILES:
        columns = hud.columns(name)
        with (directory / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([c.header for c in columns])
            if name == "Export.csv":
                row = {"ExportID": export_id, "SourceType": 4, "SourceID": "sandbox", "SourceName": "HMIS Training",
                       "ExportDate": stamp, "ExportStartDate": min(first or stamp.date(), stamp.date()),
                       "ExportEndDate": stamp.date(),
                       "SoftwareName": SOFTWARE_NAME, "SoftwareVersion": SOFTWARE_VERSION,
                       "CSVVersion": hud.CSV_VERSION, "ExportPeriodType": 4, "ExportDirective": 2, "HashStatus": 1,
                       "ImplementationID": "hmis-training-sandbox"}
                writer.writerow([format_value(row.get(c.name), c) for c in columns])
                counts[name] = 1
                continue
            model, key = ALL_MODELS[name]
            table = model.__table__
            stored = [c for c in columns if c.name not in hud.EXPORT_ONLY]
            # Plain rows, fetched in batches: the file is written without loading the workspace into memory.
            q = (sa.select(*[table.c[c.name] for c in stored]).where(table.c.workspace_id == ws.id)
                 .order_by(table.c[key]).execution_options(yield_per=1000))
            n = 0
            for row in sdb.execute(q):
                values = dict(zip([c.name for c in stored], row))
                writer.writerow([export_id if c.name == "ExportID" else format_value(values[c.name], c)
                                 for c in columns])
                n += 1
            for values in _made_up_rows(sdb, ws, name):
                writer.writerow([export_id if c.name == "ExportID" else format_value(values.get(c.name), c)
                                 for c in columns])
                n += 1
            counts[name] = n
    return counts
