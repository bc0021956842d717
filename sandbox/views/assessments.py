"""A stage's assessment (income, disabilities, health and DV) and the project exit."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from lms.core.clock import utcnow
from lms.core.errors import DomainError, NotFound
from lms.core.web import signed_in
from sandbox import hud, rules, services
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_session
from sandbox.forms import FOLLOW_UPS, ExitForm, assessment_form, assessment_groups
from sandbox.views import bp
from sandbox.views.common import fail, form_status, own_workspace


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
    ws = own_workspace()
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
            fail(form, exc)
        else:
            commit_sandbox()
            flash(f"Recorded the {hud.STAGES[stage].lower()} assessment.", "success")
            return redirect(url_for("sandbox.enrollment", enrollment_id=e.EnrollmentID), 303)
    status = form_status(form)
    return render_template("sandbox/assessment.html", form=form, e=e, stage=stage, stage_label=hud.STAGES[stage],
                           required=required, labels=rules.ELEMENT_LABELS, groups=assessment_groups(form),
                           follow_ups=FOLLOW_UPS,
                           client=services.get_client(sdb, ws.id, e.PersonalID)), status


@bp.route("/enrollments/<enrollment_id>/exit", methods=["GET", "POST"])
@signed_in
def exit_(enrollment_id: str):
    sdb = get_sandbox_session()
    ws = own_workspace()
    e = services.get_enrollment(sdb, ws.id, enrollment_id)
    x = services.exit_of(sdb, e)
    form = ExitForm(obj=x if request.method == "GET" else None)
    if request.method == "GET" and x is None:
        form.ExitDate.data = utcnow().date()
    if form.validate_on_submit():
        try:
            services.exit_enrollment(sdb, ws, e, form.hud_data(), now=utcnow())
        except DomainError as exc:
            fail(form, exc)
        else:
            commit_sandbox()
            flash("Recorded the project exit. Now record the exit assessment.", "success")
            return redirect(url_for("sandbox.assessment", enrollment_id=e.EnrollmentID, stage=hud.STAGE_EXIT), 303)
    status = form_status(form)
    return render_template("sandbox/exit.html", form=form, e=e,
                           client=services.get_client(sdb, ws.id, e.PersonalID)), status
