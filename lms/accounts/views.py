"""Admin pages for people: list and search, create, edit, deactivate, unlock, reset TOTP, roles, memberships."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts import services
from lms.accounts.forms import GrantForm, MembershipForm, PersonForm
from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.roles import ADMIN_ROLES, Role
from lms.auth import services as auth_services
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.web import NavItem, add_navigation, client_ip, commit, get_or_404, paginate, require, search_arg
from lms.orgs.models import Agency, Coc

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/admin/people")


def _grant_form(db_session) -> GrantForm:
    form = GrantForm()
    form.agency_id.choices = [(0, "Not needed")] + [
        (a.id, f"{a.name} ({a.coc.code})")
        for a in db_session.execute(sa.select(Agency).join(Coc).where(Agency.is_active).order_by(Agency.name)).scalars()
    ]
    form.coc_id.choices = [(0, "Not needed")] + [
        (c.id, f"{c.code} {c.name}")
        for c in db_session.execute(sa.select(Coc).where(Coc.is_active).order_by(Coc.code)).scalars()
    ]
    return form


def _membership_form(db_session) -> MembershipForm:
    form = MembershipForm()
    form.agency_id.choices = [
        (a.id, f"{a.name} ({a.coc.code})")
        for a in db_session.execute(sa.select(Agency).join(Coc).where(Agency.is_active).order_by(Agency.name)).scalars()
    ]
    return form


def _detail(user: User, *, form=None, grant_form=None, membership_form=None, problems=(), status: int = 200):
    db_session = get_db_session()
    return render_template(
        "accounts/person.html", person=user, form=form or PersonForm(obj=user, formdata=None),
        grant_form=grant_form or _grant_form(db_session), membership_form=membership_form or _membership_form(db_session),
        problems=list(problems),
    ), status


def _done(user: User, message: str):
    commit()
    flash(message, "success")
    return redirect(url_for("accounts.person", user_id=user.id), 303)


@bp.route("")
@require(*ADMIN_ROLES)
def people():
    db_session = get_db_session()
    q = search_arg()
    page = paginate(db_session, services.user_query(q))
    return render_template("accounts/people.html", page=page, q=q)


@bp.route("/new", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def person_new():
    db_session = get_db_session()
    form = PersonForm()
    problems: list[str] = []
    if request.method == "POST":
        if form.validate():
            try:
                user, password = services.create_user(
                    db_session, current_app.extensions["lms.passwords"], email=form.email.data,
                    full_name=form.full_name.data, now=utcnow(), actor=current_user, ip=client_ip())
            except DomainError as exc:
                db_session.rollback()
                problems.append(exc.message)
            else:
                commit()
                # Shown once, in this answer only (never put in the cookie or the log); no-store is set.
                return render_template("accounts/created.html", person=user, password=password)
        return render_template("accounts/person_new.html", form=form, problems=problems), 400
    return render_template("accounts/person_new.html", form=form, problems=problems)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def person(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    if request.method == "GET":
        return _detail(user)
    form = PersonForm()
    if not form.validate():
        return _detail(user, form=form, status=400)
    try:
        changed = services.update_user(db_session, user, email=form.email.data, full_name=form.full_name.data,
                                       now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        return _detail(user, form=form, problems=[exc.message], status=400)
    return _done(user, "Saved." if changed else "Nothing was changed.")


@bp.route("/<int:user_id>/active", methods=["POST"])
@require(*ADMIN_ROLES)
def person_active(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    active = request.form.get("active") == "1"
    try:
        if active:
            services.reactivate(db_session, user, now=utcnow(), actor=current_user, ip=client_ip())
        else:
            services.deactivate(db_session, user, now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        return _detail(user, problems=[exc.message], status=exc.status_code)
    return _done(user, f"{user.full_name} is now {'active' if active else 'deactivated; their sessions have ended'}.")


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@require(*ADMIN_ROLES)
def person_unlock(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    auth_services.unlock(db_session, user, actor=current_user, now=utcnow(), ip=client_ip())
    return _done(user, f"{user.full_name}'s account is unlocked.")


@bp.route("/<int:user_id>/reset-totp", methods=["POST"])
@require(*ADMIN_ROLES)
def person_reset_totp(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    auth_services.reset_totp(db_session, user, actor=current_user, now=utcnow(), ip=client_ip())
    return _done(user, f"{user.full_name}'s authenticator was removed; they will set up a new one at next sign-in.")


@bp.route("/<int:user_id>/grants", methods=["POST"])
@require(*ADMIN_ROLES)
def grant_add(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = _grant_form(db_session)
    if not form.validate():
        return _detail(user, grant_form=form, status=400)
    role = Role(form.role.data)
    agency = db_session.get(Agency, form.agency_id.data) if form.agency_id.data else None
    coc = db_session.get(Coc, form.coc_id.data) if form.coc_id.data else None
    try:
        services.grant_role(db_session, user, role, now=utcnow(), actor=current_user, agency=agency, coc=coc,
                            ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        return _detail(user, grant_form=form, problems=[exc.message], status=400)
    return _done(user, f"{role.label} granted.")


@bp.route("/<int:user_id>/grants/<int:grant_id>/revoke", methods=["POST"])
@require(*ADMIN_ROLES)
def grant_revoke(user_id: int, grant_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    grant = get_or_404(db_session, RoleGrant, grant_id)
    if grant.user_id != user.id:
        abort(404)
    try:
        services.check_revoke_allowed(grant, actor=current_user)
    except DomainError as exc:
        return _detail(user, problems=[exc.message], status=exc.status_code)
    services.revoke_grant(db_session, grant, now=utcnow(), actor=current_user, ip=client_ip())
    return _done(user, f"{grant.role_enum.label} withdrawn.")


@bp.route("/<int:user_id>/memberships", methods=["POST"])
@require(*ADMIN_ROLES)
def membership_add(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = _membership_form(db_session)
    if not form.validate():
        return _detail(user, membership_form=form, status=400)
    agency = db_session.get(Agency, form.agency_id.data)
    try:
        services.add_membership(db_session, user, agency, kind=form.kind.data, started_on=utcnow().date(),
                                now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        return _detail(user, membership_form=form, problems=[exc.message], status=400)
    return _done(user, f"Added to {agency.name}.")


@bp.route("/<int:user_id>/memberships/<int:membership_id>/end", methods=["POST"])
@require(*ADMIN_ROLES)
def membership_end(user_id: int, membership_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    membership = get_or_404(db_session, AgencyMembership, membership_id)
    if membership.user_id != user.id:
        abort(404)
    services.end_membership(db_session, membership, ended_on=utcnow().date(), now=utcnow(), actor=current_user,
                            ip=client_ip())
    return _done(user, f"Membership of {membership.agency.name} ended.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_navigation([NavItem("People", "accounts.people", ADMIN_ROLES)])
