"""The trainee's checklist, the User Policy and Responsibility Agreement (read, check, sign), signed copies.

Every signed-in person has a checklist and may sign the agreement.  A person's
training record and signed copies are readable by the person, by system and HMIS
lead administrators, by an HMIS manager of a CoC where the person has a current
agency membership, and by the authorized representative of an agency where the
person is a current member (``services.may_view_training_of``); to anyone else
they do not exist (404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts.models import User
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.kept_pages import kept
from lms.core.roles import ADMIN_ROLES, Role
from lms.core.web import (NavItem, add_navigation, client_ip, commit, get_or_404, paginate, require, search_arg,
                          signed_in)
from lms.training import rules, services
from lms.training.forms import SignUpraForm
from lms.training.models import UpraSignature

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="templates",
               static_folder="static")

#: Staff whose navigation offers the training records (HMIS managers: their own CoCs' people only).
STAFF_READERS = (*ADMIN_ROLES, Role.HMIS_MANAGER)
#: Who may open the training records pages: staff, and agency representatives (their agencies' current
#: members only; the representative reaches the list from their home page, not from the navigation).
RECORD_READERS = (*STAFF_READERS, Role.AGENCY_REP)
#: How many of their people a representative's home page lists (the rest are a link away).
HOME_PEOPLE = 10
#: Most checkbox values one form may send (there are far fewer policies); more is a forged form.
MAX_CHECKED = 200


def _zone() -> str:
    return current_app.config.get("TIME_ZONE") or rules.DEFAULT_ZONE


#: Links that feature packages give to the checklist rows of their requirements (quizzes: the courses' tests):
#: requirement key -> function (status, own) returning (text, url) or None.
RequirementLink = Callable[[rules.RequirementStatus, bool], "tuple[str, str] | None"]
REQUIREMENT_LINKS: dict[str, RequirementLink] = {}


def register_requirement_link(key: str, link: RequirementLink) -> None:
    """Let a feature package link a requirement's checklist row to its page (lms cannot import features)."""
    REQUIREMENT_LINKS[key] = link


def _links(statuses: list[rules.RequirementStatus], *, own: bool) -> dict[str, tuple[str, str]]:
    """Return, per requirement key, the one link its row offers: (text, url)."""
    links = {}
    for s in statuses:
        if own and s.action == rules.ACTION_SIGN_UPRA:
            links[s.key] = ("Read and sign the agreement", url_for("training.upra"))
        elif s.met and s.source == services.UPRA_SOURCE and s.source_id and s.source_id.isdigit():
            links[s.key] = ("View the signed agreement",
                            url_for("training.signature", signature_id=int(s.source_id)))
        elif s.key in REQUIREMENT_LINKS:
            link = REQUIREMENT_LINKS[s.key](s, own)
            if link is not None:
                links[s.key] = link
    return links


@bp.route("/")
@signed_in
@kept()
def checklist():
    data = services.checklist(get_db_session(), current_user, now=utcnow(), zone=_zone())
    return render_template("training/checklist.html", checklist=data, links=_links(data.statuses, own=True),
                           fy_label=rules.fiscal_year_label(data.fiscal_year))


def _render_upra(form: SignUpraForm, *, problems: list[str], checked: set[str], status: int = 200):
    db_session = get_db_session()
    now = utcnow()
    version = services.current_upra(db_session)
    signature = services.counting_signature(db_session, current_user, now=now, zone=_zone()) if version else None
    if version is not None and not form.version_id.data:
        form.version_id.data = str(version.id)
    return render_template("training/upra.html", form=form, version=version, signature=signature,
                           problems=problems, checked=checked, name_error=form.full_name.errors), status


@bp.route("/upra", methods=["GET", "POST"])
@signed_in
def upra():
    form = SignUpraForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _render_upra(form, problems=[], checked=set(), status=200 if request.method == "GET" else 400)
    db_session = get_db_session()
    raw_version = form.version_id.data or ""
    checked = request.form.getlist("policy")[:MAX_CHECKED]
    try:
        signature, created = services.sign_upra(
            db_session, current_user,
            version_id=int(raw_version) if raw_version.isascii() and raw_version.isdigit() and len(raw_version) < 10
            else None, checked=checked, typed_name=form.full_name.data, now=utcnow(), ip=client_ip(), zone=_zone())
    except services.UpraRefused as exc:
        db_session.rollback()
        form.full_name.errors = exc.name_problems
        return _render_upra(form, problems=exc.policy_problems, checked=set(checked), status=400)
    except DomainError as exc:
        db_session.rollback()
        form.version_id.data = ""  # show, and sign, the current version
        return _render_upra(form, problems=[exc.message], checked=set(), status=exc.status_code)
    commit()
    if created:
        flash(f"Thank you. You signed the agreement (version {signature.version.version}) for fiscal year "
              f"{signature.fiscal_year}.", "success")
    else:
        flash("You had already signed this agreement for this fiscal year; your first signature stands.", "info")
    return redirect(url_for("training.checklist"), 303)


@bp.route("/upra/signatures/<id:signature_id>")
@signed_in
def signature(signature_id: int):
    db_session = get_db_session()
    sig = get_or_404(db_session, UpraSignature, signature_id)
    if not services.may_view_training_of(current_user, sig.user):
        abort(404)  # another person's agreement: do not even confirm it exists
    return render_template("training/signature.html", signature=sig, version=sig.version, person=sig.user,
                           own=sig.user_id == current_user.id)


@bp.route("/people")
@require(*RECORD_READERS)
def people():
    q_text = search_arg()
    page = paginate(get_db_session(), services.training_records_query(current_user, q_text))
    return render_template("training/people.html", page=page, q=q_text, scope=_scope_note(current_user))


def _scope_note(viewer) -> str:  # noqa: ANN001
    """Say whose records the list holds, for someone who may not read everyone's."""
    if viewer.roles & ADMIN_ROLES:
        return ""
    parts = []
    if viewer.has_role(Role.HMIS_MANAGER):
        parts.append("the people of your own CoCs")
    if viewer.has_role(Role.AGENCY_REP):
        parts.append("the current members of the agencies you represent")
    return " and ".join(parts)


@bp.route("/people/<id:user_id>")
@require(*RECORD_READERS)
def person(user_id: int):
    db_session = get_db_session()
    person = get_or_404(db_session, User, user_id)
    if not services.may_view_training_of(current_user, person):
        abort(404)
    data = services.checklist(db_session, person, now=utcnow(), zone=_zone())
    return render_template("training/person.html", person=person, checklist=data,
                           links=_links(data.statuses, own=person.id == current_user.id),
                           signatures=services.signatures_of(db_session, person),
                           fy_label=rules.fiscal_year_label(data.fiscal_year))


def _local_time(moment: datetime | None) -> str:
    """Show a UTC time as the HMIS Lead's local time, e.g. "October 1, 2026 at 9:05 AM CDT"."""
    if moment is None:
        return ""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(_zone()))
    hour = local.strftime("%I").lstrip("0")
    return f"{local:%B} {local.day}, {local.year} at {hour}:{local:%M} {local:%p} {local.tzname()}"


def _home_summary() -> dict:
    """Give the home page the trainee's checklist in brief (staff see their own pages there instead),
    and an agency representative their people's progress (a fixed number of queries)."""
    if request.endpoint != "core.index" or not current_user.is_authenticated:
        return {}
    db_session = get_db_session()
    out: dict = {}
    if not current_user.is_staff:
        out["training_summary"] = services.checklist(db_session, current_user, now=utcnow(), zone=_zone())
    if current_user.has_role(Role.AGENCY_REP):
        query = services.training_records_query(current_user, represented_only=True)
        people = list(db_session.execute(query.limit(HOME_PEOPLE)).scalars())
        total = len(people) if len(people) < HOME_PEOPLE else db_session.execute(
            sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
        lists = services.checklists(db_session, people, now=utcnow(), zone=_zone())
        out["training_people"] = {"total": total, "rows": [(p, lists[p.id]) for p in people]}
    return out


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(_local_time, "training_time")
    app.context_processor(_home_summary)
    add_navigation([NavItem("My training", "training.checklist"),
                    NavItem("Training records", "training.people", frozenset(STAFF_READERS), admin=True)])
