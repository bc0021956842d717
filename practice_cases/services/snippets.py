"""Reusable feedback snippets per data element, managed by reviewers; comments may start from one."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.core import audit
from lms.core.errors import InvalidInput, NotFound
from practice_cases.models import FeedbackSnippet
from practice_cases.services import access

MAX_TEXT = 5000

audit.label_actions({
    "practice.snippet_saved": "Practice case feedback snippet saved",
    "practice.snippet_retired": "Practice case feedback snippet retired",
})


def snippets(db_session: Session, element: str | None = None) -> list[FeedbackSnippet]:
    """Return the current feedback snippets (of one element, when given), by element."""
    q = sa.select(FeedbackSnippet).where(FeedbackSnippet.retired_at.is_(None))
    if element is not None:
        q = q.where(FeedbackSnippet.element == element)
    return list(db_session.execute(q.order_by(FeedbackSnippet.element, FeedbackSnippet.id)).scalars())


def save_snippet(db_session: Session, actor: User, *, element: str, text: str, now: datetime,
                 ip: str | None = None) -> FeedbackSnippet:
    """Add a reusable feedback snippet for ``element`` (``File.Column`` or "overall"); reviewers only.

    The same text for the same element again returns the existing snippet.
    """
    if not access.is_reviewer(actor):
        raise access.PermissionDenied("Only reviewers manage feedback snippets.")
    element, text = (element or "").strip(), (text or "").strip()
    if not element or len(element) > 120:
        raise InvalidInput("Name the data element (at most 120 characters).", field="element")
    if not text or len(text) > MAX_TEXT:
        raise InvalidInput(f"Write the feedback (at most {MAX_TEXT} characters).", field="text")
    same = next((s for s in snippets(db_session, element) if s.text == text), None)
    if same is not None:
        return same
    s = FeedbackSnippet(element=element, text=text, created_by_id=actor.id, created_at=now)
    db_session.add(s)
    db_session.flush()
    audit.record(db_session, action="practice.snippet_saved", now=now, actor=actor, target=s, ip=ip, element=element)
    return s


def retire_snippet(db_session: Session, actor: User, snippet_id: int, *, now: datetime,
                   ip: str | None = None) -> FeedbackSnippet:
    """Retire a snippet (kept for the comments made with it); reviewers only."""
    if not access.is_reviewer(actor):
        raise access.PermissionDenied("Only reviewers manage feedback snippets.")
    s = db_session.get(FeedbackSnippet, snippet_id)
    if s is None:
        raise NotFound("There is no such feedback snippet.")
    if s.retired_at is None:
        s.retired_at = now
        db_session.flush()
        audit.record(db_session, action="practice.snippet_retired", now=now, actor=actor, target=s, ip=ip)
    return s
