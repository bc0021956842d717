"""What is assessed at a data collection stage (project start, update, annual assessment, exit): income
and benefits (4.02-4.04), health and domestic violence (4.11, R7-R10), disabilities (4.05-4.10), and the
education records HUD's programs ask for."""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.models.base import Model, hud_ref, workspace_fk


class IncomeBenefits(Model):
    """Income, non-cash benefits and health insurance (4.02-4.04) at one stage."""

    __tablename__ = "income_benefits"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "IncomeBenefitsID"),
        hud_ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> IncomeBenefits.csv (scripts/gen_sandbox_models.py)
    IncomeBenefitsID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str] = mapped_column(sa.String(32))
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    InformationDate: Mapped[date] = mapped_column(sa.Date)
    IncomeFromAnySource: Mapped[int | None] = mapped_column(sa.Integer)
    TotalMonthlyIncome: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    Earned: Mapped[int | None] = mapped_column(sa.Integer)
    EarnedAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    Unemployment: Mapped[int | None] = mapped_column(sa.Integer)
    UnemploymentAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    SSI: Mapped[int | None] = mapped_column(sa.Integer)
    SSIAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    SSDI: Mapped[int | None] = mapped_column(sa.Integer)
    SSDIAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    VADisabilityService: Mapped[int | None] = mapped_column(sa.Integer)
    VADisabilityServiceAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    VADisabilityNonService: Mapped[int | None] = mapped_column(sa.Integer)
    VADisabilityNonServiceAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    PrivateDisability: Mapped[int | None] = mapped_column(sa.Integer)
    PrivateDisabilityAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    WorkersComp: Mapped[int | None] = mapped_column(sa.Integer)
    WorkersCompAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    TANF: Mapped[int | None] = mapped_column(sa.Integer)
    TANFAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    GA: Mapped[int | None] = mapped_column(sa.Integer)
    GAAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    SocSecRetirement: Mapped[int | None] = mapped_column(sa.Integer)
    SocSecRetirementAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    Pension: Mapped[int | None] = mapped_column(sa.Integer)
    PensionAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    ChildSupport: Mapped[int | None] = mapped_column(sa.Integer)
    ChildSupportAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    Alimony: Mapped[int | None] = mapped_column(sa.Integer)
    AlimonyAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    OtherIncomeSource: Mapped[int | None] = mapped_column(sa.Integer)
    OtherIncomeAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    OtherIncomeSourceIdentify: Mapped[str | None] = mapped_column(sa.String(50))
    BenefitsFromAnySource: Mapped[int | None] = mapped_column(sa.Integer)
    SNAP: Mapped[int | None] = mapped_column(sa.Integer)
    WIC: Mapped[int | None] = mapped_column(sa.Integer)
    TANFChildCare: Mapped[int | None] = mapped_column(sa.Integer)
    TANFTransportation: Mapped[int | None] = mapped_column(sa.Integer)
    OtherTANF: Mapped[int | None] = mapped_column(sa.Integer)
    OtherBenefitsSource: Mapped[int | None] = mapped_column(sa.Integer)
    OtherBenefitsSourceIdentify: Mapped[str | None] = mapped_column(sa.String(50))
    InsuranceFromAnySource: Mapped[int | None] = mapped_column(sa.Integer)
    Medicaid: Mapped[int | None] = mapped_column(sa.Integer)
    NoMedicaidReason: Mapped[int | None] = mapped_column(sa.Integer)
    Medicare: Mapped[int | None] = mapped_column(sa.Integer)
    NoMedicareReason: Mapped[int | None] = mapped_column(sa.Integer)
    SCHIP: Mapped[int | None] = mapped_column(sa.Integer)
    NoSCHIPReason: Mapped[int | None] = mapped_column(sa.Integer)
    VHAServices: Mapped[int | None] = mapped_column(sa.Integer)
    NoVHAReason: Mapped[int | None] = mapped_column(sa.Integer)
    EmployerProvided: Mapped[int | None] = mapped_column(sa.Integer)
    NoEmployerProvidedReason: Mapped[int | None] = mapped_column(sa.Integer)
    COBRA: Mapped[int | None] = mapped_column(sa.Integer)
    NoCOBRAReason: Mapped[int | None] = mapped_column(sa.Integer)
    PrivatePay: Mapped[int | None] = mapped_column(sa.Integer)
    NoPrivatePayReason: Mapped[int | None] = mapped_column(sa.Integer)
    StateHealthIns: Mapped[int | None] = mapped_column(sa.Integer)
    NoStateHealthInsReason: Mapped[int | None] = mapped_column(sa.Integer)
    IndianHealthServices: Mapped[int | None] = mapped_column(sa.Integer)
    NoIndianHealthServicesReason: Mapped[int | None] = mapped_column(sa.Integer)
    OtherInsurance: Mapped[int | None] = mapped_column(sa.Integer)
    OtherInsuranceIdentify: Mapped[str | None] = mapped_column(sa.String(50))
    ADAP: Mapped[int | None] = mapped_column(sa.Integer)
    NoADAPReason: Mapped[int | None] = mapped_column(sa.Integer)
    RyanWhiteMedDent: Mapped[int | None] = mapped_column(sa.Integer)
    NoRyanWhiteReason: Mapped[int | None] = mapped_column(sa.Integer)
    ConnectionWithSOAR: Mapped[int | None] = mapped_column(sa.Integer)
    DataCollectionStage: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< IncomeBenefits.csv


class HealthAndDV(Model):
    """Domestic violence (4.11) and health status (R7-R10) at one stage."""

    __tablename__ = "health_and_dv"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "HealthAndDVID"),
        hud_ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> HealthAndDV.csv (scripts/gen_sandbox_models.py)
    HealthAndDVID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str] = mapped_column(sa.String(32))
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    InformationDate: Mapped[date] = mapped_column(sa.Date)
    DomesticViolenceSurvivor: Mapped[int | None] = mapped_column(sa.Integer)
    WhenOccurred: Mapped[int | None] = mapped_column(sa.Integer)
    CurrentlyFleeing: Mapped[int | None] = mapped_column(sa.Integer)
    GeneralHealthStatus: Mapped[int | None] = mapped_column(sa.Integer)
    DentalHealthStatus: Mapped[int | None] = mapped_column(sa.Integer)
    MentalHealthStatus: Mapped[int | None] = mapped_column(sa.Integer)
    PregnancyStatus: Mapped[int | None] = mapped_column(sa.Integer)
    DueDate: Mapped[date | None] = mapped_column(sa.Date)
    DataCollectionStage: Mapped[int] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< HealthAndDV.csv


class Disabilities(Model):
    """One disability type's answer (4.05-4.10) at one stage."""

    __tablename__ = "disabilities"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "DisabilitiesID"),
        hud_ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Disabilities.csv (scripts/gen_sandbox_models.py)
    DisabilitiesID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str] = mapped_column(sa.String(32))
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    InformationDate: Mapped[date] = mapped_column(sa.Date)
    DisabilityType: Mapped[int] = mapped_column(sa.Integer)
    DisabilityResponse: Mapped[int] = mapped_column(sa.Integer)
    IndefiniteAndImpairs: Mapped[int | None] = mapped_column(sa.Integer)
    TCellCountAvailable: Mapped[int | None] = mapped_column(sa.Integer)
    TCellCount: Mapped[int | None] = mapped_column(sa.Integer)
    TCellSource: Mapped[int | None] = mapped_column(sa.Integer)
    ViralLoadAvailable: Mapped[int | None] = mapped_column(sa.Integer)
    ViralLoad: Mapped[int | None] = mapped_column(sa.Integer)
    ViralLoadSource: Mapped[int | None] = mapped_column(sa.Integer)
    AntiRetroviral: Mapped[int | None] = mapped_column(sa.Integer)
    DataCollectionStage: Mapped[int] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Disabilities.csv


class EmploymentEducation(Model):
    """Last grade completed, school and employment status (R4-R6).

    EmploymentEducation.csv as imported (EmploymentEducationID unique), written back at export.
    """

    __tablename__ = "employment_educations"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "EmploymentEducationID",
                                          name="uq_employment_educations_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> EmploymentEducation.csv (scripts/gen_sandbox_models.py; only EmploymentEducationID required)
    EmploymentEducationID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    InformationDate: Mapped[date | None] = mapped_column(sa.Date)
    LastGradeCompleted: Mapped[int | None] = mapped_column(sa.Integer)
    SchoolStatus: Mapped[int | None] = mapped_column(sa.Integer)
    Employed: Mapped[int | None] = mapped_column(sa.Integer)
    EmploymentType: Mapped[int | None] = mapped_column(sa.Integer)
    NotEmployedReason: Mapped[int | None] = mapped_column(sa.Integer)
    DataCollectionStage: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< EmploymentEducation.csv


class YouthEducationStatus(Model):
    """Youth education status (C3).

    YouthEducationStatus.csv as imported (YouthEducationStatusID unique), written back at export.
    """

    __tablename__ = "youth_education_statuses"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "YouthEducationStatusID",
                                          name="uq_youth_education_statuses_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> YouthEducationStatus.csv (scripts/gen_sandbox_models.py; only YouthEducationStatusID required)
    YouthEducationStatusID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    InformationDate: Mapped[date | None] = mapped_column(sa.Date)
    CurrentSchoolAttend: Mapped[int | None] = mapped_column(sa.Integer)
    MostRecentEdStatus: Mapped[int | None] = mapped_column(sa.Integer)
    CurrentEdStatus: Mapped[int | None] = mapped_column(sa.Integer)
    DataCollectionStage: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< YouthEducationStatus.csv
