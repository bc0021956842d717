"""The sandbox HMIS pages: search first, then clients, ROI, project entry, assessments, exit, data quality.

Every page works in the signed-in person's own workspace; an id from anyone
else's workspace is simply not found (404).  The blueprint lives here; the
modules beside it add their pages to it, by area.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Blueprint, Flask

from lms.core.roles import ADMIN_ROLES
from lms.core.web import NavItem, add_navigation

#: The sandbox package's folder, where templates/ and static/ are (this package is one level down).
SANDBOX_ROOT = str(Path(__file__).absolute().parent.parent)
bp = Blueprint("sandbox", __name__, url_prefix="/sandbox", root_path=SANDBOX_ROOT, template_folder="templates",
               static_folder="static")


@bp.app_template_filter("sandbox_date")
def us_date(value: date | datetime | None) -> str:
    """Show a date the U.S. way, MM/DD/YYYY (empty for none)."""
    if value is None:
        return ""
    return f"{value:%m/%d/%Y}"


@bp.after_request
def _no_store(response):
    """Every sandbox response holds a trainee's (fictional) client data: no cache may keep it, downloads included."""
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    # Importing a module adds its routes to this blueprint.
    from sandbox import import_reports  # noqa: F401
    from sandbox.views import admin, assessments, clients, enrollments, workspace  # noqa: F401

    app.register_blueprint(bp)
    add_navigation([NavItem("Sandbox HMIS", "sandbox.home"),
                    NavItem("Sandbox workspaces", "sandbox.admin_workspaces", ADMIN_ROLES),
                    NavItem("Sandbox imports", "sandbox.admin_imports", ADMIN_ROLES)])
