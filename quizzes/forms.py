"""Forms of the quiz pages: only the CSRF token is a declared field; the answers are read by the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm


class StartForm(FlaskForm):
    """Start (or continue) a test."""


class SubmitForm(FlaskForm):
    """Send the answers; each question's field ``q<position>`` is read by ``rules.read_answers``."""
