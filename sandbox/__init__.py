"""The sandbox: a training HMIS on its own database, faithful to HUD's FY2026 data standards.

It imports only ``lms.core``; other packages read it only through ``sandbox.services``.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the sandbox into the application: its database (own engine and migrations)."""
    from sandbox import db

    db.init_app(app)
