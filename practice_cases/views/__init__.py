"""The practice-case pages: the trainee's cases and intake forms, the reviewers' queue and review page,
blocked cases (one-on-one training, the Lead's decision) and the feedback snippets.

Access: the services decide who sees what (``practice_cases.services.access``): a trainee sees only their
own cases (anyone else's is 404), reviewers only the people in their scope, nobody reviews their own case
(403).  A refused action answers with the service's sentence: on the page it was sent from, with 400, or as
the error page of its status (403, 404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, url_for

from lms.core.roles import Role
from lms.core.web import NavItem, add_navigation

bp = Blueprint("practice_cases", __name__, url_prefix="/practice", template_folder="../templates",
               static_folder="../static")

#: Who opens the review pages (the services narrow an HMIS manager to their CoCs' people).
REVIEWERS = (Role.HELPDESK, Role.LEAD_ADMIN, Role.HMIS_MANAGER)
#: Who manages the feedback snippets.
SNIPPET_EDITORS = (Role.HELPDESK, Role.LEAD_ADMIN)
SEGMENT = "<any(entry, update, exit):segment>"


def parse_id(raw: Any) -> int | None:
    """Read an id sent as text (a select's value): plain ASCII digits up to 2**31-1, else None."""
    raw = str(raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value < 2**31 else None


def age(then: datetime, now: datetime) -> str:
    """How long ago ``then`` was, in the largest whole unit: "3 days", "5 hours", "12 minutes"."""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return "just now"


def field_words(field: str) -> str:
    """A comparison field (``File.Column``) in HUD's words; "" is the overall comment."""
    from lms.hud.labels import FILE_LABELS, field_label

    if not field:
        return "Overall"
    file, _, column = field.partition(".")
    if not column:
        return FILE_LABELS.get(file, file)
    return f"{field_label(column)} ({FILE_LABELS.get(file, file)})"


def column_words(column: str, disability_type: Any = None) -> str:
    """A HUD column of a workspace record in words (the record's file is shown beside it)."""
    from lms.hud.labels import field_label

    return field_label(column, disability_type=_int(disability_type))


def value_words(value: Any, column: str, disability_type: Any = None) -> str:
    """A value of a workspace record in words: a response label with its code, a US date, or the text."""
    from datetime import date

    from lms.hud.labels import value_label

    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    return value_label(column, value, disability_type=_int(disability_type))


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _requirement_link(status: Any, own: bool) -> tuple[str, str] | None:
    """The checklist's practice-case row links to the trainee's cases (their own checklist only)."""
    if own:
        return ("Open my practice cases", url_for("practice_cases.mine"))
    return None


def init_app(app: Flask) -> None:
    from lms.training import rules as training_rules
    from lms.training.views import register_requirement_link
    from practice_cases.views import blocked, review, trainee  # noqa: F401 - the routes

    app.register_blueprint(bp)
    app.add_template_filter(field_words, "practice_field")
    app.add_template_filter(column_words, "practice_column")
    app.add_template_filter(value_words, "practice_value")
    for group in training_rules.PRACTICE_GROUPS:
        register_requirement_link(training_rules.practice_key(group), _requirement_link)
    add_navigation([NavItem("My practice cases", "practice_cases.mine", frozenset({Role.END_USER})),
                    NavItem("Practice case reviews", "practice_cases.queue", frozenset(REVIEWERS), admin=True),
                    NavItem("Feedback snippets", "practice_cases.snippets", frozenset(SNIPPET_EDITORS), admin=True)])
