"""Revocation notices: an agency's representative tells the HMIS Lead a person no longer needs access."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug revocations in: pages, home panel, navigation and scheduled jobs."""
    from lms.accounts.revocations import jobs, views  # noqa: F401 - jobs registers itself

    views.init_app(app)
