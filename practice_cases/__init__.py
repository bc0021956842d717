"""Practice cases: case library, assignments, segment submissions, reviews, attempt limit.

So far: the case library (``data/*.json``, schema in :mod:`practice_cases.validate`),
its validation and content loader (:mod:`practice_cases.library`), and the
comparison of a trainee's sandbox with a segment's answer key
(:mod:`practice_cases.compare`).  The workflow (assignments, submissions,
reviewer queue, attempts) comes later.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the practice cases into the application: the case library's content loader (no routes yet)."""
    from practice_cases import library

    # ``flask --app wsgi lms content load`` runs every registered loader.
    loaders = app.extensions.setdefault("lms.content_loaders", [])
    if library.load_content not in loaders:
        loaders.append(library.load_content)
