"""A blocked case: staff record one-on-one training, then the HMIS lead administrator decides.

- ``retry``: the next round; attempts start over and the returned segment reopens (approved ones stay).
- ``repeat_training``: a new training plan that repeats the series (``start_plan(repeat=True)``:
  evidence achieved before it no longer counts, none is deleted), and each of the person's cases
  starts over from the entry segment.
- ``refuse``: the case becomes ``refused``; the credentials package is told the person is refused
  (:func:`refusal_facts`) until an access request is approved after the refusal.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.core import audit
from lms.core.errors import InvalidInput, PermissionDenied
from lms.core.roles import Role
from lms.training import services as training
from practice_cases.models import DECISIONS, Assignment, Decision, OneOnOneTraining
from practice_cases.services import access
from practice_cases.services.workflow import _next_round, assignments_of

DECISION_LABELS = {"retry": "Try the case again", "repeat_training": "Repeat the new-user training",
                   "refuse": "Refuse HMIS access"}

audit.label_actions({
    "practice.one_on_one": "One-on-one practice case training recorded",
    "practice.decided": "HMIS Lead decided on a blocked practice case",
})


def _blocked(db_session: Session, actor: User, assignment_id: int) -> Assignment:
    a = access.get_assignment(db_session, actor, assignment_id)
    if a.user_id == actor.id:
        raise PermissionDenied("You cannot act on your own practice case.")
    if a.status != "blocked":
        raise InvalidInput("This practice case is not blocked: one-on-one training and a decision come only "
                           "after the attempt limit.")
    return a


def one_on_ones(db_session: Session, assignment: Assignment) -> list[OneOnOneTraining]:
    """Return the one-on-one trainings of ``assignment``'s current round, oldest first."""
    return list(db_session.execute(sa.select(OneOnOneTraining).where(
        OneOnOneTraining.assignment_id == assignment.id, OneOnOneTraining.round == assignment.round)
        .order_by(OneOnOneTraining.held_at, OneOnOneTraining.id)).scalars())


def record_one_on_one(db_session: Session, staff: User, assignment_id: int, *, held_at: datetime, trainer: str,
                      notes: str = "", now: datetime, ip: str | None = None) -> OneOnOneTraining:
    """Record one-on-one training given to the trainee of a blocked case (staff who may review it)."""
    a = _blocked(db_session, staff, assignment_id)
    access.check_review(staff, a.user)
    trainer, notes = (trainer or "").strip(), (notes or "").strip()
    if held_at is None or held_at.tzinfo is None:
        raise InvalidInput("Enter when the training took place.", field="held_at")
    if held_at > now:
        raise InvalidInput("Record training that has taken place: the time is in the future.", field="held_at")
    if not trainer or len(trainer) > 200:
        raise InvalidInput("Name who gave the training (at most 200 characters).", field="trainer")
    if len(notes) > 5000:
        raise InvalidInput("Keep the notes to 5000 characters.", field="notes")
    row = OneOnOneTraining(assignment_id=a.id, round=a.round, held_at=held_at, trainer=trainer, notes=notes,
                           recorded_by_id=staff.id, recorded_at=now)
    db_session.add(row)
    db_session.flush()
    audit.record(db_session, action="practice.one_on_one", now=now, actor=staff, target=a, ip=ip,
                 user_id=a.user_id, round=a.round, trainer=trainer)
    return row


def decide(db_session: Session, lead: User, assignment_id: int, *, outcome: str, reason: str = "", now: datetime,
           ip: str | None = None) -> Decision:
    """Record the HMIS lead administrator's decision on a blocked case (after one-on-one training).

    Refused: anyone but a lead administrator, the trainee themself, a case not blocked, no one-on-one
    training recorded for this round, a second decision (two clicks: one decision), an unknown outcome,
    a refusal without a reason.
    """
    if Role.LEAD_ADMIN not in lead.roles:
        raise PermissionDenied("Only the HMIS lead administrator decides what happens after the attempt limit.")
    if outcome not in DECISIONS:
        raise InvalidInput("Choose one of: try again, repeat the training, refuse access.", field="outcome")
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise InvalidInput("Keep the reason to 2000 characters.", field="reason")
    if outcome == "refuse" and not reason:
        raise InvalidInput("Give the reason for refusing access; it is shown wherever credentials are refused.",
                           field="reason")
    a = _blocked(db_session, lead, assignment_id)
    if not one_on_ones(db_session, a):
        raise InvalidInput("Record the one-on-one training first: the decision comes after it.")
    decision = Decision(assignment_id=a.id, round=a.round, outcome=outcome, reason=reason, decided_by_id=lead.id,
                        decided_at=now)
    try:
        with db_session.begin_nested():
            db_session.add(decision)
    except IntegrityError:
        raise InvalidInput("A decision on this case has already been recorded.") from None
    moved = db_session.execute(
        sa.update(Assignment).where(Assignment.id == a.id, Assignment.status == "blocked")
        .values(status="refused" if outcome == "refuse" else "blocked", updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise InvalidInput("A decision on this case has already been recorded.")
    db_session.refresh(a)
    audit.record(db_session, action="practice.decided", now=now, actor=lead, target=a, ip=ip, user_id=a.user_id,
                 outcome=outcome, round=decision.round, reason=reason[:200])
    if outcome == "retry":
        _next_round(db_session, a, now=now, reset_segments=False)
    elif outcome == "repeat_training":
        plan = training.current_plan(db_session, a.user)
        groups = [k.split(":", 1)[1] for k in (plan.requirement_keys if plan else []) if k.startswith("practice:")]
        training.start_plan(db_session, a.user, practice_groups=groups or [a.group], now=now, repeat=True,
                            actor=lead, ip=ip, reason="HMIS Lead: repeat the new-user training")
        for other in assignments_of(db_session, a.user):
            if other.status != "refused":
                _next_round(db_session, other, now=now, reset_segments=True)
    return decision


def decisions_of(db_session: Session, assignment: Assignment) -> list[Decision]:
    """Return every decision on ``assignment``, oldest first."""
    return list(db_session.execute(sa.select(Decision).where(Decision.assignment_id == assignment.id)
                                   .order_by(Decision.decided_at, Decision.id)).scalars())


# --- what other packages ask -------------------------------------------------------------------------

def refusal_facts(db_session: Session, *, users: list[User], now: datetime, **_: object) -> dict:
    """Answer the credentials package's ``refusal_facts`` (two queries for the whole list).

    A person is refused when the Lead refused one of their cases and no access request of theirs was
    approved after that refusal.
    """
    from lms.accounts.requests.models import AccessRequest
    from lms.credentials.rules import Answer

    ids = [u.id for u in users]
    if not ids:
        return {}
    refusals: dict[int, tuple[datetime, str]] = {}
    for user_id, at, reason in db_session.execute(
            sa.select(Assignment.user_id, Decision.decided_at, Decision.reason)
            .join(Assignment, Assignment.id == Decision.assignment_id)
            .where(Decision.outcome == "refuse", Assignment.user_id.in_(ids)).order_by(Decision.decided_at)):
        refusals[user_id] = (at, reason)
    approved: dict[int, datetime] = {}
    if refusals:
        approved = dict(db_session.execute(
            sa.select(AccessRequest.user_id, sa.func.max(AccessRequest.decided_at))
            .where(AccessRequest.user_id.in_(list(refusals)), AccessRequest.status == "approved")
            .group_by(AccessRequest.user_id)).all())
    out = {}
    for uid in ids:
        refusal = refusals.get(uid)
        later = approved.get(uid)
        if refusal is not None and (later is None or later <= refusal[0]):
            out[uid] = Answer(True, detail=f"after the practice case: {refusal[1]}" if refusal[1] else "")
        else:
            out[uid] = Answer(False)
    return out


def workspace_access(_sender: object, *, user_id: int, workspace_ref: str, **_: object) -> bool | None:
    """Answer ``sandbox_workspace_access``: a reviewer may read the workspace of a trainee whose case they review."""
    from flask import has_app_context

    from lms.core.db import get_db_session

    if not has_app_context() or not str(workspace_ref).startswith("user:"):
        return None
    try:
        trainee_id = int(str(workspace_ref)[len("user:"):])
    except ValueError:
        return None
    db_session = get_db_session()
    viewer, trainee = db_session.get(User, user_id), db_session.get(User, trainee_id)
    if viewer is None or trainee is None or not access.may_review(viewer, trainee):
        return None
    has_case = db_session.execute(sa.select(Assignment.id).where(Assignment.user_id == trainee_id).limit(1)).first()
    return True if has_case else None
