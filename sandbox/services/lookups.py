"""Look-ups scoped to one workspace: an id from another workspace is not found, like one that does not exist."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.errors import NotFound
from sandbox import rules
from sandbox.models import Client, Enrollment, Exit, Project


def _one(sdb: Session, model: type, ws_id: int, column: str, value: Any) -> Any:
    if not rules.is_record_id(value):  # not an id the sandbox could have made (too long, NUL ...): no such record
        raise NotFound("There is no such record in your workspace.")
    row = sdb.execute(sa.select(model).where(model.workspace_id == ws_id, getattr(model, column) == value)
                      ).scalar_one_or_none()
    if row is None:
        raise NotFound("There is no such record in your workspace.")
    return row


def get_client(sdb: Session, ws_id: int, personal_id: str) -> Client:
    return _one(sdb, Client, ws_id, "PersonalID", personal_id)


def get_enrollment(sdb: Session, ws_id: int, enrollment_id: str) -> Enrollment:
    return _one(sdb, Enrollment, ws_id, "EnrollmentID", enrollment_id)


def get_project(sdb: Session, ws_id: int, project_id: str) -> Project:
    return _one(sdb, Project, ws_id, "ProjectID", project_id)


def projects(sdb: Session, ws_id: int) -> list[Project]:
    return list(sdb.execute(sa.select(Project).where(Project.workspace_id == ws_id, Project.DateDeleted.is_(None))
                            .order_by(Project.ProjectName)).scalars())


def exit_of(sdb: Session, enrollment: Enrollment) -> Exit | None:
    return sdb.execute(sa.select(Exit).where(Exit.workspace_id == enrollment.workspace_id,
                                             Exit.EnrollmentID == enrollment.EnrollmentID)).scalar_one_or_none()


def enrollments_of(sdb: Session, ws_id: int, personal_id: str) -> list[tuple[Enrollment, Project, Exit | None]]:
    rows = sdb.execute(
        sa.select(Enrollment, Project, Exit)
        .join(Project, sa.and_(Project.workspace_id == Enrollment.workspace_id, Project.ProjectID == Enrollment.ProjectID))
        .outerjoin(Exit, sa.and_(Exit.workspace_id == Enrollment.workspace_id, Exit.EnrollmentID == Enrollment.EnrollmentID))
        .where(Enrollment.workspace_id == ws_id, Enrollment.PersonalID == personal_id)
        .order_by(Enrollment.EntryDate.desc())
    ).all()
    return [(e, p, x) for e, p, x in rows]


def household(sdb: Session, ws_id: int, household_id: str) -> list[tuple[Enrollment, Client]]:
    if not rules.is_record_id(household_id):
        return []
    rows = sdb.execute(
        sa.select(Enrollment, Client)
        .join(Client, sa.and_(Client.workspace_id == Enrollment.workspace_id, Client.PersonalID == Enrollment.PersonalID))
        .where(Enrollment.workspace_id == ws_id, Enrollment.HouseholdID == household_id)
        .order_by(Enrollment.RelationshipToHoH, Client.LastName)
    ).all()
    return [(e, c) for e, c in rows]
