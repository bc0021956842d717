"""Enrollments: project start (a new household or joining one), 3.20 move-in date, what HUD asks at a stage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.errors import NotFound
from sandbox import rules
from sandbox.models import Client, Enrollment, Project, Workspace
from sandbox.rules import Problem
from sandbox.services.common import new_id, stamp
from sandbox.services.consent import require_roi
from sandbox.services.lookups import exit_of, get_client, get_project, household


ENROLLMENT_FIELDS = ["EntryDate", "RelationshipToHoH", "EnrollmentCoC", "DisablingCondition", "LivingSituation",
                     "RentalSubsidyType", "LengthOfStay", "LOSUnderThreshold", "PreviousStreetESSH", "DateToStreetESSH",
                     "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears", "MoveInDate"]


def enroll(sdb: Session, ws: Workspace, client: Client, project: Project, data: Mapping[str, Any], *, now: datetime,
           household_id: str | None = None, record_id: str | None = None) -> Enrollment:
    """Start a client in a project: a new household (the client heads it) or joining ``household_id``."""
    rules.raise_if(rules.check_record_id(record_id))
    if record_id:
        existing = sdb.execute(sa.select(Enrollment).where(Enrollment.workspace_id == ws.id,
                                                           Enrollment.EnrollmentID == record_id)).scalar_one_or_none()
        if existing is not None:
            return existing
    values, problems = rules.clean_texts({k: data.get(k) for k in ENROLLMENT_FIELDS}, "Enrollment.csv")
    require_roi(sdb, ws.id, client, on=now.date())  # consent must be in force when the data is entered
    problems += rules.check_dates(values, ["EntryDate", "DateToStreetESSH", "MoveInDate"], today=now.date())
    if household_id is None:
        household_id = new_id()
        relationships = [values.get("RelationshipToHoH")]
    else:
        members = household(sdb, ws.id, household_id)
        if not members:
            raise NotFound("There is no such household in your workspace.")
        if any(c.PersonalID == client.PersonalID for _, c in members):
            problems.append(Problem("PersonalID", "Household: this client is already in the household."))
        if members[0][0].ProjectID != project.ProjectID:
            problems.append(Problem("ProjectID", "Household: members enter the same project as the head of household."))
        relationships = [e.RelationshipToHoH for e, _ in members] + [values.get("RelationshipToHoH")]
    if values.get("RelationshipToHoH") is not None:  # an unanswered relationship is reported once, below
        problems += rules.check_household(relationships)
    is_hoh = values.get("RelationshipToHoH") == 1
    problems = rules.merge(problems, rules.check_enrollment(values, project_type=project.ProjectType, dob=client.DOB,
                                                            is_hoh=is_hoh))
    rules.raise_if(problems)
    ts = stamp(now)
    e = Enrollment(workspace_id=ws.id, EnrollmentID=record_id or new_id(), PersonalID=client.PersonalID,
                   ProjectID=project.ProjectID, HouseholdID=household_id, DateCreated=ts, DateUpdated=ts,
                   UserID=ws.user_label, **values)
    sdb.add(e)
    sdb.flush()
    return e


def set_move_in(sdb: Session, ws: Workspace, enrollment: Enrollment, move_in: date | None, *, now: datetime) -> None:
    """3.20 Housing move-in date, for the head of household in permanent housing."""
    project = get_project(sdb, ws.id, enrollment.ProjectID)
    x = exit_of(sdb, enrollment)
    rules.raise_if(rules.check_dates({"MoveInDate": move_in}, ["MoveInDate"], today=now.date()) or
                   rules.check_move_in(move_in, project_type=project.ProjectType, start=enrollment.EntryDate,
                                       exit_date=x.ExitDate if x else None, is_hoh=enrollment.RelationshipToHoH == 1))
    enrollment.MoveInDate = move_in
    enrollment.DateUpdated = stamp(now)


def required_for(sdb: Session, ws_id: int, enrollment: Enrollment, stage: int) -> frozenset[str]:
    """Return the elements HUD asks of this enrollment's client at ``stage``."""
    project = get_project(sdb, ws_id, enrollment.ProjectID)
    client = get_client(sdb, ws_id, enrollment.PersonalID)
    return rules.required_elements(project.ProjectType, stage, is_hoh=enrollment.RelationshipToHoH == 1,
                                   is_adult=rules.is_adult(client.DOB, enrollment.EntryDate))
