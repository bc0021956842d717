"""Admin pages for CoCs, agencies and projects.

Administrators (sysadmin, lead admin) create, edit and deactivate; an HMIS manager may
list the agencies and projects of the CoCs they manage (read only).
"""

from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.core.roles import ADMIN_ROLES, Role
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.web import NavItem, add_navigation, client_ip, commit, get_or_404, paginate, require, search_arg
from lms.orgs import services
from lms.orgs.forms import AgencyForm, CocForm, ProjectForm
from lms.orgs.hud import PROJECT_TYPES
from lms.orgs.models import Agency, Coc, Project

bp = Blueprint("orgs", __name__, template_folder="templates", url_prefix="/admin")

#: Roles that may read the agency and project lists (managers only their own CoCs).
READERS = ADMIN_ROLES | {Role.HMIS_MANAGER}


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.lstrip("-").isdigit() or len(raw) > 9:
        abort(400, description=f"The {name.replace('_', ' ')} filter must be a number.")
    return int(raw)


def _manager_scope() -> set[int] | None:
    """Return the CoCs a manager may see, or None for an administrator (every CoC)."""
    if current_user.roles.intersection(ADMIN_ROLES):
        return None
    return current_user.coc_ids_for(Role.HMIS_MANAGER)


def _coc_choices(db_session, keep: int | None = None) -> list[tuple[int, str]]:
    """Offer the active CoCs (and ``keep``, the one already chosen, even if inactive)."""
    rows = db_session.execute(sa.select(Coc).where(sa.or_(Coc.is_active, Coc.id == keep)).order_by(Coc.code))
    return [(c.id, f"{c.code} {c.name}") for c in rows.scalars()]


def _agency_choices(db_session, keep: int | None = None) -> list[tuple[int, str]]:
    """Offer the active agencies (and ``keep``, the one already chosen, even if inactive)."""
    rows = db_session.execute(sa.select(Agency).join(Coc).where(sa.or_(Agency.is_active, Agency.id == keep))
                              .order_by(Agency.name)).scalars()
    return [(a.id, f"{a.name} ({a.coc.code})") for a in rows]


def _save(form, template: str, call: Callable[[], Any], done: str, redirect_to: str, **ctx):
    """Validate ``form``, run the service ``call``, commit and redirect (or show the form with errors)."""
    db_session = get_db_session()
    problems: list[str] = []
    if request.method == "POST":
        if form.validate():
            try:
                call()
            except DomainError as exc:
                db_session.rollback()
                problems.append(exc.message)
            else:
                commit()
                flash(done, "success")
                return redirect(redirect_to, 303)
        status = 400
    else:
        status = 200
    return render_template(template, form=form, problems=problems, **ctx), status


# --- CoCs -------------------------------------------------------------------------------------

@bp.route("/cocs")
@require(*ADMIN_ROLES)
def cocs():
    db_session = get_db_session()
    q = search_arg()
    page = paginate(db_session, services.coc_query(q))
    return render_template("orgs/cocs.html", page=page, q=q)


@bp.route("/cocs/new", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def coc_new():
    form = CocForm()
    return _save(form, "orgs/coc_form.html",
                 lambda: services.create_coc(get_db_session(), code=form.code.data, name=form.name.data,
                                             now=utcnow(), actor=current_user, ip=client_ip()),
                 "The CoC was created.", url_for("orgs.cocs"), coc=None)


@bp.route("/cocs/<int:coc_id>", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def coc_edit(coc_id: int):
    coc = get_or_404(get_db_session(), Coc, coc_id)
    form = CocForm(obj=coc)
    return _save(form, "orgs/coc_form.html",
                 lambda: services.update_coc(get_db_session(), coc, code=form.code.data, name=form.name.data,
                                             now=utcnow(), actor=current_user, ip=client_ip()),
                 "The CoC was saved.", url_for("orgs.cocs"), coc=coc)


@bp.route("/cocs/<int:coc_id>/active", methods=["POST"])
@require(*ADMIN_ROLES)
def coc_active(coc_id: int):
    db_session = get_db_session()
    coc = get_or_404(db_session, Coc, coc_id)
    active = request.form.get("active") == "1"
    services.set_coc_active(db_session, coc, active, now=utcnow(), actor=current_user, ip=client_ip())
    commit()
    flash(f"{coc.code} is now {'active' if active else 'inactive'}.", "success")
    return redirect(url_for("orgs.cocs"), 303)


# --- agencies ---------------------------------------------------------------------------------

@bp.route("/agencies")
@require(*READERS)
def agencies():
    db_session = get_db_session()
    q, coc_id = search_arg(), _int_arg("coc")
    page = paginate(db_session, services.agency_query(q, coc_id, _manager_scope()))
    scope = _manager_scope()
    cocs = [c for c in db_session.execute(sa.select(Coc).order_by(Coc.code)).scalars()
            if scope is None or c.id in scope]
    return render_template("orgs/agencies.html", page=page, q=q, coc_id=coc_id, cocs=cocs,
                           today=utcnow().date(), overdue=services.apa_overdue,
                           can_edit=scope is None)


@bp.route("/agencies/new", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def agency_new():
    db_session = get_db_session()
    form = AgencyForm()
    form.coc_id.choices = _coc_choices(db_session)

    def call():
        coc = db_session.get(Coc, form.coc_id.data)
        return services.create_agency(db_session, coc=coc, name=form.name.data,
                                      apa_signed_on=form.apa_signed_on.data,
                                      apa_renewal_due=form.apa_renewal_due.data, now=utcnow(),
                                      actor=current_user, ip=client_ip())

    return _save(form, "orgs/agency_form.html", call, "The agency was created.", url_for("orgs.agencies"),
                 agency=None)


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def agency_edit(agency_id: int):
    db_session = get_db_session()
    agency = get_or_404(db_session, Agency, agency_id)
    form = AgencyForm(obj=agency)
    form.coc_id.choices = _coc_choices(db_session, keep=agency.coc_id)

    def call():
        coc = db_session.get(Coc, form.coc_id.data)
        return services.update_agency(db_session, agency, coc=coc, name=form.name.data,
                                      apa_signed_on=form.apa_signed_on.data,
                                      apa_renewal_due=form.apa_renewal_due.data, now=utcnow(),
                                      actor=current_user, ip=client_ip())

    return _save(form, "orgs/agency_form.html", call, "The agency was saved.", url_for("orgs.agencies"),
                 agency=agency)


@bp.route("/agencies/<int:agency_id>/active", methods=["POST"])
@require(*ADMIN_ROLES)
def agency_active(agency_id: int):
    db_session = get_db_session()
    agency = get_or_404(db_session, Agency, agency_id)
    active = request.form.get("active") == "1"
    services.set_agency_active(db_session, agency, active, now=utcnow(), actor=current_user, ip=client_ip())
    commit()
    flash(f"{agency.name} is now {'active' if active else 'inactive'}.", "success")
    return redirect(url_for("orgs.agencies"), 303)


# --- projects ---------------------------------------------------------------------------------

@bp.route("/projects")
@require(*READERS)
def projects():
    db_session = get_db_session()
    q, agency_id, project_type = search_arg(), _int_arg("agency"), _int_arg("type")
    if project_type is not None and project_type not in PROJECT_TYPES:
        abort(400, description="Choose a project type from the list.")
    scope = _manager_scope()
    page = paginate(db_session, services.project_query(q, agency_id, project_type, scope))
    agencies = list(db_session.execute(services.agency_query(coc_ids=scope)).scalars())
    return render_template("orgs/projects.html", page=page, q=q, agency_id=agency_id, project_type=project_type,
                           agencies=agencies, types=PROJECT_TYPES, can_edit=scope is None)


@bp.route("/projects/new", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def project_new():
    db_session = get_db_session()
    form = ProjectForm()
    form.agency_id.choices = _agency_choices(db_session)

    def call():
        return services.create_project(db_session, agency=db_session.get(Agency, form.agency_id.data),
                                       name=form.name.data, project_type=form.project_type.data, now=utcnow(),
                                       actor=current_user, ip=client_ip())

    return _save(form, "orgs/project_form.html", call, "The project was created.", url_for("orgs.projects"),
                 project=None)


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def project_edit(project_id: int):
    db_session = get_db_session()
    project = get_or_404(db_session, Project, project_id)
    form = ProjectForm(obj=project)
    form.agency_id.choices = _agency_choices(db_session, keep=project.agency_id)

    def call():
        return services.update_project(db_session, project, agency=db_session.get(Agency, form.agency_id.data),
                                       name=form.name.data, project_type=form.project_type.data, now=utcnow(),
                                       actor=current_user, ip=client_ip())

    return _save(form, "orgs/project_form.html", call, "The project was saved.", url_for("orgs.projects"),
                 project=project)


@bp.route("/projects/<int:project_id>/active", methods=["POST"])
@require(*ADMIN_ROLES)
def project_active(project_id: int):
    db_session = get_db_session()
    project = get_or_404(db_session, Project, project_id)
    active = request.form.get("active") == "1"
    services.set_project_active(db_session, project, active, now=utcnow(), actor=current_user, ip=client_ip())
    commit()
    flash(f"{project.name} is now {'active' if active else 'inactive'}.", "success")
    return redirect(url_for("orgs.projects"), 303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_navigation([
        NavItem("CoCs", "orgs.cocs", ADMIN_ROLES),
        NavItem("Agencies", "orgs.agencies", frozenset(READERS)),
        NavItem("Projects", "orgs.projects", frozenset(READERS)),
    ])
