"""Certificates of annual training: one per person per fiscal year, with a code anyone may verify."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime


class Certificate(Base):
    """A person's certificate that they met a fiscal year's yearly requirements; valid until revoked.

    One per person and fiscal year (the unique pair): a certificate once revoked stays revoked for that
    year, and two requests issuing at once issue one.
    """

    __tablename__ = "certificates"
    __audit_type__ = "certificate"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "fiscal_year", name="uq_certificates_user_id_fiscal_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: The HUD fiscal year certified (October 1 of the year before to September 30).
    fiscal_year: Mapped[int]
    #: The random code printed on the certificate and in its QR code (see ``rules.new_code``).
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the last of the year's requirements was met.
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it was revoked, in words (shown to the person and staff, never on the public page).
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(500))

    user = relationship("User", foreign_keys=[user_id])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
