"""Sign-in, the second factor, throttling and locks: the state changes. Services flush, never commit.

Sessions (opened here, ended on a lock) are in :mod:`lms.auth.services.sessions`.  Password *changes* (one's
own, and the reset link) are in :mod:`lms.auth.services.password_changes`; they use this module's throttle,
which is why they import from here, not the reverse.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.auth import rules
from lms.auth.models import LoginThrottle, RecoveryCode, UserSession
from lms.auth.services.sessions import SignIn, end_all_sessions, start_session
from lms.auth.passwords import PasswordHashing, check_password
from lms.core import audit, settings, signals
from lms.core.driver import PreparedRead, PreparedWrite, adopt, in_session
from lms.core.errors import DomainError, InvalidInput

#: The one answer for an unknown e-mail, a wrong password and a deactivated account.
BAD_CREDENTIALS = "The e-mail address or password is not right."
RECOVERY_CODE_COUNT = 10


class LoginFailed(DomainError):
    status_code = 401


class Throttled(DomainError):
    status_code = 429

    def __init__(self, wait_seconds: int, what: str = "for this e-mail address") -> None:
        super().__init__(f"Too many attempts {what}. Please wait {wait_seconds} seconds and try again.")
        self.wait_seconds = wait_seconds


class AccountLocked(DomainError):
    status_code = 423


LOCKED_MESSAGE = ("This account is locked after too many failed attempts. "
                  "Ask your HMIS system administrator to unlock it.")


class WeakPassword(InvalidInput):
    """The password breaks one or more rules; ``reasons`` lists all of them."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problems(db_session: Session, password: str, *, email: str, full_name: str = "") -> list[str]:
    """Return every rule ``password`` breaks, with the current settings."""
    extra = [part for part in full_name.split() if len(part) >= 3]
    return check_password(
        password,
        username=email,
        extra_words=extra,
        min_length=settings.get(db_session, "auth.password_min_length"),
        hmis_names=settings.get_words(db_session, "auth.hmis_names"),
        vendor_names=settings.get_words(db_session, "auth.vendor_names"),
    )


def set_password(db_session: Session, hashing: PasswordHashing, user: User, password: str, *,
                 now: datetime, chosen_by_user: bool) -> None:
    """Set a new password after checking every rule; raise WeakPassword listing them all."""
    problems = password_problems(db_session, password, email=user.email, full_name=user.full_name)
    if problems:
        raise WeakPassword("The password does not meet the rules.", reasons=problems)
    user.password_hash = hashing.hash(password)
    user.password_changed_at = now
    user.must_change_password = not chosen_by_user


# --- throttling ----------------------------------------------------------------------------

#: A failure count, read on the driver: every sign-in asks, and almost always there is none.
_THROTTLE = PreparedRead(sa.select(LoginThrottle.failures, LoginThrottle.last_failure_at)
                         .where(LoginThrottle.email_hash == sa.bindparam("key")))


# Built once at first use (not at import: loader options need every model mapped): a statement object keeps
# its cache key, which SQLAlchemy works out again for a new one (and for each ``Session.get``) on every call.
@functools.cache
def _by_email(flag_names: tuple[str, ...]) -> sa.Select:
    """The person with, in the same statement, their grants (a right password asks next whether this is staff:
    second factor), their address's failure count (asked before the password is checked) and the flags the
    receivers of ``signals.sign_in_flags`` registered (is this person suspended?)."""
    throttles = LoginThrottle.__table__.c
    throttle = [sa.select(column).where(throttles.email_hash == sa.bindparam("key")).scalar_subquery().label(name)
                for column, name in ((throttles.failures, "throttle_failures"),
                                     (throttles.last_failure_at, "throttle_last_failure_at"))]
    flags = [signals.sign_in_flags[name](User.id).label(f"flag_{i}") for i, name in enumerate(flag_names)]
    return (sa.select(User, *throttle, *flags).where(User.email == sa.bindparam("email"))
            .options(joinedload(User.grants)))


@dataclass
class _Attempt:
    """What a sign-in reads before it checks the password: the person (or None), the failure count of the
    address, and the values of ``signals.sign_in_flags``."""

    user: User | None
    throttle: LoginThrottle
    flags: dict[str, bool]


def _attempt(db_session: Session, email: str) -> _Attempt:
    key = rules.token_hash(email)
    names = tuple(signals.sign_in_flags)
    row = db_session.execute(_by_email(names), {"email": email, "key": key}).unique().one_or_none()
    if row is None:  # an unknown address: its failures (which count all the same) read apart
        return _Attempt(None, _throttle(db_session, email), {})
    user, failures, last_failure_at, *flags = row
    return _Attempt(user, _throttle_row(db_session, key, failures, last_failure_at),
                    {name: bool(value) for name, value in zip(names, flags)})


def _throttle(db_session: Session, email: str) -> LoginThrottle:
    key = rules.token_hash(normalize_email(email))
    found = in_session(db_session).one_or_none(_THROTTLE, key=key)
    return _throttle_row(db_session, key, *(found or (None, None)))


def _throttle_row(db_session: Session, key: str, failures: int | None, last_failure_at: datetime | None
                  ) -> LoginThrottle:
    """The address's failure count as the session's object.  A new row joins the session only when a failure
    is counted (:func:`_count_failure`): added here, it would be flushed by the next query and, on SQLite, hold
    the database's write lock through the password hash check of every sign-in."""
    if failures is None:
        return LoginThrottle(email_hash=key, failures=0)
    return adopt(db_session, LoginThrottle(email_hash=key, failures=failures, last_failure_at=last_failure_at))


def _mfa_throttle(db_session: Session, user: User) -> LoginThrottle:
    """The second-factor failure count of one account (its own row: a right password must not reset it)."""
    key = rules.token_hash(f"mfa:{user.id}")
    return db_session.get(LoginThrottle, key) or LoginThrottle(email_hash=key, failures=0)


def clear_throttle(db_session: Session, email: str) -> None:
    row = db_session.get(LoginThrottle, rules.token_hash(normalize_email(email)))
    if row is not None:
        _drop(db_session, row)


def _check_throttle(db_session: Session, row: LoginThrottle, *, now: datetime, what: str) -> None:
    """Raise Throttled while the row's rising delay has not passed."""
    decision = rules.may_attempt(row.failures, row.last_failure_at,
                                 throttle_after=settings.get(db_session, "auth.throttle_after"), now=now)
    if not decision.allowed:
        raise Throttled(decision.wait_seconds, what)


def _count_failure(db_session: Session, row: LoginThrottle, user: User | None, *, now: datetime,
                   ip: str | None, action: str) -> bool:
    """Count one failure on ``row`` (and audit it); lock ``user`` at the threshold. Return True if it locked."""
    row.failures += 1
    row.last_failure_at = now
    if sa.inspect(row).transient:
        db_session.add(row)
    details = {"failures": row.failures}
    locked = False
    if user is not None:
        if (user.locked_at is None and user.is_active
                and row.failures >= settings.get(db_session, "auth.lockout_threshold")):
            user.locked_at = now
            locked = True
            audit.record(db_session, action="auth.account_locked", now=now, target=user, ip=ip, cause=action,
                         **details)
        audit.record(db_session, action=action, now=now, target=user, ip=ip, **details)
    else:
        audit.record(db_session, action=f"{action}_unknown", now=now, ip=ip, **details)
    return locked


def _drop(db_session: Session, row: LoginThrottle) -> None:
    state = sa.inspect(row)
    if state.persistent:
        db_session.delete(row)
    elif state.pending:
        db_session.expunge(row)


# --- sign-in -------------------------------------------------------------------------------

def authenticate(db_session: Session, hashing: PasswordHashing, *, email: str, password: str,
                 now: datetime, ip: str | None, user_agent: str | None) -> SignIn:
    """Check e-mail and password; on success open a session (second factor still to come).

    Raises :class:`Throttled`, :class:`AccountLocked` (only to someone who knows the
    password) or :class:`LoginFailed` with one message whatever was wrong.
    """
    email = normalize_email(email)
    if rules.has_control_chars(email) or len(email) > 254:
        # Never sent to the database (PostgreSQL refuses NUL in text); the forms say so more kindly.
        raise LoginFailed(BAD_CREDENTIALS)
    attempt = _attempt(db_session, email)
    user, throttle = attempt.user, attempt.throttle
    _check_throttle(db_session, throttle, now=now, what="for this e-mail address")

    ok = hashing.verify(user.password_hash if user else None, password)
    if user is not None and ok and user.is_active:
        if user.locked_at is not None:
            audit.record(db_session, action="auth.login_refused_locked", now=now, actor=user, target=user, ip=ip)
            raise AccountLocked(LOCKED_MESSAGE)
        if (refusal := signals.sign_in_refusal(db_session, user=user, now=now, ip=ip, flags=attempt.flags)) is not None:
            raise AccountLocked(refusal)  # a suspension: told only to someone who knows the password
        _drop(db_session, throttle)
        if hashing.needs_rehash(user.password_hash):
            user.password_hash = hashing.hash(password)
            audit.record(db_session, action="auth.password_rehashed", now=now, actor=user, target=user, ip=ip)
        needs_mfa = user.is_staff or user.totp_enrolled
        sign_in = start_session(db_session, user, now=now, ip=ip, user_agent=user_agent, mfa_passed=not needs_mfa)
        if needs_mfa:  # the first of two steps; a sign-in with the password alone is one event ("auth.login")
            audit.record(db_session, action="auth.password_accepted", now=now, actor=user, target=user, ip=ip)
        else:
            _complete(db_session, user, now=now, ip=ip)
        return sign_in

    _count_failure(db_session, throttle, user, now=now, ip=ip, action="auth.login_failed")
    raise LoginFailed(BAD_CREDENTIALS)


#: A full sign-in's mark on the person (on the driver, as every sign-in writes it: :func:`_complete`).
_LAST_LOGIN = PreparedWrite(sa.update(User).where(User.id == sa.bindparam("person"))
                            .values(last_login_at=sa.bindparam("now")))


def _complete(db_session: Session, user: User, *, now: datetime, ip: str | None) -> None:
    # Not through the ORM's unit of work, which would cost several times the UPDATE; the object is told.
    in_session(db_session, flush=False).execute(_LAST_LOGIN, person=user.id, now=now)
    set_committed_value(user, "last_login_at", now)
    audit.record(db_session, action="auth.login", now=now, actor=user, target=user, ip=ip)


def verify_second_factor(db_session: Session, us: UserSession, code: str, *, now: datetime,
                         ip: str | None) -> None:
    """Accept a TOTP code (once) or an unused recovery code; mark the session as fully signed in.

    Wrong codes count per account, like wrong passwords: rising delays, then a lock
    (:class:`Throttled`, :class:`AccountLocked`); once locked, even a right code is refused.
    """
    user = us.user
    code = (code or "").strip()
    if not user.totp_enrolled:
        raise InvalidInput("Set up your authenticator app first.")
    if user.locked_at is not None:
        audit.record(db_session, action="auth.mfa_refused_locked", now=now, actor=user, target=user, ip=ip)
        raise AccountLocked(LOCKED_MESSAGE)
    throttle = _mfa_throttle(db_session, user)
    _check_throttle(db_session, throttle, now=now, what="with wrong codes")
    step = rules.totp_match_step(user.totp_secret, code, now=now, last_step=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        method = "totp"
    elif _use_recovery_code(db_session, user, code, now=now):
        method = "recovery_code"
    else:
        if _count_failure(db_session, throttle, user, now=now, ip=ip, action="auth.mfa_failed"):
            end_all_sessions(db_session, user, reason="locked", now=now)
            raise AccountLocked(LOCKED_MESSAGE)
        raise InvalidInput("That code is not right, or it has been used already. Enter the current 6-digit code.")
    _drop(db_session, throttle)
    us.mfa_passed = True
    audit.record(db_session, action="auth.mfa_passed", now=now, actor=user, target=user, ip=ip, method=method)
    _complete(db_session, user, now=now, ip=ip)


def _use_recovery_code(db_session: Session, user: User, code: str, *, now: datetime) -> bool:
    normalized = code.replace("-", "").replace(" ", "").lower()
    if len(normalized) != 10:
        return False
    row = db_session.execute(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
                                      RecoveryCode.code_hash == rules.token_hash(normalized))
    ).scalar_one_or_none()
    if row is None:
        return False
    row.used_at = now
    return True


# --- TOTP enrolment ------------------------------------------------------------------------

def begin_totp_enrolment(db_session: Session, user: User) -> str:
    """Return the secret to show on the enrolment page (kept until a code confirms it)."""
    if not user.totp_pending_secret:
        user.totp_pending_secret = pyotp.random_base32()
    return user.totp_pending_secret


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def confirm_totp_enrolment(db_session: Session, us: UserSession, code: str, *, now: datetime,
                           ip: str | None) -> list[str]:
    """Confirm enrolment with a first code; return fresh recovery codes (shown once)."""
    user = us.user
    if user.locked_at is not None:
        raise AccountLocked(LOCKED_MESSAGE)
    if not user.totp_pending_secret:
        raise InvalidInput("Start the set-up again: the page has expired.")
    step = rules.totp_match_step(user.totp_pending_secret, code, now=now, last_step=None)
    if step is None:
        raise InvalidInput("That code is not right. Check the time on your phone and enter the current 6-digit code.")
    user.totp_secret = user.totp_pending_secret
    user.totp_pending_secret = None
    user.totp_last_step = step
    user.totp_enrolled_at = now
    codes = new_recovery_codes(db_session, user, now=now)
    us.mfa_passed = True
    audit.record(db_session, action="auth.totp_enrolled", now=now, actor=user, target=user, ip=ip)
    _complete(db_session, user, now=now, ip=ip)
    return codes


def new_recovery_codes(db_session: Session, user: User, *, now: datetime) -> list[str]:
    """Replace a person's recovery codes with fresh ones; return them (shown once, stored hashed)."""
    db_session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        db_session.add(RecoveryCode(user_id=user.id, code_hash=rules.token_hash(raw), created_at=now))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def reset_totp(db_session: Session, user: User, *, actor: User, now: datetime, ip: str | None) -> None:
    """Remove a person's authenticator (lost device): they enrol again at next sign-in."""
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    db_session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(db_session, user, reason="admin", now=now)
    audit.record(db_session, action="auth.totp_reset", now=now, actor=actor, target=user, ip=ip)


def unlock(db_session: Session, user: User, *, actor: User, now: datetime, ip: str | None) -> None:
    """Lift a lock set by repeated failures, and clear the failure count."""
    user.locked_at = None
    clear_throttle(db_session, user.email)
    _drop(db_session, _mfa_throttle(db_session, user))
    audit.record(db_session, action="auth.account_unlocked", now=now, actor=actor, target=user, ip=ip)
