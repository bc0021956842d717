"""The issuance queue: who may be given live HMIS credentials, issuing them, revoking them, the CSV export;
and the representatives' page that adds projects to a person's access.

The queue is open to system administrators and HMIS lead administrators.  Issuing goes
through :func:`lms.credentials.services.issue`, which refuses an ineligible person with
every reason; the temporary password is shown once, in the answer to the POST, and is
stored nowhere.  Adding projects goes through :func:`lms.credentials.services.add_projects`,
which checks that the representative represents the person's agency and the projects'.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError, NotFound
from lms.core.roles import ADMIN_ROLES, Role
from lms.core.web import NavItem, add_navigation, client_ip, commit, get_or_404, paginate, require, search_arg
from lms.credentials import rules, services
from lms.credentials.forms import AddProjectsForm, IssueForm, RevokeForm
from lms.credentials.models import ISSUED, LiveCredential
from lms.training import rules as training_rules
from lms.training import services as training_services

bp = Blueprint("credentials", __name__, url_prefix="/admin/credentials", template_folder="templates")
#: Where a representative works on their agency's people (next to ``/agency/revocations``).
agency_bp = Blueprint("agency_projects", __name__, url_prefix="/agency/people", template_folder="templates")


def _zone() -> str:
    return current_app.config.get("TIME_ZONE") or training_rules.DEFAULT_ZONE


def _filters() -> tuple[str, str]:
    kind = request.args.get("reason", "")
    return search_arg(), kind if kind in rules.REASON_KINDS else ""


@bp.route("/")
@require(*ADMIN_ROLES)
def queue():
    q_text, kind = _filters()
    data = services.queue(get_db_session(), now=utcnow(), zone=_zone(), search=q_text, kind=kind)
    return render_template("credentials/queue.html", queue=data, q=q_text, kind=kind, kinds=rules.REASON_KINDS)


@bp.route("/queue.csv")
@require(*ADMIN_ROLES)
def export():
    q_text, kind = _filters()
    data = services.queue(get_db_session(), now=utcnow(), zone=_zone(), search=q_text, kind=kind)
    return Response(services.queue_csv(data), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=credential-queue-{utcnow():%Y%m%d}.csv"})


def _render_issue(person: User, form: IssueForm, *, problems: list[str] | None = None, status: int = 200):
    db_session = get_db_session()
    return render_template(
        "credentials/issue.html", person=person, form=form, problems=problems or [],
        eligibility=services.eligibility_of(db_session, person, now=utcnow(), zone=_zone()),
        existing=services.issued_credential(db_session, person),
        history=services.credentials_of(db_session, person), revoke_form=RevokeForm()), status


@bp.route("/people/<id:user_id>", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def issue(user_id: int):
    db_session = get_db_session()
    person = get_or_404(db_session, User, user_id)
    form = IssueForm()
    if request.method == "GET":
        return _render_issue(person, form)
    if not form.validate_on_submit():
        return _render_issue(person, form, status=400)
    try:
        credential, password = services.issue(db_session, person, username=form.username.data, now=utcnow(),
                                              actor=current_user, ip=client_ip(), zone=_zone())
    except services.UsernameRefused as exc:
        db_session.rollback()
        form.username.errors = list(exc.reasons)
        return _render_issue(person, form, status=400)
    except DomainError as exc:
        db_session.rollback()
        return _render_issue(person, form, problems=exc.reasons or [exc.message], status=exc.status_code)
    commit()
    # Shown in this answer only: never stored, never in a flash message or the audit log.
    return render_template("credentials/issued.html", person=person, credential=credential, password=password)


@bp.route("/<id:credential_id>/revoke", methods=["POST"])
@require(*ADMIN_ROLES)
def revoke(credential_id: int):
    db_session = get_db_session()
    credential = get_or_404(db_session, LiveCredential, credential_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _render_issue(credential.user, IssueForm(formdata=None),
                             problems=[e for errs in form.errors.values() for e in errs], status=400)
    try:
        services.revoke(db_session, credential, reason=form.reason.data, now=utcnow(), actor=current_user,
                        ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        return _render_issue(credential.user, IssueForm(formdata=None), problems=[exc.message],
                             status=exc.status_code)
    commit()
    flash(f"The live credentials of {credential.user.full_name} (user name {credential.username}) are revoked.",
          "success")
    return redirect(url_for("credentials.issue", user_id=credential.user_id), 303)


@bp.route("/issued")
@require(*ADMIN_ROLES)
def issued():
    q = (sa.select(LiveCredential).where(LiveCredential.status == ISSUED)
         .order_by(LiveCredential.issued_at.desc(), LiveCredential.id.desc())
         .options(joinedload(LiveCredential.user), joinedload(LiveCredential.issued_by)))
    return render_template("credentials/issued_list.html", page=paginate(get_db_session(), q))


# --- projects added to a person's access (agency representatives) -------------------------------------

@agency_bp.route("/")
@require(Role.AGENCY_REP)
def people():
    people: dict[User, list[str]] = {}
    for m in services.project_people(get_db_session(), current_user):
        people.setdefault(m.user, []).append(m.agency.name)
    return render_template("credentials/project_people.html", people=people)


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _outcome(person: User, projects: list, added: list[str]) -> str:
    """Say in words what adding ``projects`` did to ``person``'s training plan."""
    text = (f"Added for {person.full_name}: "
            + ", ".join(f"{p.name} ({p.project_type_label})" for p in projects) + ". ")
    if not added:
        return text + (f"{person.full_name}'s training plan already has the practice cases for these kinds of "
                       "project: no new practice case needed.")
    labels = _names([training_rules.PRACTICE_GROUPS[g][0] for g in added])
    if len(added) == 1:
        return text + (f"A practice case for {labels} was added to {person.full_name}'s training plan; live "
                       "credentials for it wait until the helpdesk approves it.")
    return text + (f"Practice cases for {labels} were added to {person.full_name}'s training plan; live "
                   "credentials for them wait until the helpdesk approves them.")


@agency_bp.route("/<id:user_id>/projects", methods=["GET", "POST"])
@require(Role.AGENCY_REP)
def add_projects(user_id: int):
    db_session = get_db_session()
    try:
        person = services.person_for_projects(db_session, current_user, user_id)
    except NotFound:
        abort(404)
    form = AddProjectsForm()
    refusal = services.add_projects_refusal(person)
    problems: list[str] = [refusal] if refusal else []
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                chosen = services.chosen_projects(db_session, current_user, form.project_ids.data or [])
                added = services.add_projects(db_session, person, chosen, now=utcnow(), actor=current_user,
                                              ip=client_ip())
            except NotFound:
                db_session.rollback()
                abort(404)
            except DomainError as exc:
                db_session.rollback()
                if exc.field == "projects":
                    form.project_ids.errors = list(form.project_ids.errors) + [exc.message]
                else:
                    problems = exc.reasons or [exc.message]
                status = exc.status_code
            else:
                commit()
                flash(_outcome(person, chosen, added), "success")
                return redirect(url_for("agency_projects.people"), 303)
    plan = training_services.current_plan(db_session, person)
    practice = [training_rules.requirement_label(k).removeprefix("Practice case: ")
                for k in (plan.requirement_keys if plan is not None else [])
                if k.startswith(training_rules.PRACTICE_PREFIX)]
    return render_template("credentials/add_projects.html", person=person, form=form, problems=problems,
                           refused=bool(refusal), practice=practice,
                           projects=services.projects_for(db_session, current_user, person)), status


def _home_count() -> dict:
    """Give an administrator's home page the number of people waiting for credentials."""
    if request.endpoint != "core.index" or not current_user.is_authenticated \
            or not current_user.roles & ADMIN_ROLES:
        return {}
    return {"credentials_to_issue": services.count_to_issue(get_db_session(), now=utcnow(), zone=_zone())}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(agency_bp)
    app.context_processor(_home_count)
    add_navigation([NavItem("Live credentials", "credentials.queue", frozenset(ADMIN_ROLES))])
