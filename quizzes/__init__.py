"""Quizzes: question banks, attempts and scoring; a passing attempt becomes evidence.

Built by the training issue that follows the foundation; until then the package
only plugs itself into the application.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the quizzes into the application (no routes yet)."""
