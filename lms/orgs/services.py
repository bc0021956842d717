"""Create, edit, deactivate and reactivate CoCs, agencies and projects. Flush, never commit."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import audit
from lms.core.errors import InvalidInput
from lms.orgs.hud import PROJECT_TYPES
from lms.orgs.models import Agency, Coc, Project

#: HUD CoC codes look like "MO-606": a state or territory, a dash, three digits.
COC_CODE = re.compile(r"^[A-Z]{2}-\d{3}$")


def default_renewal_due(signed_on: date) -> date:
    """Return the day one year after ``signed_on`` (Feb 29 falls back to Feb 28)."""
    try:
        return signed_on.replace(year=signed_on.year + 1)
    except ValueError:
        return signed_on.replace(year=signed_on.year + 1, day=28)


def apa_overdue(agency: Agency, today: date) -> bool:
    """Tell whether the agency's yearly APA renewal date has passed."""
    return agency.apa_renewal_due is not None and agency.apa_renewal_due < today


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for key, value in values.items():
        if getattr(obj, key) != value:
            changed[key] = value
            setattr(obj, key, value)
    return changed


def _set_active(db_session: Session, obj: Any, active: bool, *, kind: str, now: datetime, actor: Any,
                ip: str | None) -> bool:
    if obj.is_active == active:
        return False
    obj.is_active = active
    audit.record(db_session, action=f"orgs.{kind}_{'reactivated' if active else 'deactivated'}", now=now,
                 actor=actor, target=obj, ip=ip)
    return True


# --- CoCs -------------------------------------------------------------------------------------

def _check_coc(db_session: Session, code: str, name: str, coc: Coc | None = None) -> tuple[str, str]:
    code, name = code.strip().upper(), name.strip()
    if not COC_CODE.match(code):
        raise InvalidInput("The CoC code must look like MO-606 (two letters, a dash, three digits).")
    if not name or len(name) > 200:
        raise InvalidInput("Enter the CoC's name (at most 200 characters).")
    other = db_session.execute(sa.select(Coc).where(Coc.code == code)).scalar_one_or_none()
    if other is not None and other is not coc:
        raise InvalidInput(f"There is already a CoC with the code {code}.")
    return code, name


def create_coc(db_session: Session, *, code: str, name: str, now: datetime, actor: Any = None,
               ip: str | None = None) -> Coc:
    code, name = _check_coc(db_session, code, name)
    coc = Coc(code=code, name=name, is_active=True, created_at=now)
    db_session.add(coc)
    db_session.flush()
    audit.record(db_session, action="orgs.coc_created", now=now, actor=actor, target=coc, ip=ip, code=code)
    return coc


def update_coc(db_session: Session, coc: Coc, *, code: str, name: str, now: datetime, actor: Any = None,
               ip: str | None = None) -> dict[str, Any]:
    code, name = _check_coc(db_session, code, name, coc)
    changed = _changes(coc, {"code": code, "name": name})
    if changed:
        db_session.flush()
        audit.record(db_session, action="orgs.coc_updated", now=now, actor=actor, target=coc, ip=ip,
                     fields=",".join(sorted(changed)))
    return changed


def set_coc_active(db_session: Session, coc: Coc, active: bool, *, now: datetime, actor: Any = None,
                   ip: str | None = None) -> bool:
    return _set_active(db_session, coc, active, kind="coc", now=now, actor=actor, ip=ip)


# --- agencies ---------------------------------------------------------------------------------

def _check_agency(db_session: Session, coc: Coc, name: str, signed: date | None, due: date | None,
                  agency: Agency | None = None) -> tuple[str, date | None]:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("Enter the agency's name (at most 200 characters).")
    if signed is not None and due is not None and due <= signed:
        raise InvalidInput("The APA renewal date must be after the date it was signed.")
    other = db_session.execute(
        sa.select(Agency).where(Agency.coc_id == coc.id, sa.func.lower(Agency.name) == name.lower())
    ).scalar_one_or_none()
    if other is not None and other is not agency:
        raise InvalidInput(f"{coc.code} already has an agency called {name}.")
    if signed is not None and due is None:
        due = default_renewal_due(signed)
    return name, due


def create_agency(db_session: Session, *, coc: Coc, name: str, apa_signed_on: date | None = None,
                  apa_renewal_due: date | None = None, now: datetime, actor: Any = None,
                  ip: str | None = None) -> Agency:
    """Create an agency; the APA renewal defaults to one year after signing."""
    name, due = _check_agency(db_session, coc, name, apa_signed_on, apa_renewal_due)
    agency = Agency(coc_id=coc.id, name=name, apa_signed_on=apa_signed_on, apa_renewal_due=due, is_active=True,
                    created_at=now)
    db_session.add(agency)
    db_session.flush()
    audit.record(db_session, action="orgs.agency_created", now=now, actor=actor, target=agency, ip=ip,
                 coc_id=coc.id)
    return agency


def update_agency(db_session: Session, agency: Agency, *, coc: Coc, name: str, apa_signed_on: date | None,
                  apa_renewal_due: date | None, now: datetime, actor: Any = None,
                  ip: str | None = None) -> dict[str, Any]:
    name, due = _check_agency(db_session, coc, name, apa_signed_on, apa_renewal_due, agency)
    changed = _changes(agency, {"coc_id": coc.id, "name": name, "apa_signed_on": apa_signed_on,
                                "apa_renewal_due": due})
    if changed:
        db_session.flush()
        audit.record(db_session, action="orgs.agency_updated", now=now, actor=actor, target=agency, ip=ip,
                     fields=",".join(sorted(changed)))
    return changed


def set_agency_active(db_session: Session, agency: Agency, active: bool, *, now: datetime, actor: Any = None,
                      ip: str | None = None) -> bool:
    return _set_active(db_session, agency, active, kind="agency", now=now, actor=actor, ip=ip)


# --- projects ---------------------------------------------------------------------------------

def _check_project(db_session: Session, agency: Agency, name: str, project_type: int,
                   project: Project | None = None) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("Enter the project's name (at most 200 characters).")
    if project_type not in PROJECT_TYPES:
        raise InvalidInput("Choose a HUD project type from the list.")
    other = db_session.execute(
        sa.select(Project).where(Project.agency_id == agency.id, sa.func.lower(Project.name) == name.lower())
    ).scalar_one_or_none()
    if other is not None and other is not project:
        raise InvalidInput(f"{agency.name} already has a project called {name}.")
    return name


def create_project(db_session: Session, *, agency: Agency, name: str, project_type: int, now: datetime,
                   actor: Any = None, ip: str | None = None) -> Project:
    name = _check_project(db_session, agency, name, project_type)
    project = Project(agency_id=agency.id, name=name, project_type=project_type, is_active=True, created_at=now)
    db_session.add(project)
    db_session.flush()
    audit.record(db_session, action="orgs.project_created", now=now, actor=actor, target=project, ip=ip,
                 agency_id=agency.id, project_type=project_type)
    return project


def update_project(db_session: Session, project: Project, *, agency: Agency, name: str, project_type: int,
                   now: datetime, actor: Any = None, ip: str | None = None) -> dict[str, Any]:
    name = _check_project(db_session, agency, name, project_type, project)
    changed = _changes(project, {"agency_id": agency.id, "name": name, "project_type": project_type})
    if changed:
        db_session.flush()
        audit.record(db_session, action="orgs.project_updated", now=now, actor=actor, target=project, ip=ip,
                     fields=",".join(sorted(changed)))
    return changed


def set_project_active(db_session: Session, project: Project, active: bool, *, now: datetime, actor: Any = None,
                       ip: str | None = None) -> bool:
    return _set_active(db_session, project, active, kind="project", now=now, actor=actor, ip=ip)


# --- queries for the list pages ---------------------------------------------------------------

def coc_query(q: str = "") -> sa.Select:
    query = sa.select(Coc).order_by(Coc.code)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(sa.or_(sa.func.lower(Coc.code).like(like), sa.func.lower(Coc.name).like(like)))
    return query


def agency_query(q: str = "", coc_id: int | None = None, coc_ids: set[int] | None = None) -> sa.Select:
    """Return agencies matching ``q``, in one CoC, and (for a manager) only within ``coc_ids``."""
    query = sa.select(Agency).order_by(Agency.name, Agency.id)
    if q:
        query = query.where(sa.func.lower(Agency.name).like(f"%{q.lower()}%"))
    if coc_id is not None:
        query = query.where(Agency.coc_id == coc_id)
    if coc_ids is not None:
        query = query.where(Agency.coc_id.in_(coc_ids or {-1}))
    return query


def project_query(q: str = "", agency_id: int | None = None, project_type: int | None = None,
                  coc_ids: set[int] | None = None) -> sa.Select:
    query = sa.select(Project).join(Agency, Project.agency_id == Agency.id).order_by(Project.name, Project.id)
    if q:
        query = query.where(sa.func.lower(Project.name).like(f"%{q.lower()}%"))
    if agency_id is not None:
        query = query.where(Project.agency_id == agency_id)
    if project_type is not None:
        query = query.where(Project.project_type == project_type)
    if coc_ids is not None:
        query = query.where(Agency.coc_id.in_(coc_ids or {-1}))
    return query
