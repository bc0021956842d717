"""The sandbox HMIS: workspaces and HUD FY2026 records, column for column as the HMIS CSV writes them.

Each HUD table's columns are generated from the FY2026 HMIS CSV specification
(``sandbox/data/hmis_csv_fy2026_columns.csv``), with HUD's own column names as
attribute names, so entry forms, snapshots, data-quality checks and the CSV
export/import all speak HUD.  Every row belongs to one **workspace** (one
trainee's private copy of an HMIS); HUD identifiers (PersonalID, EnrollmentID
...) are unique within a workspace, and records point at each other through
(workspace, HUD id) pairs, never across workspaces.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.types import UTCDateTime
import lms.hud as hud
from sandbox.db import SandboxBase

_TYPES = {"integer": sa.Integer, "date": sa.Date, "datetime": sa.DateTime}


def _hud_columns(file_name: str, *, key: str | None = None) -> dict[str, Any]:
    """Return the columns of one HMIS CSV file as SQLAlchemy columns (ExportID is written at export).

    With ``key`` (the files kept as they come), only that column is NOT NULL: an import keeps a row whose
    other required values are blank and reports it, rather than dropping it.
    """
    out: dict[str, Any] = {}
    for col in hud.columns(file_name):
        if col.name in hud.EXPORT_ONLY:
            continue
        if col.is_money:
            type_: Any = sa.Numeric(12, 2)
        elif col.type == "string":
            type_ = sa.String(col.limit or 255)
        else:
            type_ = _TYPES[col.type]()
        nullable = col.name != key if key else not col.required
        out[col.name] = sa.Column(col.name, type_, nullable=nullable)
    return out


def _ws_fk() -> Any:
    return sa.Column("workspace_id", sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False, index=True)


def _ref(cols: tuple[str, ...], table: str, targets: tuple[str, ...]) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(("workspace_id", *cols), [f"{table}.workspace_id"] + [f"{table}.{t}" for t in targets],
                                   ondelete="CASCADE")


class Workspace(SandboxBase):
    """One trainee's private HMIS. The LMS knows it only by ``ref`` (for example "user:42")."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Opaque reference the LMS gives; the sandbox never looks inside it.
    ref: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Written into UserID of every HUD record the trainee creates.
    user_label: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Last time the trainee (or an administrator) emptied it.
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Raised by every change to the workspace's records (see :func:`track_changes`): a report cached for
    #: one version (:class:`QualitySummary`) is good until the next change.
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")


class QualitySummary(SandboxBase):
    """A workspace's data-quality counts by kind, as they were at one ``data_version`` (the home page shows
    them on every visit; counting a 10,000-client workspace takes half a second, a cached row one read)."""

    __tablename__ = "workspace_quality"

    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    data_version: Mapped[int]
    #: JSON: {"missing": n, "dk_pnta": n, "issue": n, "late": n}.
    counts: Mapped[str] = mapped_column(sa.Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CatalogProject(SandboxBase):
    """A project every new workspace gets a copy of (mirrors the LMS's projects through ``demo_seeded``)."""

    __tablename__ = "catalog_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The LMS project's id; a reference only, not a foreign key.
    lms_project_id: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    organization_name: Mapped[str] = mapped_column(sa.String(200))
    project_type: Mapped[int]
    coc_code: Mapped[str] = mapped_column(sa.String(6))


class Organization(SandboxBase):
    __tablename__ = "organizations"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "OrganizationID"),)
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("Organization.csv"))


class Project(SandboxBase):
    __tablename__ = "projects"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "ProjectID"),
        _ref(("OrganizationID",), "organizations", ("OrganizationID",)),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    #: The CoC the project belongs to (HUD keeps it in ProjectCoC.csv; the sandbox needs only the code).
    coc_code = sa.Column(sa.String(6), nullable=True)
    locals().update(_hud_columns("Project.csv"))


class Client(SandboxBase):
    __tablename__ = "clients"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "PersonalID"),)
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("Client.csv"))

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.FirstName, self.MiddleName, self.LastName, self.NameSuffix) if p)
        return name or "(no name recorded)"


class ReleaseOfInformation(SandboxBase):
    """Consent (or refusal) to share a client's data, valid for one year (the manual's ROI policy)."""

    __tablename__ = "releases_of_information"
    __table_args__ = (_ref(("PersonalID",), "clients", ("PersonalID",)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id = _ws_fk()
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    #: True: the client consented; False: the client refused.
    consented: Mapped[bool]
    signed_on: Mapped[date]
    expires_on: Mapped[date]
    #: "signed" paper form or "verbal" consent witnessed by the worker.
    documentation: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Enrollment(SandboxBase):
    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "EnrollmentID"),
        _ref(("PersonalID",), "clients", ("PersonalID",)),
        _ref(("ProjectID",), "projects", ("ProjectID",)),
        sa.Index("ix_enrollments_household", "workspace_id", "HouseholdID"),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("Enrollment.csv"))


class Exit(SandboxBase):
    __tablename__ = "exits"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "ExitID", name="uq_exits_exit_id"),
        #: One exit per enrollment.
        sa.UniqueConstraint("workspace_id", "EnrollmentID", name="uq_exits_enrollment_id"),
        _ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("Exit.csv"))


class IncomeBenefits(SandboxBase):
    __tablename__ = "income_benefits"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "IncomeBenefitsID"),
        _ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("IncomeBenefits.csv"))


class HealthAndDV(SandboxBase):
    __tablename__ = "health_and_dv"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "HealthAndDVID"),
        _ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("HealthAndDV.csv"))


class Disabilities(SandboxBase):
    __tablename__ = "disabilities"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "DisabilitiesID"),
        _ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("Disabilities.csv"))


class CurrentLivingSituation(SandboxBase):
    __tablename__ = "current_living_situations"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "CurrentLivingSitID"),
        _ref(("EnrollmentID",), "enrollments", ("EnrollmentID",)),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    workspace_id = _ws_fk()
    locals().update(_hud_columns("CurrentLivingSituation.csv"))


#: HMIS CSV file → (model, HUD key column), in the order files are imported (parents first).
CSV_MODELS: dict[str, tuple[type, str]] = {
    "Organization.csv": (Organization, "OrganizationID"),
    "Project.csv": (Project, "ProjectID"),
    "Client.csv": (Client, "PersonalID"),
    "Enrollment.csv": (Enrollment, "EnrollmentID"),
    "Exit.csv": (Exit, "ExitID"),
    "IncomeBenefits.csv": (IncomeBenefits, "IncomeBenefitsID"),
    "HealthAndDV.csv": (HealthAndDV, "HealthAndDVID"),
    "Disabilities.csv": (Disabilities, "DisabilitiesID"),
    "CurrentLivingSituation.csv": (CurrentLivingSituation, "CurrentLivingSitID"),
}


def bump_data_version(sdb: Session, workspace_ids: Iterable[int]) -> None:
    """Mark workspaces as changed (cached reports of them are stale).  Flushed ORM changes do this by
    themselves (:func:`_track_changes`); bulk statements (reset, import) call it."""
    ids = sorted({i for i in workspace_ids if i is not None})
    if ids:
        table = Workspace.__table__
        sdb.connection().execute(sa.update(table).where(table.c.id.in_(ids))
                                 .values(data_version=table.c.data_version + 1))


@event.listens_for(Session, "before_flush")
def _track_changes(session: Session, _context, _instances) -> None:  # noqa: ANN001
    """Raise ``data_version`` of every workspace whose records a flush adds, changes or deletes (on any
    session: the application's, a job's or a test's)."""
    changed = [o for o in (*session.new, *session.dirty, *session.deleted)
               if isinstance(o, SandboxBase) and not isinstance(o, (Workspace, QualitySummary))]
    if changed:
        bump_data_version(session, (getattr(o, "workspace_id", None) for o in changed))


# --- the further FY2026 files, kept as they come -----------------------------------------------

def _kept_file(class_name: str, file_name: str, table: str, key: str) -> type:
    """Declare the table of one HMIS CSV file the sandbox has no form for: its HUD columns, unique key per workspace."""
    attrs: dict[str, Any] = {
        "__tablename__": table,
        "__table_args__": (sa.UniqueConstraint("workspace_id", key, name=f"uq_{table}_key"),),
        "__doc__": f"Rows of {file_name} as imported, written back at export (HUD's columns, {key} unique).",
        "id": sa.Column(sa.Integer, primary_key=True),
        "workspace_id": _ws_fk(),
        **_hud_columns(file_name, key=key),
    }
    return type(class_name, (SandboxBase,), attrs)


User = _kept_file("User", "User.csv", "hud_users", "UserID")
Funder = _kept_file("Funder", "Funder.csv", "funders", "FunderID")
ProjectCoC = _kept_file("ProjectCoC", "ProjectCoC.csv", "project_cocs", "ProjectCoCID")
Inventory = _kept_file("Inventory", "Inventory.csv", "inventories", "InventoryID")
HMISParticipation = _kept_file("HMISParticipation", "HMISParticipation.csv", "hmis_participations",
                               "HMISParticipationID")
CEParticipation = _kept_file("CEParticipation", "CEParticipation.csv", "ce_participations", "CEParticipationID")
Affiliation = _kept_file("Affiliation", "Affiliation.csv", "affiliations", "AffiliationID")
EmploymentEducation = _kept_file("EmploymentEducation", "EmploymentEducation.csv", "employment_educations",
                                 "EmploymentEducationID")
Services = _kept_file("Services", "Services.csv", "services", "ServicesID")
Assessment = _kept_file("Assessment", "Assessment.csv", "ce_assessments", "AssessmentID")
AssessmentQuestions = _kept_file("AssessmentQuestions", "AssessmentQuestions.csv", "assessment_questions",
                                 "AssessmentQuestionID")
AssessmentResults = _kept_file("AssessmentResults", "AssessmentResults.csv", "assessment_results",
                               "AssessmentResultID")
Event = _kept_file("Event", "Event.csv", "ce_events", "EventID")
YouthEducationStatus = _kept_file("YouthEducationStatus", "YouthEducationStatus.csv", "youth_education_statuses",
                                  "YouthEducationStatusID")

#: The files the sandbox keeps without forms: file → (model, HUD key column), parents first.
KEPT_MODELS: dict[str, tuple[type, str]] = {
    "User.csv": (User, "UserID"), "Funder.csv": (Funder, "FunderID"), "ProjectCoC.csv": (ProjectCoC, "ProjectCoCID"),
    "Inventory.csv": (Inventory, "InventoryID"), "HMISParticipation.csv": (HMISParticipation, "HMISParticipationID"),
    "CEParticipation.csv": (CEParticipation, "CEParticipationID"), "Affiliation.csv": (Affiliation, "AffiliationID"),
    "EmploymentEducation.csv": (EmploymentEducation, "EmploymentEducationID"),
    "Services.csv": (Services, "ServicesID"), "Assessment.csv": (Assessment, "AssessmentID"),
    "AssessmentQuestions.csv": (AssessmentQuestions, "AssessmentQuestionID"),
    "AssessmentResults.csv": (AssessmentResults, "AssessmentResultID"), "Event.csv": (Event, "EventID"),
    "YouthEducationStatus.csv": (YouthEducationStatus, "YouthEducationStatusID"),
}
#: Every HMIS CSV file but Export.csv → (model, key).
ALL_MODELS: dict[str, tuple[type, str]] = {**CSV_MODELS, **KEPT_MODELS}


class ImportRun(SandboxBase):
    """One import of an HMIS CSV set (imported or refused) with its findings, for administrators."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_ref: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(500))
    #: "imported" or "refused".
    outcome: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The CSV report written beside the import.
    report_path: Mapped[str] = mapped_column(sa.String(500))
    rows_kept: Mapped[int]
    refused: Mapped[int]
    skipped: Mapped[int]
    warned: Mapped[int]


class ImportFinding(SandboxBase):
    """One finding of an import (the first :data:`sandbox.csv.importer.STORED_FINDINGS` of a run are kept here)."""

    __tablename__ = "import_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(sa.String(64))
    line: Mapped[int]
    column: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[str] = mapped_column(sa.String(200))
    severity: Mapped[str] = mapped_column(sa.String(8))
    message: Mapped[str] = mapped_column(sa.String(500))
