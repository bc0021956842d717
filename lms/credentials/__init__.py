"""Live HMIS credentials: the eligibility rule, issuance and revocation, the issuance queue."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug credentials into the application: its pages, navigation, home count and commands."""
    from lms.core import signals
    from lms.credentials import cli, services, views

    views.init_app(app)
    signals.access_revoked.connect(services.revoke_on_access_revoked, weak=False)
    if "credentials" not in app.cli.commands:
        app.cli.add_command(cli.credentials_cli)
