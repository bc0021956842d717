"""Sessions: open one at sign-in (ending the person's others), renew its id, end it, and tell whether it is
still live.  The state changes of :mod:`lms.auth.services.signin` and :mod:`lms.auth.services.password_changes`
that concern sessions only; services flush, never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.auth import rules
from lms.auth.models import UserSession
from lms.core import audit, settings
from lms.core.db import Database
from lms.core.driver import PreparedWrite, adopt, in_session


@dataclass
class SignIn:
    user: User
    session: UserSession
    #: The bearer token for the cookie; shown once, stored only as a hash.
    token: str


#: A new session's row, with its id back (RETURNING): every sign-in writes one.
_NEW_SESSION = PreparedWrite(
    sa.insert(UserSession).values({name: sa.bindparam(name) for name in (
        "token_hash", "user_id", "created_at", "last_seen_at", "mfa_passed", "ended_at", "end_reason", "ip",
        "user_agent")}).returning(UserSession.id))


def start_session(db_session: Session, user: User, *, now: datetime, ip: str | None,
                  user_agent: str | None, mfa_passed: bool) -> SignIn:
    """Open a new session for ``user`` and end every other one (one workstation at a time)."""
    superseded = end_all_sessions(db_session, user, reason="superseded", now=now)
    token = secrets.token_urlsafe(32)
    values = {"token_hash": rules.token_hash(token), "user_id": user.id, "created_at": now, "last_seen_at": now,
              "mfa_passed": mfa_passed, "ended_at": None, "end_reason": None, "ip": ip,
              "user_agent": (user_agent or "")[:255]}
    # Written on the driver (the ORM's unit of work costs several times the INSERT), then handed to the session
    # as if it had loaded the row: a later change (the second step passed, a new id) is an ordinary UPDATE.
    row = in_session(db_session).one_or_none(_NEW_SESSION, **values)
    us = adopt(db_session, UserSession(id=row.id, **values))
    if superseded:
        audit.record(db_session, action="auth.session_superseded", now=now, actor=user, target=user, ip=ip,
                     ended_sessions=superseded)
    return SignIn(user=user, session=us, token=token)


def renew_session(db_session: Session, us: UserSession) -> str:
    """Give a live session a new id (at each change of privilege); return the token for the cookie.

    The old token stops working at once: a cookie captured before the change is worthless.
    """
    token = secrets.token_urlsafe(32)
    us.token_hash = rules.token_hash(token)
    db_session.flush()
    return token


def end_session(db_session: Session, us: UserSession, *, reason: str, now: datetime) -> None:
    if us.ended_at is None:
        us.ended_at = now
        us.end_reason = reason


def end_all_sessions(db_session: Session, user: User, *, reason: str, now: datetime,
                     except_session: UserSession | None = None) -> int:
    """End every live session of ``user`` (but ``except_session``); return how many.

    One statement on the driver (every sign-in runs it: :func:`lms.core.driver.in_session`); the sessions
    this ORM session holds are told, as the ORM's own update would tell them."""
    params = {"person": user.id, "now": now, "reason": reason}
    if except_session is not None:
        params["kept"] = except_session.id
    ended = in_session(db_session).execute(_END_SESSIONS[except_session is not None], **params)
    if ended:
        for obj in list(db_session.identity_map.values()):
            if (isinstance(obj, UserSession) and obj.user_id == user.id and obj.ended_at is None
                    and obj is not except_session):
                set_committed_value(obj, "ended_at", now)
                set_committed_value(obj, "end_reason", reason)
    return ended


def _end_sessions(but_one: bool) -> PreparedWrite:
    # (Parameters not named after columns: an UPDATE keeps those names for its SET clause.)
    q = sa.update(UserSession).where(UserSession.user_id == sa.bindparam("person"), UserSession.ended_at.is_(None))
    if but_one:
        q = q.where(UserSession.id != sa.bindparam("kept"))
    return PreparedWrite(q.values(ended_at=sa.bindparam("now"), end_reason=sa.bindparam("reason")))


#: Every live session of a person, or all but one (by ``but_one``), ended.
_END_SESSIONS = {but_one: _end_sessions(but_one) for but_one in (False, True)}


def session_limits(source: Session | Database) -> tuple[timedelta, timedelta]:
    """The idle and absolute timeouts (``source``: a session, or the database where none is open)."""
    return (timedelta(minutes=settings.get(source, "auth.idle_timeout_minutes")),
            timedelta(hours=settings.get(source, "auth.absolute_timeout_hours")))


def check_session(db_session: Session, us: UserSession, *, now: datetime) -> str | None:
    """Return None if the session is live, else why it ended (ending it, with an audit row, if time or the
    person's deactivation ended it just now).  The request path (``lms.auth.web``) reads live sessions
    without the ORM and calls this only for one that is over."""
    if us.ended_at is not None:
        return us.end_reason or "ended"
    if not us.user.is_active:
        end_session(db_session, us, reason="deactivated", now=now)
        return "deactivated"
    idle, absolute = session_limits(db_session)
    state = rules.session_state(created_at=us.created_at, last_seen_at=us.last_seen_at, now=now,
                                idle=idle, absolute=absolute)
    if not state.alive:
        end_session(db_session, us, reason=state.reason, now=now)
        audit.record(db_session, action=f"auth.session_expired_{state.reason}", now=now, actor=us.user,
                     target=us.user)
        return state.reason
    return None
