"""Quizzes: question banks, attempts and scoring; a passing attempt becomes evidence."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the quizzes into the application: their pages, their settings and their content loader."""
    from quizzes import services, views

    views.init_app(app)
    # ``flask --app wsgi lms content load`` runs every registered loader.
    loaders = app.extensions.setdefault("lms.content_loaders", [])
    if services.load_content not in loaders:
        loaders.append(services.load_content)
    from lms.core import signals

    signals.demo_seeded.connect(_load_banks_for_demo, weak=False)


def _load_banks_for_demo(db_session, *, now, **_: object) -> None:  # noqa: ANN001
    """Load the question banks when ``lms demo`` seeds the demo world, so the demo trainee can take a test."""
    from quizzes import services

    services.load_content(db_session, now=now)
