"""The workspace as a whole: the home page (search first, then my clients), data quality, export, reset."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from lms.core import audit
from lms.core.clock import utcnow
from lms.core.kept_pages import kept
from lms.core.db import get_db_session
from lms.core.web import Page, client_ip, page_arg, signed_in
from lms.core.web import commit as commit_lms
from sandbox import quality, services
from sandbox.apr import page as apr_page, q6
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_session
from sandbox.forms import SearchForm
from sandbox.views import bp
from sandbox.views.common import own_workspace, workspace_version

#: Clients per page of the trainee's client list.
CLIENTS_PER_PAGE = 25


# --- home and search -------------------------------------------------------------------------

@bp.route("/")
@signed_in
@kept(workspace_version)
def home():
    sdb = get_sandbox_session()
    ws = own_workspace()
    form = SearchForm(request.args)
    fields = ("first_name", "last_name", "dob", "ssn4")
    searched = any((request.args.get(k) or "").strip() for k in fields)
    # The Search button pressed with every box empty: say what to type, and point at the client list.
    empty_search = not searched and any(k in request.args for k in fields)
    results: list = []
    if searched and form.validate():
        name = f"{form.first_name.data or ''} {form.last_name.data or ''}"
        results = services.search_clients(sdb, ws.id, name=name, dob=form.dob.data, ssn_last4=form.ssn4.data or "")
    number = page_arg()
    mine, total = services.client_page(sdb, ws.id, page=number, per_page=CLIENTS_PER_PAGE)
    summary = quality.workspace_summary(sdb, ws.id, now=utcnow())
    commit_sandbox()  # the counts, when they had to be counted again
    return render_template("sandbox/home.html", form=form, searched=searched, empty_search=empty_search,
                           results=results, clients=Page(mine, number, CLIENTS_PER_PAGE, total),
                           new_client_args=_new_client_args(form) if searched else {},
                           summary=summary, ws=ws), (
        400 if searched and form.errors else 200)


def _new_client_args(form: SearchForm) -> dict[str, str]:
    """Carry what was searched into the same fields of the new-client form (only what was valid)."""
    args = {"first": (form.first_name.data or "").strip(), "last": (form.last_name.data or "").strip()}
    if form.dob.data and not form.dob.errors:
        args["dob"] = form.dob.data.isoformat()
    if form.ssn4.data and not form.ssn4.errors:
        args["ssn4"] = form.ssn4.data
    return {k: v for k, v in args.items() if v}


# --- the workspace as a whole -------------------------------------------------------------------

@bp.route("/quality/apr")
@signed_in
def data_quality_apr():
    """HUD's APR question 6 for the whole workspace and a report period (one SQL statement)."""
    sdb = get_sandbox_session()
    ws = own_workspace()
    period = apr_page.period(request.args, today=utcnow().date())
    report = None if period.problems else q6.report(sdb, ws.id, start=period.start, end=period.end)
    return render_template("sandbox/quality_apr.html", period=period, report=report), (
        400 if period.problems else 200)


@bp.route("/quality")
@signed_in
def data_quality():
    sdb = get_sandbox_session()
    ws = own_workspace()
    number, per_page = page_arg(), quality.CLIENTS_PER_PAGE
    clients = quality.clients_with_findings(sdb, ws.id, limit=per_page, offset=(number - 1) * per_page)
    summary = quality.workspace_summary(sdb, ws.id, now=utcnow())
    commit_sandbox()  # the counts, when they had to be counted again
    return render_template("sandbox/quality.html", summary=summary,
                           findings=quality.findings(sdb, ws.id, personal_ids=clients.personal_ids),
                           page=Page(items=clients.personal_ids, page=number, per_page=per_page, total=clients.total),
                           clients=services.clients_by_id(sdb, ws.id, clients.personal_ids))


@bp.route("/export.zip")
@signed_in
def export_zip():
    from sandbox.csv.export import export_workspace

    sdb = get_sandbox_session()
    ws = own_workspace()
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        export_workspace(sdb, ws.id, Path(tmp), now=utcnow())
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).iterdir()):
                zf.write(path, path.name)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"hmis-csv-fy2026-{utcnow():%Y%m%d}.zip")


@bp.route("/reset", methods=["GET", "POST"])
@signed_in
def reset():
    sdb = get_sandbox_session()
    ws = own_workspace()
    if request.method == "POST":
        if request.form.get("confirm") != "RESET":
            flash("Type RESET to confirm.", "error")
            return render_template("sandbox/reset.html", ws=ws), 400
        services.reset_workspace(sdb, ws, now=utcnow())
        commit_sandbox()
        audit.record(get_db_session(), action="sandbox.workspace_reset", now=utcnow(), actor=current_user,
                     ip=client_ip(), workspace=ws.ref)
        commit_lms()
        flash("Your sandbox is empty again.", "success")
        return redirect(url_for("sandbox.home"), 303)
    return render_template("sandbox/reset.html", ws=ws)
