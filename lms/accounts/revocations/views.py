"""Revocation pages: a representative files notices for their agency's people; administrators make the
live credential inactive and record it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.accounts.revocations import rules, services
from lms.accounts.revocations.forms import DoneForm, NoticeForm
from lms.core import display
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.roles import ADMIN_ROLES, Role
from lms.core.web import NavItem, add_navigation, client_ip, commit, paginate, require

bp = Blueprint("revocations", __name__, template_folder="templates")

REP = Role.AGENCY_REP
QUEUE_VIEWS = {"open": "Credentials to make inactive", "scheduled": "Waiting for their date",
               "late": "Filed late", "done": "Done"}


@bp.route("/agency/revocations")
@require(REP)
def mine():
    db_session = get_db_session()
    page = paginate(db_session, services.notices_for_rep(current_user))
    return render_template("revocations/mine.html", page=page)


@bp.route("/agency/revocations/new", methods=["GET", "POST"])
@require(REP)
def new():
    db_session = get_db_session()
    form = NoticeForm()
    memberships = services.revocable_memberships(db_session, current_user)
    form.membership_id.choices = [(m.id, f"{m.user.full_name} ({m.agency.name})") for m in memberships]
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                notice = services.file_notice(
                    db_session, rep=current_user, membership_id=form.membership_id.data, kind=form.kind.data,
                    effective_on=form.effective_on.data, reason=form.reason.data, now=utcnow(), ip=client_ip())
            except DomainError as exc:
                db_session.rollback()
                problems = exc.reasons or [exc.message]
                status = exc.status_code
            else:
                name = notice.user.full_name
                commit()
                if notice.applied_at is not None:
                    flash(f"{name} can no longer act for {notice.agency.name}; their sessions have ended.", "success")
                else:
                    flash(f"Filed. {name}'s access for {notice.agency.name} ends after "
                          f"{display.format_date(notice.effective_on)}.", "success")
                if notice.is_late:
                    flash("This notice came more than 3 business days after the person stopped needing access, "
                          "so it is recorded as late against the agency.", "warning")
                return redirect(url_for("revocations.detail", notice_id=notice.id), 303)
    return render_template("revocations/new.html", form=form, problems=problems,
                           has_people=bool(memberships), days=rules.NOTICE_BUSINESS_DAYS), status


@bp.route("/revocations/<id:notice_id>")
@require(REP, *ADMIN_ROLES)
def detail(notice_id: int):
    db_session = get_db_session()
    notice = services.get_notice(db_session, notice_id, current_user)
    return render_template("revocations/detail.html", notice=notice, form=DoneForm(),
                           deadline=rules.notice_deadline(notice.effective_on),
                           today=services.today_for(db_session, utcnow()),
                           is_admin=bool(current_user.roles & ADMIN_ROLES))


@bp.route("/admin/revocations")
@require(*ADMIN_ROLES)
def queue():
    db_session = get_db_session()
    show = request.args.get("show", "open")
    show = show if show in QUEUE_VIEWS else "open"
    today = services.today_for(db_session, utcnow())
    return render_template("revocations/queue.html", page=paginate(db_session, services.credential_queue(show=show)),
                           show=show, views=QUEUE_VIEWS, today=today, form=DoneForm(),
                           counts=services.queue_counts(db_session, today))


@bp.route("/admin/revocations/<id:notice_id>/done", methods=["POST"])
@require(*ADMIN_ROLES)
def done(notice_id: int):
    db_session = get_db_session()
    notice = services.get_notice(db_session, notice_id, current_user)
    form = DoneForm()
    if not form.validate_on_submit():
        flash("The form had expired. Please try again.", "error")
        return redirect(url_for("revocations.queue"), 303)
    try:
        services.record_credential_inactive(db_session, notice, actor=current_user, now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        flash(exc.message, "error")
        return detail(notice_id), exc.status_code
    name = notice.user.full_name
    commit()
    flash(f"Recorded: {name}'s live credential is inactive.", "success")
    return redirect(url_for("revocations.queue"), 303)


def home_panel() -> dict:
    """Give the home page the viewer's revocations (representatives) or the queue's counts (administrators)."""
    if request.endpoint != "core.index" or not current_user.is_authenticated:
        return {}
    db_session = get_db_session()
    out: dict = {}
    if current_user.has_role(REP):
        out["revocation_home"] = db_session.execute(
            services.notices_for_rep(current_user).limit(5)).unique().scalars().all()
    if current_user.roles & ADMIN_ROLES:
        out["revocation_counts"] = services.queue_counts(db_session, services.today_for(db_session, utcnow()))
    return out


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(home_panel)
    add_navigation([NavItem("Revoke access", "revocations.mine", frozenset({REP})),
                    NavItem("Credentials to make inactive", "revocations.queue", ADMIN_ROLES)])
