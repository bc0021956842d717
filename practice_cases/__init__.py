"""Practice cases: case library, assignments, segment submissions, reviews, attempt limit.

Built by the practice-case issue; until then the package only plugs itself into
the application.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the practice cases into the application (no routes yet)."""
