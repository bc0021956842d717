"""Administer CoCs, agencies and projects: list with search and pages, create, edit, (de)activate.

System administrators and HMIS lead administrators may change everything; an
HMIS manager may read the agencies and projects of their own CoCs.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.roles import ADMIN_ROLES, Role
from lms.core.web import NavItem, add_navigation, client_ip, commit, get_or_404, paginate, require, search_arg
from lms.hud import PROJECT_TYPES
from lms.orgs import services
from lms.orgs.forms import AgencyForm, CocForm, ProjectForm
from lms.orgs.models import Agency, Coc, Project

bp = Blueprint("orgs", __name__, url_prefix="/admin", template_folder="templates")

READERS = (*ADMIN_ROLES, Role.HMIS_MANAGER)


def _is_admin() -> bool:
    return bool(current_user.roles & ADMIN_ROLES)


def _visible_coc_ids() -> set[int] | None:
    """Return the CoCs the viewer may read, or None for all (administrators)."""
    return None if _is_admin() else current_user.coc_ids_for(Role.HMIS_MANAGER)


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _status_arg() -> str:
    status = request.args.get("status", "active")
    return status if status in ("active", "inactive", "all") else "active"


def _with_status(q: sa.Select, model: type, status: str) -> sa.Select:
    if status == "active":
        return q.where(model.is_active.is_(True))
    if status == "inactive":
        return q.where(model.is_active.is_(False))
    return q


def _coc_choices(db_session) -> list[tuple[int, str]]:
    cocs = db_session.execute(sa.select(Coc).where(Coc.is_active.is_(True)).order_by(Coc.code)).scalars()
    return [(c.id, f"{c.code} {c.name}") for c in cocs]


def _agency_choices(db_session) -> list[tuple[int, str]]:
    rows = db_session.execute(
        sa.select(Agency.id, Agency.name, Coc.code).join(Coc).where(Agency.is_active.is_(True))
        .order_by(Coc.code, Agency.name)
    ).all()
    return [(r.id, f"{r.name} ({r.code})") for r in rows]


def _fail(form, exc: DomainError) -> None:
    """Show a service's refusal beside the field it names (the name field when it names none)."""
    field = getattr(form, exc.field or "name", None) or form.name
    field.errors = list(field.errors) + [exc.message]


# --- CoCs ------------------------------------------------------------------------------------

@bp.route("/cocs")
@require(*ADMIN_ROLES)
def cocs():
    db_session = get_db_session()
    q_text, status = search_arg(), _status_arg()
    q = _with_status(sa.select(Coc).order_by(Coc.code), Coc, status)
    if q_text:
        like = f"%{q_text.lower()}%"
        q = q.where(sa.or_(sa.func.lower(Coc.code).like(like), sa.func.lower(Coc.name).like(like)))
    return render_template("orgs/cocs.html", page=paginate(db_session, q), q=q_text, status=status)


@bp.route("/cocs/new", methods=["GET", "POST"])
@bp.route("/cocs/<id:coc_id>/edit", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def coc_form(coc_id: int | None = None):
    db_session = get_db_session()
    coc = get_or_404(db_session, Coc, coc_id) if coc_id else None
    form = CocForm(obj=coc)
    if form.validate_on_submit():
        try:
            coc = services.save_coc(db_session, coc, code=form.code.data, name=form.name.data, now=utcnow(),
                                    actor=current_user, ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            _fail(form, exc)
        else:
            commit()
            flash(f"Saved the CoC {coc.code}.", "success")
            return redirect(url_for("orgs.cocs"), 303)
    return render_template("orgs/form.html", form=form, kind="CoC", obj=coc,
                           back=url_for("orgs.cocs")), (400 if form.errors else 200)


# --- agencies -------------------------------------------------------------------------------

@bp.route("/agencies")
@require(*READERS)
def agencies():
    db_session = get_db_session()
    q_text, status, coc_id = search_arg(), _status_arg(), _int_arg("coc")
    q = _with_status(sa.select(Agency).join(Coc).order_by(Coc.code, Agency.name), Agency, status)
    visible = _visible_coc_ids()
    if visible is not None:
        q = q.where(Agency.coc_id.in_(visible or {-1}))
    if coc_id:
        q = q.where(Agency.coc_id == coc_id)
    if q_text:
        q = q.where(sa.func.lower(Agency.name).like(f"%{q_text.lower()}%"))
    q = q.options(sa.orm.contains_eager(Agency.coc))
    cocs = [c for c in db_session.execute(sa.select(Coc).order_by(Coc.code)).scalars()
            if visible is None or c.id in visible]
    return render_template("orgs/agencies.html", page=paginate(db_session, q), q=q_text, status=status,
                           coc_id=coc_id, cocs=cocs, today=utcnow().date(), can_edit=_is_admin())


@bp.route("/agencies/new", methods=["GET", "POST"])
@bp.route("/agencies/<id:agency_id>/edit", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def agency_form(agency_id: int | None = None):
    db_session = get_db_session()
    agency = get_or_404(db_session, Agency, agency_id) if agency_id else None
    form = AgencyForm(obj=agency)
    form.coc_id.choices = _coc_choices(db_session)
    if agency is not None and agency.coc_id not in dict(form.coc_id.choices):
        form.coc_id.choices.append((agency.coc_id, str(agency.coc)))
    if form.validate_on_submit():
        try:
            agency = services.save_agency(
                db_session, agency, coc=get_or_404(db_session, Coc, form.coc_id.data), name=form.name.data,
                apa_signed_on=form.apa_signed_on.data, apa_renewal_due=form.apa_renewal_due.data, now=utcnow(),
                actor=current_user, ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            _fail(form, exc)
        else:
            commit()
            flash(f"Saved the agency {agency.name}.", "success")
            return redirect(url_for("orgs.agencies"), 303)
    return render_template("orgs/form.html", form=form, kind="agency", obj=agency,
                           back=url_for("orgs.agencies")), (400 if form.errors else 200)


# --- projects -------------------------------------------------------------------------------

@bp.route("/projects")
@require(*READERS)
def projects():
    db_session = get_db_session()
    q_text, status = search_arg(), _status_arg()
    agency_id, project_type = _int_arg("agency"), _int_arg("type")
    q = _with_status(sa.select(Project).join(Agency).join(Coc).order_by(Agency.name, Project.name), Project, status)
    visible = _visible_coc_ids()
    if visible is not None:
        q = q.where(Agency.coc_id.in_(visible or {-1}))
    if agency_id:
        q = q.where(Project.agency_id == agency_id)
    if project_type is not None and request.args.get("type", "") != "":
        q = q.where(Project.project_type == project_type)
    if q_text:
        q = q.where(sa.func.lower(Project.name).like(f"%{q_text.lower()}%"))
    q = q.options(sa.orm.contains_eager(Project.agency).contains_eager(Agency.coc))
    return render_template("orgs/projects.html", page=paginate(db_session, q), q=q_text, status=status,
                           agency_id=agency_id, project_type=project_type, types=PROJECT_TYPES,
                           can_edit=_is_admin())


@bp.route("/projects/new", methods=["GET", "POST"])
@bp.route("/projects/<id:project_id>/edit", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def project_form(project_id: int | None = None):
    db_session = get_db_session()
    project = get_or_404(db_session, Project, project_id) if project_id else None
    form = ProjectForm(obj=project)
    form.agency_id.choices = _agency_choices(db_session)
    if project is not None and project.agency_id not in dict(form.agency_id.choices):
        form.agency_id.choices.append((project.agency_id, project.agency.name))
    form.project_type.choices = [(code, f"{code}: {label}") for code, label in PROJECT_TYPES.items()]
    if form.validate_on_submit():
        try:
            project = services.save_project(
                db_session, project, agency=get_or_404(db_session, Agency, form.agency_id.data), name=form.name.data,
                project_type=form.project_type.data, now=utcnow(), actor=current_user, ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            _fail(form, exc)
        else:
            commit()
            flash(f"Saved the project {project.name}.", "success")
            return redirect(url_for("orgs.projects"), 303)
    return render_template("orgs/form.html", form=form, kind="project", obj=project,
                           back=url_for("orgs.projects")), (400 if form.errors else 200)


# --- deactivate / reactivate -----------------------------------------------------------------

KINDS = {"cocs": (Coc, "orgs.cocs"), "agencies": (Agency, "orgs.agencies"), "projects": (Project, "orgs.projects")}


@bp.route("/<any(cocs, agencies, projects):kind>/<id:obj_id>/active", methods=["POST"])
@require(*ADMIN_ROLES)
def set_active(kind: str, obj_id: int):
    """Reactivate at once; deactivate only with the confirmation page's ``confirm`` (else ask first)."""
    model, back = KINDS[kind]
    db_session = get_db_session()
    obj = get_or_404(db_session, model, obj_id)
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        flash("Choose whether to deactivate or reactivate.", "error")
        return redirect(url_for(back), 303)
    if wanted == "0" and obj.is_active and request.form.get("confirm") != "yes":
        return redirect(url_for("orgs.confirm_deactivate", kind=kind, obj_id=obj.id), 303)
    if services.set_active(db_session, obj, wanted == "1", now=utcnow(), actor=current_user, ip=client_ip()):
        commit()
        flash(f"{obj} is now {'active' if wanted == '1' else 'inactive'}.", "success")
    return redirect(url_for(back, status="all"), 303)


def _active_counts(db_session, kind: str, obj_id: int) -> dict[str, int]:
    """Count the active agencies and projects under a CoC or agency (what its confirmation page names)."""
    if kind == "projects":
        return {}
    projects = sa.select(sa.func.count()).select_from(Project).join(Agency).where(Project.is_active.is_(True))
    if kind == "agencies":
        return {"projects": db_session.execute(projects.where(Project.agency_id == obj_id)).scalar_one()}
    agencies = sa.select(sa.func.count()).select_from(Agency).where(Agency.coc_id == obj_id,
                                                                    Agency.is_active.is_(True))
    return {"agencies": db_session.execute(agencies).scalar_one(),
            "projects": db_session.execute(projects.where(Agency.coc_id == obj_id)).scalar_one()}


@bp.route("/<any(cocs, agencies, projects):kind>/<id:obj_id>/deactivate")
@require(*ADMIN_ROLES)
def confirm_deactivate(kind: str, obj_id: int):
    """Say what deactivating a CoC, agency or project does, and ask to confirm it."""
    model, back = KINDS[kind]
    db_session = get_db_session()
    obj = get_or_404(db_session, model, obj_id)
    return render_template("orgs/deactivate.html", obj=obj, kind=kind, counts=_active_counts(db_session, kind, obj.id),
                           back=url_for(back, status="all"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_navigation([
        NavItem("CoCs", "orgs.cocs", ADMIN_ROLES),
        NavItem("Agencies", "orgs.agencies", frozenset(READERS)),
        NavItem("Projects", "orgs.projects", frozenset(READERS)),
    ])
