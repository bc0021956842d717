"""User access requests: an agency asks, the CoC's HMIS manager decides, approval invites and trains the person."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug access requests in: their pages, navigation and home-page panel."""
    from lms.accounts.requests import services, views
    from lms.credentials import signals as credential_signals
    from lms.core.roles import Role
    from lms.core.web import NavItem, add_navigation

    app.register_blueprint(views.bp)
    app.context_processor(views.home_panel)
    credential_signals.access_request_facts.connect(services.credential_facts, weak=False)
    add_navigation([
        NavItem("Access requests", "access_requests.mine", frozenset({Role.AGENCY_REP})),
        NavItem("Requests to decide", "access_requests.queue", frozenset(views.DECIDERS), admin=True),
    ])
