"""CoCs, agencies and projects."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime
from lms.hud import PROJECT_TYPES


class Coc(Base):
    """A Continuum of Care."""

    __tablename__ = "cocs"
    __audit_type__ = "coc"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: HUD CoC code, e.g. "MO-606".
    code: Mapped[str] = mapped_column(sa.String(6), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    agencies: Mapped[list["Agency"]] = relationship(back_populates="coc", order_by="Agency.name")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Agency(Base):
    """A Partner Agency, bound by an Agency Partner Agreement (APA)."""

    __tablename__ = "agencies"
    __audit_type__ = "agency"
    __table_args__ = (sa.UniqueConstraint("coc_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coc_id: Mapped[int] = mapped_column(sa.ForeignKey("cocs.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Date the Executive Director signed the current Agency Partner Agreement.
    apa_signed_on: Mapped[date | None]
    #: Date the yearly APA renewal is due (the manual: signed at least once a year).
    apa_renewal_due: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    coc: Mapped[Coc] = relationship(back_populates="agencies")

    def apa_overdue(self, today: date) -> bool:
        """Tell whether the yearly Agency Partner Agreement renewal has passed without a new signature."""
        return self.apa_renewal_due is not None and self.apa_renewal_due < today
    projects: Mapped[list["Project"]] = relationship(back_populates="agency", order_by="Project.name")

    def __str__(self) -> str:
        return self.name


class Project(Base):
    """A project an agency enters HMIS data for."""

    __tablename__ = "projects"
    __audit_type__ = "project"
    __table_args__ = (sa.UniqueConstraint("agency_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: HUD FY2026 project type code (list 2.02.6), e.g. 0 = ES Entry/Exit, 13 = PH-RRH.
    project_type: Mapped[int]
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    agency: Mapped[Agency] = relationship(back_populates="projects")

    @property
    def project_type_label(self) -> str:
        return PROJECT_TYPES.get(self.project_type, f"Unknown ({self.project_type})")

    def __str__(self) -> str:
        return self.name
