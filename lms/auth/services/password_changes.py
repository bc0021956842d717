"""Password changes: one's own (the current password needed) and the "forgot password" link.

Services flush, never commit.  Split from :mod:`lms.auth.services.signin`, whose throttle, lock and
session ending they reuse: a wrong current password counts exactly as a failed sign-in does.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.auth import rules
from lms.auth.models import PasswordResetToken, UserSession
from lms.auth.passwords import PasswordHashing
from lms.auth.services.sessions import end_all_sessions
from lms.auth.services.signin import (LOCKED_MESSAGE, AccountLocked, WeakPassword, _check_throttle, _count_failure,
                                      _drop, _throttle, clear_throttle, normalize_email, set_password)
from lms.core import audit, settings
from lms.core.errors import InvalidInput
from lms.core.mail import PENDING, OutboxMessage

def change_password(db_session: Session, hashing: PasswordHashing, us: UserSession, *, current: str,
                    new: str, now: datetime, ip: str | None) -> None:
    """Change one's own password (current one needed); end every other session.

    A wrong current password counts toward the account's throttle and lock exactly
    as a failed sign-in does; reaching the lock ends this session too
    (:class:`AccountLocked`).
    """
    user = us.user
    throttle = _throttle(db_session, user.email)
    _check_throttle(db_session, throttle, now=now, what="with a wrong current password")
    if not hashing.verify(user.password_hash, current):
        if _count_failure(db_session, throttle, user, now=now, ip=ip, action="auth.password_check_failed"):
            end_all_sessions(db_session, user, reason="locked", now=now)
            raise AccountLocked(LOCKED_MESSAGE)
        raise InvalidInput("Your current password is not right.", field="current_password")
    _drop(db_session, throttle)
    if current == new:
        raise WeakPassword("The password does not meet the rules.",
                           reasons=["Choose a password different from your current one."])
    set_password(db_session, hashing, user, new, now=now, chosen_by_user=True)
    ended = end_all_sessions(db_session, user, reason="password_changed", now=now, except_session=us)
    audit.record(db_session, action="auth.password_changed", now=now, actor=user, target=user, ip=ip,
                 ended_sessions=ended)


#: Outbox status of a reset request not yet looked at (the mail dispatcher leaves it alone).
RESET_REQUESTED = "reset_request"
RESET_SUBJECT = "Reset your HMIS Training password"


def request_password_reset(db_session: Session, email: str, *, now: datetime, ip: str | None) -> int:
    """Record a "forgot password" request; return its id for :func:`send_reset_links`.

    The same work whatever the address (one outbox row, one audit row, no look-up),
    so the answer takes as long for a known address as for an unknown one; whether a
    link is sent is decided after the response.
    """
    email = normalize_email(email)
    if rules.has_control_chars(email) or len(email) > 254:
        raise InvalidInput("Enter an e-mail address like name@example.org.", field="email")
    row = OutboxMessage(created_at=now, to_addr=email, subject=RESET_SUBJECT, body_text="",
                        status=RESET_REQUESTED, next_attempt_at=now)
    db_session.add(row)
    db_session.flush()
    audit.record(db_session, action="auth.reset_requested", now=now, ip=ip)
    return row.id


def send_reset_links(db_session: Session, *, now: datetime, base_url: str, ids: list[int] | None = None) -> list[int]:
    """Turn waiting reset requests into mails: a one-time link for an active person, nothing otherwise.

    Each request is claimed with a conditional UPDATE, so two runners (the web worker
    after its response, and the job) never send one twice.  A request for an unknown
    or inactive address, or one older than a link's lifetime, is deleted.  Returns the ids of the mails now due (to dispatch
    after the caller commits).
    """
    q = sa.select(OutboxMessage.id).where(OutboxMessage.status == RESET_REQUESTED).order_by(OutboxMessage.id)
    if ids is not None:
        q = q.where(OutboxMessage.id.in_(ids))
    due = []
    for msg_id in list(db_session.execute(q).scalars()):
        claimed = db_session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.id == msg_id, OutboxMessage.status == RESET_REQUESTED)
            .values(status=PENDING)
        ).rowcount
        if not claimed:
            continue
        msg = db_session.get(OutboxMessage, msg_id, populate_existing=True)
        user = db_session.execute(sa.select(User).where(User.email == msg.to_addr)).scalar_one_or_none()
        minutes = settings.get(db_session, "auth.reset_link_minutes")
        if user is None or not user.is_active or msg.created_at + timedelta(minutes=minutes) <= now:
            # Unknown, inactive, or asked so long ago that a link would be a surprise: nothing is sent.
            db_session.delete(msg)
            continue
        # Only the newest link works.
        db_session.execute(
            sa.update(PasswordResetToken)
            .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
        )
        token = secrets.token_urlsafe(32)
        db_session.add(PasswordResetToken(user_id=user.id, token_hash=rules.token_hash(token), created_at=now,
                                          expires_at=now + timedelta(minutes=minutes)))
        link = f"{base_url.rstrip('/')}/auth/reset/{token}"
        msg.to_addr = user.email
        msg.body_text = (
            f"Hello {user.full_name},\n\nSomeone (we hope you) asked to reset the password of your HMIS "
            f"Training account. Open this link within {minutes} minutes to choose a new one:\n\n{link}\n\n"
            "If you did not ask for this, you can ignore this message; your password has not changed.\n"
        )
        msg.next_attempt_at = now
        audit.record(db_session, action="auth.reset_link_sent", now=now, target=user)
        due.append(msg_id)
    db_session.flush()
    return due


def find_reset_token(db_session: Session, token: str, *, now: datetime) -> PasswordResetToken | None:
    if not token or len(token) > 200:
        return None
    row = db_session.execute(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == rules.token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def reset_password(db_session: Session, hashing: PasswordHashing, token: str, new: str, *, now: datetime,
                   ip: str | None) -> User:
    """Set a new password from a reset link; the link then stops working and every session ends."""
    row = find_reset_token(db_session, token, now=now)
    if row is None:
        raise InvalidInput("This reset link has expired or has been used. Ask for a new one.")
    user = db_session.get(User, row.user_id)
    set_password(db_session, hashing, user, new, now=now, chosen_by_user=True)
    row.used_at = now
    end_all_sessions(db_session, user, reason="password_changed", now=now)
    clear_throttle(db_session, user.email)
    audit.record(db_session, action="auth.password_reset", now=now, actor=user, target=user, ip=ip)
    return user
