"""Organizations and projects (2.01-2.09), with the project descriptor files kept as an HMIS CSV set brings
them, and the HMIS's users (User.csv)."""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.models.base import Model, hud_ref, workspace_fk


class Organization(Model):
    """An organization running projects (2.01), OrganizationID unique in the workspace."""

    __tablename__ = "organizations"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "OrganizationID"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Organization.csv (scripts/gen_sandbox_models.py)
    OrganizationID: Mapped[str] = mapped_column(sa.String(32))
    OrganizationName: Mapped[str] = mapped_column(sa.String(200))
    VictimServiceProvider: Mapped[int] = mapped_column(sa.Integer)
    OrganizationCommonName: Mapped[str | None] = mapped_column(sa.String(200))
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Organization.csv


class Project(Model):
    """A project (2.02), ProjectID unique in the workspace."""

    __tablename__ = "projects"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "ProjectID"),
        hud_ref(("OrganizationID",), "organizations", ("OrganizationID",)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    #: The CoC the project belongs to (HUD keeps it in ProjectCoC.csv; the sandbox needs only the code).
    coc_code: Mapped[str | None] = mapped_column(sa.String(6))
    # >>> Project.csv (scripts/gen_sandbox_models.py)
    ProjectID: Mapped[str] = mapped_column(sa.String(32))
    OrganizationID: Mapped[str] = mapped_column(sa.String(32))
    ProjectName: Mapped[str] = mapped_column(sa.String(200))
    ProjectCommonName: Mapped[str | None] = mapped_column(sa.String(200))
    OperatingStartDate: Mapped[date] = mapped_column(sa.Date)
    OperatingEndDate: Mapped[date | None] = mapped_column(sa.Date)
    ContinuumProject: Mapped[int] = mapped_column(sa.Integer)
    ProjectType: Mapped[int | None] = mapped_column(sa.Integer)
    HousingType: Mapped[int | None] = mapped_column(sa.Integer)
    RRHSubType: Mapped[int | None] = mapped_column(sa.Integer)
    ResidentialAffiliation: Mapped[int | None] = mapped_column(sa.Integer)
    TargetPopulation: Mapped[int | None] = mapped_column(sa.Integer)
    HOPWAMedAssistedLivingFac: Mapped[int | None] = mapped_column(sa.Integer)
    PITCount: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Project.csv


class ProjectCoC(Model):
    """A project's CoCs and geography (2.03).

    ProjectCoC.csv as imported (ProjectCoCID unique), written back at export.
    """

    __tablename__ = "project_cocs"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "ProjectCoCID",
                                          name="uq_project_cocs_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> ProjectCoC.csv (scripts/gen_sandbox_models.py; only ProjectCoCID required)
    ProjectCoCID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    CoCCode: Mapped[str | None] = mapped_column(sa.String(6))
    Geocode: Mapped[str | None] = mapped_column(sa.String(6))
    Address1: Mapped[str | None] = mapped_column(sa.String(100))
    Address2: Mapped[str | None] = mapped_column(sa.String(100))
    City: Mapped[str | None] = mapped_column(sa.String(50))
    State: Mapped[str | None] = mapped_column(sa.String(2))
    ZIP: Mapped[str | None] = mapped_column(sa.String(5))
    GeographyType: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< ProjectCoC.csv


class Funder(Model):
    """A project's funding sources (2.06).

    Funder.csv as imported (FunderID unique), written back at export.
    """

    __tablename__ = "funders"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "FunderID",
                                          name="uq_funders_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Funder.csv (scripts/gen_sandbox_models.py; only FunderID required)
    FunderID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    Funder: Mapped[int | None] = mapped_column(sa.Integer)
    OtherFunder: Mapped[str | None] = mapped_column(sa.String(100))
    GrantID: Mapped[str | None] = mapped_column(sa.String(100))
    StartDate: Mapped[date | None] = mapped_column(sa.Date)
    EndDate: Mapped[date | None] = mapped_column(sa.Date)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Funder.csv


class Inventory(Model):
    """A project's beds and units (2.07).

    Inventory.csv as imported (InventoryID unique), written back at export.
    """

    __tablename__ = "inventories"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "InventoryID",
                                          name="uq_inventories_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Inventory.csv (scripts/gen_sandbox_models.py; only InventoryID required)
    InventoryID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    CoCCode: Mapped[str | None] = mapped_column(sa.String(6))
    HouseholdType: Mapped[int | None] = mapped_column(sa.Integer)
    Availability: Mapped[int | None] = mapped_column(sa.Integer)
    UnitInventory: Mapped[int | None] = mapped_column(sa.Integer)
    BedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    CHVetBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    YouthVetBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    VetBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    CHYouthBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    YouthBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    CHBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    OtherBedInventory: Mapped[int | None] = mapped_column(sa.Integer)
    ESBedType: Mapped[int | None] = mapped_column(sa.Integer)
    InventoryStartDate: Mapped[date | None] = mapped_column(sa.Date)
    InventoryEndDate: Mapped[date | None] = mapped_column(sa.Date)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Inventory.csv


class HMISParticipation(Model):
    """A project's HMIS participation periods (2.08).

    HMISParticipation.csv as imported (HMISParticipationID unique), written back at export.
    """

    __tablename__ = "hmis_participations"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "HMISParticipationID",
                                          name="uq_hmis_participations_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> HMISParticipation.csv (scripts/gen_sandbox_models.py; only HMISParticipationID required)
    HMISParticipationID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    HMISParticipationType: Mapped[int | None] = mapped_column(sa.Integer)
    HMISParticipationStatusStartDate: Mapped[date | None] = mapped_column(sa.Date)
    HMISParticipationStatusEndDate: Mapped[date | None] = mapped_column(sa.Date)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< HMISParticipation.csv


class CEParticipation(Model):
    """A project's coordinated entry participation (2.09).

    CEParticipation.csv as imported (CEParticipationID unique), written back at export.
    """

    __tablename__ = "ce_participations"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "CEParticipationID",
                                          name="uq_ce_participations_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> CEParticipation.csv (scripts/gen_sandbox_models.py; only CEParticipationID required)
    CEParticipationID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    AccessPoint: Mapped[int | None] = mapped_column(sa.Integer)
    PreventionAssessment: Mapped[int | None] = mapped_column(sa.Integer)
    CrisisAssessment: Mapped[int | None] = mapped_column(sa.Integer)
    HousingAssessment: Mapped[int | None] = mapped_column(sa.Integer)
    DirectServices: Mapped[int | None] = mapped_column(sa.Integer)
    ReceivesReferrals: Mapped[int | None] = mapped_column(sa.Integer)
    CEParticipationStatusStartDate: Mapped[date | None] = mapped_column(sa.Date)
    CEParticipationStatusEndDate: Mapped[date | None] = mapped_column(sa.Date)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< CEParticipation.csv


class Affiliation(Model):
    """Residential projects a services-only project is affiliated with (Project.csv ResidentialAffiliation).

    Affiliation.csv as imported (AffiliationID unique), written back at export.
    """

    __tablename__ = "affiliations"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "AffiliationID",
                                          name="uq_affiliations_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Affiliation.csv (scripts/gen_sandbox_models.py; only AffiliationID required)
    AffiliationID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    ResProjectID: Mapped[str | None] = mapped_column(sa.String(32))
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Affiliation.csv


class User(Model):
    """The HMIS's users (who entered each record).

    User.csv as imported (UserID unique), written back at export.
    """

    __tablename__ = "hud_users"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "UserID",
                                          name="uq_hud_users_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> User.csv (scripts/gen_sandbox_models.py; only UserID required)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    UserFirstName: Mapped[str | None] = mapped_column(sa.String(50))
    UserLastName: Mapped[str | None] = mapped_column(sa.String(50))
    UserPhone: Mapped[str | None] = mapped_column(sa.String(10))
    UserExtension: Mapped[str | None] = mapped_column(sa.String(5))
    UserEmail: Mapped[str | None] = mapped_column(sa.String(320))
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< User.csv
