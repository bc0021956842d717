"""Suspend the overdue after the due date, lift on completion, and answer what other packages ask about it.

Flush, never commit.  Every step is idempotent: a suspension per person per cycle (unique), and a lift is a
conditional UPDATE.  Split from :mod:`lms.recert.services.cycles` (cycles, standings, reminders, history),
whose standings decide who is suspended and who is lifted.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.core import audit, signals
from lms.core.driver import PreparedRead, in_session
from lms.core.mail import queue_mail
from lms.recert import rules
from lms.recert.models import RecertCycle, RecertSuspension
from lms.recert.services.cycles import _Year, current_fiscal_year, get_cycle, in_scope, local_today, standings

#: The ``lift_reason`` of a suspension lifted because the person completed the cycle.
COMPLETED = "completed"


# --- suspension and lifting ----------------------------------------------------------------------

def enforce(db_session: Session, cycle: RecertCycle, *, now: datetime, base_url: str = "") -> int:
    """From the day after the due date: suspend every person in scope still missing recertification."""
    from lms.auth.services import end_all_sessions

    if local_today(db_session, now) <= cycle.due_on:
        return 0
    if cycle.enforced_at is None:
        cycle.enforced_at = now
    held = set(db_session.execute(sa.select(RecertSuspension.user_id)
                                  .where(RecertSuspension.cycle_id == cycle.id)).scalars())
    count = 0
    for ps in standings(db_session, cycle, in_scope(db_session), now=now):
        if ps.exempt or ps.standing.complete or ps.user.id in held:
            continue
        suspension = RecertSuspension(cycle_id=cycle.id, user_id=ps.user.id, started_at=now)
        try:
            with db_session.begin_nested():
                db_session.add(suspension)
        except IntegrityError:
            continue
        ended = end_all_sessions(db_session, ps.user, reason="suspended", now=now)
        missing = ps.standing.missing_labels()
        audit.record(db_session, action="recert.suspended", now=now, target=ps.user, fiscal_year=cycle.fiscal_year,
                     missing=", ".join(missing), ended_sessions=ended)
        link = f"{base_url.rstrip('/')}/training/" if base_url else "the training site"
        queue_mail(db_session, to=ps.user.email, now=now,
                   subject=f"HMIS access suspended: recertification for fiscal year {cycle.fiscal_year} not completed",
                   body=rules.sign_in_message(cycle.fiscal_year, cycle.due_on, missing)
                   + "\n\nStill to do:\n" + "\n".join(f"  - {m}" for m in missing) + f"\n\nSee {link}.\n")
        signals.user_suspended.send(db_session, user=ps.user, suspension=suspension, now=now)
        count += 1
    db_session.flush()
    return count


@functools.cache
def _live() -> sa.Select:
    """Built once, at first use (the home page and every sign-in ask): a statement object keeps its cache key."""
    return (sa.select(RecertSuspension)
            .where(RecertSuspension.user_id.in_(sa.bindparam("user_ids", expanding=True)),
                   RecertSuspension.lifted_at.is_(None))
            .options(selectinload(RecertSuspension.cycle)).order_by(RecertSuspension.id))


def live_suspensions(db_session: Session, user_ids: list[int]) -> list[RecertSuspension]:
    if not user_ids:
        return []
    return list(db_session.execute(_live(), {"user_ids": list(user_ids)}).scalars())


def _lift(db_session: Session, suspension: RecertSuspension, *, now: datetime) -> bool:
    lifted = db_session.execute(
        sa.update(RecertSuspension).where(RecertSuspension.id == suspension.id, RecertSuspension.lifted_at.is_(None))
        .values(lifted_at=now, lift_reason=COMPLETED).execution_options(synchronize_session=False)).rowcount
    if not lifted:
        return False
    db_session.refresh(suspension)
    user = db_session.get(User, suspension.user_id)
    audit.record(db_session, action="recert.suspension_lifted", now=now, target=user,
                 fiscal_year=suspension.cycle.fiscal_year)
    queue_mail(db_session, to=user.email, now=now,
               subject=f"HMIS recertification for fiscal year {suspension.cycle.fiscal_year} complete",
               body="Thank you: your annual recertification is complete, and the suspension it caused is lifted.\n"
                    "(If another suspension holds your access, the HMIS Lead tells you separately.)\n")
    signals.suspension_lifted.send(db_session, user=user, suspension=suspension, now=now)
    return True


def lift_completed(db_session: Session, *, now: datetime, user_ids: list[int] | None = None) -> int:
    """Lift every recertification suspension whose person has completed that cycle (safe to repeat).

    Only recertification suspensions: a suspension for a violation stays as it is.
    """
    if user_ids is None:
        user_ids = list(db_session.execute(sa.select(RecertSuspension.user_id).where(
            RecertSuspension.lifted_at.is_(None)).distinct()).scalars())
    live = live_suspensions(db_session, user_ids)
    if not live:
        return 0
    users = {u.id: u for u in db_session.execute(sa.select(User).where(
        User.id.in_({s.user_id for s in live}))).scalars()}
    current = current_fiscal_year(db_session, now)
    later = get_cycle(db_session, current) or _Year(current, 0)
    lifted = 0
    for s in live:
        user = users[s.user_id]
        done = standings(db_session, s.cycle, [user], now=now)[0].standing.complete
        if not done and current > s.cycle.fiscal_year:
            # That year is over and its evidence can no longer be made: this year's recertification counts.
            done = standings(db_session, later, [user], now=now)[0].standing.complete
        if done and _lift(db_session, s, now=now):
            lifted += 1
    return lifted


# --- what other packages ask --------------------------------------------------------------------------

#: This package's name in ``signals.sign_in_flags``: whether the person signing in has a live recertification
#: suspension.
SIGN_IN_FLAG = "recert.suspended"
#: The same question asked apart, where the sign-in did not read the flag (on the driver:
#: :func:`lms.core.driver.in_session`).
_ANY_LIVE = PreparedRead(sa.select(RecertSuspension.id).where(RecertSuspension.user_id == sa.bindparam("user_id"),
                                                              RecertSuspension.lifted_at.is_(None)).limit(1))


def suspended_flag(user_id: Any) -> sa.ColumnElement[bool]:
    """``signals.sign_in_flags`` entry: EXISTS a live recertification suspension of the person ``user_id``."""
    return sa.exists().where(RecertSuspension.user_id == user_id, RecertSuspension.lifted_at.is_(None))


def lift_at_sign_in(db_session: Session, *, user: User, now: datetime, flags: Mapping[str, bool] | None = None,
                    **_: object) -> None:
    """Receiver of ``signals.sign_in_check``: lift a suspension whose year is already completed.

    It never refuses the sign-in: the suspension is of the person's live HMIS access, and the training
    that lifts it is done here (they are told why on their home page and checklist, see :func:`notice_for`).
    """
    if signals.sign_in_flag(flags, SIGN_IN_FLAG,
                            lambda: in_session(db_session).one_or_none(_ANY_LIVE, user_id=user.id) is not None):
        lift_completed(db_session, now=now, user_ids=[user.id])
    return None


def live_in_history(years: Iterable[Any]) -> list[RecertSuspension]:
    """The live suspensions among a person's :func:`~lms.recert.services.cycles.history` (which holds every
    suspension of theirs), oldest first, as :func:`live_suspensions` gives them."""
    return sorted((y.suspension for y in years if y.suspension is not None and y.suspension.lifted_at is None),
                  key=lambda s: s.id)


def notice_for(db_session: Session, user: User, *, now: datetime,
               live: list[RecertSuspension] | None = None) -> str | None:
    """Return why ``user``'s HMIS access is suspended for recertification, in words, or None.

    ``live``: the person's live suspensions when the caller has them already (:func:`live_in_history`)."""
    live = live_suspensions(db_session, [user.id]) if live is None else live
    if not live:
        return None
    s = live[-1]
    ps = standings(db_session, s.cycle, [user], now=now)[0]
    return rules.sign_in_message(s.cycle.fiscal_year, s.cycle.due_on, ps.standing.missing_labels())


def credential_facts(db_session: Session, *, users: list[User], now: datetime, **_: object) -> dict:
    """Receiver of ``lms.credentials.signals.suspension_facts``: suspended for recertification now?"""
    from lms.credentials.rules import Answer

    live: dict[int, RecertSuspension] = {}
    for s in live_suspensions(db_session, [u.id for u in users]):
        live.setdefault(s.user_id, s)
    out = {}
    for u in users:
        s = live.get(u.id)
        out[u.id] = (Answer(True, detail=f"until the annual recertification for fiscal year "
                                         f"{s.cycle.fiscal_year} is completed") if s else Answer(False))
    return out
