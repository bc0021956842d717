"""Workspaces: a trainee's own, created and seeded on first use; the catalogue of projects; resets."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import signals
from lms.core.errors import NotFound
import lms.hud as hud
from sandbox import validation as rules
from sandbox.models import (ALL_MODELS, CatalogProject, Client, Organization, Project, ReleaseOfInformation, Workspace,
                            bump_data_version)
from lms.hud.checks import Problem
from sandbox.validation import ValidationFailed
from sandbox.services.common import new_id, stamp


#: Projects a workspace gets when the catalogue is empty (no demo world seeded yet).
DEFAULT_CATALOG = [
    ("Harbor Light Emergency Shelter", "Harbor Light Family Services", hud.ES_EE, "MO-606"),
    ("Gathering Tree Night-by-Night Shelter", "Springfield Gathering Tree", hud.ES_NBN, "MO-600"),
    ("Ozark Street Outreach", "Ozark Rural Outreach", hud.SO, "MO-606"),
    ("Watered Gardens Transitional Housing", "Joplin Watered Gardens", hud.TH, "MO-602"),
    ("Veterans Permanent Supportive Housing", "Missouri Veterans Housing Partnership", hud.PSH, "MO-606"),
    ("Harbor Light Rapid Re-Housing", "Harbor Light Family Services", hud.RRH, "MO-606"),
    ("Ozark Homelessness Prevention", "Ozark Rural Outreach", hud.HP, "MO-606"),
]


def user_ref(user_id: int) -> str:
    """Return the workspace reference of a trainee's own workspace."""
    return f"user:{user_id}"


@functools.cache
def _by_ref() -> sa.Select:
    """A workspace by its reference (every sandbox page asks), built once at first use: a statement keeps its
    cache key."""
    return sa.select(Workspace).where(Workspace.ref == sa.bindparam("ref"))


def workspace_for_user(sdb: Session, user_id: int, *, now: datetime, create: bool = True) -> Workspace | None:
    """Return (creating and seeding if asked) the trainee's own workspace."""
    ref = user_ref(user_id)
    ws = sdb.execute(_by_ref(), {"ref": ref}).scalar_one_or_none()
    if ws is None and create:
        ws = create_workspace(sdb, ref, user_label=f"trainee{user_id}", now=now)
    return ws


def create_workspace(sdb: Session, ref: str, *, user_label: str, now: datetime, seed: bool = True) -> Workspace:
    # The reference is typed on the command line, and the label becomes UserID in every exported row.
    ref_clean, problems = rules.clean_text(ref, field="workspace", limit=64)
    label, more = rules.clean_text(user_label[:32], field="user_label", limit=32)
    if problems or more or not ref_clean or ref_clean != ref or not label:
        raise ValidationFailed([Problem("workspace", "A workspace reference is 1 to 64 printable characters, "
                                                     "without spaces at either end (for example scenario:demo).")])
    ws = Workspace(ref=ref, user_label=label, created_at=now)
    sdb.add(ws)
    sdb.flush()
    if seed:
        seed_projects(sdb, ws, now=now)
    return ws


def get_workspace(sdb: Session, ref_or_id: str | int) -> Workspace:
    """Find a workspace by its reference or its number (command line)."""
    ref = str(ref_or_id)
    if len(ref) > 64 or rules.clean_text(ref, field="workspace", limit=64)[1]:
        raise NotFound(f"There is no sandbox workspace {ref[:64]!r}.")
    ws = sdb.execute(_by_ref(), {"ref": ref}).scalar_one_or_none()
    if ws is None and ref.isascii() and ref.isdigit() and len(ref) <= 9:  # not "²" nor a number past the column's
        ws = sdb.get(Workspace, int(ref))
    if ws is None:
        raise NotFound(f"There is no sandbox workspace {ref_or_id}.")
    return ws


def can_read(workspace: Workspace, user_id: int) -> bool:
    """The owner may read a workspace; others only when a receiver of the access signal says so (reviewers)."""
    if workspace.ref == user_ref(user_id):
        return True
    answers = signals.sandbox_workspace_access.send(None, user_id=user_id, workspace_ref=workspace.ref)
    return any(result is True for _, result in answers)


def record_catalog(sdb: Session, projects: Iterable[Mapping[str, Any]]) -> int:
    """Mirror LMS projects into the catalogue new workspaces copy (``demo_seeded`` receiver); return new ones."""
    added = 0
    for p in projects:
        row = sdb.execute(sa.select(CatalogProject).where(CatalogProject.lms_project_id == p["id"])).scalar_one_or_none()
        if row is None:
            sdb.add(CatalogProject(lms_project_id=p["id"], name=p["name"], organization_name=p["agency_name"],
                                   project_type=p["project_type"], coc_code=p["coc_code"]))
            added += 1
        else:
            row.name, row.organization_name = p["name"], p["agency_name"]
            row.project_type, row.coc_code = p["project_type"], p["coc_code"]
    sdb.flush()
    return added


def seed_projects(sdb: Session, ws: Workspace, *, now: datetime) -> None:
    """Give a workspace its organisations and projects (the catalogue, or a built-in set)."""
    catalog = [(c.name, c.organization_name, c.project_type, c.coc_code)
               for c in sdb.execute(sa.select(CatalogProject).order_by(CatalogProject.id)).scalars()]
    orgs: dict[str, Organization] = {}
    ts = stamp(now)
    for name, org_name, project_type, coc_code in catalog or DEFAULT_CATALOG:
        org = orgs.get(org_name)
        if org is None:
            org = Organization(workspace_id=ws.id, OrganizationID=new_id(), OrganizationName=org_name,
                               VictimServiceProvider=0, DateCreated=ts, DateUpdated=ts, UserID=ws.user_label)
            sdb.add(org)
            orgs[org_name] = org
        sdb.add(Project(workspace_id=ws.id, ProjectID=new_id(), OrganizationID=org.OrganizationID, ProjectName=name,
                        OperatingStartDate=date(2020, 1, 1), ContinuumProject=1, ProjectType=project_type,
                        HousingType=1 if project_type in (hud.ES_EE, hud.ES_NBN, hud.TH, hud.SH) else
                        (3 if project_type in hud.PERMANENT_HOUSING else None),
                        RRHSubType=2 if project_type == hud.RRH else None, coc_code=coc_code,
                        DateCreated=ts, DateUpdated=ts, UserID=ws.user_label))
    sdb.flush()


def reset_workspace(sdb: Session, ws: Workspace, *, now: datetime, reseed: bool = True) -> None:
    """Delete everything in one workspace (children first), then give it its projects again."""
    for model in (ReleaseOfInformation, *[m for m, _ in reversed(list(ALL_MODELS.values()))]):
        sdb.execute(sa.delete(model).where(model.workspace_id == ws.id))
    bump_data_version(sdb, [ws.id])
    ws.reset_at = now
    sdb.flush()
    if reseed:
        seed_projects(sdb, ws, now=now)


def list_workspaces(sdb: Session) -> list[tuple[Workspace, int]]:
    """Return every workspace with its number of clients (administration)."""
    counts = sa.select(Client.workspace_id, sa.func.count(Client.id).label("n")).group_by(Client.workspace_id).subquery()
    rows = sdb.execute(sa.select(Workspace, sa.func.coalesce(counts.c.n, 0))
                       .outerjoin(counts, counts.c.workspace_id == Workspace.id).order_by(Workspace.id)).all()
    return [(ws, n) for ws, n in rows]
