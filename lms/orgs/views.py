"""Admin pages for orgs (filled in by the admin-pages work)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("orgs", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
