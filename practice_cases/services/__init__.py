"""The practice-case workflow's services: what pages, the CLI and tests call. Flush, never commit.

Every function takes the LMS ``db_session`` first (``submit`` also the sandbox session ``sdb``), the
acting :class:`~lms.accounts.models.User`, and ``now``; it checks the actor against the target, writes
an audit row, and raises a :class:`~lms.core.errors.DomainError` with a sentence fit to show:
``InvalidInput`` (400) for an action out of order, ``PermissionDenied`` (403) outside one's scope
or on one's own case, ``NotFound`` (404) for what the actor may not see.  Views commit once at their
edge with ``lms.core.web.commit()`` (which also sends the queued mail).

Trainee (``user`` is the signed-in person; they see only their own):
    assignments_of(db, user) -> [Assignment]            cases with ``.segments`` (status, attempts)
    attempts_remaining(db, assignment) -> int            "N attempts remain"
    case_of(assignment) -> dict                          the library case (intake forms per segment)
    submit(db, sdb, user, assignment_id, segment, now=, ip=) -> Submission
    submissions_of(db, viewer, assignment_id) -> [Submission]   newest first, with ``.comments``

Reviewer (helpdesk, HMIS lead administrator: everyone; HMIS manager: members of their CoCs' agencies):
    review_queue(db, viewer, pending_only=True, coc_id=, agency_id=, case_id=, reviewer_id=) -> [Submission]
    review_queue_query(viewer, ...) -> Select            the same, to page through
    get_submission(db, viewer, submission_id)            ``.snapshot`` (frozen workspace), ``.comparison``
                                                         (list of Difference dicts), ``.comments``
    reviewers(db) -> [User]                              people who review (filters, assignment)
    assign_reviewer(db, actor, submission_id, reviewer_id, now=)
    comment(db, reviewer, submission_id, text=, field=, snippet_id=, now=)   ``field`` "" = overall
    approve(db, reviewer, submission_id, now=)           next segment opens; exit → evidence
    return_submission(db, reviewer, submission_id, now=, text=)   a failed attempt; at the limit, blocked
    snippets(db, element=None), save_snippet(db, actor, element=, text=, now=), retire_snippet(...)
    The live workspace: ``sandbox.services.can_read`` lets a reviewer read the trainee's workspace.

Blocked case:
    one_on_ones(db, assignment), record_one_on_one(db, staff, assignment_id, held_at=, trainer=, notes=, now=)
    decide(db, lead, assignment_id, outcome="retry"|"repeat_training"|"refuse", reason=, now=)
    decisions_of(db, assignment)

Library comparison (no database): differences(sdb, workspace_id, case, segment), freeze(...).
"""

from __future__ import annotations

from practice_cases.services import access  # noqa: I001 - first: the modules below import it
from practice_cases.services.access import (check_review, get_assignment, get_submission, is_reviewer, may_review,
                                            review_queue, review_queue_query, reviewers, segment_of)
from practice_cases.services.workspace import differences, freeze
from practice_cases.services.workflow import (ATTEMPT_LIMIT, EVIDENCE_SOURCE, SEGMENT_LABELS, approve, assign_from_plan,
                                              assign_reviewer, assignments_of, attempt_limit, attempts_remaining,
                                              case_of, comment, return_submission, submissions_of, submit)
from practice_cases.services.snippets import retire_snippet, save_snippet, snippets
from practice_cases.services.blocked import (DECISION_LABELS, decide, decisions_of, one_on_ones, record_one_on_one,
                                             refusal_facts, workspace_access)

__all__ = [
    "ATTEMPT_LIMIT", "DECISION_LABELS", "EVIDENCE_SOURCE", "SEGMENT_LABELS", "access", "approve", "assign_from_plan",
    "assign_reviewer", "assignments_of", "attempt_limit", "attempts_remaining", "case_of", "check_review", "comment",
    "decide", "decisions_of", "differences", "freeze", "get_assignment", "get_submission", "is_reviewer",
    "may_review", "one_on_ones", "record_one_on_one", "refusal_facts", "retire_snippet", "return_submission",
    "review_queue", "review_queue_query", "reviewers", "save_snippet", "segment_of", "snippets", "submissions_of",
    "submit", "workspace_access",
]
