"""Create, change, deactivate and reactivate CoCs, agencies and projects. Flush, never commit."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import audit
from lms.core.errors import InvalidInput, NotFound
from lms.hud import PROJECT_TYPES
from lms.orgs import rules
from lms.orgs.models import Agency, Coc, Project

#: ASCII only: \d would also take full-width and other scripts' digits ("MO-６０６").
COC_CODE = re.compile(r"[A-Z]{2}-[0-9]{3}")

audit.label_actions({
    "orgs.coc_created": "CoC added", "orgs.coc_changed": "CoC changed",
    "orgs.coc_deactivated": "CoC deactivated", "orgs.coc_reactivated": "CoC reactivated",
    "orgs.agency_created": "Agency added", "orgs.agency_changed": "Agency changed",
    "orgs.agency_deactivated": "Agency deactivated", "orgs.agency_reactivated": "Agency reactivated",
    "orgs.project_created": "Project added", "orgs.project_changed": "Project changed",
    "orgs.project_deactivated": "Project deactivated", "orgs.project_reactivated": "Project reactivated",
})


def _names(model: type, label: Any) -> audit.TargetNamer:
    def namer(db_session: Session, ids: set[str]) -> dict[str, str]:
        numbers = {int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 12}
        if not numbers:
            return {}
        return {str(o.id): label(o) for o in db_session.execute(sa.select(model).where(model.id.in_(numbers))).scalars()}

    return namer


audit.name_targets("coc", _names(Coc, str))
audit.name_targets("agency", _names(Agency, lambda a: a.name))
audit.name_targets("project", _names(Project, lambda p: p.name))


def apa_renewal_after(signed_on: date) -> date:
    """Return the default yearly renewal date of an Agency Partner Agreement."""
    try:
        return signed_on.replace(year=signed_on.year + 1)
    except ValueError:  # 29 February
        return signed_on + timedelta(days=365)


def _clean_name(name: str, what: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput(f"Enter the {what}'s name (at most 200 characters).")
    return name


def _same_name(db_session: Session, model: type, scope: Any, name: str, current: Any) -> str | None:
    """Return the name of another row in ``scope`` whose name matches ``name`` (see rules.name_key), else None.

    Compared in Python, not with SQL lower(): SQLite lowers only ASCII while PostgreSQL lowers everything,
    so the same check must give the same answer on both. A CoC's agencies, an agency's projects, are few.
    """
    key = rules.name_key(name)
    rows = db_session.execute(sa.select(model.id, model.name).where(scope)).all()
    for row in rows:
        if rules.name_key(row.name) == key and (current is None or row.id != current.id):
            return row.name
    return None


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, str]:
    changed = {}
    for key, value in values.items():
        old = getattr(obj, key)
        if old != value:
            changed[key] = f"{old} → {value}"
            setattr(obj, key, value)
    return changed


# --- CoCs ------------------------------------------------------------------------------------

def save_coc(db_session: Session, coc: Coc | None, *, code: str, name: str, now: datetime, actor: Any,
             ip: str | None = None) -> Coc:
    """Create a CoC (``coc`` None) or change one; the HUD code is unique."""
    code = (code or "").strip().upper()
    if not COC_CODE.fullmatch(code):
        raise InvalidInput("Enter the HUD CoC code as two letters, a dash and three digits, like MO-606.", field="code")
    name = _clean_name(name, "CoC")
    clash = db_session.execute(sa.select(Coc).where(Coc.code == code)).scalar_one_or_none()
    if clash is not None and clash is not coc:
        raise InvalidInput(f"There is already a CoC with the code {code}.", field="code")
    if coc is None:
        coc = Coc(code=code, name=name, created_at=now, is_active=True)
        db_session.add(coc)
        db_session.flush()
        audit.record(db_session, action="orgs.coc_created", now=now, actor=actor, target=coc, ip=ip, code=code)
    else:
        changed = _changes(coc, {"code": code, "name": name})
        if changed:
            audit.record(db_session, action="orgs.coc_changed", now=now, actor=actor, target=coc, ip=ip, **changed)
    return coc


# --- agencies ---------------------------------------------------------------------------------

def save_agency(db_session: Session, agency: Agency | None, *, coc: Coc, name: str, apa_signed_on: date | None,
                apa_renewal_due: date | None, now: datetime, actor: Any, ip: str | None = None) -> Agency:
    """Create or change an agency; the renewal defaults to a year after the APA was signed."""
    name = _clean_name(name, "agency")
    if apa_signed_on is not None and apa_signed_on > now.date():
        raise InvalidInput("The Agency Partner Agreement cannot be signed in the future.", field="apa_signed_on")
    if apa_renewal_due is None and apa_signed_on is not None:
        apa_renewal_due = apa_renewal_after(apa_signed_on)
    if apa_renewal_due is not None and apa_signed_on is not None and apa_renewal_due <= apa_signed_on:
        raise InvalidInput("The APA renewal must fall after the date it was signed.", field="apa_renewal_due")
    clash = _same_name(db_session, Agency, Agency.coc_id == coc.id, name, agency)
    if clash is not None:
        raise InvalidInput(f"{coc.code} already has an agency called {clash}.", field="name")
    values = {"coc_id": coc.id, "name": name, "apa_signed_on": apa_signed_on, "apa_renewal_due": apa_renewal_due}
    if agency is None:
        agency = Agency(**values, created_at=now, is_active=True)
        db_session.add(agency)
        db_session.flush()
        audit.record(db_session, action="orgs.agency_created", now=now, actor=actor, target=agency, ip=ip,
                     coc_id=coc.id)
    else:
        changed = _changes(agency, values)
        if changed:
            audit.record(db_session, action="orgs.agency_changed", now=now, actor=actor, target=agency, ip=ip,
                         **changed)
    return agency


# --- projects ---------------------------------------------------------------------------------

def save_project(db_session: Session, project: Project | None, *, agency: Agency, name: str, project_type: int,
                 now: datetime, actor: Any, ip: str | None = None) -> Project:
    """Create or change a project; its type is a HUD FY2026 project type code."""
    name = _clean_name(name, "project")
    if project_type not in PROJECT_TYPES:
        raise InvalidInput("Choose one of HUD's project types.", field="project_type")
    clash = _same_name(db_session, Project, Project.agency_id == agency.id, name, project)
    if clash is not None:
        raise InvalidInput(f"{agency.name} already has a project called {clash}.", field="name")
    values = {"agency_id": agency.id, "name": name, "project_type": project_type}
    if project is None:
        project = Project(**values, created_at=now, is_active=True)
        db_session.add(project)
        db_session.flush()
        audit.record(db_session, action="orgs.project_created", now=now, actor=actor, target=project, ip=ip,
                     agency_id=agency.id, project_type=project_type)
    else:
        changed = _changes(project, values)
        if changed:
            audit.record(db_session, action="orgs.project_changed", now=now, actor=actor, target=project, ip=ip,
                         **changed)
    return project


def set_active(db_session: Session, obj: Coc | Agency | Project, active: bool, *, now: datetime, actor: Any,
               ip: str | None = None) -> bool:
    """Deactivate or reactivate a CoC, agency or project (kept, never deleted); return False if unchanged."""
    if obj.is_active == active:
        return False
    obj.is_active = active
    kind = obj.__audit_type__
    audit.record(db_session, action=f"orgs.{kind}_{'reactivated' if active else 'deactivated'}", now=now,
                 actor=actor, target=obj, ip=ip)
    return True


def get(db_session: Session, model: type, ident: int) -> Any:
    obj = db_session.get(model, ident)
    if obj is None:
        raise NotFound("There is no such record.")
    return obj
