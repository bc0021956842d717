"""What other packages read of a workspace: its records in HUD's field names and codes, its data-quality findings."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox import hud, quality
from sandbox.db import get_sandbox_session
from sandbox.models import CurrentLivingSituation, Project
from sandbox.rules import Problem, ValidationFailed
from sandbox.services.assessments import assessment
from sandbox.services.client_records import clients, clients_by_id
from sandbox.services.lookups import enrollments_of, get_client


def _row(obj: Any, file_name: str) -> dict[str, Any]:
    skip = {"DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID"}
    return {c.name: getattr(obj, c.name) for c in hud.columns(file_name) if c.name not in skip}


def snapshot(sdb: Session, workspace_id: int, personal_id: str, stage: int) -> dict[str, Any]:
    """Return what the workspace holds for one client at one stage, in HUD field names and codes.

    ``{"Client": {...}, "Enrollments": [{"Enrollment": {...}, "Exit": {...}|None, "IncomeBenefits": {...}|None,
    "HealthAndDV": {...}|None, "Disabilities": {type: {...}}, "CurrentLivingSituation": [...]}]}``.
    Practice cases compare it field by field with the case's expected answers.
    """
    client = get_client(sdb, workspace_id, personal_id)
    out: dict[str, Any] = {"Client": _row(client, "Client.csv"), "Enrollments": []}
    for e, _project, x in reversed(enrollments_of(sdb, workspace_id, personal_id)):
        a = assessment(sdb, e, stage)
        cls = sdb.execute(sa.select(CurrentLivingSituation).where(
            CurrentLivingSituation.workspace_id == workspace_id, CurrentLivingSituation.EnrollmentID == e.EnrollmentID)
            .order_by(CurrentLivingSituation.InformationDate)).scalars()
        out["Enrollments"].append({
            "Enrollment": _row(e, "Enrollment.csv"),
            "Exit": _row(x, "Exit.csv") if x is not None and stage == hud.STAGE_EXIT else None,
            "IncomeBenefits": _row(a.income, "IncomeBenefits.csv") if a.income else None,
            "HealthAndDV": _row(a.health, "HealthAndDV.csv") if a.health else None,
            "Disabilities": {t: _row(d, "Disabilities.csv") for t, d in a.disabilities.items()},
            "CurrentLivingSituation": [_row(c, "CurrentLivingSituation.csv") for c in cls],
        })
    return out


def workspace_records(sdb: Session, workspace_id: int, stage: int) -> list[dict[str, Any]]:
    """Return what the whole workspace holds at ``stage``: one :func:`snapshot` per client, as plain dicts.

    Each enrollment also carries ``"Project": {"ProjectID", "ProjectName", "ProjectType"}`` so a reader can
    tell which kind of project it is in.  Read-only; practice cases compare it with a case's answer key.
    """
    if stage not in hud.STAGES:
        raise ValidationFailed([Problem("DataCollectionStage", "Choose a data collection stage HUD defines.")])
    names = {p.ProjectID: p for p in sdb.execute(sa.select(Project).where(Project.workspace_id == workspace_id)).scalars()}
    out = []
    for client in clients(sdb, workspace_id, limit=5000):
        if client.DateDeleted is not None:
            continue
        snap = snapshot(sdb, workspace_id, client.PersonalID, stage)
        for item in snap["Enrollments"]:
            project = names.get(item["Enrollment"]["ProjectID"])
            item["Project"] = ({"ProjectID": project.ProjectID, "ProjectName": project.ProjectName,
                                "ProjectType": project.ProjectType} if project is not None else None)
        out.append(snap)
    return out


# --- what the practice-case pages read (a reviewer's read-only view of a trainee's workspace) -------

def request_session() -> Session:
    """Return the request's sandbox session (pages of other packages read the sandbox through it)."""
    return get_sandbox_session()


def quality_findings(sdb: Session, workspace_id: int) -> list[dict[str, Any]]:
    """Return the data-quality findings of a whole (small) workspace as plain dicts, each with the client's name."""
    found = quality.findings(sdb, workspace_id)
    names = clients_by_id(sdb, workspace_id, {f.personal_id for f in found})
    return [{"client": (f"{names[f.personal_id].FirstName or ''} {names[f.personal_id].LastName or ''}".strip()
                        if f.personal_id in names else f.personal_id),
             "element": f.element, "kind": f.kind, "message": f.message} for f in found]
