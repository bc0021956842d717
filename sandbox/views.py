"""The sandbox HMIS pages: search first, then clients, ROI, project entry, assessments, exit, data quality.

Every page works in the signed-in person's own workspace; an id from anyone
else's workspace is simply not found (404).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

from flask import Blueprint, Flask, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from lms.core import audit
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError, NotFound
from lms.core.roles import ADMIN_ROLES
from lms.core.web import NavItem, Page, add_navigation, client_ip, page_arg, require, signed_in
from lms.core.web import commit as commit_lms
import lms.hud as hud
from sandbox import quality, services
from sandbox import validation as rules
from sandbox.apr import page as apr_page, q6
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_session
from sandbox.forms import (FOLLOW_UPS, ClientForm, ClsForm, EnrollForm, ExitForm, RoiForm, SearchForm,
                           assessment_form, assessment_groups)
from sandbox.models import Workspace
from sandbox.validation import ValidationFailed

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox", template_folder="templates", static_folder="static")

#: Clients per page of the trainee's client list.
CLIENTS_PER_PAGE = 25


@bp.app_template_filter("sandbox_date")
def us_date(value: date | datetime | None) -> str:
    """Show a date the U.S. way, MM/DD/YYYY (empty for none)."""
    if value is None:
        return ""
    return f"{value:%m/%d/%Y}"


@bp.after_request
def _no_store(response):
    """Every sandbox response holds a trainee's (fictional) client data: no cache may keep it, downloads included."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _workspace() -> Workspace:
    """Return the signed-in person's own workspace, creating (and committing) it on first use."""
    sdb = get_sandbox_session()
    ws = services.workspace_for_user(sdb, current_user.id, now=utcnow(), create=False)
    if ws is None:
        ws = services.workspace_for_user(sdb, current_user.id, now=utcnow())
        commit_sandbox()
    return ws


def _show_problems(form, exc: ValidationFailed) -> None:
    """Put each rule problem beside its field (or in the summary when the form has no such field)."""
    form.rule_problems = []
    for p in exc.problems:
        field = getattr(form, p.field, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [p.message]
        else:
            form.rule_problems.append(p.message)


def _status(form) -> int:
    """400 when the form came back with problems, so a refused POST is never a 200."""
    return 400 if (form.errors or getattr(form, "rule_problems", None)) else 200


def _fail(form, exc: DomainError) -> None:
    get_sandbox_session().rollback()
    if isinstance(exc, ValidationFailed):
        _show_problems(form, exc)
    else:
        form.rule_problems = [exc.message]


# --- home and search -------------------------------------------------------------------------

@bp.route("/")
@signed_in
def home():
    sdb = get_sandbox_session()
    ws = _workspace()
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


# --- clients -----------------------------------------------------------------------------------

@bp.route("/clients/new", methods=["GET", "POST"])
@signed_in
def new_client():
    sdb = get_sandbox_session()
    ws = _workspace()
    form = ClientForm()
    if request.method == "GET":
        form.record_id.data = services.new_id()
        form.FirstName.data = request.args.get("first", "").strip()[:50]
        form.LastName.data = request.args.get("last", "").strip()[:50]
        try:
            form.DOB.data = date.fromisoformat(request.args.get("dob", ""))
        except ValueError:
            form.DOB.data = None
        ssn4 = request.args.get("ssn4", "")
        if len(ssn4) == 4 and ssn4.isdigit():
            form.SSN.data = "xxxxx" + ssn4  # HUD's way of writing the digits the client did not give
    duplicates: list = []
    if form.validate_on_submit():
        data = form.hud_data()
        duplicates = services.likely_duplicates(sdb, ws.id, data)
        if duplicates and not form.confirm_new.data:
            form.rule_problems = ["This client may already be in the HMIS: look at the clients listed below. Open "
                                  "the right one, or tick the box to confirm this is a new client."]
        else:
            try:
                client = services.save_client(sdb, ws, data, now=utcnow(), record_id=(form.record_id.data or None))
            except DomainError as exc:
                _fail(form, exc)
            else:
                commit_sandbox()
                flash(f"Created {client.display_name}. Record their release of information next.", "success")
                return redirect(url_for("sandbox.client", personal_id=client.PersonalID), 303)
    status = _status(form)
    return render_template("sandbox/client_form.html", form=form, duplicates=duplicates, client=None), status


@bp.route("/clients/<personal_id>")
@signed_in
def client(personal_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    today = utcnow().date()
    roi_form = RoiForm(formdata=None)
    roi_form.signed_on.data = today
    return render_template("sandbox/client.html", client=c, roi=services.current_roi(sdb, ws.id, personal_id, on=today),
                           no_entry=_no_entry_reason(sdb, ws.id, c, today),
                           roi_form=roi_form, enrollments=services.enrollments_of(sdb, ws.id, personal_id),
                           findings=quality.findings(sdb, ws.id, personal_id), hud=hud)


def _no_entry_reason(sdb, ws_id: int, c, today: date) -> str | None:
    """Return why the client cannot be entered into a project today (no current consent), or None."""
    try:
        services.require_roi(sdb, ws_id, c, on=today)
    except services.NoConsent as exc:
        return exc.message
    return None


@bp.route("/clients/<personal_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_client(personal_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    form = ClientForm(obj=c if request.method == "GET" else None)
    if request.method == "GET":
        for col, _ in hud.RACE_COLUMNS:
            getattr(form, col).data = getattr(c, col) == 1
    if form.validate_on_submit():
        try:
            services.save_client(sdb, ws, form.hud_data(), now=utcnow(), client=c)
        except DomainError as exc:
            _fail(form, exc)
        else:
            commit_sandbox()
            flash("Saved the client's profile.", "success")
            return redirect(url_for("sandbox.client", personal_id=c.PersonalID), 303)
    status = _status(form)
    return render_template("sandbox/client_form.html", form=form, duplicates=[], client=c), status


@bp.route("/clients/<personal_id>/roi", methods=["POST"])
@signed_in
def record_roi(personal_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    form = RoiForm()
    if not form.validate():
        flash("Release of information: " + " ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("sandbox.client", personal_id=c.PersonalID), 303)
    try:
        services.record_roi(sdb, ws, c, consented=form.consented.data == "1", signed_on=form.signed_on.data,
                            documentation=form.documentation.data, now=utcnow())
    except DomainError as exc:
        sdb.rollback()
        flash(exc.message, "error")
    else:
        commit_sandbox()
        flash("Recorded the release of information (valid for one year).", "success")
    return redirect(url_for("sandbox.client", personal_id=c.PersonalID), 303)


# --- project entry ------------------------------------------------------------------------------

def _project_choices(projects: list) -> list[tuple]:
    """Each project with its type and CoC on the option, for the page's script to follow a change of project."""
    return [("", "Select…", {"data-project-type": ""})] + [
        (p.ProjectID, f"{p.ProjectName} ({hud.label('ProjectType', p.ProjectType)})",
         {"data-project-type": str(p.ProjectType), "data-coc": p.coc_code or ""}) for p in projects]


#: Project types whose entry asks a group of questions: 3.917B's two extra questions, 3.20 move-in date.
ENTRY_GROUPS = {
    "prior_a": hud.PRIOR_LIVING_A,
    "prior_b": frozenset(hud.codes("ProjectType")) - hud.PRIOR_LIVING_A,
    "move_in": hud.PERMANENT_HOUSING,
}


@bp.route("/clients/<personal_id>/enroll", methods=["GET", "POST"])
@signed_in
def enroll(personal_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    household_id = request.args.get("household") or None
    head = None
    if household_id:
        members = services.household(sdb, ws.id, household_id)
        if not members:
            raise NotFound("There is no such household in your workspace.")
        head = next((e for e, _ in members if e.RelationshipToHoH == 1), members[0][0])
    no_entry = _no_entry_reason(sdb, ws.id, c, utcnow().date())
    if no_entry:
        # Nothing may be entered yet: say so, and send the person to the release of information instead.
        return render_template("sandbox/enroll.html", client=c, no_entry=no_entry), (
            400 if request.method == "POST" else 200)
    projects = {p.ProjectID: p for p in services.projects(sdb, ws.id)}
    form = EnrollForm()
    form.ProjectID.choices = _project_choices(list(projects.values()))
    form.EnrollmentCoC.choices = [("", "Select…")] + [(k, f"{k} {v}") for k, v in hud.codes("CoCCodes").items()]
    if request.method == "GET":
        form.record_id.data = services.new_id()
        form.EntryDate.data = head.EntryDate if head else utcnow().date()
        form.RelationshipToHoH.data = None if head else 1
        if head:
            form.ProjectID.data = head.ProjectID
    project = projects.get(form.ProjectID.data or "")
    # A new household's head is served in the project's CoC unless the person chose another: the CoC follows
    # the project while it still holds the one filled in for them (``coc_default``) or nothing.
    coc_default = request.form.get("coc_default", "") if request.method == "POST" else ""
    if head is None and project is not None and hud.is_coc_code(project.coc_code) and (
            (form.EnrollmentCoC.data or "") in ("", coc_default)):
        form.EnrollmentCoC.data = coc_default = project.coc_code
    if request.method == "POST" and request.form.get("continue"):
        # Without JavaScript, "Continue" shows the questions of the chosen project's type; nothing is saved.
        return render_template("sandbox/enroll.html", **_enroll_page(form, c, head, project, coc_default))
    if form.validate_on_submit() and project is not None:
        try:
            e = services.enroll(sdb, ws, c, project, form.hud_data(), now=utcnow(), household_id=household_id,
                                record_id=form.record_id.data or None)
        except DomainError as exc:
            _fail(form, exc)
        else:
            commit_sandbox()
            flash(f"{c.display_name} entered {project.ProjectName}. Now record the project-start assessment.",
                  "success")
            return redirect(url_for("sandbox.assessment", enrollment_id=e.EnrollmentID, stage=hud.STAGE_ENTRY), 303)
    status = _status(form)
    return render_template("sandbox/enroll.html", **_enroll_page(form, c, head, project, coc_default)), status


def _enroll_page(form, c, head, project, coc_default: str) -> dict:
    """What the project-start page shows: every type's questions, those of other types hidden."""
    project_type = project.ProjectType if project is not None else None
    return {"form": form, "client": c, "head": head, "project": project, "coc_default": coc_default,
            "groups": {name: {"types": " ".join(str(t) for t in sorted(types)), "shown": project_type in types}
                       for name, types in ENTRY_GROUPS.items()}}


@bp.route("/enrollments/<enrollment_id>")
@signed_in
def enrollment(enrollment_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    project = services.get_project(sdb, ws.id, e.ProjectID)
    assessments = {stage: services.assessment(sdb, e, stage) for stage in hud.STAGES}
    cls_form = ClsForm(formdata=None)
    cls_form.InformationDate.data = utcnow().date()
    cls_form.record_id.data = services.new_id()
    members = services.household(sdb, ws.id, e.HouseholdID)
    in_household = {c.PersonalID for _, c in members}
    candidates = [c for c in services.clients(sdb, ws.id) if c.PersonalID not in in_household]
    return render_template("sandbox/enrollment.html", e=e, project=project, hud=hud, candidates=candidates,
                           client=services.get_client(sdb, ws.id, e.PersonalID), exit=services.exit_of(sdb, e),
                           household=members, assessments=assessments,
                           cls_form=cls_form, stages=hud.STAGES)


@bp.route("/enrollments/<enrollment_id>/move-in", methods=["POST"])
@signed_in
def move_in(enrollment_id: str):
    """3.20: record (or clear) the date the household moved into permanent housing."""
    sdb = get_sandbox_session()
    ws = _workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    raw = request.form.get("MoveInDate", "").strip()
    try:
        when = date.fromisoformat(raw) if raw else None
    except ValueError:
        flash("Housing move-in date: enter a date like 2026-10-01.", "error")
        return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)
    try:
        services.set_move_in(sdb, ws, e, when, now=utcnow())
    except DomainError as exc:
        sdb.rollback()
        flash(" ".join(exc.reasons) or exc.message, "error")
    else:
        commit_sandbox()
        flash("Recorded the housing move-in date." if when else "Cleared the housing move-in date.", "success")
    return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)


@bp.route("/enrollments/<enrollment_id>/add-member")
@signed_in
def add_member(enrollment_id: str):
    """Go to the project start of another client joining this household."""
    sdb = get_sandbox_session()
    ws = _workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    member = services.get_client(sdb, ws.id, request.args.get("personal_id", ""))
    return redirect(url_for("sandbox.enroll", personal_id=member.PersonalID, household=e.HouseholdID), 303)


def _assessment_values(form, required: frozenset[str]) -> tuple[dict, dict, dict]:
    data = {f.name: f.data for f in form if f.name not in ("csrf_token", "InformationDate", "record_id")}
    income = {k: v for k, v in data.items() if not k.startswith(("Disability", "Indefinite"))
              and k not in ("DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing")}
    for k, v in list(income.items()):
        if isinstance(v, str):
            income[k] = v.strip().replace("$", "").replace(",", "") or None
    disabilities = {t: {"DisabilityResponse": data.get(f"Disability{t}"),
                        "IndefiniteAndImpairs": data.get(f"Indefinite{t}")} for t in hud.DISABILITY_TYPES} \
        if "4.05-4.10" in required else {}
    health = {k: data.get(k) for k in ("DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing")} \
        if "4.11" in required else {}
    return income, disabilities, health


@bp.route("/enrollments/<enrollment_id>/assessment/<id:stage>", methods=["GET", "POST"])
@signed_in
def assessment(enrollment_id: str, stage: int):
    sdb = get_sandbox_session()
    ws = _workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    if stage not in hud.STAGES:
        raise NotFound("There is no such data collection stage.")
    required = services.required_for(sdb, ws.id, e, stage)
    form_class = assessment_form(required, stage)
    existing = services.assessment(sdb, e, stage)
    form = form_class()
    x = services.exit_of(sdb, e)
    if request.method == "GET":
        form.record_id.data = services.new_id()
        form.InformationDate.data = (e.EntryDate if stage == hud.STAGE_ENTRY else
                                     (x.ExitDate if stage == hud.STAGE_EXIT and x else utcnow().date()))
        if existing.income is not None:
            for f in form:
                if hasattr(existing.income, f.name) and f.name != "InformationDate":
                    value = getattr(existing.income, f.name)
                    f.data = f"{value:.2f}" if f.type == "StringField" and value is not None and f.name.endswith(
                        ("Amount", "Income")) else value
    if form.validate_on_submit():
        income, disabilities, health = _assessment_values(form, required)
        try:
            services.record_assessment(sdb, ws, e, stage, information_date=form.InformationDate.data, income=income,
                                       disabilities=disabilities, health=health, now=utcnow(),
                                       record_id=form.record_id.data or None)
        except DomainError as exc:
            _fail(form, exc)
        else:
            commit_sandbox()
            flash(f"Recorded the {hud.STAGES[stage].lower()} assessment.", "success")
            return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)
    status = _status(form)
    return render_template("sandbox/assessment.html", form=form, e=e, stage=stage, stage_label=hud.STAGES[stage],
                           required=required, labels=rules.ELEMENT_LABELS, groups=assessment_groups(form),
                           follow_ups=FOLLOW_UPS,
                           client=services.get_client(sdb, ws.id, e.PersonalID)), status


@bp.route("/enrollments/<enrollment_id>/exit", methods=["GET", "POST"])
@signed_in
def exit_(enrollment_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    x = services.exit_of(sdb, e)
    form = ExitForm(obj=x if request.method == "GET" else None)
    if request.method == "GET" and x is None:
        form.ExitDate.data = utcnow().date()
    if form.validate_on_submit():
        try:
            services.exit_enrollment(sdb, ws, e, form.hud_data(), now=utcnow())
        except DomainError as exc:
            _fail(form, exc)
        else:
            commit_sandbox()
            flash("Recorded the project exit. Now record the exit assessment.", "success")
            return redirect(url_for("sandbox.assessment", enrollment_id=e.EnrollmentID, stage=hud.STAGE_EXIT), 303)
    status = _status(form)
    return render_template("sandbox/exit.html", form=form, e=e,
                           client=services.get_client(sdb, ws.id, e.PersonalID)), status


@bp.route("/enrollments/<enrollment_id>/contacts", methods=["POST"])
@signed_in
def record_contact(enrollment_id: str):
    sdb = get_sandbox_session()
    ws = _workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    form = ClsForm()
    if form.validate():
        try:
            services.record_current_living_situation(sdb, ws, e, {f.name: f.data for f in form}, now=utcnow(),
                                                     record_id=form.record_id.data or None)
        except DomainError as exc:
            sdb.rollback()
            flash(exc.message if not isinstance(exc, ValidationFailed) else " ".join(exc.reasons), "error")
        else:
            commit_sandbox()
            flash("Recorded the contact.", "success")
    else:
        flash("Current living situation: " + " ".join(e for errs in form.errors.values() for e in errs), "error")
    return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)


# --- the workspace as a whole -------------------------------------------------------------------

@bp.route("/quality/apr")
@signed_in
def data_quality_apr():
    """HUD's APR question 6 for the whole workspace and a report period (one SQL statement)."""
    sdb = get_sandbox_session()
    ws = _workspace()
    period = apr_page.period(request.args, today=utcnow().date())
    report = None if period.problems else q6.report(sdb, ws.id, start=period.start, end=period.end)
    return render_template("sandbox/quality_apr.html", period=period, report=report), (
        400 if period.problems else 200)


@bp.route("/quality")
@signed_in
def data_quality():
    sdb = get_sandbox_session()
    ws = _workspace()
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
    ws = _workspace()
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
    ws = _workspace()
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


@bp.route("/admin/workspaces", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def admin_workspaces():
    sdb = get_sandbox_session()
    if request.method == "POST":
        ref = request.form.get("workspace", "")
        if request.form.get("confirm") != "RESET":
            flash("Type RESET to confirm.", "error")
        else:
            ws = services.get_workspace(sdb, ref[:64])
            services.reset_workspace(sdb, ws, now=utcnow())
            commit_sandbox()
            audit.record(get_db_session(), action="sandbox.workspace_reset", now=utcnow(), actor=current_user,
                         ip=client_ip(), workspace=ws.ref)
            commit_lms()
            flash(f"Workspace {ws.ref} is empty again.", "success")
        return redirect(url_for("sandbox.admin_workspaces"), 303)
    return render_template("sandbox/admin_workspaces.html", workspaces=services.list_workspaces(sdb))


def init_app(app: Flask) -> None:
    from sandbox import import_reports  # noqa: F401  (its routes join this blueprint)

    app.register_blueprint(bp)
    add_navigation([NavItem("Sandbox HMIS", "sandbox.home"),
                    NavItem("Sandbox workspaces", "sandbox.admin_workspaces", ADMIN_ROLES),
                    NavItem("Sandbox imports", "sandbox.admin_imports", ADMIN_ROLES)])


