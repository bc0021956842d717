"""Administer people: list and search, create, edit, roles, agency memberships, (de)activate, unlock, TOTP reset.

Open to system administrators and HMIS lead administrators.  Every change is a
POST with CSRF, audited, answered with a redirect (or, for a new person, with
the one-time password shown once).  Who may act on whom is decided by
``lms.accounts.rules`` and enforced by the services; a refusal answers 403 with
its reason, and the person page offers only the actions the viewer may take.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts import rules, services
from lms.accounts.forms import DeactivateForm, GrantForm, MembershipForm, NewPersonForm, PersonForm, role_choices
from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.rules import Action
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError, PermissionDenied
from lms.core.kept_pages import kept_count
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
    status = status if status in services.PEOPLE_STATUSES else "active"
    role = request.args.get("role", "")
    # The count (all 5,000 active people, say) is kept per shared page version: every change to people, their
    # status, locks and roles raises it.  Not a search's: its statement is built anew for each request.
    page = paginate(db_session, services.people_query(search=q_text, status=status, role=role),
                    rows=services.person_rows, count=None if q_text else kept_count)
    # Each row links to its person page: built once here, not with url_for per row (a route build each).
    person_href = url_for("accounts.person", user_id=1).removesuffix("1")
    return render_template("accounts/people.html", page=page, q=q_text, status=status, role=role,
                           roles=list(Role), person_href=person_href)


def _fail(form, exc: DomainError, problems: list[str]) -> None:
    """Show a refusal beside the field it names, or above the form when it names none."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        problems.append(exc.message)
    else:
        field.errors = list(field.errors) + [exc.message]


def _refusal_page(user: User, exc: DomainError):
    """Answer a refused action: nothing was changed, and the page says why (403 for a permission)."""
    get_db_session().rollback()
    return render_template("accounts/refused.html", user=user, message=exc.message, reasons=exc.reasons[1:],
                           forbidden=exc.status_code == 403), exc.status_code


def _refusals(action: Action, user: User, role: Role | None = None) -> list[str]:
    return rules.refusals(action, actor_roles=current_user.roles, target_roles=user.roles,
                          on_self=current_user.id == user.id, role=role)


def _refused(action: Action, user: User):
    """Refuse a page for an action the viewer may not take, or return None (the services check again)."""
    reasons = _refusals(action, user)
    if reasons:
        return _refusal_page(user, PermissionDenied(reasons[0], reasons=reasons))
    return None


def _explain_role_refusal(form) -> bool:
    """Replace "not a valid choice" for a role left out of the choices by the rule's reason; True if so."""
    value = form.role.data
    if value in {r.value for r in Role} and value not in dict(form.role.choices):
        form.role.errors = rules.grant_refusals(current_user.roles, Role(value))
        return True
    return False


@bp.route("/new", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def new_person():
    db_session = get_db_session()
    form = NewPersonForm()
    form.role.choices = role_choices(rules.grantable_roles(current_user.roles))
    form.agency_id.choices = _agency_choices(db_session)
    form.coc_id.choices = _coc_choices(db_session)
    problems: list[str] = []
    status = 200
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
            _fail(form, exc, problems)
            status = exc.status_code
        else:
            commit()
            # Shown once, never stored in clear; the person must change it at first sign-in.
            return render_template("accounts/created.html", user=user, password=password)
    elif form.errors:
        status = 403 if _explain_role_refusal(form) else 400
    return render_template("accounts/new.html", form=form, problems=problems), status


def _person_page(db_session, user: User, *, grant_form: GrantForm | None = None,
                 membership_form: MembershipForm | None = None, problems: list[str] | None = None,
                 status: int = 200):
    on_self = current_user.id == user.id
    allowed = rules.allowed_actions(current_user.roles, user.roles, on_self=on_self)
    refusal = rules.manage_refusals(current_user.roles, user.roles, on_self=on_self)
    if grant_form is None:
        grant_form = GrantForm(formdata=None)
    grant_form.role.choices = role_choices(rules.grantable_roles(current_user.roles))
    grant_form.agency_id.choices = _agency_choices(db_session)
    grant_form.coc_id.choices = _coc_choices(db_session)
    if membership_form is None:
        membership_form = MembershipForm(formdata=None)
    membership_form.agency_id.choices = _agency_choices(db_session)[1:]
    revocable = {g.id for g in user.active_grants if not _refusals(Action.REVOKE, user, Role(g.role))}
    names = {a.id: a for a in db_session.execute(sa.select(Agency)).scalars()}
    cocs = {c.id: c for c in db_session.execute(sa.select(Coc)).scalars()}
    return render_template("accounts/person.html", user=user, grant_form=grant_form,
                           membership_form=membership_form, agencies=names, cocs=cocs, Role=Role, Action=Action,
                           allowed=allowed, revocable=revocable, problems=problems or [],
                           refusal=refusal[0] if refusal else None), status


@bp.route("/<id:user_id>")
@require(*ADMIN_ROLES)
def person(user_id: int):
    db_session = get_db_session()
    return _person_page(db_session, get_or_404(db_session, User, user_id))


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def edit_person(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    if (refused := _refused(Action.EDIT, user)) is not None:
        return refused
    form = PersonForm(obj=user)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            services.update_user(db_session, user, email=form.email.data, full_name=form.full_name.data,
                                 now=utcnow(), actor=current_user, ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            if exc.status_code == 403:
                return _refusal_page(user, exc)
            _fail(form, exc, problems)
        else:
            commit()
            flash("Saved.", "success")
            return redirect(url_for("accounts.person", user_id=user.id), 303)
    return (render_template("accounts/edit.html", form=form, user=user, problems=problems),
            400 if form.errors or problems else 200)


def _done(user: User, message: str):
    commit()
    flash(message, "success")
    return redirect(url_for("accounts.person", user_id=user.id), 303)


@bp.route("/<id:user_id>/grants", methods=["POST"])
@require(*ADMIN_ROLES)
def add_grant(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = GrantForm()
    form.role.choices = role_choices(rules.grantable_roles(current_user.roles))
    form.agency_id.choices = _agency_choices(db_session)
    form.coc_id.choices = _coc_choices(db_session)
    if not form.validate():
        status = 403 if _explain_role_refusal(form) else 400
        return _person_page(db_session, user, grant_form=form, status=status)
    role = Role(form.role.data)
    agency, coc = _scope(db_session, form)
    try:
        services.grant_role(db_session, user, role, now=utcnow(), actor=current_user, agency=agency, coc=coc,
                            ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code == 403 and exc.field is None:
            return _refusal_page(user, exc)
        problems: list[str] = []
        _fail(form, exc, problems)
        return _person_page(db_session, user, grant_form=form, problems=problems, status=exc.status_code)
    return _done(user, f"{user.full_name} is now {role.label}.")


@bp.route("/<id:user_id>/grants/<id:grant_id>/revoke", methods=["POST"])
@require(*ADMIN_ROLES)
def revoke_grant(user_id: int, grant_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    grant = get_or_404(db_session, RoleGrant, grant_id)
    if grant.user_id != user.id:
        abort(404)
    try:
        services.revoke_grant(db_session, grant, now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        return _refusal_page(user, exc)
    return _done(user, f"Withdrew the {Role(grant.role).label} role.")


@bp.route("/<id:user_id>/memberships", methods=["POST"])
@require(*ADMIN_ROLES)
def add_membership(user_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    form = MembershipForm()
    form.agency_id.choices = _agency_choices(db_session)[1:]
    if not form.validate():
        return _person_page(db_session, user, membership_form=form, status=400)
    agency = get_or_404(db_session, Agency, form.agency_id.data)
    try:
        services.add_membership(db_session, user, agency, kind=form.kind.data, started_on=utcnow().date(),
                                now=utcnow(), actor=current_user, ip=client_ip())
    except DomainError as exc:
        return _refusal_page(user, exc)
    return _done(user, f"Added {user.full_name} to {agency.name}.")


@bp.route("/<id:user_id>/memberships/<id:membership_id>/end", methods=["POST"])
@require(*ADMIN_ROLES)
def end_membership(user_id: int, membership_id: int):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    membership = get_or_404(db_session, AgencyMembership, membership_id)
    if membership.user_id != user.id:
        abort(404)
    try:
        services.end_membership(db_session, membership, ended_on=utcnow().date(), now=utcnow(), actor=current_user,
                                ip=client_ip())
    except DomainError as exc:
        return _refusal_page(user, exc)
    return _done(user, "Ended the agency membership.")


@bp.route("/<id:user_id>/deactivate", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def deactivate(user_id: int):
    """Ask first (saying what deactivation does); only a POST that confirms deactivates."""
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    if (refused := _refused(Action.DEACTIVATE, user)) is not None:
        return refused
    form = DeactivateForm()
    if form.validate_on_submit():
        try:
            services.deactivate(db_session, user, now=utcnow(), actor=current_user, ip=client_ip())
        except DomainError as exc:
            return _refusal_page(user, exc)
        return _done(user, f"{user.full_name} is deactivated; every session of theirs has ended.")
    if request.method == "POST":
        flash(f"{user.full_name} was not deactivated: confirm it on this page first.", "error")
        return redirect(url_for("accounts.deactivate", user_id=user.id), 303)
    return render_template("accounts/deactivate.html", user=user, form=form,
                           live_sessions=services.live_session_count(db_session, user))


@bp.route("/<id:user_id>/<any(reactivate, unlock, 'reset-totp'):action>", methods=["POST"])
@require(*ADMIN_ROLES)
def account_action(user_id: int, action: str):
    db_session = get_db_session()
    user = get_or_404(db_session, User, user_id)
    now, ip = utcnow(), client_ip()
    try:
        if action == "reactivate":
            services.reactivate(db_session, user, now=now, actor=current_user, ip=ip)
            message = f"{user.full_name} is active again."
        elif action == "unlock":
            services.unlock(db_session, user, actor=current_user, now=now, ip=ip)
            message = f"{user.full_name}'s account is unlocked."
        else:
            services.reset_totp(db_session, user, actor=current_user, now=now, ip=ip)
            message = f"{user.full_name} must set up an authenticator app again at their next sign-in."
    except DomainError as exc:
        return _refusal_page(user, exc)
    return _done(user, message)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_navigation([NavItem("People", "accounts.people", ADMIN_ROLES)])
