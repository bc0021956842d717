"""Enrollments (Enrollment.csv), their exits, and what is recorded during a stay: current living
situations (4.12) and services (Services.csv, bed nights 4.14 among them)."""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.models.base import Model, hud_ref, workspace_fk


class Enrollment(Model):
    """A client's stay in a project (3.10-3.917, 3.15-3.16, 3.20, 4.xx at project start)."""

    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "EnrollmentID"),
        hud_ref(("PersonalID",), "clients", ("PersonalID",)),
        hud_ref(("ProjectID",), "projects", ("ProjectID",)),
        sa.Index("ix_enrollments_household", "workspace_id", "HouseholdID"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Enrollment.csv (scripts/gen_sandbox_models.py)
    EnrollmentID: Mapped[str] = mapped_column(sa.String(32))
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    ProjectID: Mapped[str] = mapped_column(sa.String(32))
    EntryDate: Mapped[date] = mapped_column(sa.Date)
    HouseholdID: Mapped[str] = mapped_column(sa.String(32))
    RelationshipToHoH: Mapped[int | None] = mapped_column(sa.Integer)
    EnrollmentCoC: Mapped[str | None] = mapped_column(sa.String(6))
    LivingSituation: Mapped[int | None] = mapped_column(sa.Integer)
    RentalSubsidyType: Mapped[int | None] = mapped_column(sa.Integer)
    LengthOfStay: Mapped[int | None] = mapped_column(sa.Integer)
    LOSUnderThreshold: Mapped[int | None] = mapped_column(sa.Integer)
    PreviousStreetESSH: Mapped[int | None] = mapped_column(sa.Integer)
    DateToStreetESSH: Mapped[date | None] = mapped_column(sa.Date)
    TimesHomelessPastThreeYears: Mapped[int | None] = mapped_column(sa.Integer)
    MonthsHomelessPastThreeYears: Mapped[int | None] = mapped_column(sa.Integer)
    DisablingCondition: Mapped[int | None] = mapped_column(sa.Integer)
    DateOfEngagement: Mapped[date | None] = mapped_column(sa.Date)
    MoveInDate: Mapped[date | None] = mapped_column(sa.Date)
    DateOfPATHStatus: Mapped[date | None] = mapped_column(sa.Date)
    ClientEnrolledInPATH: Mapped[int | None] = mapped_column(sa.Integer)
    ReasonNotEnrolled: Mapped[int | None] = mapped_column(sa.Integer)
    PercentAMI: Mapped[int | None] = mapped_column(sa.Integer)
    ReferralSource: Mapped[int | None] = mapped_column(sa.Integer)
    CountOutreachReferralApproaches: Mapped[int | None] = mapped_column(sa.Integer)
    DateOfBCPStatus: Mapped[date | None] = mapped_column(sa.Date)
    EligibleForRHY: Mapped[int | None] = mapped_column(sa.Integer)
    ReasonNoServices: Mapped[int | None] = mapped_column(sa.Integer)
    RunawayYouth: Mapped[int | None] = mapped_column(sa.Integer)
    FormerWardChildWelfare: Mapped[int | None] = mapped_column(sa.Integer)
    ChildWelfareYears: Mapped[int | None] = mapped_column(sa.Integer)
    ChildWelfareMonths: Mapped[int | None] = mapped_column(sa.Integer)
    FormerWardJuvenileJustice: Mapped[int | None] = mapped_column(sa.Integer)
    JuvenileJusticeYears: Mapped[int | None] = mapped_column(sa.Integer)
    JuvenileJusticeMonths: Mapped[int | None] = mapped_column(sa.Integer)
    UnemploymentFam: Mapped[int | None] = mapped_column(sa.Integer)
    MentalHealthDisorderFam: Mapped[int | None] = mapped_column(sa.Integer)
    PhysicalDisabilityFam: Mapped[int | None] = mapped_column(sa.Integer)
    AlcoholDrugUseDisorderFam: Mapped[int | None] = mapped_column(sa.Integer)
    InsufficientIncome: Mapped[int | None] = mapped_column(sa.Integer)
    IncarceratedParent: Mapped[int | None] = mapped_column(sa.Integer)
    VAMCStation: Mapped[str | None] = mapped_column(sa.String(5))
    TargetScreenReqd: Mapped[int | None] = mapped_column(sa.Integer)
    TimeToHousingLoss: Mapped[int | None] = mapped_column(sa.Integer)
    AnnualPercentAMI: Mapped[int | None] = mapped_column(sa.Integer)
    LiteralHomelessHistory: Mapped[int | None] = mapped_column(sa.Integer)
    ClientLeaseholder: Mapped[int | None] = mapped_column(sa.Integer)
    HOHLeaseholder: Mapped[int | None] = mapped_column(sa.Integer)
    SubsidyAtRisk: Mapped[int | None] = mapped_column(sa.Integer)
    EvictionHistory: Mapped[int | None] = mapped_column(sa.Integer)
    CriminalRecord: Mapped[int | None] = mapped_column(sa.Integer)
    IncarceratedAdult: Mapped[int | None] = mapped_column(sa.Integer)
    PrisonDischarge: Mapped[int | None] = mapped_column(sa.Integer)
    SexOffender: Mapped[int | None] = mapped_column(sa.Integer)
    DisabledHoH: Mapped[int | None] = mapped_column(sa.Integer)
    CurrentPregnant: Mapped[int | None] = mapped_column(sa.Integer)
    SingleParent: Mapped[int | None] = mapped_column(sa.Integer)
    DependentUnder6: Mapped[int | None] = mapped_column(sa.Integer)
    HH5Plus: Mapped[int | None] = mapped_column(sa.Integer)
    CoCPrioritized: Mapped[int | None] = mapped_column(sa.Integer)
    HPScreeningScore: Mapped[int | None] = mapped_column(sa.Integer)
    ThresholdScore: Mapped[int | None] = mapped_column(sa.Integer)
    MentalHealthConsultation: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Enrollment.csv


class Exit(Model):
    """The end of an enrollment (3.11 exit date, 3.12 destination, exit-only elements); one per enrollment."""

    __tablename__ = "exits"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "ExitID", name="uq_exits_exit_id"),
        #: One exit per enrollment.
        sa.UniqueConstraint("workspace_id", "EnrollmentID", name="uq_exits_enrollment_id"),
        hud_ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Exit.csv (scripts/gen_sandbox_models.py)
    ExitID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str] = mapped_column(sa.String(32))
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    ExitDate: Mapped[date] = mapped_column(sa.Date)
    Destination: Mapped[int] = mapped_column(sa.Integer)
    DestinationSubsidyType: Mapped[int | None] = mapped_column(sa.Integer)
    OtherDestination: Mapped[str | None] = mapped_column(sa.String(50))
    HousingAssessment: Mapped[int | None] = mapped_column(sa.Integer)
    SubsidyInformation: Mapped[int | None] = mapped_column(sa.Integer)
    ProjectCompletionStatus: Mapped[int | None] = mapped_column(sa.Integer)
    EarlyExitReason: Mapped[int | None] = mapped_column(sa.Integer)
    ExchangeForSex: Mapped[int | None] = mapped_column(sa.Integer)
    ExchangeForSexPastThreeMonths: Mapped[int | None] = mapped_column(sa.Integer)
    CountOfExchangeForSex: Mapped[int | None] = mapped_column(sa.Integer)
    AskedOrForcedToExchangeForSex: Mapped[int | None] = mapped_column(sa.Integer)
    AskedOrForcedToExchangeForSexPastThreeMonths: Mapped[int | None] = mapped_column(sa.Integer)
    WorkPlaceViolenceThreats: Mapped[int | None] = mapped_column(sa.Integer)
    WorkplacePromiseDifference: Mapped[int | None] = mapped_column(sa.Integer)
    CoercedToContinueWork: Mapped[int | None] = mapped_column(sa.Integer)
    LaborExploitPastThreeMonths: Mapped[int | None] = mapped_column(sa.Integer)
    CounselingReceived: Mapped[int | None] = mapped_column(sa.Integer)
    IndividualCounseling: Mapped[int | None] = mapped_column(sa.Integer)
    FamilyCounseling: Mapped[int | None] = mapped_column(sa.Integer)
    GroupCounseling: Mapped[int | None] = mapped_column(sa.Integer)
    SessionCountAtExit: Mapped[int | None] = mapped_column(sa.Integer)
    PostExitCounselingPlan: Mapped[int | None] = mapped_column(sa.Integer)
    SessionsInPlan: Mapped[int | None] = mapped_column(sa.Integer)
    DestinationSafeClient: Mapped[int | None] = mapped_column(sa.Integer)
    DestinationSafeWorker: Mapped[int | None] = mapped_column(sa.Integer)
    PosAdultConnections: Mapped[int | None] = mapped_column(sa.Integer)
    PosPeerConnections: Mapped[int | None] = mapped_column(sa.Integer)
    PosCommunityConnections: Mapped[int | None] = mapped_column(sa.Integer)
    AftercareDate: Mapped[date | None] = mapped_column(sa.Date)
    AftercareProvided: Mapped[int | None] = mapped_column(sa.Integer)
    EmailSocialMedia: Mapped[int | None] = mapped_column(sa.Integer)
    Telephone: Mapped[int | None] = mapped_column(sa.Integer)
    InPersonIndividual: Mapped[int | None] = mapped_column(sa.Integer)
    InPersonGroup: Mapped[int | None] = mapped_column(sa.Integer)
    CMExitReason: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Exit.csv


class CurrentLivingSituation(Model):
    """A contact and where the client stayed then (4.12), the contacts Q6f counts for street outreach."""

    __tablename__ = "current_living_situations"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "CurrentLivingSitID"),
        hud_ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> CurrentLivingSituation.csv (scripts/gen_sandbox_models.py)
    CurrentLivingSitID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str] = mapped_column(sa.String(32))
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    InformationDate: Mapped[date] = mapped_column(sa.Date)
    CurrentLivingSituation: Mapped[int] = mapped_column(sa.Integer)
    CLSSubsidyType: Mapped[int | None] = mapped_column(sa.Integer)
    VerifiedBy: Mapped[str | None] = mapped_column(sa.String(200))
    LeaveSituation14Days: Mapped[int | None] = mapped_column(sa.Integer)
    SubsequentResidence: Mapped[int | None] = mapped_column(sa.Integer)
    ResourcesToObtain: Mapped[int | None] = mapped_column(sa.Integer)
    LeaseOwn60Day: Mapped[int | None] = mapped_column(sa.Integer)
    MovedTwoOrMore: Mapped[int | None] = mapped_column(sa.Integer)
    LocationDetails: Mapped[str | None] = mapped_column(sa.String(250))
    DateCreated: Mapped[datetime] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime] = mapped_column(sa.DateTime)
    UserID: Mapped[str] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< CurrentLivingSituation.csv


class Services(Model):
    """Services provided during a stay (4.14 bed nights are RecordType 200, which Q6f reads).

    Services.csv as imported (ServicesID unique), written back at export.
    """

    __tablename__ = "services"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "ServicesID", name="uq_services_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Services.csv (scripts/gen_sandbox_models.py; only ServicesID required)
    ServicesID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    DateProvided: Mapped[date | None] = mapped_column(sa.Date)
    RecordType: Mapped[int | None] = mapped_column(sa.Integer)
    TypeProvided: Mapped[int | None] = mapped_column(sa.Integer)
    OtherTypeProvided: Mapped[str | None] = mapped_column(sa.String(50))
    MovingOnOtherType: Mapped[str | None] = mapped_column(sa.String(50))
    SubTypeProvided: Mapped[int | None] = mapped_column(sa.Integer)
    FAAmount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    FAStartDate: Mapped[date | None] = mapped_column(sa.Date)
    FAEndDate: Mapped[date | None] = mapped_column(sa.Date)
    ReferralOutcome: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Services.csv
