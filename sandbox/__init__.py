"""The sandbox: a training HMIS on its own database (see issue 3)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the sandbox into the application."""
