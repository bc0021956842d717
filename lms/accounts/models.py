"""People, their role grants and their agency memberships."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.roles import Role
from lms.core.db import Base
from lms.core.types import UTCDateTime


class User(Base):
    """A person who signs in: trainee, end user or staff."""

    __tablename__ = "users"
    __audit_type__ = "user"
    #: The people list sorts by name (then id) and pages through it: everyone, the active or the inactive
    #: (and counts them from the same index), or the locked (a partial index: few are locked).
    __table_args__ = (
        sa.Index("ix_users_full_name_id", "full_name", "id"),
        sa.Index("ix_users_is_active_full_name_id", "is_active", "full_name", "id"),
        sa.Index("ix_users_locked_full_name_id", "full_name", "id",
                 sqlite_where=sa.text("locked_at IS NOT NULL"), postgresql_where=sa.text("locked_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased, unique; the sign-in name.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    #: Argon2id hash; None until a password is set.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: True when someone else set the password: it must be changed at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=True)
    #: False once deactivated by an administrator; a deactivated person cannot sign in.
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Base32 TOTP secret; None until enrolment is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    #: Secret shown on the enrolment page, kept until the first code confirms it.
    totp_pending_secret: Mapped[str | None] = mapped_column(sa.String(64))
    #: Highest TOTP time step ever accepted: a code at or below it is a replay.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when repeated failures locked the account; only an administrator lifts it.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Raised by every committed change to what this person's own pages show (lms.core.page_versions).
    page_version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", foreign_keys="RoleGrant.user_id", order_by="RoleGrant.id"
    )
    memberships: Mapped[list["AgencyMembership"]] = relationship(
        back_populates="user", order_by="AgencyMembership.id"
    )

    # Flask-Login protocol (the session registry decides who is signed in).
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def active_grants(self) -> list["RoleGrant"]:
        return [g for g in self.grants if g.revoked_at is None]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(g.role) for g in self.active_grants)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        return any(r.is_staff for r in self.roles)

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_secret is not None

    def agency_ids_for(self, role: Role) -> set[int]:
        """Return the agencies where this person holds an agency-scoped role."""
        return {g.agency_id for g in self.active_grants if g.role == role.value and g.agency_id}

    def coc_ids_for(self, role: Role) -> set[int]:
        """Return the CoCs where this person holds a CoC-scoped role."""
        return {g.coc_id for g in self.active_grants if g.role == role.value and g.coc_id}

    @property
    def active_memberships(self) -> list["AgencyMembership"]:
        return [m for m in self.memberships if m.ended_on is None]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"


class RoleGrant(Base):
    """One role held by one person, scoped to an agency or CoC where the role needs it."""

    __tablename__ = "role_grants"
    __audit_type__ = "role_grant"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('end_user','agency_rep','helpdesk','sysadmin','hmis_manager','lead_admin')",
            name="role_known",
        ),
        sa.CheckConstraint("role != 'agency_rep' OR agency_id IS NOT NULL", name="agency_rep_has_agency"),
        sa.CheckConstraint("role != 'hmis_manager' OR coc_id IS NOT NULL", name="manager_has_coc"),
        #: The people list's role filter (who holds a role).
        sa.Index("ix_role_grants_role_user_id", "role", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A :class:`Role` value.
    role: Mapped[str] = mapped_column(sa.String(32))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    coc_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cocs.id"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Set when the grant is withdrawn; grants are never deleted.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    agency = relationship("Agency")
    coc = relationship("Coc")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def scope_label(self) -> str:
        if self.agency is not None:
            return str(self.agency)
        if self.coc is not None:
            return str(self.coc)
        return "All"


class AgencyMembership(Base):
    """A person works for (or volunteers at) an agency. A person may belong to several."""

    __tablename__ = "agency_memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "agency_id", "started_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    #: "employee", "volunteer" or "intern" (the manual allows only these three).
    kind: Mapped[str] = mapped_column(sa.String(16), default="employee")
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    user: Mapped[User] = relationship(back_populates="memberships")
    agency = relationship("Agency")
