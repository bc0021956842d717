"""3.11 Project exit date and 3.12 Destination."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session

from sandbox import rules
from sandbox.models import Enrollment, Exit, Workspace
from sandbox.services.common import apply_values, new_id, stamp
from sandbox.services.lookups import exit_of


def exit_enrollment(sdb: Session, ws: Workspace, enrollment: Enrollment, data: Mapping[str, Any], *,
                    now: datetime) -> Exit:
    """Record 3.11 Project exit date and 3.12 Destination (changing it if already recorded)."""
    values, problems = rules.clean_texts(
        {k: data.get(k) for k in ("ExitDate", "Destination", "DestinationSubsidyType", "OtherDestination")}, "Exit.csv")
    rules.raise_if(rules.merge(problems, rules.check_exit(values, start=enrollment.EntryDate,
                                                          move_in=enrollment.MoveInDate, today=now.date())))
    ts = stamp(now)
    x = exit_of(sdb, enrollment)
    if x is None:
        x = Exit(workspace_id=ws.id, ExitID=new_id(), EnrollmentID=enrollment.EnrollmentID,
                 PersonalID=enrollment.PersonalID, DateCreated=ts, UserID=ws.user_label)
        sdb.add(x)
    return apply_values(sdb, x, values, ts)
