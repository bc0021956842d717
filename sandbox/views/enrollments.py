"""Project entry (a new household or joining one), the enrollment page, move-in date, street outreach contacts."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for

from lms.core.clock import utcnow
from lms.core.errors import DomainError, NotFound
from lms.core.web import signed_in
import lms.hud as hud
from sandbox import services
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_session
from sandbox.forms import ClsForm, EnrollForm
from sandbox.validation import ValidationFailed
from sandbox.views import bp
from sandbox.views.common import fail, form_status, no_entry_reason, own_workspace


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
    ws = own_workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    household_id = request.args.get("household") or None
    head = None
    if household_id:
        members = services.household(sdb, ws.id, household_id)
        if not members:
            raise NotFound("There is no such household in your workspace.")
        head = next((e for e, _ in members if e.RelationshipToHoH == 1), members[0][0])
    no_entry = no_entry_reason(sdb, ws.id, c, utcnow().date())
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
            fail(form, exc)
        else:
            commit_sandbox()
            flash(f"{c.display_name} entered {project.ProjectName}. Now record the project-start assessment.",
                  "success")
            return redirect(url_for("sandbox.assessment", enrollment_id=e.EnrollmentID, stage=hud.STAGE_ENTRY), 303)
    status = form_status(form)
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
    ws = own_workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    return render_template("sandbox/enrollment.html", **_enrollment_page(sdb, ws, e, _blank_contact_form()))


def _blank_contact_form() -> ClsForm:
    """The 4.12 contact form as a stay's page first shows it: today's date, a new record id."""
    cls_form = ClsForm(formdata=None)
    cls_form.InformationDate.data = utcnow().date()
    cls_form.record_id.data = services.new_id()
    return cls_form


def _enrollment_page(sdb, ws, e, cls_form) -> dict:
    """What a stay's page shows (also when a contact was refused: the form keeps what was typed)."""
    project = services.get_project(sdb, ws.id, e.ProjectID)
    assessments = {stage: services.assessment(sdb, e, stage) for stage in hud.STAGES}
    members = services.household(sdb, ws.id, e.HouseholdID)
    in_household = {c.PersonalID for _, c in members}
    candidates = [c for c in services.clients(sdb, ws.id) if c.PersonalID not in in_household]
    return dict(e=e, project=project, hud=hud, candidates=candidates,
                client=services.get_client(sdb, ws.id, e.PersonalID), exit=services.exit_of(sdb, e),
                household=members, assessments=assessments, cls_form=cls_form, stages=hud.STAGES,
                records_contacts=services.contacts_not_recorded_reason(sdb, ws.id, e) is None)


@bp.route("/enrollments/<enrollment_id>/move-in", methods=["POST"])
@signed_in
def move_in(enrollment_id: str):
    """3.20: record (or clear) the date the household moved into permanent housing."""
    sdb = get_sandbox_session()
    ws = own_workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    raw = request.form.get("MoveInDate", "").strip()
    try:
        when = date.fromisoformat(raw) if raw else None
    except ValueError:
        return _move_in_refused(sdb, ws, e, raw, "Enter the date like 2026-10-01.")
    try:
        services.set_move_in(sdb, ws, e, when, now=utcnow())
    except DomainError as exc:
        sdb.rollback()
        return _move_in_refused(sdb, ws, e, raw, " ".join(exc.reasons) or exc.message)
    commit_sandbox()
    flash("Recorded the housing move-in date." if when else "Cleared the housing move-in date.", "success")
    return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)


def _move_in_refused(sdb, ws, e, typed: str, problem: str):  # noqa: ANN001
    """The stay's page again with the refused date as typed and why beside it: a 400, nothing recorded."""
    return render_template("sandbox/enrollment.html", move_in_typed=typed[:40], move_in_problem=problem,
                           **_enrollment_page(sdb, ws, e, _blank_contact_form())), 400


@bp.route("/enrollments/<enrollment_id>/add-member")
@signed_in
def add_member(enrollment_id: str):
    """Go to the project start of another client joining this household."""
    sdb = get_sandbox_session()
    ws = own_workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    member = services.get_client(sdb, ws.id, request.args.get("personal_id", ""))
    return redirect(url_for("sandbox.enroll", personal_id=member.PersonalID, household=e.HouseholdID), 303)


@bp.route("/enrollments/<enrollment_id>/contacts", methods=["POST"])
@signed_in
def record_contact(enrollment_id: str):
    sdb = get_sandbox_session()
    ws = own_workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    form = ClsForm()
    if form.validate():
        try:
            services.record_current_living_situation(sdb, ws, e, {f.name: f.data for f in form}, now=utcnow(),
                                                     record_id=form.record_id.data or None)
        except DomainError as exc:
            fail(form, exc)
        else:
            commit_sandbox()
            flash("Recorded the contact.", "success")
            return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)
    # Refused: the page again, with each problem beside its field and what was typed kept (400).
    return render_template("sandbox/enrollment.html", **_enrollment_page(sdb, ws, e, form)), 400

