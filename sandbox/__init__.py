"""The sandbox: a training HMIS on its own database, faithful to HUD's FY2026 data standards.

It imports only ``lms.core``; other packages read it only through ``sandbox.services``.
"""

from __future__ import annotations

from flask import Flask, current_app


def _mirror_demo_projects(sender, projects, now, **_kw) -> None:  # noqa: ANN001
    """Keep the catalogue of projects new workspaces get in step with the LMS's demo projects."""
    from sandbox import services
    from sandbox.db import get_sandbox_database

    with get_sandbox_database(current_app).session() as sdb:
        services.record_catalog(sdb, projects)
        sdb.commit()


def init_app(app: Flask) -> None:
    """Plug the sandbox into the application: its database, pages, command line and signal receivers."""
    from lms.core import signals
    from sandbox import cli, db, views

    db.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    signals.demo_seeded.connect(_mirror_demo_projects, weak=False)
