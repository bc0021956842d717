"""Import an HMIS CSV FY2026 set into an empty workspace, leniently, in one transaction, with a report.

Each file is streamed once, parents first, row by row, and inserted in
batches inside the caller's transaction (the caller commits once, or rolls
back on :class:`ImportRefused`).  Only keys are kept between files.  Every
finding has one of three severities (``findings.REFUSE``/``SKIP``/``WARN``)
and goes to a CSV report written beside the set as it is found.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox.csv.importer.findings import (REFUSE, SKIP, WARN, Finding, Findings, ImportRefused, ImportResult,
                                           WorkspaceNotEmpty)
from sandbox.csv.importer.load import REQUIRED_FILES, check_set, load_set
from sandbox.csv.importer.reading import MAX_LINE_BYTES, file_problem
from sandbox.models import ALL_MODELS, Client, ImportFinding, ImportRun, ReleaseOfInformation, bump_data_version

__all__ = ["MAX_LINE_BYTES", "REFUSE", "SKIP", "WARN", "Finding", "ImportRefused", "ImportResult",
           "WorkspaceNotEmpty", "file_problem", "import_directory", "record_run", "REQUIRED_FILES"]


def _report_path(directory: Path, now: datetime) -> Path:
    """The report goes beside the set (``<set>.import-report-<time>.csv``), or to the temp directory if read-only."""
    name = f"{directory.name}.import-report-{now:%Y%m%dT%H%M%S}.csv"
    beside = directory.resolve().parent / name
    try:
        beside.touch()
        return beside
    except OSError:
        return Path(tempfile.gettempdir()) / name


def import_directory(sdb: Session, workspace_id: int, directory: Path, *, now: datetime,
                     progress: Callable[[float], None] | None = None,
                     report_path: Path | None = None) -> ImportResult:
    """Import the set in ``directory`` into an empty workspace; return rows kept per file, findings and report.

    Raise :class:`ImportRefused` (nothing imported; the caller rolls back) when the set cannot be used.
    """
    directory = Path(directory)
    held = sdb.execute(sa.select(sa.func.count(Client.id)).where(Client.workspace_id == workspace_id)).scalar_one()
    if held:
        raise WorkspaceNotEmpty(held)
    findings = Findings(report_path or _report_path(directory, now))
    try:
        readers = check_set(directory, findings)  # before anything changes: a refused set leaves no trace
        # The set brings its own organizations and projects: they replace the ones the workspace was seeded with
        # (nothing can point at those, as the workspace holds no client).
        for model in (ReleaseOfInformation, *[m for m, _ in reversed(list(ALL_MODELS.values()))]):
            sdb.execute(sa.delete(model).where(model.workspace_id == workspace_id))
        bump_data_version(sdb, [workspace_id])  # bulk statements: cached reports of the workspace are stale
        rows = load_set(sdb, workspace_id, readers, findings, progress or (lambda fraction: None))
    finally:
        findings.close()
    if progress is not None:
        progress(1.0)
    return ImportResult(rows, findings)


def record_run(sdb: Session, *, workspace_ref: str, source: str, now: datetime, findings: Findings | None,
               rows: int, outcome: str) -> ImportRun:
    """Keep an import's summary and its first findings for the administrators' page (the caller commits)."""
    f = findings or Findings()
    run = ImportRun(workspace_ref=workspace_ref[:64], source=source[-500:], outcome=outcome, started_at=now,
                    report_path=str(f.report_path or "")[-500:], rows_kept=rows, refused=f.total(REFUSE),
                    skipped=f.total(SKIP), warned=f.total(WARN))
    sdb.add(run)
    sdb.flush()
    if f.kept:
        sdb.execute(sa.insert(ImportFinding), [
            {"run_id": run.id, "file": x.file[:64], "line": x.line, "column": x.column[:64], "value": x.value[:200],
             "severity": x.severity, "message": x.message[:500]} for x in f.kept])
    return run
