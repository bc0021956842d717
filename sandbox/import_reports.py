"""Administrators' page of HMIS CSV imports: each run's summary by file and severity, and its findings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from lms.core.roles import ADMIN_ROLES
from lms.core.web import Page, int_arg, page_arg, require
from sandbox.db import get_sandbox_session
from sandbox.models import ImportFinding, ImportRun
from sandbox.views import bp

RUNS_PER_PAGE = 25
FINDINGS_PER_PAGE = 100
SEVERITY_ORDER = {"refuse": 0, "skip": 1, "warn": 2}


def _page(sdb, query: sa.Select, per_page: int) -> Page:
    number = page_arg()
    total = sdb.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    items = list(sdb.execute(query.limit(per_page).offset((number - 1) * per_page)).scalars())
    return Page(items=items, page=number, per_page=per_page, total=total)


@bp.route("/admin/imports")
@require(*ADMIN_ROLES)
def admin_imports():
    """Every import, newest first; with ?run=N, that import's summary and findings (file, line, column ...)."""
    sdb = get_sandbox_session()
    run_id = int_arg("run")
    run = sdb.get(ImportRun, run_id) if run_id else None
    if run is None:
        runs = _page(sdb, sa.select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id.desc()),
                     RUNS_PER_PAGE)
        return render_template("sandbox/admin_imports.html", runs=runs, run=None,
                               missing=run_id is not None), 404 if run_id is not None else 200
    summary = sdb.execute(sa.select(ImportFinding.file, ImportFinding.severity, sa.func.count())
                          .where(ImportFinding.run_id == run.id)
                          .group_by(ImportFinding.file, ImportFinding.severity)).all()
    by_file: dict[str, dict[str, int]] = {}
    for file, severity, n in summary:
        by_file.setdefault(file, {"refuse": 0, "skip": 0, "warn": 0})[severity] = n
    findings = _page(sdb, sa.select(ImportFinding).where(ImportFinding.run_id == run.id).order_by(ImportFinding.id),
                     FINDINGS_PER_PAGE)
    stored = sum(sum(v.values()) for v in by_file.values())
    return render_template("sandbox/admin_imports.html", run=run, by_file=by_file, findings=findings,
                           stored=stored, total=run.refused + run.skipped + run.warned)
