"""User access requests: representatives submit and withdraw, HMIS managers decide, invited people set a password.

A request exists only for the representatives of its agency, the HMIS managers
of its agency's CoC and the HMIS lead administrators; to anyone else it is a 404
and absent from every list.  Every change is a POST with CSRF, audited, mailed
after the commit, and answered with a redirect.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from lms.accounts.models import User
from lms.accounts.requests import rules, services
from lms.accounts.requests.forms import AccessRequestForm, DecisionForm, InvitationForm
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError, NotFound
from lms.core.roles import Role
from lms.core.web import client_ip, commit, int_arg, paginate, public, require

bp = Blueprint("access_requests", __name__, url_prefix="/access", template_folder="templates",
               static_folder="static")

DECIDERS = (Role.HMIS_MANAGER, Role.LEAD_ADMIN)
VIEWERS = (Role.AGENCY_REP, *DECIDERS)


def _base_url() -> str:
    return current_app.config["BASE_URL"]


def _load(request_id: int):
    try:
        return services.get_visible(get_db_session(), current_user, request_id)
    except NotFound:
        abort(404)


@bp.route("/requests")
@require(Role.AGENCY_REP)
def mine():
    db_session = get_db_session()
    return render_template("access_requests/mine.html", page=paginate(db_session, services.agency_requests(current_user)),
                           counts=services.status_counts(db_session, current_user),
                           agencies=services.rep_agencies(db_session, current_user))


@bp.route("/requests/new", methods=["GET", "POST"])
@require(Role.AGENCY_REP)
def new():
    db_session = get_db_session()
    agencies = services.rep_agencies(db_session, current_user)
    chosen = int_arg("agency")
    if chosen is None and len(agencies) == 1:
        chosen = agencies[0].id
    if chosen is None:
        return render_template("access_requests/choose_agency.html", agencies=agencies)
    agency = next((a for a in agencies if a.id == chosen), None)
    if agency is None:
        abort(404)
    now = utcnow()
    lapsed = services.apa_refusals(db_session, agency, now=now)
    projects = services.active_projects(db_session, agency)
    form = AccessRequestForm()
    form.project_ids.choices = [(p.id, p.name) for p in projects]
    problems: list[str] = []
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            req = services.submit(db_session, actor=current_user, agency=agency, full_name=form.full_name.data,
                                  email=form.email.data, employment=form.employment.data,
                                  project_ids=form.project_ids.data or [],
                                  had_access_before=bool(form.had_access_before.data),
                                  justification=form.justification.data, now=now, base_url=_base_url(),
                                  ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            field = getattr(form, exc.field, None) if exc.field else None
            if field is not None:
                field.errors = list(field.errors) + [exc.message]
            else:
                problems = exc.reasons or [exc.message]
            status = exc.status_code
        else:
            commit()
            flash(f"Your request for {req.full_name} was sent to the HMIS managers of {agency.coc.code}.", "success")
            return redirect(url_for("access_requests.detail", request_id=req.id), 303)
    elif request.method == "POST":
        status = 400
    return render_template("access_requests/new.html", form=form, agency=agency, projects=projects, lapsed=lapsed,
                           problems=problems, several=len(agencies) > 1), status


@bp.route("/queue")
@require(*DECIDERS)
def queue():
    db_session = get_db_session()
    return render_template("access_requests/queue.html", page=paginate(db_session, services.queue(current_user)))


def _detail_page(req, *, form: DecisionForm | None = None, problems: list[str] | None = None, status: int = 200):
    viewer = services.viewer_of(current_user)
    waiting = req.status == rules.SUBMITTED
    return render_template(
        "access_requests/detail.html", req=req, form=form or DecisionForm(formdata=None), problems=problems or [],
        may_decide=waiting and rules.may_decide(viewer, coc_id=req.agency.coc_id),
        may_withdraw=waiting and not rules.withdraw_refusals(viewer, agency_id=req.agency_id,
                                                            submitted_by_id=req.submitted_by_id, status=req.status),
        labels=rules.STATUS_LABELS, employment=rules.EMPLOYMENT_LABELS), status


@bp.route("/requests/<id:request_id>")
@require(*VIEWERS)
def detail(request_id: int):
    return _detail_page(_load(request_id))


def _refused(req, exc: DomainError, form: DecisionForm | None = None):
    get_db_session().rollback()
    return _detail_page(req, form=form, problems=exc.reasons or [exc.message], status=exc.status_code)


@bp.route("/requests/<id:request_id>/<any(approve, deny):decision>", methods=["POST"])
@require(*DECIDERS)
def decide(request_id: int, decision: str):
    db_session = get_db_session()
    req = _load(request_id)
    form = DecisionForm()
    if not form.validate():
        return _detail_page(req, form=form, status=400)
    try:
        if decision == "approve":
            user = services.approve(db_session, req, actor=current_user, reason=form.reason.data or "", now=utcnow(),
                                    base_url=_base_url(), ip=client_ip())
            message = f"Approved. {user.full_name} has been e-mailed a link to set a password and start training."
        else:
            services.deny(db_session, req, actor=current_user, reason=form.reason.data or "", now=utcnow(),
                          base_url=_base_url(), ip=client_ip())
            message = f"Denied. {req.submitted_by.full_name} has been e-mailed the reason."
    except DomainError as exc:
        if exc.field == "reason":
            db_session.rollback()
            form.reason.errors = list(form.reason.errors) + [exc.message]
            return _detail_page(req, form=form, status=exc.status_code)
        return _refused(req, exc, form)
    commit()
    flash(message, "success")
    return redirect(url_for("access_requests.queue"), 303)


@bp.route("/requests/<id:request_id>/withdraw", methods=["POST"])
@require(Role.AGENCY_REP)
def withdraw(request_id: int):
    db_session = get_db_session()
    req = _load(request_id)
    try:
        services.withdraw(db_session, req, actor=current_user, now=utcnow(), ip=client_ip())
    except DomainError as exc:
        return _refused(req, exc)
    commit()
    flash(f"The request for {req.full_name} is withdrawn.", "success")
    return redirect(url_for("access_requests.mine"), 303)


# --- the invitation (the person is not signed in yet) ---------------------------------------------

def _closed(exc: DomainError):
    get_db_session().rollback()
    return render_template("access_requests/invitation_closed.html", message=exc.message,
                           state=getattr(exc, "state", "invalid")), exc.status_code


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def invitation(token: str):
    db_session = get_db_session()
    now = utcnow()
    try:
        inv = services.open_invitation(db_session, token, now=now)
    except DomainError as exc:
        return _closed(exc)
    form = InvitationForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            services.accept_invitation(db_session, current_app.extensions["lms.passwords"], token,
                                       form.new_password.data, now=now, ip=client_ip())
        except services.InvitationClosed as exc:
            return _closed(exc)
        except DomainError as exc:
            db_session.rollback()
            problems = exc.reasons or [exc.message]
        else:
            commit()
            session.clear()
            flash("Your password is set. Sign in with your e-mail address and the new password.", "success")
            return redirect(url_for("auth.login"), 303)
    user = db_session.get(User, inv.user_id)
    return render_template("access_requests/invitation.html", form=form, problems=problems, person=user,
                           expires_at=inv.expires_at), (400 if problems or form.errors else 200)


def home_panel() -> dict:
    """Give the home page the requests of the viewer's agencies, or the requests waiting for their decision."""
    if request.endpoint != "core.index" or not current_user.is_authenticated:
        return {}
    db_session = get_db_session()
    panel = {}
    if current_user.has_role(Role.AGENCY_REP):
        panel["counts"] = services.status_counts(db_session, current_user)
        panel["recent"] = services.recent_for_rep(db_session, current_user)
    if current_user.has_role(*DECIDERS):
        panel["waiting"] = services.queue_count(db_session, current_user)
        panel["oldest"] = services.oldest_waiting(db_session, current_user)
    return {"access_home": panel} if panel else {}
