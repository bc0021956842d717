"""Violations of the HMIS policies and the tiered suspensions they bring."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug sanctions in: pages, home panel, navigation, the sign-in check and the scheduled job."""
    from lms.accounts.sanctions import jobs, services, views  # noqa: F401 - jobs registers itself
    from lms.core import signals
    from lms.credentials import signals as credential_signals

    views.init_app(app)
    signals.sign_in_check.connect(services.refuse_sign_in, weak=False)
    signals.sign_in_flags[services.SIGN_IN_FLAG] = services.suspended_flag
    credential_signals.suspension_facts.connect(services.credential_facts, weak=False)
