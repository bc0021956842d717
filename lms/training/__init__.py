"""Training: the evidence ledger, training plans, the User Policy and Responsibility Agreement, the checklist."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug training into the application: its pages, its navigation, its content loader."""
    from lms.core import signals
    from lms.training import services, views

    views.init_app(app)
    # ``flask --app wsgi lms content load`` runs every registered loader.
    loaders = app.extensions.setdefault("lms.content_loaders", [])
    if services.load_content not in loaders:
        loaders.append(services.load_content)
    signals.demo_seeded.connect(_load_content_for_demo, weak=False)


def _load_content_for_demo(db_session, *, now, **_: object) -> None:  # noqa: ANN001
    """Publish the agreement when ``lms demo`` seeds the demo world, and give the demo trainee a plan."""
    from lms.training import services

    services.load_content(db_session, now=now)
    services.plan_demo_trainees(db_session, now=now)
