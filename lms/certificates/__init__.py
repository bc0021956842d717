"""Certificates of annual training: a PDF per person per fiscal year, a public check, revocation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug certificates in: the download and verification pages, the history links, revocation receivers."""
    from lms.certificates import services, views
    from lms.core import signals
    from lms.credentials import signals as credential_signals

    views.init_app(app)
    credential_signals.credential_revoked.connect(services.revoke_on_credential_revoked, weak=False)
    signals.access_revoked.connect(services.revoke_on_access_revoked, weak=False)
    signals.user_suspended.connect(services.revoke_on_suspended, weak=False)
