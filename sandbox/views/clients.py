"""Clients: create (after a search and a look at likely duplicates), profile, edit, release of information."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for

from lms.core.clock import utcnow
from lms.core.errors import DomainError
from lms.core.web import signed_in
import lms.hud as hud
from sandbox import quality, services
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_session
from sandbox.forms import ClientForm, RoiForm
from sandbox.views import bp
from sandbox.views.common import fail, form_status, no_entry_reason, own_workspace


# --- clients -----------------------------------------------------------------------------------

@bp.route("/clients/new", methods=["GET", "POST"])
@signed_in
def new_client():
    sdb = get_sandbox_session()
    ws = own_workspace()
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
                fail(form, exc)
            else:
                commit_sandbox()
                flash(f"Created {client.display_name}. Record their release of information next.", "success")
                return redirect(url_for("sandbox.client", personal_id=client.PersonalID), 303)
    status = form_status(form)
    return render_template("sandbox/client_form.html", form=form, duplicates=duplicates, client=None), status


@bp.route("/clients/<personal_id>")
@signed_in
def client(personal_id: str):
    sdb = get_sandbox_session()
    ws = own_workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    roi_form = RoiForm(formdata=None)
    roi_form.signed_on.data = utcnow().date()
    return _client_page(sdb, ws, c, roi_form)


def _client_page(sdb, ws, c, roi_form, status: int = 200):  # noqa: ANN001
    """The client's page (also when a release of information was refused: the form keeps what was typed)."""
    today = utcnow().date()
    return render_template("sandbox/client.html", client=c, roi=services.current_roi(sdb, ws.id, c.PersonalID, on=today),
                           no_entry=no_entry_reason(sdb, ws.id, c, today),
                           roi_form=roi_form, enrollments=services.enrollments_of(sdb, ws.id, c.PersonalID),
                           findings=quality.findings(sdb, ws.id, c.PersonalID), hud=hud), status


@bp.route("/clients/<personal_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_client(personal_id: str):
    sdb = get_sandbox_session()
    ws = own_workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    form = ClientForm(obj=c if request.method == "GET" else None)
    if request.method == "GET":
        for col, _ in hud.RACE_COLUMNS:
            getattr(form, col).data = getattr(c, col) == 1
    if form.validate_on_submit():
        try:
            services.save_client(sdb, ws, form.hud_data(), now=utcnow(), client=c)
        except DomainError as exc:
            fail(form, exc)
        else:
            commit_sandbox()
            flash("Saved the client's profile.", "success")
            return redirect(url_for("sandbox.client", personal_id=c.PersonalID), 303)
    status = form_status(form)
    return render_template("sandbox/client_form.html", form=form, duplicates=[], client=c), status


@bp.route("/clients/<personal_id>/roi", methods=["POST"])
@signed_in
def record_roi(personal_id: str):
    sdb = get_sandbox_session()
    ws = own_workspace()
    c = services.get_client(sdb, ws.id, personal_id)
    form = RoiForm()
    if not form.validate():  # the page again, the problems beside their fields, nothing recorded
        return _client_page(sdb, ws, c, form, 400)
    try:
        services.record_roi(sdb, ws, c, consented=form.consented.data == "1", signed_on=form.signed_on.data,
                            documentation=form.documentation.data, now=utcnow())
    except DomainError as exc:
        fail(form, exc)
        return _client_page(sdb, ws, c, form, 400)
    commit_sandbox()
    flash("Recorded the release of information (valid for one year).", "success")
    return redirect(url_for("sandbox.client", personal_id=c.PersonalID), 303)
