"""Violations and suspensions: record, review, remedy, panel decision, lift. Services flush, never commit."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from lms.accounts.models import AgencyMembership, User
from lms.accounts.sanctions import letters, rules
from lms.accounts.sanctions.models import Suspension, Violation
from lms.core import audit, signals
from lms.core.driver import PreparedRead, in_session
from lms.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lms.core.roles import Role
from lms.orgs.models import Agency

#: How far back a violation may have happened, and how far ahead is a typo.
MAX_YEARS_BACK = 10

audit.label_actions({
    "sanctions.violation_recorded": "Violation recorded; access suspended pending review",
    "sanctions.violation_confirmed": "Violation confirmed",
    "sanctions.violation_dismissed": "Violation dismissed; suspension lifted",
    "sanctions.remedy_recorded": "Remedy of a violation reported",
    "sanctions.panel_recorded": "Review panel decision recorded",
    "sanctions.suspension_lifted": "Suspension lifted (conditions met)",
    "sanctions.sign_in_refused": "Sign-in refused: access suspended",
})


def _coc_ids(actor: User) -> set[int]:
    return actor.coc_ids_for(Role.HMIS_MANAGER)


def _clean(text: str | None, what: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"Describe {what}.", field=field)
    if len(text) > 4000:
        raise InvalidInput(f"Keep {what} under 4,000 characters.", field=field)
    return text


def record_violation(db_session: Session, *, actor: User, user_id: int, agency_id: int, occurred_on: date | None,
                     description: str, broke_law: bool, now: datetime, today: date,
                     ip: str | None = None) -> Violation:
    """Record a violation and suspend the person at once, pending the HMIS Lead's review."""
    from lms.auth.services import end_all_sessions

    user, agency = db_session.get(User, user_id), db_session.get(Agency, agency_id)
    if user is None or agency is None:
        raise NotFound("That person or agency does not exist.")
    was_member = db_session.execute(sa.select(AgencyMembership.id).where(
        AgencyMembership.user_id == user.id, AgencyMembership.agency_id == agency.id).limit(1)).first() is not None
    reasons = rules.record_refusals(actor_roles=actor.roles, actor_coc_ids=_coc_ids(actor), agency_coc_id=agency.coc_id,
                                    target_roles=user.roles, on_self=actor.id == user.id, was_member=was_member)
    if reasons:
        error = PermissionDenied if not rules.in_scope(actor.roles, _coc_ids(actor), agency.coc_id) else InvalidInput
        raise error(reasons[0], reasons=reasons)
    if occurred_on is None:
        raise InvalidInput("Enter the day the violation happened.", field="occurred_on")
    if occurred_on > today:
        raise InvalidInput("The violation cannot have happened in the future.", field="occurred_on")
    if occurred_on < today - timedelta(days=366 * MAX_YEARS_BACK):
        raise InvalidInput(f"The date is more than {MAX_YEARS_BACK} years ago. Check the year.", field="occurred_on")
    violation = Violation(user_id=user.id, agency_id=agency.id, occurred_on=occurred_on,
                          description=_clean(description, "what happened", "description"), broke_law=bool(broke_law),
                          recorded_at=now, recorded_by_id=actor.id, status=rules.Status.PENDING.value)
    db_session.add(violation)
    db_session.flush()
    suspension = Suspension(user_id=user.id, violation_id=violation.id, started_at=now)
    db_session.add(suspension)
    db_session.flush()
    ended = end_all_sessions(db_session, user, reason="suspended", now=now)
    audit.record(db_session, action="sanctions.violation_recorded", now=now, actor=actor, target=user, ip=ip,
                 violation=violation.id, agency_id=agency.id, broke_law=bool(broke_law), ended_sessions=ended)
    letters.notify(db_session, violation, "recorded", now=now)
    signals.user_suspended.send(db_session, user=user, suspension=suspension, now=now)
    return violation


def _load(db_session: Session, violation_id: int, *, for_update: bool = False) -> Violation:
    q = sa.select(Violation).where(Violation.id == violation_id)
    if for_update:
        q = q.with_for_update()
    v = db_session.execute(q).scalar_one_or_none()
    if v is None:
        raise NotFound("That violation does not exist.")
    return v


def confirmed_count(db_session: Session, user_id: int, *, excluding: int | None = None) -> int:
    """Count a person's confirmed violations ever, at every agency."""
    q = sa.select(sa.func.count()).select_from(Violation).where(
        Violation.user_id == user_id, Violation.status == rules.Status.CONFIRMED.value)
    if excluding is not None:
        q = q.where(Violation.id != excluding)
    return db_session.execute(q).scalar_one()


def review(db_session: Session, violation: Violation, *, actor: User, confirm: bool, note: str, now: datetime,
           ip: str | None = None) -> Violation:
    """The HMIS Lead confirms the violation (setting its tier) or dismisses it (lifting the suspension)."""
    if Role.LEAD_ADMIN not in actor.roles:
        raise PermissionDenied("Only an HMIS lead administrator reviews violations.")
    if actor.id == violation.user_id:
        raise PermissionDenied("You cannot review a violation of your own.")
    note = _clean(note, "the outcome of the review", "note")
    claimed = db_session.execute(
        sa.update(Violation).where(Violation.id == violation.id, Violation.status == rules.Status.PENDING.value)
        .values(status=(rules.Status.CONFIRMED if confirm else rules.Status.DISMISSED).value, reviewed_at=now,
                reviewed_by_id=actor.id, review_note=note,
                tier=rules.tier_for(confirmed_count(db_session, violation.user_id), broke_law=violation.broke_law)
                if confirm else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise Conflict("This violation has already been reviewed.")
    db_session.refresh(violation)
    if confirm:
        audit.record(db_session, action="sanctions.violation_confirmed", now=now, actor=actor,
                     target=violation.user, ip=ip, violation=violation.id, tier=violation.tier)
        letters.notify(db_session, violation, "confirmed", now=now)
        lift_if_met(db_session, violation.suspension, now=now)
    else:
        _lift(db_session, violation.suspension, now=now, actor=actor, reason="dismissed")
        audit.record(db_session, action="sanctions.violation_dismissed", now=now, actor=actor,
                     target=violation.user, ip=ip, violation=violation.id)
        letters.notify(db_session, violation, "dismissed", now=now)
    return violation


def record_remedy(db_session: Session, violation: Violation, *, actor: User, remedy: str, now: datetime,
                  ip: str | None = None) -> None:
    """Record what the agency reported doing to remedy a confirmed violation; lift if that was the last wait."""
    reasons = rules.remedy_refusals(
        actor_roles=actor.roles, actor_coc_ids=_coc_ids(actor), actor_rep_agency_ids=actor.agency_ids_for(Role.AGENCY_REP),
        agency_id=violation.agency_id, agency_coc_id=violation.agency.coc_id, status=violation.status_enum,
        remedied=violation.remedied_at is not None)
    if reasons:
        raise (PermissionDenied if reasons[0].startswith("Only") else Conflict)(reasons[0], reasons=reasons)
    remedy = _clean(remedy, "the action the agency took", "remedy")
    claimed = db_session.execute(
        sa.update(Violation).where(Violation.id == violation.id, Violation.remedied_at.is_(None))
        .values(remedy=remedy, remedied_at=now, remedied_by_id=actor.id).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise Conflict("The remedy has already been reported.")
    db_session.refresh(violation)
    audit.record(db_session, action="sanctions.remedy_recorded", now=now, actor=actor, target=violation.user, ip=ip,
                 violation=violation.id)
    lift_if_met(db_session, violation.suspension, now=now)


def record_panel(db_session: Session, violation: Violation, *, actor: User, decision: str, note: str, now: datetime,
                 ip: str | None = None) -> None:
    """Record the review panel's decision on a violation of the 3rd tier or later."""
    if Role.LEAD_ADMIN not in actor.roles:
        raise PermissionDenied("Only an HMIS lead administrator records the review panel's decision.")
    try:
        decision = rules.Panel(decision).value
    except ValueError:
        raise InvalidInput("Choose the panel's decision.", field="decision") from None
    if violation.status_enum is not rules.Status.CONFIRMED or not violation.conditions.needs_panel:
        raise Conflict("A review panel decides only on a confirmed violation of the 3rd tier or later.")
    note = _clean(note, "the panel's decision", "note")
    claimed = db_session.execute(
        sa.update(Violation).where(Violation.id == violation.id, Violation.panel_decision.is_(None))
        .values(panel_decision=decision, panel_note=note, panel_decided_at=now, panel_recorded_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise Conflict("The panel's decision has already been recorded.")
    db_session.refresh(violation)
    audit.record(db_session, action="sanctions.panel_recorded", now=now, actor=actor, target=violation.user, ip=ip,
                 violation=violation.id, decision=decision)
    letters.notify(db_session, violation, "panel", now=now)
    lift_if_met(db_session, violation.suspension, now=now)


def _lift(db_session: Session, suspension: Suspension, *, now: datetime, actor: User | None, reason: str) -> bool:
    lifted = db_session.execute(
        sa.update(Suspension).where(Suspension.id == suspension.id, Suspension.lifted_at.is_(None))
        .values(lifted_at=now, lifted_by_id=getattr(actor, "id", None), lift_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if lifted:
        db_session.refresh(suspension)
        signals.suspension_lifted.send(db_session, user=suspension.user, suspension=suspension, now=now)
    return bool(lifted)


def lift_if_met(db_session: Session, suspension: Suspension, *, now: datetime) -> bool:
    """Lift a suspension whose conditions are all met (once); return whether it was lifted now."""
    if not rules.may_lift(suspension.facts(), now).allowed:
        return False
    if not _lift(db_session, suspension, now=now, actor=None, reason="conditions_met"):
        return False
    audit.record(db_session, action="sanctions.suspension_lifted", now=now, target=suspension.user,
                 violation=suspension.violation_id)
    letters.notify(db_session, suspension.violation, "lifted", now=now)
    return True


def lift_due(db_session: Session, *, now: datetime) -> int:
    """Lift every confirmed suspension whose conditions are met (the scheduled job; safe to repeat)."""
    live = db_session.execute(
        sa.select(Suspension).join(Violation).where(Suspension.lifted_at.is_(None),
                                                    Violation.status == rules.Status.CONFIRMED.value)
        .options(joinedload(Suspension.violation)).order_by(Suspension.id)
    ).scalars().all()
    return sum(lift_if_met(db_session, s, now=now) for s in live)


@functools.cache
def _live() -> sa.Select:
    """Built once, at first use (every sign-in asks): a statement object keeps its cache key."""
    return (sa.select(Suspension).where(Suspension.user_id == sa.bindparam("user_id"), Suspension.lifted_at.is_(None))
            .options(joinedload(Suspension.violation)).order_by(Suspension.id))


def live_suspensions(db_session: Session, user_id: int) -> list[Suspension]:
    return list(db_session.execute(_live(), {"user_id": user_id}).scalars())


def is_suspended(db_session: Session, user: User, now: datetime) -> bool:
    """Tell whether ``user`` is suspended at ``now`` (for eligibility: credentials, recertification)."""
    return bool(live_suspensions(db_session, user.id))


#: This package's name in ``signals.sign_in_flags``: whether the person signing in has a live suspension.
SIGN_IN_FLAG = "sanctions.suspended"
#: The same question asked apart, where the sign-in did not read the flag (on the driver: :func:`in_session`).
_ANY_LIVE = PreparedRead(sa.select(Suspension.id).where(Suspension.user_id == sa.bindparam("user_id"),
                                                        Suspension.lifted_at.is_(None)).limit(1))


def suspended_flag(user_id: Any) -> sa.ColumnElement[bool]:
    """``signals.sign_in_flags`` entry: EXISTS a live suspension of the person whose id is ``user_id``."""
    return sa.exists().where(Suspension.user_id == user_id, Suspension.lifted_at.is_(None))


def refuse_sign_in(db_session: Session, *, user: User, now: datetime, ip: str | None = None,
                   flags: Mapping[str, bool] | None = None, **_: object) -> str | None:
    """Receiver of ``signals.sign_in_check``: tell a suspended person why they cannot sign in."""
    if not signals.sign_in_flag(flags, SIGN_IN_FLAG,
                                lambda: in_session(db_session).one_or_none(_ANY_LIVE, user_id=user.id) is not None):
        return None
    live = live_suspensions(db_session, user.id)
    if not live:
        return None
    audit.record(db_session, action="sanctions.sign_in_refused", now=now, actor=user, target=user, ip=ip)
    # The hardest to lift speaks: a pending review or termination says more than a remedy to come.
    worst = max(live, key=lambda s: (s.violation.panel_decision == rules.Panel.TERMINATE.value, s.violation.tier or 0))
    return rules.sign_in_message(worst.facts(), now)


def get_violation(db_session: Session, violation_id: int, viewer: User) -> Violation:
    """Load a violation the viewer may read (staff in scope, or the agency's representative), else NotFound."""
    v = db_session.get(Violation, violation_id)
    if v is None or not (rules.in_scope(viewer.roles, _coc_ids(viewer), v.agency.coc_id)
                         or v.agency_id in viewer.agency_ids_for(Role.AGENCY_REP)):
        raise NotFound("That violation does not exist, or it is not yours to see.")
    return v


def credential_facts(db_session: Session, *, users: list[User], now: datetime, **_: object) -> dict:
    """Receiver of ``lms.credentials.signals.suspension_facts``: whether each person is suspended now, and
    what lifting it waits for (one query for the whole list)."""
    from lms.credentials.rules import Answer

    ids = [u.id for u in users]
    if not ids:
        return {}
    live: dict[int, list[Suspension]] = {}
    for s in db_session.execute(
            sa.select(Suspension).where(Suspension.user_id.in_(ids), Suspension.lifted_at.is_(None))
            .options(joinedload(Suspension.violation)).order_by(Suspension.id)).scalars():
        live.setdefault(s.user_id, []).append(s)
    out = {}
    for user_id in ids:
        if user_id not in live:
            out[user_id] = Answer(False)
            continue
        worst = max(live[user_id], key=lambda s: (s.violation.panel_decision == rules.Panel.TERMINATE.value,
                                                  s.violation.tier or 0))
        waits = [w.rstrip(".") for w in rules.may_lift(worst.facts(), now).reasons]
        out[user_id] = Answer(True, detail="; ".join(waits))
    return out
