"""4.12 Current living situation: one record per contact, where HUD collects it (lms.hud.applicability)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.hud import applicability
from sandbox import validation as rules
from sandbox.models import CurrentLivingSituation, Enrollment, Workspace
from sandbox.services.common import new_id, stamp
from sandbox.services.lookups import exit_of, get_client, get_project, project_funders


def _who_and_where(sdb: Session, ws_id: int, enrollment: Enrollment) -> dict[str, Any]:
    """What decides whether HUD collects 4.12 on this stay: the project's type and funders, the person."""
    project = get_project(sdb, ws_id, enrollment.ProjectID)
    client = get_client(sdb, ws_id, enrollment.PersonalID)
    return {"project_type": project.ProjectType, "funders": project_funders(sdb, ws_id, project.ProjectID),
            "is_hoh": enrollment.RelationshipToHoH == 1,
            "is_adult": applicability.is_adult(client.DOB, enrollment.EntryDate)}


def contacts_not_recorded_reason(sdb: Session, ws_id: int, enrollment: Enrollment) -> str | None:
    """Why no 4.12 contact is recorded on this stay (the page then offers no contact form), or None."""
    return applicability.current_living_situation_reason(**_who_and_where(sdb, ws_id, enrollment))


def record_current_living_situation(sdb: Session, ws: Workspace, enrollment: Enrollment, data: Mapping[str, Any], *,
                                    now: datetime, record_id: str | None = None) -> CurrentLivingSituation:
    """4.12: one record per contact, in the projects that record contacts (street outreach, night-by-night
    shelter, coordinated entry, services only, RHY-funded), for adults and heads of household."""
    rules.raise_if(rules.check_record_id(record_id))
    if record_id:
        existing = sdb.execute(sa.select(CurrentLivingSituation).where(
            CurrentLivingSituation.workspace_id == ws.id, CurrentLivingSituation.CurrentLivingSitID == record_id)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    x = exit_of(sdb, enrollment)
    data, problems = rules.contact_answers(data, **_who_and_where(sdb, ws.id, enrollment),
                                           entry_date=enrollment.EntryDate, exit_date=x.ExitDate if x else None,
                                           today=now.date())
    info = data.get("InformationDate")
    rules.raise_if(problems)
    ts = stamp(now)
    row = CurrentLivingSituation(workspace_id=ws.id, CurrentLivingSitID=record_id or new_id(),
                                 EnrollmentID=enrollment.EnrollmentID,
                                 PersonalID=enrollment.PersonalID, InformationDate=info,
                                 CurrentLivingSituation=data.get("CurrentLivingSituation"),
                                 LocationDetails=(data.get("LocationDetails") or None), DateCreated=ts,
                                 DateUpdated=ts, UserID=ws.user_label)
    sdb.add(row)
    sdb.flush()
    return row
