"""API tokens: who may call ``/api/v1/``, for what (scopes) and about whom (CoCs, agencies)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime


class ApiToken(Base):
    """A bearer token for an HMIS Lead's own systems; only a hash of the secret is kept."""

    __tablename__ = "api_tokens"
    __audit_type__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the token is for, in words ("Reporting server").
    name: Mapped[str] = mapped_column(sa.String(100))
    #: SHA-256 of the secret (the secret has 256 random bits, so a fast hash is enough).
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters of the secret, to recognise a token on the page without revealing it.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    #: Space-separated scopes (``people:read credentials:read ...``).
    scopes: Mapped[str] = mapped_column(sa.String(300))
    #: True: every CoC and agency; otherwise only those of its reach rows.
    all_organisations: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    created_by = relationship("User", foreign_keys=[created_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])
    reach = relationship("ApiTokenReach", cascade="all, delete-orphan", lazy="selectin")

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiTokenReach(Base):
    """One CoC or one agency a token may read."""

    __tablename__ = "api_token_reach"
    __table_args__ = (
        sa.CheckConstraint("(coc_id IS NULL) != (agency_id IS NULL)", name="one_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(sa.ForeignKey("api_tokens.id"), index=True)
    coc_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cocs.id"))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))

    coc = relationship("Coc", lazy="joined")
    agency = relationship("Agency", lazy="joined")
