"""Practice cases: case library, assignments, segment submissions, reviews, attempt limit.

The case library (``data/*.json``, schema in :mod:`practice_cases.validate`), its validation and
content loader (:mod:`practice_cases.library`), the comparison of a trainee's sandbox with a
segment's answer key (:mod:`practice_cases.compare`), and the workflow: tables in
:mod:`practice_cases.models`, services in :mod:`practice_cases.services` (its docstring lists what
pages call); the pages in :mod:`practice_cases.views`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the practice cases into the application: content loader, plan hook, credential and sandbox answers."""
    from lms.core import signals
    from lms.credentials import signals as credential_signals
    from practice_cases import library, models, services, views  # noqa: F401 - models: the tables are known

    # ``flask --app wsgi lms content load`` runs every registered loader.
    loaders = app.extensions.setdefault("lms.content_loaders", [])
    if library.load_content not in loaders:
        loaders.append(library.load_content)
    signals.training_plan_changed.connect(_assign_cases, weak=False)
    signals.demo_seeded.connect(_demo, weak=False)
    credential_signals.refusal_facts.connect(services.refusal_facts, weak=False)
    signals.sandbox_workspace_access.connect(services.workspace_access, weak=False)
    views.init_app(app)


def _assign_cases(db_session, *, user, now, **_: object) -> None:  # noqa: ANN001
    """A plan started or gained practice groups: give the person a case per group."""
    from practice_cases import services

    services.assign_from_plan(db_session, user, now=now)


def _demo(db_session, *, now, **_: object) -> None:  # noqa: ANN001
    """``lms demo``: cases for the demo trainees, and a few feedback snippets."""
    from practice_cases import demo

    demo.seed(db_session, now=now)
