"""Recertification pages: a person's history of every year, and the cycle status for the HMIS Lead."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_login import current_user

from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.roles import Role
from lms.accounts.models import User
from lms.core.web import NavItem, add_navigation, get_or_404, require, signed_in
from lms.recert import services
from lms.training import services as training_services
from lms.training.views import RECORD_READERS

bp = Blueprint("recert", __name__, template_folder="templates")

#: Who reads the cycle status: the HMIS Lead's administrators.
STATUS_READERS = frozenset({Role.LEAD_ADMIN, Role.SYSADMIN})


@bp.route("/recertification")
@signed_in
def history():
    db_session = get_db_session()
    now = utcnow()
    years = services.history(db_session, current_user, now=now)
    live = services.live_suspensions(db_session, [current_user.id])
    return render_template("recert/history.html", years=years, live=live,
                           current_fy=services.current_fiscal_year(db_session, now))


@bp.route("/people/<id:user_id>/recertification")
@require(*RECORD_READERS)
def person(user_id: int):
    """A person's recertification history, for the staff who may read their training record."""
    db_session = get_db_session()
    person = get_or_404(db_session, User, user_id)
    if not training_services.may_view_training_of(current_user, person):
        abort(404)
    now = utcnow()
    return render_template("recert/history.html", person=person,
                           years=services.history(db_session, person, now=now),
                           live=services.live_suspensions(db_session, [person.id]),
                           current_fy=services.current_fiscal_year(db_session, now))


@bp.route("/admin/recertification")
@require(*STATUS_READERS)
def status():
    db_session = get_db_session()
    now = utcnow()
    rows = services.cycle_statuses(db_session, now=now)
    return render_template("recert/status.html", rows=rows, current_fy=services.current_fiscal_year(db_session, now))


#: Pages that tell a suspended person why their HMIS access is suspended.
NOTICE_PAGES = {"core.index", "training.checklist", "recert.history"}


def _notice() -> dict:
    if request.endpoint not in NOTICE_PAGES or not current_user.is_authenticated:
        return {}
    notice = services.notice_for(get_db_session(), current_user, now=utcnow())
    return {"recert_notice": notice} if notice else {}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_notice)
    add_navigation([NavItem("Recertification", "recert.status", STATUS_READERS, admin=True)])
