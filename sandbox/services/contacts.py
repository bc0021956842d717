"""4.12 Current living situation: one record per street outreach contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox import hud, rules
from sandbox.models import CurrentLivingSituation, Enrollment, Workspace
from sandbox.rules import Problem
from sandbox.services.common import new_id, stamp
from sandbox.services.lookups import get_project


def record_current_living_situation(sdb: Session, ws: Workspace, enrollment: Enrollment, data: Mapping[str, Any], *,
                                    now: datetime, record_id: str | None = None) -> CurrentLivingSituation:
    """4.12: one record per contact (street outreach)."""
    rules.raise_if(rules.check_record_id(record_id))
    if record_id:
        existing = sdb.execute(sa.select(CurrentLivingSituation).where(
            CurrentLivingSituation.workspace_id == ws.id, CurrentLivingSituation.CurrentLivingSitID == record_id)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    project = get_project(sdb, ws.id, enrollment.ProjectID)
    data, problems = rules.clean_texts(data, "CurrentLivingSituation.csv")
    problems += rules.check_codes(data, ["CurrentLivingSituation", "CLSSubsidyType"])
    info = data.get("InformationDate")
    if project.ProjectType != hud.SO:
        problems.append(Problem("CurrentLivingSituation", "Current living situation contacts are recorded in "
                                                          "street outreach projects."))
    if info is None:
        problems.append(Problem("InformationDate", "Date of contact: enter it."))
    elif info < enrollment.EntryDate or info > now.date():
        problems.append(Problem("InformationDate", "Date of contact: it must be within the stay and not in the future."))
    if data.get("CurrentLivingSituation") is None:
        problems.append(Problem("CurrentLivingSituation", "Current living situation: choose where the client is staying."))
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
