"""The sandbox HMIS: workspaces and HUD FY2026 records, column for column as the HMIS CSV writes them.

Each HUD table declares the columns of the FY2026 HMIS CSV specification
(``lms/hud/data/hmis_csv_fy2026_columns.csv``), with HUD's own column names as
attribute names, so entry forms, snapshots, data-quality checks and the CSV
export/import all speak HUD.  The blocks between ``# >>> File.csv`` and
``# <<< File.csv`` are written from that specification by
``scripts/gen_sandbox_models.py`` (run it again when HUD's columns change, then
write a migration); ``tests/unit/sandbox/test_schema.py`` checks they agree.

Every row belongs to one **workspace** (one trainee's private copy of an HMIS);
HUD identifiers (PersonalID, EnrollmentID ...) are unique within a workspace,
and records point at each other through (workspace, HUD id) pairs, never across
workspaces.
"""

from __future__ import annotations

from sandbox.models.assessments import (Disabilities, EmploymentEducation, HealthAndDV, IncomeBenefits,
                                        YouthEducationStatus)
from sandbox.models.client import Client, ReleaseOfInformation
from sandbox.models.coordinated_entry import Assessment, AssessmentQuestions, AssessmentResults, Event
from sandbox.models.enrollment import CurrentLivingSituation, Enrollment, Exit, Services
from sandbox.models.imports import ImportFinding, ImportRun
from sandbox.models.projects import (Affiliation, CEParticipation, Funder, HMISParticipation, Inventory, Organization,
                                     Project, ProjectCoC, User)
from sandbox.models.workspace import CatalogProject, QualitySummary, Workspace, bump_data_version

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
#: The files the sandbox keeps without forms (every column but the key may be blank, so an import keeps a
#: row whose other required values are missing and reports it): file → (model, HUD key column), parents first.
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

__all__ = [
    "ALL_MODELS", "CSV_MODELS", "KEPT_MODELS", "Affiliation", "Assessment", "AssessmentQuestions",
    "AssessmentResults", "CEParticipation", "CatalogProject", "Client", "CurrentLivingSituation", "Disabilities",
    "EmploymentEducation", "Enrollment", "Event", "Exit", "Funder", "HMISParticipation", "HealthAndDV",
    "ImportFinding", "ImportRun", "IncomeBenefits", "Inventory", "Organization", "Project", "ProjectCoC",
    "QualitySummary", "ReleaseOfInformation", "Services", "User", "Workspace", "YouthEducationStatus",
    "bump_data_version",
]
