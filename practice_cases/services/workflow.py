"""Assign cases from the training plan; the trainee submits a segment; reviewers comment, approve or return.

Every state change is one conditional UPDATE whose row count is checked, so two clicks or two tabs
(on SQLite and PostgreSQL alike) change the state once and the second is refused in words.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

import sandbox.services as sandbox
from lms.accounts.models import User
from lms.core import audit, settings
from lms.core.errors import InvalidInput, NotFound
from lms.core.mail import queue_mail
from lms.training import rules as training_rules
from lms.training import services as training
from practice_cases import library, validate
from practice_cases.models import Assignment, FeedbackSnippet, ReviewComment, Segment, Submission
from practice_cases.services import access
from practice_cases.services.workspace import freeze

ATTEMPT_LIMIT = "practice_cases.attempt_limit"
settings.declare(settings.SettingSpec(
    ATTEMPT_LIMIT, "Practice case attempts before one-on-one training",
    "After this many returned submissions of a practice case, the case is blocked until staff give "
    "one-on-one training and the HMIS lead administrator decides.", 3, minimum=1, maximum=10))

#: The ``source`` of the evidence a completed case writes.
EVIDENCE_SOURCE = "practice_case"
SEGMENT_LABELS = {"entry": "Project Entry", "update": "Update", "exit": "Project Exit"}
MAX_COMMENT = 5000

audit.label_actions({
    "practice.assigned": "Practice case assigned",
    "practice.submitted": "Practice case segment submitted",
    "practice.reviewer_assigned": "Practice case submission given to a reviewer",
    "practice.commented": "Practice case submission commented",
    "practice.approved": "Practice case segment approved",
    "practice.returned": "Practice case segment returned for corrections",
    "practice.completed": "Practice case completed",
    "practice.blocked": "Practice case blocked at the attempt limit",
})


def attempt_limit(db_session: Session) -> int:
    """Return the number of returned submissions that blocks a case (the setting, default 3)."""
    return int(settings.get(db_session, ATTEMPT_LIMIT))


def attempts_remaining(db_session: Session, assignment: Assignment) -> int:
    """Return how many more submissions may be returned before the case is blocked."""
    return max(0, attempt_limit(db_session) - assignment.failed_attempts)


def case_hash(case: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(case, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def case_of(assignment: Assignment) -> dict[str, Any]:
    """Return the library case of ``assignment`` (NotFound if the library no longer holds it)."""
    case = library.cases().get(assignment.case_id)
    if case is None:
        raise NotFound("This practice case is no longer in the case library; ask the helpdesk.")
    return case


# --- assignments -----------------------------------------------------------------------------------

def _fresh_segments(assignment: Assignment, now: datetime) -> None:
    for i, name in enumerate(validate.SEGMENTS):
        seg = next((s for s in assignment.segments if s.segment == name), None)
        if seg is None:
            seg = Segment(segment=name, position=i, updated_at=now)
            assignment.segments.append(seg)
        seg.status, seg.attempts, seg.updated_at = ("open" if i == 0 else "locked"), 0, now


def assign_from_plan(db_session: Session, user: User, *, now: datetime) -> list[Assignment]:
    """Give ``user`` one case per practice group of their current training plan; idempotent.

    Returns the person's assignments for those groups.  A group the library has no case for is
    skipped.  Two calls at once make one assignment per group (unique user + group).
    """
    plan = training.current_plan(db_session, user)
    if plan is None:
        return []
    groups = [k[len(training_rules.PRACTICE_PREFIX):] for k in plan.requirement_keys
              if k.startswith(training_rules.PRACTICE_PREFIX)]
    out = []
    for group in groups:
        found = _assignment_for(db_session, user.id, group)
        if found is None:
            choices = sorted(library.cases_for_group(group), key=lambda c: c["id"])
            if not choices:
                continue
            case = choices[user.id % len(choices)]
            found = Assignment(user_id=user.id, group=group, case_id=case["id"], case_hash=case_hash(case),
                               status="open", round=1, failed_attempts=0, created_at=now, updated_at=now)
            _fresh_segments(found, now)
            try:
                with db_session.begin_nested():
                    db_session.add(found)
            except IntegrityError:  # assigned by another request at the same moment
                found = _assignment_for(db_session, user.id, group)
                if found is None:
                    raise
            else:
                audit.record(db_session, action="practice.assigned", now=now, target=found, user_id=user.id,
                             group=group, case=case["id"])
        elif found.status == "refused" and _refused_before(db_session, found, plan.created_at):
            # A new plan (a new access request approved) after the Lead's refusal: a fresh round.
            _next_round(db_session, found, now=now, reset_segments=True)
            audit.record(db_session, action="practice.assigned", now=now, target=found, user_id=user.id,
                         group=group, case=found.case_id, round=found.round)
        out.append(found)
    db_session.flush()
    return out


def _refused_before(db_session: Session, assignment: Assignment, moment: datetime) -> bool:
    from practice_cases.models import Decision

    last = db_session.execute(sa.select(sa.func.max(Decision.decided_at)).where(
        Decision.assignment_id == assignment.id, Decision.outcome == "refuse")).scalar()
    return last is not None and last < moment


def _next_round(db_session: Session, assignment: Assignment, *, now: datetime, reset_segments: bool) -> None:
    """Start the assignment's next round: attempts start over; every segment, or the unapproved ones, reopen."""
    assignment.round += 1
    assignment.failed_attempts = 0
    assignment.status = "open"
    assignment.completed_at = None
    assignment.updated_at = now
    if reset_segments:
        _fresh_segments(assignment, now)
    else:
        first = True
        for seg in assignment.segments:
            seg.attempts = 0
            if seg.status != "approved":
                seg.status, seg.updated_at = ("open" if first else "locked"), now
                first = False
    db_session.flush()


def _assignment_for(db_session: Session, user_id: int, group: str) -> Assignment | None:
    return db_session.execute(sa.select(Assignment).where(Assignment.user_id == user_id, Assignment.group == group)
                              .options(selectinload(Assignment.segments))).scalar_one_or_none()


def assignments_of(db_session: Session, user: User) -> list[Assignment]:
    """Return ``user``'s own assignments with their segments, in group order (the trainee's page)."""
    return list(db_session.execute(sa.select(Assignment).where(Assignment.user_id == user.id)
                                   .options(selectinload(Assignment.segments))
                                   .order_by(Assignment.created_at, Assignment.id)).scalars())


def submissions_of(db_session: Session, viewer: User, assignment_id: int) -> list[Submission]:
    """Return every submission of an assignment ``viewer`` may see, newest first, with comments."""
    a = access.get_assignment(db_session, viewer, assignment_id)
    return list(db_session.execute(sa.select(Submission).where(Submission.assignment_id == a.id)
                                   .options(selectinload(Submission.comments), selectinload(Submission.segment))
                                   .order_by(Submission.submitted_at.desc(), Submission.id.desc())).scalars())


# --- the trainee submits ---------------------------------------------------------------------------

_NOT_SUBMITTABLE = {
    "locked": "The {seg} segment is not open yet: it opens when the previous segment is approved.",
    "submitted": "The {seg} segment is already submitted and waiting for review.",
    "approved": "The {seg} segment is already approved.",
}


def submit(db_session: Session, sdb: Session, user: User, assignment_id: int, segment: str, *, now: datetime,
           ip: str | None = None) -> Submission:
    """Submit the open (or returned) ``segment`` of the trainee's own assignment for review.

    Freezes the sandbox workspace's records for the segment's stage and the automatic comparison,
    moves the segment to ``submitted`` and mails the helpdesk.  Refused (InvalidInput) for a locked,
    submitted or approved segment, or a blocked, refused or completed case; a second click finds
    the segment already submitted and records nothing more.
    """
    a = access.get_assignment(db_session, user, assignment_id)
    if a.user_id != user.id:
        raise NotFound("There is no such practice case.")
    seg = access.segment_of(a, segment)
    if a.status != "open":
        raise InvalidInput({"blocked": "This practice case is blocked after too many returned attempts: "
                                       "the helpdesk will arrange one-on-one training.",
                            "refused": "The HMIS Lead has refused access; this case cannot be submitted.",
                            "completed": "This practice case is already complete."}[a.status])
    label = SEGMENT_LABELS[segment]
    if seg.status in _NOT_SUBMITTABLE:
        raise InvalidInput(_NOT_SUBMITTABLE[seg.status].format(seg=label))
    ws = sandbox.workspace_for_user(sdb, user.id, now=now, create=False)
    if ws is None:
        raise InvalidInput("Your sandbox workspace is empty: open the sandbox and enter the intake forms first.")
    snapshot, comparison = freeze(sdb, ws.id, case_of(a), segment)
    seen = seg.attempts
    moved = db_session.execute(
        sa.update(Segment).where(Segment.id == seg.id, Segment.status.in_(("open", "returned")),
                                 Segment.attempts == seen)
        .values(status="submitted", attempts=Segment.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:  # another click or tab submitted it first
        db_session.refresh(seg)
        raise InvalidInput(_NOT_SUBMITTABLE.get(seg.status, _NOT_SUBMITTABLE["submitted"]).format(seg=label))
    db_session.refresh(seg)
    sub = Submission(segment_id=seg.id, assignment_id=a.id, round=a.round, attempt=seen + 1, submitted_at=now,
                     snapshot=snapshot, comparison=comparison)
    db_session.add(sub)
    db_session.flush()
    audit.record(db_session, action="practice.submitted", now=now, actor=user, target=sub, ip=ip,
                 assignment_id=a.id, segment=segment, attempt=sub.attempt, differences=len(comparison))
    body = (f"{user.full_name} submitted the {label} segment of the practice case {a.case_id} "
            f"(attempt {sub.attempt}). The automatic comparison found {len(comparison)} difference(s).\n\n"
            "Open the practice case review queue to review it.\n")
    for address in access.helpdesk_addresses(db_session):
        queue_mail(db_session, to=address, subject=f"Practice case to review: {label}, {user.full_name}",
                   body=body, now=now)
    return sub


# --- reviewers -------------------------------------------------------------------------------------

def _pending(db_session: Session, reviewer: User, submission_id: int) -> Submission:
    sub = access.get_submission(db_session, reviewer, submission_id)
    access.check_review(reviewer, sub.assignment.user)
    if sub.outcome is not None:
        raise InvalidInput(f"This submission was already {sub.outcome}.")
    return sub


def assign_reviewer(db_session: Session, actor: User, submission_id: int, reviewer_id: int, *, now: datetime,
                    ip: str | None = None) -> Submission:
    """Give an undecided submission to ``reviewer_id`` (who must be able to review it; not the trainee)."""
    sub = _pending(db_session, actor, submission_id)
    reviewer = db_session.get(User, reviewer_id)
    if reviewer is None or not access.may_review(reviewer, sub.assignment.user):
        raise InvalidInput("Choose a reviewer who may review this person's case (never the trainee themself).",
                           field="reviewer_id")
    sub.reviewer_id, sub.assigned_at = reviewer.id, now
    db_session.flush()
    audit.record(db_session, action="practice.reviewer_assigned", now=now, actor=actor, target=sub, ip=ip,
                 reviewer_id=reviewer.id)
    return sub


def comment(db_session: Session, reviewer: User, submission_id: int, *, text: str = "", field: str = "",
            snippet_id: int | None = None, now: datetime, ip: str | None = None) -> ReviewComment:
    """Add a comment on ``field`` (``File.Column`` as in the comparison, or "" overall) of an undecided submission.

    ``snippet_id``: a feedback snippet's text is used (``text``, if given, is added after it).
    """
    sub = _pending(db_session, reviewer, submission_id)
    field = (field or "").strip()
    if len(field) > 120:
        raise InvalidInput("Name the field in at most 120 characters.", field="field")
    body = (text or "").strip()
    snippet = None
    if snippet_id is not None:
        snippet = db_session.get(FeedbackSnippet, snippet_id)
        if snippet is None or snippet.retired_at is not None:
            raise InvalidInput("Choose a feedback snippet from the list.", field="snippet_id")
        body = f"{snippet.text}\n\n{body}".strip()
    if not body:
        raise InvalidInput("Write the comment (or choose a feedback snippet).", field="text")
    if len(body) > MAX_COMMENT:
        raise InvalidInput(f"Keep the comment to {MAX_COMMENT} characters.", field="text")
    c = ReviewComment(submission_id=sub.id, field=field, text=body, snippet_id=getattr(snippet, "id", None),
                      author_id=reviewer.id, created_at=now)
    sub.comments.append(c)
    db_session.flush()
    audit.record(db_session, action="practice.commented", now=now, actor=reviewer, target=sub, ip=ip,
                 field=field or "overall", snippet_id=c.snippet_id)
    return c


def _decide(db_session: Session, sub: Submission, outcome: str, reviewer: User, now: datetime) -> None:
    done = db_session.execute(
        sa.update(Submission).where(Submission.id == sub.id, Submission.outcome.is_(None))
        .values(outcome=outcome, decided_at=now, decided_by_id=reviewer.id)
        .execution_options(synchronize_session=False)).rowcount
    moved = done and db_session.execute(
        sa.update(Segment).where(Segment.id == sub.segment_id, Segment.status == "submitted")
        .values(status=outcome, updated_at=now).execution_options(synchronize_session=False)).rowcount
    if done != 1 or moved != 1:
        raise InvalidInput("This submission was already decided by someone else; reload the page.")
    db_session.refresh(sub)
    db_session.refresh(sub.segment)


def _tell_trainee(db_session: Session, sub: Submission, subject: str, text: str, now: datetime) -> None:
    queue_mail(db_session, to=sub.assignment.user.email, subject=subject, body=text + "\n", now=now)


def approve(db_session: Session, reviewer: User, submission_id: int, *, now: datetime,
            ip: str | None = None) -> Submission:
    """Approve an undecided submission: the next segment opens; after the exit, the case is complete.

    A complete case writes ``practice:<group>`` evidence for the trainee.
    """
    sub = _pending(db_session, reviewer, submission_id)
    a = sub.assignment
    if a.status != "open":
        raise InvalidInput("This practice case is not open for review.")
    _decide(db_session, sub, "approved", reviewer, now)
    audit.record(db_session, action="practice.approved", now=now, actor=reviewer, target=sub, ip=ip,
                 assignment_id=a.id, segment=sub.segment.segment, attempt=sub.attempt)
    later = [s for s in a.segments if s.position > sub.segment.position]
    label = SEGMENT_LABELS[sub.segment.segment]
    if later:
        nxt = later[0]
        nxt.status, nxt.updated_at = "open", now
        a.updated_at = now
        db_session.flush()
        _tell_trainee(db_session, sub, f"Practice case: {label} approved",
                      f"Your {label} segment was approved. The {SEGMENT_LABELS[nxt.segment]} segment is now open.", now)
        return sub
    completed = db_session.execute(
        sa.update(Assignment).where(Assignment.id == a.id, Assignment.status == "open")
        .values(status="completed", completed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db_session.refresh(a)
    if completed == 1:
        training.record_evidence(db_session, a.user, training_rules.practice_key(a.group),
                                 fiscal_year=training_rules.fiscal_year_of(now), achieved_at=now,
                                 source=EVIDENCE_SOURCE, source_id=f"{a.id}-{a.round}", now=now)
        audit.record(db_session, action="practice.completed", now=now, actor=reviewer, target=a, ip=ip,
                     user_id=a.user_id, group=a.group, round=a.round)
        _tell_trainee(db_session, sub, "Practice case complete",
                      "All three segments of your practice case are approved: the practice requirement is met.", now)
    return sub


def return_submission(db_session: Session, reviewer: User, submission_id: int, *, now: datetime,
                      text: str = "", ip: str | None = None) -> Submission:
    """Return an undecided submission for corrections: a failed attempt.

    It needs feedback: a comment already added, or ``text`` (added as an overall comment).  At the
    attempt limit the assignment becomes ``blocked``.
    """
    sub = _pending(db_session, reviewer, submission_id)
    if (text or "").strip():
        comment(db_session, reviewer, sub.id, text=text, now=now, ip=ip)
    if not sub.comments:
        raise InvalidInput("Say what to correct: add at least one comment before returning the submission.",
                           field="text")
    a = sub.assignment
    _decide(db_session, sub, "returned", reviewer, now)
    db_session.execute(sa.update(Assignment).where(Assignment.id == a.id)
                       .values(failed_attempts=Assignment.failed_attempts + 1, updated_at=now)
                       .execution_options(synchronize_session=False))
    limit = attempt_limit(db_session)
    blocked = db_session.execute(
        sa.update(Assignment).where(Assignment.id == a.id, Assignment.status == "open",
                                    Assignment.failed_attempts >= limit)
        .values(status="blocked").execution_options(synchronize_session=False)).rowcount
    db_session.refresh(a)
    audit.record(db_session, action="practice.returned", now=now, actor=reviewer, target=sub, ip=ip,
                 assignment_id=a.id, segment=sub.segment.segment, attempt=sub.attempt,
                 failed_attempts=a.failed_attempts)
    label = SEGMENT_LABELS[sub.segment.segment]
    if blocked:
        audit.record(db_session, action="practice.blocked", now=now, actor=reviewer, target=a, ip=ip,
                     user_id=a.user_id, failed_attempts=a.failed_attempts, limit=limit)
        _tell_trainee(db_session, sub, "Practice case: one-on-one training next",
                      f"Your {label} segment was returned, and that was the last attempt. The helpdesk will "
                      "arrange one-on-one training with you before the HMIS Lead decides the next step.", now)
    else:
        _tell_trainee(db_session, sub, f"Practice case: {label} returned for corrections",
                      f"Your {label} segment was returned with feedback. Correct it in the sandbox and submit it "
                      f"again; {max(0, limit - a.failed_attempts)} attempt(s) remain.", now)
    return sub
