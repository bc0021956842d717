"""Administer people: list and search, create, edit, roles, agency memberships, (de)activate, unlock, TOTP reset.

Open to system administrators and HMIS lead administrators.  Every change is a
POST with CSRF, audited, answered with a redirect (or, for a new person, with
the one-time password shown once).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from lms.accounts import services
from lms.accounts.forms import GrantForm, MembershipForm, NewPersonForm, PersonForm
from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.auth import services as auth_services
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.roles import ADMIN_ROLES, Role
from lms.core.web import NavItem, add_navigation, client_ip, commit, get_or_404, paginate, require, search_arg
from lms.orgs.models import Agency, Coc

bp = Blueprint("accounts", __name__, url_prefix="/admin/people", template_folder="templates")

NONE = (0, "— none —")


def _agency_choices(db_session) -> list[tuple[int, str]]:
    rows = db_session.execute(sa.select(Agency.id, Agency.name, Coc.code).join(Coc)
                              .where(Agency.is_active.is_(True)).order_by(Coc.code, Agency.name)).all()
    return [NONE] + [(r.id, f"{r.name} ({r.code})") for r in rows]


def _coc_choices(db_session) -> list[tuple[int, str]]:
    rows = db_session.execute(sa.select(Coc).where(Coc.is_active.is_(True)).order_by(Coc.code)).scalars()
    return [NONE] + [(c.id, f"{c.code} {c.name}") for c in rows]


def _scope(db_session, form) -> tuple[Agency | None, Coc | None]:
    agency = db_session.get(Agency, form.agency_id.data) if form.agency_id.data else None
    coc = db_session.get(Coc, form.coc_id.data) if form.coc_id.data else None
    return agency, coc


@bp.route("")
@require(*ADMIN_ROLES)
def people():
    db_session = get_db_session()
    q_text = search_arg()
    status = request.args.get("status", "active")
    status = status if status in ("active", "inactive", "locked", "all") else "active"
    role = request.args.get("role", "")
    q = sa.select(User).options(selectinload(User.grants)).order_by(User.full_name, User.id)
    if status == "active":
        q = q.where(User.is_active.is_(True))
    elif status == "inactive":
        q = q.where(User.is_active.is_(False))
    elif status == "locked":
        q = q.where(User.locked_at.is_not(None))
    if role in {r.value for r in Role}:
        q = q.where(User.id.in_(sa.select(RoleGrant.user_id).where(RoleGrant.role == role,
                                                                    RoleGrant.revoked_at.is_(None))))
    if q_text:
        like = f"%{q_text.lower()}%"
        q = q.where(sa.or_(sa.func.lower(User.full_name).like(like), User.email.like(like)))
    return render_template("accounts/people.html", page=paginate(db_session, q), q=q_text, status=status,
                           role=role, roles=list(Role))


@bp.route("/new", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def new_person():
    db_session = get_db_session()
    form = NewPersonForm()
    form.agency_id.choices = _agency_choices(db_session)
    form.coc_id.choices = _coc_choices(db_session)
    if form.validate_on_submit():
        now = utcnow()
        role = Role(form.role.data)
        agency, coc = _scope(db_session, form)
        try:
            services.check_may_grant(current_user, role)
            user, password = services.create_user(db_session, current_app.extensions["lms.passwords"],
                                                  email=form.email.data, full_name=form.full_name.data, now=now,
                                                  actor=current_user, ip=client_ip())
            services.grant_role(db_session, user, role, now=now, actor=current_user, agency=agency, coc=coc,
                                ip=client_ip())
            if agency is not None:
                services.add_membership(db_session, user, agency, started_on=now.date(), now=now,
                                        actor=current_user, ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            form.email.errors = list(form.email.errors) + [exc.message]
        else:
            commit()
            # Shown once, never stored in clear; the person must change it at first sign-in.
            return render_template("accounts/created.html", user=user, password=password)
    return render_template("accounts/new.html", form=form), (400 if form.errors else 200)


@bp.route("/<int:user_id>")
@require(*ADMIN_ROLES)
def person(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    grant_form = GrantForm()
    grant_form.agency_id.choices = _agency_choices(db_session)
    grant_form.coc_id.choices = _coc_choices(db_session)
    membership_form = MembershipForm()
    membership_form.agency_id.choices = _agency_choices(db_session)[1:]
    names = {a.id: a for a in db_session.execute(sa.select(Agency)).scalars()}
    cocs = {c.id: c for c in db_session.execute(sa.select(Coc)).scalars()}
    return render_template("accounts/person.html", user=user, grant_form=grant_form,
                           membership_form=membership_form, agencies=names, cocs=cocs, Role=Role)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def edit_person(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = PersonForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_user(db_session, user, email=form.email.data, full_name=form.full_name.data,
                                 now=utcnow(), actor=current_user, ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            form.email.errors = list(form.email.errors) + [exc.message]
        else:
            commit()
            flash("Saved.", "success")
            return redirect(url_for("accounts.person", user_id=user.id), 303)
    return render_template("accounts/edit.html", form=form, user=user), (400 if form.errors else 200)


def _done(user: User, message: str):
    commit()
    flash(message, "success")
    return redirect(url_for("accounts.person", user_id=user.id), 303)


def _refused(user: User, exc: DomainError):
    get_db_session().rollback()
    flash(exc.message, "error")
    return redirect(url_for("accounts.person", user_id=user.id), 303)


@bp.route("/<int:user_id>/grants", methods=["POST"])
@require(*ADMIN_ROLES)
def add_grant(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = GrantForm()
    form.agency_id.choices = _agency_choices(db_session)
    form.coc_id.choices = _coc_choices(db_session)
    if not form.validate():
        flash("Choose a role, and the agency or CoC it needs: " + "; ".join(
            e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("accounts.person", user_id=user.id), 303)
    role = Role(form.role.data)
    agency, coc = _scope(db_session, form)
    try:
        services.check_may_grant(current_user, role)
        services.grant_role(db_session, user, role, now=utcnow(), actor=current_user, agency=agency, coc=coc,
                            ip=client_ip())
    except DomainError as exc:
        return _refused(user, exc)
    return _done(user, f"{user.full_name} is now {role.label}.")


@bp.route("/<int:user_id>/grants/<int:grant_id>/revoke", methods=["POST"])
@require(*ADMIN_ROLES)
def revoke_grant(user_id: int, grant_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    grant = get_or_404(db_session, RoleGrant, grant_id)
    if grant.user_id != user.id:
        return _refused(user, DomainError("That role belongs to someone else."))
    try:
        services.check_may_grant(current_user, Role(grant.role))
        if grant.user_id == current_user.id and Role(grant.role) in ADMIN_ROLES:
            raise DomainError("You cannot withdraw your own administrator role.")
        services.revoke_grant(db_session, grant, now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        return _refused(user, exc)
    return _done(user, f"Withdrew the {Role(grant.role).label} role.")


@bp.route("/<int:user_id>/memberships", methods=["POST"])
@require(*ADMIN_ROLES)
def add_membership(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = MembershipForm()
    form.agency_id.choices = _agency_choices(db_session)[1:]
    if not form.validate():
        flash("Choose an agency and how the person works there.", "error")
        return redirect(url_for("accounts.person", user_id=user.id), 303)
    agency = get_or_404(db_session, Agency, form.agency_id.data)
    try:
        services.add_membership(db_session, user, agency, kind=form.kind.data, started_on=utcnow().date(),
                                now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        return _refused(user, exc)
    return _done(user, f"Added {user.full_name} to {agency.name}.")


@bp.route("/<int:user_id>/memberships/<int:membership_id>/end", methods=["POST"])
@require(*ADMIN_ROLES)
def end_membership(user_id: int, membership_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    membership = get_or_404(db_session, AgencyMembership, membership_id)
    if membership.user_id != user.id:
        return _refused(user, DomainError("That membership belongs to someone else."))
    services.end_membership(db_session, membership, ended_on=utcnow().date(), now=utcnow(), actor=current_user,
                            ip=client_ip())
    return _done(user, "Ended the agency membership.")


@bp.route("/<int:user_id>/<any(deactivate, reactivate, unlock, 'reset-totp'):action>", methods=["POST"])
@require(*ADMIN_ROLES)
def account_action(user_id: int, action: str):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    now, ip = utcnow(), client_ip()
    try:
        if action == "deactivate":
            services.deactivate(db_session, user, now=now, actor=current_user, ip=ip)
            message = f"{user.full_name} is deactivated; every session of theirs has ended."
        elif action == "reactivate":
            services.reactivate(db_session, user, now=now, actor=current_user, ip=ip)
            message = f"{user.full_name} is active again."
        elif action == "unlock":
            auth_services.unlock(db_session, user, actor=current_user, now=now, ip=ip)
            message = f"{user.full_name}'s account is unlocked."
        else:
            if user.id == current_user.id:
                raise DomainError("Reset your own authenticator with a recovery code, or ask another administrator.")
            auth_services.reset_totp(db_session, user, actor=current_user, now=now, ip=ip)
            message = f"{user.full_name} must set up an authenticator app again at their next sign-in."
    except DomainError as exc:
        return _refused(user, exc)
    return _done(user, message)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_navigation([NavItem("People", "accounts.people", ADMIN_ROLES)])
