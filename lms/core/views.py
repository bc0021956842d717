"""Home, health, error pages, and the oversight pages (audit log, job runs, settings)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lms.core.roles import OVERSIGHT_ROLES, Role
from lms.core import audit, display, settings
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.jobs import ABANDONED, JOBS, STATUS_LABELS, JobRun
from lms.core.kept_pages import kept
from lms.core.web import (NavItem, add_navigation, client_ip, commit, navigation_for,
                          paginate, public, require, search_arg, signed_in)

bp = Blueprint("core", __name__, template_folder="templates")

ERROR_TEXT = {
    400: ("Something in that request was not right", "Please go back, check what you entered, and try again."),
    403: ("You can't open this page", "Your role does not include this page. If you think it should, ask your HMIS system administrator."),
    404: ("Page not found", "The page or record does not exist, or you do not have access to it."),
    405: ("That action isn't allowed here", "Please use the buttons and links on the page."),
    413: ("That file is too large", "Please choose a smaller file."),
    429: ("Too many requests", "Please wait a minute and try again."),
    500: ("Something went wrong on our side", "Your work has not been lost. Please try again in a moment; if it keeps happening, contact the helpdesk."),
}


@bp.route("/")
@public
@kept()
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("core/home.html", nav=navigation_for(current_user))


@bp.route("/healthz")
@public
def health():
    get_db_session().execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


# --- oversight ---------------------------------------------------------------------------

@bp.route("/admin/audit")
@require(*OVERSIGHT_ROLES)
def audit_log():
    db_session = get_db_session()
    filters = {
        "action": search_arg("action", 80),
        "actor_email": search_arg("actor", 254),
        "target_type": search_arg("target_type", 40),
        "target_id": search_arg("target_id", 64),
    }
    since, until = audit.day_bounds(audit.parse_day(request.args.get("since"), "From date"),
                                    audit.parse_day(request.args.get("until"), "To date"), display.local_zone())
    page = paginate(db_session, audit.search(db_session, since=since, until=until, **filters), per_page=50)
    return render_template("core/audit_log.html", page=page, filters=filters,
                           names=audit.names_for(db_session, page.items), actions=audit.action_choices(),
                           target_types=audit.TARGET_TYPE_LABELS, describe_target=audit.describe_target,
                           describe_details=audit.describe_details, since=request.args.get("since", ""),
                           until=request.args.get("until", ""))


@bp.route("/admin/jobs")
@require(*OVERSIGHT_ROLES)
def job_runs():
    db_session = get_db_session()
    job_id = search_arg("job", 80)
    q = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    if job_id:
        q = q.where(JobRun.job_id == job_id)
    page = paginate(db_session, q, per_page=50)
    return render_template("core/job_runs.html", page=page, jobs=sorted(JOBS.values(), key=lambda j: j.id),
                           job_id=job_id, status_labels=STATUS_LABELS, abandoned=ABANDONED)


@bp.route("/admin/settings", methods=["GET", "POST"])
@require(Role.LEAD_ADMIN, Role.SYSADMIN)
def settings_page():
    db_session = get_db_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        changed = []
        for key in settings.SETTINGS:
            if key not in request.form:
                continue
            try:
                if settings.change(db_session, key, request.form[key], actor=current_user, now=utcnow(),
                                   ip=client_ip()):
                    changed.append(settings.SETTINGS[key].label)
            except DomainError as exc:
                errors[key] = exc.message
        if not errors:
            commit()
            flash(("Saved: " + ", ".join(changed) + ".") if changed else "Nothing was changed.", "success")
            return redirect(url_for("core.settings_page"), 303)
        db_session.rollback()
    values = {k: request.form.get(k, settings.get(db_session, k)) for k in settings.SETTINGS}
    return render_template("core/settings.html", specs=list(settings.SETTINGS.values()), values=values,
                           errors=errors), (400 if errors else 200)


# --- errors --------------------------------------------------------------------------------

def _error_page(code: int, detail: str | None = None):
    title, text = ERROR_TEXT.get(code, ERROR_TEXT[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=title, detail=detail or text), code
    return render_template("errors/error.html", code=code, title=title, text=text, detail=detail), code


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    display.init_app(app)
    add_navigation([
        NavItem("Home", "core.index"),
        NavItem("Audit log", "core.audit_log", OVERSIGHT_ROLES),
        NavItem("Scheduled jobs", "core.job_runs", OVERSIGHT_ROLES),
        NavItem("Settings", "core.settings_page", frozenset({Role.LEAD_ADMIN, Role.SYSADMIN})),
    ])

    @app.context_processor
    def _globals():
        # Half signed in (the second step still to come): the page shows nothing of what the account may do.
        us = g.get("user_session")
        full = us is not None and us.mfa_passed
        return {"nav_items": navigation_for(current_user) if full else [], "fully_signed_in": full,
                "role_enum": Role}

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return _error_page(400, "The form had expired or was sent from elsewhere. Please reload the page and try again.")

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return _error_page(exc.status_code, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = exc.code or 500
        desc = exc.description if code in (400, 413, 429) and exc.description and "browser" not in exc.description else None
        return _error_page(code, desc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return _error_page(500)
