"""The JSON API (``/api/v1/``) for an HMIS Lead's own systems, and the bearer tokens that open it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.api import views

    views.init_app(app)
