"""Violation pages: staff record, the HMIS Lead reviews, the agency reports its remedy, letters, report."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts.sanctions import letters, report, rules, services
from lms.accounts.sanctions.forms import PanelForm, RemedyForm, ReviewForm, ViolationForm
from lms.accounts.sanctions.models import Violation
from lms.accounts.revocations.services import today_for
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.roles import ADMIN_ROLES, Role
from lms.core.web import NavItem, add_navigation, client_ip, commit, paginate, require
from lms.orgs.models import Agency, Coc

bp = Blueprint("sanctions", __name__, url_prefix="/violations", template_folder="templates",
               static_folder="static", static_url_path="/static")

STAFF = frozenset({*ADMIN_ROLES, Role.HMIS_MANAGER})
READERS = STAFF | {Role.AGENCY_REP}
STATUS_FILTERS = {"pending_review": "Awaiting review", "confirmed": "Confirmed", "dismissed": "Dismissed",
                  "all": "All"}


def _coc_scope() -> set[int] | None:
    """The CoCs the viewer may see violations of: None for administrators (all)."""
    return None if current_user.roles & ADMIN_ROLES else current_user.coc_ids_for(Role.HMIS_MANAGER)


def _agencies(db_session) -> list[Agency]:
    q = sa.select(Agency).join(Coc).where(Agency.is_active.is_(True)).order_by(Coc.code, Agency.name)
    scope = _coc_scope()
    if scope is not None:
        q = q.where(Agency.coc_id.in_(scope or {-1}))
    return list(db_session.execute(q).scalars())


def _day_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(400, f"{name.capitalize()} must be a date like 2026-11-30.")
    if not 2000 <= day.year <= 2100:
        abort(400, f"{name.capitalize()} must be a date between the years 2000 and 2100.")
    return day


@bp.route("")
@require(*STAFF)
def index():
    db_session = get_db_session()
    status = request.args.get("status", "pending_review")
    status = status if status in STATUS_FILTERS else "pending_review"
    q = report.query(coc_ids=_coc_scope(), coc_id=None, since=None, until=None)
    if status != "all":
        q = q.where(Violation.status == status)
    return render_template("sanctions/index.html", page=paginate(db_session, q), status=status,
                           filters=STATUS_FILTERS, can_record=True)


@bp.route("/new", methods=["GET", "POST"])
@require(*STAFF)
def new():
    db_session = get_db_session()
    form = ViolationForm()
    form.agency_id.choices = [(a.id, f"{a.name} ({a.coc.code})") for a in _agencies(db_session)]
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            from lms.accounts.services import find_by_email

            person = find_by_email(db_session, form.email.data)
            if person is None:
                form.email.errors.append("No one has that e-mail address.")
            else:
                now = utcnow()
                try:
                    v = services.record_violation(
                        db_session, actor=current_user, user_id=person.id, agency_id=form.agency_id.data,
                        occurred_on=form.occurred_on.data, description=form.description.data,
                        broke_law=form.broke_law.data, now=now, today=today_for(db_session, now), ip=client_ip())
                except DomainError as exc:
                    db_session.rollback()
                    problems = exc.reasons or [exc.message]
                    status = exc.status_code
                else:
                    commit()
                    flash(f"Recorded. {person.full_name}'s access is suspended pending the HMIS Lead's review; "
                          "they and their agency have been notified.", "success")
                    return redirect(url_for("sanctions.detail", violation_id=v.id), 303)
    return render_template("sanctions/new.html", form=form, problems=problems), status


def _detail_page(v: Violation, status: int = 200, **forms):
    db_session = get_db_session()
    now = utcnow()
    roles = current_user.roles
    is_lead = Role.LEAD_ADMIN in roles and current_user.id != v.user_id
    may_remedy = not rules.remedy_refusals(
        actor_roles=roles, actor_coc_ids=current_user.coc_ids_for(Role.HMIS_MANAGER),
        actor_rep_agency_ids=current_user.agency_ids_for(Role.AGENCY_REP), agency_id=v.agency_id,
        agency_coc_id=v.agency.coc_id, status=v.status_enum, remedied=v.remedied_at is not None)
    s = v.suspension
    return render_template(
        "sanctions/detail.html", v=v, suspension=s,
        waits=rules.may_lift(s.facts(), now).reasons if s and s.lifted_at is None else [],
        history=services.confirmed_count(db_session, v.user_id),
        review_form=forms.get("review_form") or ReviewForm(),
        remedy_form=forms.get("remedy_form") or RemedyForm(),
        panel_form=forms.get("panel_form") or PanelForm(),
        may_review=is_lead and v.status_enum is rules.Status.PENDING,
        may_remedy=may_remedy,
        may_panel=is_lead and v.status_enum is rules.Status.CONFIRMED and v.conditions.needs_panel
        and v.panel_decision is None,
        is_staff=bool(roles & STAFF)), status


@bp.route("/<id:violation_id>")
@require(*READERS)
def detail(violation_id: int):
    return _detail_page(services.get_violation(get_db_session(), violation_id, current_user))


def _act(violation_id: int, form, name: str, action, done: str):
    """Validate ``form``, run ``action(db_session, v)``, commit; or show the page again with the refusal."""
    db_session = get_db_session()
    v = services.get_violation(db_session, violation_id, current_user)
    if form.validate_on_submit():
        try:
            action(db_session, v)
        except DomainError as exc:
            db_session.rollback()
            if exc.status_code == 403:
                raise
            target = getattr(form, exc.field, None) if exc.field else None
            (target.errors if target is not None else form.form_errors).append(exc.message)
            v = services.get_violation(db_session, violation_id, current_user)
            return _detail_page(v, exc.status_code, **{name: form})
        commit()
        flash(done, "success")
        return redirect(url_for("sanctions.detail", violation_id=violation_id), 303)
    return _detail_page(v, 400, **{name: form})


@bp.route("/<id:violation_id>/review", methods=["POST"])
@require(Role.LEAD_ADMIN)
def review(violation_id: int):
    form = ReviewForm()
    return _act(violation_id, form, "review_form", lambda s, v: services.review(
        s, v, actor=current_user, confirm=form.outcome.data == "confirm", note=form.note.data, now=utcnow(),
        ip=client_ip()), "The review is recorded; the person and the agency have been notified.")


@bp.route("/<id:violation_id>/remedy", methods=["POST"])
@require(*READERS)
def remedy(violation_id: int):
    form = RemedyForm()
    return _act(violation_id, form, "remedy_form", lambda s, v: services.record_remedy(
        s, v, actor=current_user, remedy=form.remedy.data, now=utcnow(), ip=client_ip()),
        "The remedy is recorded.")


@bp.route("/<id:violation_id>/panel", methods=["POST"])
@require(Role.LEAD_ADMIN)
def panel(violation_id: int):
    form = PanelForm()
    return _act(violation_id, form, "panel_form", lambda s, v: services.record_panel(
        s, v, actor=current_user, decision=form.decision.data, note=form.note.data, now=utcnow(), ip=client_ip()),
        "The panel's decision is recorded; the person and the agency have been notified.")


@bp.route("/<id:violation_id>/letter")
@require(*READERS)
def letter(violation_id: int):
    db_session = get_db_session()
    v = services.get_violation(db_session, violation_id, current_user)
    return render_template("sanctions/letter.html", v=v, paragraphs=letters.paragraphs(v, utcnow()),
                           recipients=letters.recipients(db_session, v), today=today_for(db_session, utcnow()))


@bp.route("/report")
@require(*STAFF)
def report_page():
    db_session = get_db_session()
    coc_raw = request.args.get("coc", "")
    coc_id = int(coc_raw) if coc_raw.isascii() and coc_raw.isdigit() and len(coc_raw) < 10 else None
    since, until = _day_arg("since"), _day_arg("until")
    if since and until and since > until:
        abort(400, "The start of the range must come before its end.")
    scope = _coc_scope()
    q = report.query(coc_ids=scope, coc_id=coc_id, since=since, until=until)
    if request.args.get("format") == "csv":
        rows = db_session.execute(q).unique().scalars().all()
        return Response(report.to_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=violations.csv"})
    cocs = [c for c in db_session.execute(sa.select(Coc).order_by(Coc.code)).scalars()
            if scope is None or c.id in scope]
    # The same filters as read above (never the raw query string: it may repeat or carry ``format``).
    csv_url = url_for("sanctions.report_page", format="csv", coc=coc_id, since=since and since.isoformat(),
                      until=until and until.isoformat())
    return render_template("sanctions/report.html", page=paginate(db_session, q, per_page=50), cocs=cocs,
                           coc_id=coc_id, since=since, until=until, row=report.row, columns=report.COLUMNS,
                           csv_url=csv_url)


def home_panel() -> dict:
    """Give staff's home page the count of violations awaiting review."""
    if request.endpoint != "core.index" or not current_user.is_authenticated or not current_user.roles & STAFF:
        return {}
    q = report.query(coc_ids=_coc_scope(), coc_id=None, since=None, until=None).where(
        Violation.status == rules.Status.PENDING.value)
    count = get_db_session().execute(sa.select(sa.func.count()).select_from(q.order_by(None).subquery())).scalar_one()
    return {"violations_pending": count}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(home_panel)
    add_navigation([NavItem("Violations", "sanctions.index", STAFF, admin=True),
                    NavItem("Violations report", "sanctions.report_page", STAFF, admin=True)])
