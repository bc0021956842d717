"""The server-side session registry, recovery codes, reset tokens and login throttles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime


class UserSession(Base):
    """One signed-in browser. A person has at most one live row (the manual's one-workstation rule)."""

    __tablename__ = "user_sessions"
    __audit_type__ = "session"
    #: Every sign-in ends the person's live sessions (``user_id = ? AND ended_at IS NULL``): by user_id
    #: alone it would read every session the person ever had, which pile up a sign-in a day.
    __table_args__ = (sa.Index("ix_user_sessions_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random token kept in the signed cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: False while the password is accepted but the TOTP code is not yet.
    mfa_passed: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it ended: logout, superseded, idle, absolute, password_changed, deactivated, admin.
    end_reason: Mapped[str | None] = mapped_column(sa.String(32))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(255))

    user = relationship("User")


class RecoveryCode(Base):
    """A one-time code that stands in for a lost TOTP device."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Argon2 hash of the code (codes are shown once, at enrolment).
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetToken(Base):
    """A one-time, expiring link e-mailed to reset a forgotten password."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: SHA-256 of the token in the link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Consecutive failures of one kind: sign-ins (and current-password checks) for one e-mail address,
    known or not (so both answer alike), or wrong second-factor codes for one account."""

    __tablename__ = "login_throttles"

    #: SHA-256 of the lower-cased e-mail address, or of ``mfa:<user id>`` for second-factor codes.
    email_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
