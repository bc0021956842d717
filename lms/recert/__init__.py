"""Recertification: the yearly cycle of every active end user (the manual, Annual Recertification)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug recertification in: pages, navigation, lifting at sign-in, the notice, credential facts, jobs, the CLI."""
    from lms.core import signals
    from lms.credentials import signals as credential_signals
    from lms.recert import cli, jobs, services, views  # noqa: F401 - jobs registers itself
    from lms.recert.services import suspensions

    views.init_app(app)
    signals.sign_in_check.connect(services.lift_at_sign_in, weak=False)
    signals.sign_in_flags[suspensions.SIGN_IN_FLAG] = suspensions.suspended_flag
    credential_signals.suspension_facts.connect(services.credential_facts, weak=False)
    if "recert" not in app.cli.commands:
        app.cli.add_command(cli.recert_cli)
