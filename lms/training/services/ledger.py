"""Record evidence in the ledger and make training plans. Flush, never commit.

The agreement (UPRA) is in :mod:`lms.training.services.upra`, and the checklist built from plans, evidence and
the agreement in :mod:`lms.training.services.checklist`; both build on this module, never the reverse.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from lms.accounts.models import User
from lms.core import audit, signals
from lms.core.errors import InvalidInput
from lms.core.roles import Role
from lms.training import rules
from lms.training.models import Evidence, PlanRequirement, TrainingPlan


audit.label_actions({
    "training.plan_started": "Training plan started",
    "training.plan_extended": "Training plan given more requirements",
    "training.upra_published": "User agreement version published",
    "training.upra_signed": "User agreement signed",
})


# --- the evidence ledger ---------------------------------------------------------------------

def record_evidence(db_session: Session, user: User, requirement: str, *, fiscal_year: int, achieved_at: datetime,
                    source: str, source_id: Any, now: datetime | None = None) -> Evidence:
    """Record that ``user`` met ``requirement``; the same source recorded again returns the first record."""
    if not rules.is_requirement_key(requirement):
        raise InvalidInput(f"There is no requirement called {requirement!r}.")
    if achieved_at.tzinfo is None:
        raise ValueError("achieved_at must be an aware datetime")
    source, source_id = str(source or "").strip(), str(source_id if source_id is not None else "").strip()
    if not source or not source_id or len(source) > 40 or len(source_id) > 64:
        raise InvalidInput("Evidence needs its source and the source's id.")

    def existing() -> Evidence | None:
        return db_session.execute(sa.select(Evidence).where(
            Evidence.user_id == user.id, Evidence.requirement == requirement, Evidence.source == source,
            Evidence.source_id == source_id)).scalar_one_or_none()

    found = existing()
    if found is not None:
        return found
    ev = Evidence(user_id=user.id, requirement=requirement, fiscal_year=fiscal_year, achieved_at=achieved_at,
                  source=source, source_id=source_id, recorded_at=now or achieved_at)
    try:
        with db_session.begin_nested():
            db_session.add(ev)
    except IntegrityError:  # another transaction recorded the same source first
        found = existing()
        if found is None:
            raise
        return found
    return ev


def evidence_for(db_session: Session, user: User, fiscal_year: int) -> list[Evidence]:
    """Return ``user``'s evidence of ``fiscal_year``, oldest first."""
    return list(db_session.execute(
        sa.select(Evidence).where(Evidence.user_id == user.id, Evidence.fiscal_year == fiscal_year)
        .order_by(Evidence.achieved_at, Evidence.id)).scalars())


# The two reads of every checklist (home page, "My training"), built once at first use (not at import:
# loader options need every model mapped): a statement object keeps its cache key, which SQLAlchemy would
# otherwise work out again from a new one on every call.
@functools.cache
def _all_evidence() -> sa.Select:
    return sa.select(Evidence).where(Evidence.user_id == sa.bindparam("user_id")).order_by(Evidence.achieved_at,
                                                                                          Evidence.id)


@functools.cache
def _current_plan() -> sa.Select:
    """With its requirements joined: one statement (a selectin load would be a second, built anew each call)."""
    return (sa.select(TrainingPlan).where(TrainingPlan.user_id == sa.bindparam("user_id"))
            .order_by(TrainingPlan.created_at.desc(), TrainingPlan.id.desc()).limit(1)
            .options(joinedload(TrainingPlan.requirements)))


def all_evidence(db_session: Session, user: User) -> list[Evidence]:
    """Return every piece of ``user``'s evidence, oldest first (one-time requirements count across years)."""
    return list(db_session.execute(_all_evidence(), {"user_id": user.id}).scalars())


# --- training plans --------------------------------------------------------------------------

def start_plan(db_session: Session, user: User, *, practice_groups: Iterable[str], now: datetime,
               repeat: bool = False, actor: Any = None, ip: str | None = None,
               reason: str = "User access request approved") -> TrainingPlan:
    """Give ``user`` a new-user training plan: the UPRA, the three courses and a practice case per group.

    ``repeat`` (a person who had access before, or whom the HMIS Lead sends back
    to training): evidence achieved before ``now`` no longer counts for the plan.
    """
    try:
        keys = rules.new_user_requirements(practice_groups)
    except ValueError as exc:
        raise InvalidInput(f"Choose known kinds of project for the practice cases ({exc}).") from None
    plan = TrainingPlan(user_id=user.id, created_at=now, created_by_id=getattr(actor, "id", None),
                        evidence_not_before=now if repeat else None, reason=reason[:200])
    plan.requirements = [PlanRequirement(requirement=key, position=i) for i, key in enumerate(keys)]
    db_session.add(plan)
    db_session.flush()
    audit.record(db_session, action="training.plan_started", now=now, actor=actor, target=plan, ip=ip,
                 user_id=user.id, requirements=" ".join(keys), repeat=repeat)
    signals.training_plan_changed.send(db_session, user=user, plan=plan, now=now)
    return plan


def plan_demo_trainees(db_session: Session, *, now: datetime) -> int:
    """Give each demo end user without a plan one for their agencies' kinds of project; return how many."""
    from lms.demo import demo_users

    made = 0
    for user in demo_users(db_session):
        if Role.END_USER not in user.roles or current_plan(db_session, user) is not None:
            continue
        types = [p.project_type for m in user.active_memberships for p in m.agency.projects if p.is_active]
        start_plan(db_session, user, practice_groups=rules.practice_groups_for(types), now=now,
                   reason="Demo trainee")
        made += 1
    return made


def current_plan(db_session: Session, user: User) -> TrainingPlan | None:
    """Return ``user``'s latest training plan, or None."""
    return db_session.execute(_current_plan(), {"user_id": user.id}).unique().scalar_one_or_none()


def add_practice_cases(db_session: Session, user: User, practice_groups: Iterable[str], *, now: datetime,
                       actor: Any = None, ip: str | None = None, reason: str = "Projects added") -> TrainingPlan:
    """Add a practice case per group to ``user``'s current plan (a new plan when they have none); idempotent."""
    groups = list(dict.fromkeys(practice_groups))
    unknown = [g for g in groups if g not in rules.PRACTICE_GROUPS]
    if unknown:
        raise InvalidInput(f"Choose known kinds of project for the practice cases (unknown: {', '.join(unknown)}).")
    plan = current_plan(db_session, user)
    if plan is None:
        return start_plan(db_session, user, practice_groups=groups, now=now, actor=actor, ip=ip, reason=reason)
    have = set(plan.requirement_keys)
    added = [rules.practice_key(g) for g in groups if rules.practice_key(g) not in have]
    position = max((r.position for r in plan.requirements), default=-1) + 1
    for i, key in enumerate(added):
        plan.requirements.append(PlanRequirement(requirement=key, position=position + i))
    db_session.flush()
    if added:
        audit.record(db_session, action="training.plan_extended", now=now, actor=actor, target=plan, ip=ip,
                     user_id=user.id, requirements=" ".join(added), reason=reason[:200])
        signals.training_plan_changed.send(db_session, user=user, plan=plan, now=now)
    return plan
