"""Sign-in, sessions, second factor, passwords: the state changes. Services flush, never commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.auth import rules
from lms.auth.models import LoginThrottle, PasswordResetToken, RecoveryCode, UserSession
from lms.auth.passwords import PasswordHashing, check_password
from lms.core import audit, settings
from lms.core.errors import DomainError, InvalidInput
from lms.core.mail import queue_mail

#: The one answer for an unknown e-mail, a wrong password and a deactivated account.
BAD_CREDENTIALS = "The e-mail address or password is not right."
RECOVERY_CODE_COUNT = 10


class LoginFailed(DomainError):
    status_code = 401


class Throttled(DomainError):
    status_code = 429

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            f"Too many attempts for this e-mail address. Please wait {wait_seconds} seconds and try again."
        )
        self.wait_seconds = wait_seconds


class AccountLocked(DomainError):
    status_code = 423


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

def _throttle(db_session: Session, email: str) -> LoginThrottle:
    key = rules.token_hash(normalize_email(email))
    row = db_session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(email_hash=key, failures=0)
        db_session.add(row)
    return row


def clear_throttle(db_session: Session, email: str) -> None:
    row = db_session.get(LoginThrottle, rules.token_hash(normalize_email(email)))
    if row is not None:
        _drop(db_session, row)


def _drop(db_session: Session, row: LoginThrottle) -> None:
    if sa.inspect(row).persistent:
        db_session.delete(row)
    else:
        db_session.expunge(row)


# --- sessions ------------------------------------------------------------------------------

@dataclass
class SignIn:
    user: User
    session: UserSession
    #: The bearer token for the cookie; shown once, stored only as a hash.
    token: str


def start_session(db_session: Session, user: User, *, now: datetime, ip: str | None,
                  user_agent: str | None, mfa_passed: bool) -> SignIn:
    """Open a new session for ``user`` and end every other one (one workstation at a time)."""
    superseded = end_all_sessions(db_session, user, reason="superseded", now=now)
    token = secrets.token_urlsafe(32)
    us = UserSession(token_hash=rules.token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                     mfa_passed=mfa_passed, ip=ip, user_agent=(user_agent or "")[:255])
    db_session.add(us)
    db_session.flush()
    if superseded:
        audit.record(db_session, action="auth.session_superseded", now=now, actor=user, target=user, ip=ip,
                     ended_sessions=superseded)
    return SignIn(user=user, session=us, token=token)


def end_session(db_session: Session, us: UserSession, *, reason: str, now: datetime) -> None:
    if us.ended_at is None:
        us.ended_at = now
        us.end_reason = reason


def end_all_sessions(db_session: Session, user: User, *, reason: str, now: datetime,
                     except_session: UserSession | None = None) -> int:
    """End every live session of ``user`` (but ``except_session``); return how many."""
    q = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if except_session is not None:
        q = q.where(UserSession.id != except_session.id)
    return db_session.execute(q.values(ended_at=now, end_reason=reason)).rowcount


def session_limits(db_session: Session) -> tuple[timedelta, timedelta]:
    return (timedelta(minutes=settings.get(db_session, "auth.idle_timeout_minutes")),
            timedelta(hours=settings.get(db_session, "auth.absolute_timeout_hours")))


def find_session(db_session: Session, token: str | None) -> UserSession | None:
    if not token or len(token) > 200:
        return None
    return db_session.execute(
        sa.select(UserSession).where(UserSession.token_hash == rules.token_hash(token))
    ).scalar_one_or_none()


#: Session activity is written at most this often (one UPDATE a minute, not one a request).
TOUCH_EVERY = timedelta(seconds=30)


def check_session(db_session: Session, us: UserSession, *, now: datetime, touch: bool = True) -> str | None:
    """Return None if the session is live (touching it), else why it ended (ending it if needed)."""
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
    if touch and now - us.last_seen_at >= TOUCH_EVERY:
        us.last_seen_at = now
    return None


# --- sign-in -------------------------------------------------------------------------------

def authenticate(db_session: Session, hashing: PasswordHashing, *, email: str, password: str,
                 now: datetime, ip: str | None, user_agent: str | None) -> SignIn:
    """Check e-mail and password; on success open a session (second factor still to come).

    Raises :class:`Throttled`, :class:`AccountLocked` (only to someone who knows the
    password) or :class:`LoginFailed` with one message whatever was wrong.
    """
    email = normalize_email(email)
    throttle = _throttle(db_session, email)
    decision = rules.may_attempt(throttle.failures, throttle.last_failure_at,
                                 throttle_after=settings.get(db_session, "auth.throttle_after"), now=now)
    if not decision.allowed:
        raise Throttled(decision.wait_seconds)

    user = db_session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
    ok = hashing.verify(user.password_hash if user else None, password)
    if user is not None and ok and user.is_active:
        if user.locked_at is not None:
            audit.record(db_session, action="auth.login_refused_locked", now=now, actor=user, target=user, ip=ip)
            raise AccountLocked(
                "This account is locked after too many failed sign-ins. Ask your HMIS system administrator to unlock it."
            )
        _drop(db_session, throttle)
        if hashing.needs_rehash(user.password_hash):
            user.password_hash = hashing.hash(password)
            audit.record(db_session, action="auth.password_rehashed", now=now, actor=user, target=user, ip=ip)
        needs_mfa = user.is_staff or user.totp_enrolled
        sign_in = start_session(db_session, user, now=now, ip=ip, user_agent=user_agent, mfa_passed=not needs_mfa)
        audit.record(db_session, action="auth.password_accepted", now=now, actor=user, target=user, ip=ip)
        if not needs_mfa:
            _complete(db_session, user, now=now, ip=ip)
        return sign_in

    throttle.failures += 1
    throttle.last_failure_at = now
    details = {"failures": throttle.failures}
    if user is not None:
        if (user.locked_at is None and user.is_active
                and throttle.failures >= settings.get(db_session, "auth.lockout_threshold")):
            user.locked_at = now
            audit.record(db_session, action="auth.account_locked", now=now, target=user, ip=ip, **details)
        audit.record(db_session, action="auth.login_failed", now=now, target=user, ip=ip, **details)
    else:
        audit.record(db_session, action="auth.login_failed_unknown", now=now, ip=ip, **details)
    raise LoginFailed(BAD_CREDENTIALS)


def _complete(db_session: Session, user: User, *, now: datetime, ip: str | None) -> None:
    user.last_login_at = now
    audit.record(db_session, action="auth.login", now=now, actor=user, target=user, ip=ip)


def verify_second_factor(db_session: Session, us: UserSession, code: str, *, now: datetime,
                         ip: str | None) -> None:
    """Accept a TOTP code (once) or an unused recovery code; mark the session as fully signed in."""
    user = us.user
    code = (code or "").strip()
    if not user.totp_enrolled:
        raise InvalidInput("Set up your authenticator app first.")
    step = rules.totp_match_step(user.totp_secret, code, now=now, last_step=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        method = "totp"
    elif _use_recovery_code(db_session, user, code, now=now):
        method = "recovery_code"
    else:
        audit.record(db_session, action="auth.mfa_failed", now=now, actor=user, target=user, ip=ip)
        raise InvalidInput("That code is not right, or it has been used already. Enter the current 6-digit code.")
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
    if not user.totp_pending_secret:
        raise InvalidInput("Start the set-up again: the page has expired.")
    step = rules.totp_match_step(user.totp_pending_secret, code, now=now, last_step=None)
    if step is None:
        raise InvalidInput("That code is not right. Check the time on your phone and enter the current 6-digit code.")
    user.totp_secret = user.totp_pending_secret
    user.totp_pending_secret = None
    user.totp_last_step = step
    user.totp_enrolled_at = now
    codes = _new_recovery_codes(db_session, user, now=now)
    us.mfa_passed = True
    audit.record(db_session, action="auth.totp_enrolled", now=now, actor=user, target=user, ip=ip)
    _complete(db_session, user, now=now, ip=ip)
    return codes


def _new_recovery_codes(db_session: Session, user: User, *, now: datetime) -> list[str]:
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
    audit.record(db_session, action="auth.account_unlocked", now=now, actor=actor, target=user, ip=ip)


# --- password changes ----------------------------------------------------------------------

def change_password(db_session: Session, hashing: PasswordHashing, us: UserSession, *, current: str,
                    new: str, now: datetime, ip: str | None) -> None:
    """Change one's own password (current one needed); end every other session."""
    user = us.user
    if not hashing.verify(user.password_hash, current):
        raise InvalidInput("Your current password is not right.")
    if current == new:
        raise WeakPassword("The password does not meet the rules.",
                           reasons=["Choose a password different from your current one."])
    set_password(db_session, hashing, user, new, now=now, chosen_by_user=True)
    ended = end_all_sessions(db_session, user, reason="password_changed", now=now, except_session=us)
    audit.record(db_session, action="auth.password_changed", now=now, actor=user, target=user, ip=ip,
                 ended_sessions=ended)


def request_password_reset(db_session: Session, email: str, *, now: datetime, base_url: str,
                           ip: str | None) -> None:
    """E-mail a one-time reset link if the address belongs to an active person (say nothing either way)."""
    email = normalize_email(email)
    user = db_session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not user.is_active:
        audit.record(db_session, action="auth.reset_requested_unknown", now=now, ip=ip)
        return
    minutes = settings.get(db_session, "auth.reset_link_minutes")
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
    queue_mail(
        db_session, to=user.email, now=now, subject="Reset your HMIS Training password",
        body=(f"Hello {user.full_name},\n\nSomeone (we hope you) asked to reset the password of your HMIS "
              f"Training account. Open this link within {minutes} minutes to choose a new one:\n\n{link}\n\n"
              "If you did not ask for this, you can ignore this message; your password has not changed.\n"),
    )
    audit.record(db_session, action="auth.reset_requested", now=now, target=user, ip=ip)


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
