"""Clients (Client.csv) and their releases of information."""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.types import UTCDateTime
from sandbox.models.base import Model, hud_ref, workspace_fk


class Client(Model):
    """A person served (3.01-3.07), PersonalID unique in the workspace."""

    __tablename__ = "clients"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "PersonalID"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Client.csv (scripts/gen_sandbox_models.py)
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    FirstName: Mapped[str | None] = mapped_column(sa.String(50))
    MiddleName: Mapped[str | None] = mapped_column(sa.String(50))
    LastName: Mapped[str | None] = mapped_column(sa.String(50))
    NameSuffix: Mapped[str | None] = mapped_column(sa.String(50))
    NameDataQuality: Mapped[int] = mapped_column(sa.Integer)
    SSN: Mapped[str | None] = mapped_column(sa.String(9))
    SSNDataQuality: Mapped[int] = mapped_column(sa.Integer)
    DOB: Mapped[date | None] = mapped_column(sa.Date)
    DOBDataQuality: Mapped[int] = mapped_column(sa.Integer)
    Sex: Mapped[int | None] = mapped_column(sa.Integer)
    AmIndAKNative: Mapped[int] = mapped_column(sa.Integer)
    Asian: Mapped[int] = mapped_column(sa.Integer)
    BlackAfAmerican: Mapped[int] = mapped_column(sa.Integer)
    HispanicLatinao: Mapped[int] = mapped_column(sa.Integer)
    MidEastNAfrican: Mapped[int] = mapped_column(sa.Integer)
    NativeHIPacific: Mapped[int] = mapped_column(sa.Integer)
    White: Mapped[int] = mapped_column(sa.Integer)
    RaceNone: Mapped[int | None] = mapped_column(sa.Integer)
    AdditionalRaceEthnicity: Mapped[str | None] = mapped_column(sa.String(100))
    VeteranStatus: Mapped[int] = mapped_column(sa.Integer)
    YearEnteredService: Mapped[int | None] = mapped_column(sa.Integer)
    YearSeparated: Mapped[int | None] = mapped_column(sa.Integer)
    WorldWarII: Mapped[int | None] = mapped_column(sa.Integer)
    KoreanWar: Mapped[int | None] = mapped_column(sa.Integer)
    VietnamWar: Mapped[int | None] = mapped_column(sa.Integer)
    DesertStorm: Mapped[int | None] = mapped_column(sa.Integer)
    AfghanistanOEF: Mapped[int | None] = mapped_column(sa.Integer)
    IraqOIF: Mapped[int | None] = mapped_column(sa.Integer)
    IraqOND: Mapped[int | None] = mapped_column(sa.Integer)
    OtherTheater: Mapped[int | None] = mapped_column(sa.Integer)
    MilitaryBranch: Mapped[int | None] = mapped_column(sa.Integer)
    DischargeStatus: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Client.csv

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.FirstName, self.MiddleName, self.LastName, self.NameSuffix) if p)
        return name or "(no name recorded)"


class ReleaseOfInformation(Model):
    """Consent (or refusal) to share a client's data, valid for one year (the manual's ROI policy)."""

    __tablename__ = "releases_of_information"
    __table_args__ = (hud_ref(("PersonalID",), "clients", ("PersonalID",)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    #: True: the client consented; False: the client refused.
    consented: Mapped[bool]
    signed_on: Mapped[date]
    expires_on: Mapped[date]
    #: "signed" paper form or "verbal" consent witnessed by the worker.
    documentation: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
