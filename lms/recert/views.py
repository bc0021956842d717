"""Recertification pages: a person's history of every year, the cycle status for the HMIS Lead, and the compliance
dashboard (with its exports) for the Lead's administrators, HMIS managers and agency representatives."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, g, render_template, request, url_for
from markupsafe import Markup
from flask_login import current_user

from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.roles import Role
from lms.accounts.models import User
from lms.core.web import NavItem, Page, add_navigation, get_or_404, page_arg, require, search_arg, signed_in
from lms.recert import dashboard, rules, services
from lms.recert.models import RecertCycle
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
    # The history holds every suspension of the person's: the live ones are among them (and the notice reads
    # them from here rather than asking again).
    g.recert_live = live = services.live_in_history(years)
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
    years = services.history(db_session, person, now=now)
    return render_template("recert/history.html", person=person, years=years, live=services.live_in_history(years),
                           current_fy=services.current_fiscal_year(db_session, now))


@bp.route("/admin/recertification")
@require(*STATUS_READERS)
def status():
    db_session = get_db_session()
    now = utcnow()
    rows = services.cycle_statuses(db_session, now=now)
    return render_template("recert/status.html", rows=rows, current_fy=services.current_fiscal_year(db_session, now))


# --- the compliance dashboard -------------------------------------------------------------------------

#: People listed per dashboard page.
PER_PAGE = 50


def _id_arg(name: str) -> tuple[int | None, bool]:
    """Read an id filter: (the id or None, whether the value was malformed)."""
    raw = request.args.get(name, "")
    if raw in ("", "all"):
        return None, False
    if raw.isascii() and raw.isdigit() and len(raw) <= 9:
        return int(raw), False
    return None, True


def _cycle(db_session, now) -> tuple[RecertCycle | None, list[RecertCycle], str | None]:  # noqa: ANN001
    """Return the cycle asked for (default: the current fiscal year's, else the newest), every cycle, and why
    none was found.  A fiscal year that is not a year (letters, NUL, other scripts' digits, huge) is a 400."""
    all_cycles = services.cycles(db_session)
    raw = request.args.get("fy", "")
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            abort(400, "The fiscal year must be a year written with four digits 0 to 9, such as 2028.")
        found = next((c for c in all_cycles if c.fiscal_year == int(raw)), None)
        return found, all_cycles, None if found else f"No recertification cycle was opened for fiscal year {raw}."
    current = services.current_fiscal_year(db_session, now)
    found = next((c for c in all_cycles if c.fiscal_year == current), all_cycles[0] if all_cycles else None)
    return found, all_cycles, None if found else "No recertification cycle has been opened yet."


def _filters(scope: dashboard.Scope) -> tuple[dashboard.Filters, list[str], bool]:
    """Read the filters; return them, a message for each one ignored, and whether an id was out of scope."""
    problems, hidden = [], False
    status = request.args.get("status", "")
    if status in ("", "all"):
        status = None
    elif status not in rules.STATUSES:
        problems.append("The status asked for is not one of those listed")
        status = None
    coc_id, bad = _id_arg("coc")
    if bad or (coc_id is not None and not scope.has_coc(coc_id)):
        problems.append("No CoC you can see has that number")
        hidden, coc_id = hidden or not bad, None
    agency_id, bad = _id_arg("agency")
    if bad or (agency_id is not None and scope.agency(agency_id) is None):
        problems.append("No agency you can see has that number")
        hidden, agency_id = hidden or not bad, None
    return dashboard.Filters(status, coc_id, agency_id, search_arg()), problems, hidden


def _filter_args(cycle: RecertCycle, f: dashboard.Filters) -> dict:
    return {"fy": cycle.fiscal_year, "status": f.status, "coc": f.coc_id, "agency": f.agency_id, "q": f.q or None}


@bp.route("/recertification/dashboard")
@require(*dashboard.READERS)
def dashboard_page():
    """Where each person in the viewer's scope stands in one cycle: counts, the chart, the list, exports.

    The body is rendered once per data version, local date, scope and query string and kept in this
    process (:mod:`lms.recert.dashboard.cache`): a request that finds it reads one small statement."""
    db_session = get_db_session()
    now = utcnow()
    version = dashboard.cache.version_of(db_session, now)
    key = (services.zone_name(db_session), services.local_today(db_session, now),
           dashboard.scope_key(current_user), request.script_root, request.query_string)
    kept = dashboard.cache.get(db_session, version, key) if version is not None else None
    if kept is None:
        cycle, all_cycles, missing = _cycle(db_session, now)
        if cycle is None:
            return render_template("recert/dashboard.html", body=None, cycles=all_cycles, missing=missing), \
                404 if request.args.get("fy") else 200
        kept = (cycle.fiscal_year, Markup(_dashboard_body(db_session, now, cycle, all_cycles, version)))
        if version is not None:
            dashboard.cache.put(db_session, version, key, kept)
    return render_template("recert/dashboard.html", fiscal_year=kept[0], body=kept[1])


def _dashboard_body(db_session, now, cycle: RecertCycle, all_cycles: list[RecertCycle], version) -> str:  # noqa: ANN001
    scope = dashboard.scope_of(db_session, current_user)
    filters, problems, _ = _filters(scope)
    keep = None if version is None else (lambda key, load: dashboard.cache.kept(db_session, version, key, load))
    data = dashboard.build(db_session, scope, cycle, filters, now=now, page=page_arg(), per_page=PER_PAGE, keep=keep)
    page = Page(items=data.rows, page=data.page, per_page=PER_PAGE, total=data.matching)
    args = _filter_args(cycle, filters)
    return render_template("recert/_dashboard_body.html", cycle=cycle, cycles=all_cycles, data=data, page=page,
                           scope=scope, problems=[f"{p}; that filter is ignored." for p in problems],
                           chart=dashboard.chart(data.per_day, cycle.due_on),
                           statuses=[(s, rules.STATUS_LABELS[s]) for s in rules.STATUSES],
                           csv_url=url_for("recert.dashboard_export", fmt="csv", **args),
                           xlsx_url=url_for("recert.dashboard_export", fmt="xlsx", **args))


@bp.route("/recertification/dashboard/export.<any(csv, xlsx):fmt>")
@require(*dashboard.READERS)
def dashboard_export(fmt: str):
    """The dashboard's filtered list as CSV or XLSX (same scope; a filter it cannot honour is refused)."""
    db_session = get_db_session()
    now = utcnow()
    cycle, _, _ = _cycle(db_session, now)
    if cycle is None:
        abort(404)
    scope = dashboard.scope_of(db_session, current_user)
    filters, problems, hidden = _filters(scope)
    if hidden:
        abort(404)
    if problems:
        abort(400, "Nothing was exported: " + "; ".join(problems) + ".")
    rows = dashboard.every_row(db_session, scope, cycle, filters, now=now)
    zone = services.zone_name(db_session)
    name = f"recertification-fy{cycle.fiscal_year}-{services.local_today(db_session, now):%Y%m%d}"
    if fmt == "csv":
        body, mimetype = dashboard.to_csv(rows, zone), "text/csv"
    else:
        body = dashboard.to_xlsx(rows, zone, title=f"Recertification FY{cycle.fiscal_year}")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}.{fmt}",
                             "Cache-Control": "no-store"})


#: Pages that tell a suspended person why their HMIS access is suspended.
NOTICE_PAGES = {"core.index", "training.checklist", "recert.history"}


def _notice() -> dict:
    if request.endpoint not in NOTICE_PAGES or not current_user.is_authenticated:
        return {}
    notice = services.notice_for(get_db_session(), current_user, now=utcnow(), live=g.get("recert_live"))
    return {"recert_notice": notice} if notice else {}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_notice)
    add_navigation([NavItem("Recertification", "recert.status", STATUS_READERS, admin=True),
                    NavItem("Recertification dashboard", "recert.dashboard_page", dashboard.READERS, admin=True)])
