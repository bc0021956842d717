"""The only way into the sandbox: workspaces, clients, ROI, enrollments, assessments, exits, snapshots.

Every function takes the sandbox session first, may flush, never commits.
Every lookup is scoped to one workspace: an id from another workspace is
:class:`~lms.core.errors.NotFound`, exactly like an id that does not exist.
Records are written in HUD's field names and codes; ``record_id`` arguments
make a create idempotent (forms send a one-time id, so a double submit finds
the first record instead of making a second).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import signals
from lms.core.errors import DomainError, NotFound
import lms.hud as hud
from sandbox import validation as rules
from sandbox.models import (ALL_MODELS, CatalogProject, Client, CurrentLivingSituation, Disabilities, Enrollment, Exit,
                            HealthAndDV, IncomeBenefits, Organization, Project, ReleaseOfInformation, Workspace,
                            bump_data_version)
from lms.hud.checks import Problem
from sandbox.validation import ValidationFailed

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
ROI_VALID_DAYS = 365


def new_id() -> str:
    """Return a fresh HUD identifier (32 hex characters, the CSV limit)."""
    return uuid.uuid4().hex


def stamp(now: datetime) -> datetime:
    """HUD timestamps are naive; the sandbox writes UTC."""
    return now.replace(tzinfo=None, microsecond=0)


# --- workspaces -----------------------------------------------------------------------------

def user_ref(user_id: int) -> str:
    """Return the workspace reference of a trainee's own workspace."""
    return f"user:{user_id}"


def workspace_for_user(sdb: Session, user_id: int, *, now: datetime, create: bool = True) -> Workspace | None:
    """Return (creating and seeding if asked) the trainee's own workspace."""
    ref = user_ref(user_id)
    ws = sdb.execute(sa.select(Workspace).where(Workspace.ref == ref)).scalar_one_or_none()
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
    q = sa.select(Workspace).where(Workspace.ref == ref)
    ws = sdb.execute(q).scalar_one_or_none()
    if ws is None and str(ref_or_id).isdigit():
        ws = sdb.get(Workspace, int(ref_or_id))
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


# --- look-ups scoped to a workspace ----------------------------------------------------------

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


# --- clients ----------------------------------------------------------------------------------

def search_clients(sdb: Session, ws_id: int, *, name: str = "", dob: date | None = None, ssn_last4: str = "",
                   limit: int = 50) -> list[Client]:
    """Search before creating, as in a real HMIS: any of name words, date of birth, last four of the SSN."""
    name, problems = rules.clean_text(name, field="name", limit=100)
    ssn_last4, more = rules.clean_text(ssn_last4, field="ssn4", limit=4)
    rules.raise_if(problems + more)  # the search form refuses these first; PostgreSQL would refuse a NUL
    q = sa.select(Client).where(Client.workspace_id == ws_id, Client.DateDeleted.is_(None))
    words = [w for w in (name or "").lower().split() if w][:4]
    for w in words:
        # autoescape: a "%" or "_" typed by the trainee is a character, not a wildcard.
        q = q.where(sa.or_(*(sa.func.lower(col).contains(w, autoescape=True)
                             for col in (Client.FirstName, Client.LastName, Client.MiddleName))))
    if dob is not None:
        q = q.where(Client.DOB == dob)
    if ssn_last4:
        q = q.where(Client.SSN.endswith(ssn_last4, autoescape=True))
    if not (words or dob or ssn_last4):
        return []
    return list(sdb.execute(q.order_by(Client.LastName, Client.FirstName).limit(limit)).scalars())


def clients(sdb: Session, ws_id: int, *, limit: int = 500) -> list[Client]:
    """Return the workspace's clients by name (a trainee's workspace holds a handful)."""
    return list(sdb.execute(sa.select(Client).where(Client.workspace_id == ws_id)
                            .order_by(Client.LastName, Client.FirstName).limit(limit)).scalars())


def client_page(sdb: Session, ws_id: int, *, page: int, per_page: int = 25) -> tuple[list[Client], int]:
    """Return one page of the workspace's clients, sorted by name, and how many clients there are in all."""
    where = (Client.workspace_id == ws_id, Client.DateDeleted.is_(None))
    total = sdb.execute(sa.select(sa.func.count(Client.id)).where(*where)).scalar_one()
    rows = sdb.execute(sa.select(Client).where(*where)
                       .order_by(Client.LastName, Client.FirstName, Client.PersonalID)
                       .limit(per_page).offset((max(page, 1) - 1) * per_page)).scalars()
    return list(rows), total


def clients_by_id(sdb: Session, ws_id: int, personal_ids: Iterable[str]) -> dict[str, Client]:
    """Return the workspace's clients with these PersonalIDs, by PersonalID (to name them in a list)."""
    ids = sorted(set(personal_ids))
    if not ids:
        return {}
    rows = sdb.execute(sa.select(Client).where(Client.workspace_id == ws_id, Client.PersonalID.in_(ids))).scalars()
    return {c.PersonalID: c for c in rows}


def likely_duplicates(sdb: Session, ws_id: int, data: Mapping[str, Any], *, exclude: str | None = None) -> list[Client]:
    """Return clients that look like the same person: same SSN, or same date of birth and a shared name."""
    data, problems = rules.clean_texts({k: data.get(k) for k in ("FirstName", "LastName", "SSN", "DOB")}, "Client.csv")
    if problems:
        return []  # text the client's rules refuse matches no one; saving reports it
    conds = []
    ssn = data.get("SSN") or ""
    if len(ssn) == 9 and "x" not in ssn:
        conds.append(Client.SSN == ssn)
    first, last = (data.get("FirstName") or "").strip().lower(), (data.get("LastName") or "").strip().lower()
    if data.get("DOB") is not None and (first or last):
        name_match = []
        if first:
            name_match.append(sa.func.lower(Client.FirstName) == first)
        if last:
            name_match.append(sa.func.lower(Client.LastName) == last)
        conds.append(sa.and_(Client.DOB == data["DOB"], sa.or_(*name_match)))
    if first and last:
        conds.append(sa.and_(sa.func.lower(Client.FirstName) == first, sa.func.lower(Client.LastName) == last))
    if not conds:
        return []
    q = sa.select(Client).where(Client.workspace_id == ws_id, Client.DateDeleted.is_(None), sa.or_(*conds))
    if exclude:
        q = q.where(Client.PersonalID != exclude)
    return list(sdb.execute(q.limit(20)).scalars())


CLIENT_FIELDS = rules.CLIENT_FIELDS


def save_client(sdb: Session, ws: Workspace, data: Mapping[str, Any], *, now: datetime, client: Client | None = None,
                record_id: str | None = None) -> Client:
    """Create (or change) a client after HUD's rules; race columns default to 0 (not selected)."""
    values, problems = rules.client_answers(data, today=now.date(), record_id=record_id)
    rules.raise_if(problems)
    if client is None and record_id:
        existing = sdb.execute(sa.select(Client).where(Client.workspace_id == ws.id, Client.PersonalID == record_id)
                               ).scalar_one_or_none()
        if existing is not None:
            return existing  # the same form sent twice
    ts = stamp(now)
    if client is None:
        client = Client(workspace_id=ws.id, PersonalID=record_id or new_id(), DateCreated=ts, UserID=ws.user_label)
        sdb.add(client)
    return _apply(sdb, client, values, ts)


def _apply(sdb: Session, record: Any, values: Mapping[str, Any], ts: datetime) -> Any:
    """Write HUD values onto a record and stamp DateUpdated."""
    for k, v in values.items():
        setattr(record, k, v)
    record.DateUpdated = ts
    sdb.flush()
    return record


# --- release of information -----------------------------------------------------------------

def record_roi(sdb: Session, ws: Workspace, client: Client, *, consented: bool, signed_on: date, documentation: str,
               now: datetime) -> ReleaseOfInformation:
    """Record the client's consent (or refusal) to share data; consent lasts one year."""
    if documentation not in ("signed", "verbal"):
        raise ValidationFailed([Problem("documentation", "Documentation: choose signed form or verbal consent.")])
    if signed_on > now.date():
        raise ValidationFailed([Problem("signed_on", "Date: the release cannot be signed in the future.")])
    rules.raise_if(rules.check_dates({"signed_on": signed_on}, ["signed_on"], today=now.date()))
    roi = ReleaseOfInformation(workspace_id=ws.id, PersonalID=client.PersonalID, consented=consented,
                               signed_on=signed_on, expires_on=signed_on + timedelta(days=ROI_VALID_DAYS),
                               documentation=documentation, created_at=now)
    sdb.add(roi)
    sdb.flush()
    return roi


def current_roi(sdb: Session, ws_id: int, personal_id: str, *, on: date) -> ReleaseOfInformation | None:
    """Return the newest release in force on ``on`` (a consent or a refusal), or None."""
    return sdb.execute(
        sa.select(ReleaseOfInformation)
        .where(ReleaseOfInformation.workspace_id == ws_id, ReleaseOfInformation.PersonalID == personal_id,
               ReleaseOfInformation.signed_on <= on, ReleaseOfInformation.expires_on > on)
        .order_by(ReleaseOfInformation.signed_on.desc(), ReleaseOfInformation.id.desc()).limit(1)
    ).scalar_one_or_none()


class NoConsent(DomainError):
    """Raise when data would be entered for a client without a current release of information."""


def require_roi(sdb: Session, ws_id: int, client: Client, *, on: date) -> None:
    roi = current_roi(sdb, ws_id, client.PersonalID, on=on)
    if roi is None:
        raise NoConsent(f"{client.display_name} has no current release of information. Record the client's "
                        "consent (or refusal) before entering project data, as the ROI policy requires.")
    if not roi.consented:
        raise NoConsent(f"{client.display_name} refused to share their information (release dated "
                        f"{roi.signed_on:%m/%d/%Y}). Their data must not be shared in the HMIS.")


# --- enrollments ------------------------------------------------------------------------------

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


# --- assessments ------------------------------------------------------------------------------

@dataclass
class Assessment:
    """What one data collection stage holds (any part may be None when not asked)."""

    income: IncomeBenefits | None
    health: HealthAndDV | None
    disabilities: dict[int, Disabilities]


def assessment(sdb: Session, enrollment: Enrollment, stage: int) -> Assessment:
    ws_id, eid = enrollment.workspace_id, enrollment.EnrollmentID

    def latest(model):
        return sdb.execute(sa.select(model).where(model.workspace_id == ws_id, model.EnrollmentID == eid,
                                                  model.DataCollectionStage == stage)
                           .order_by(model.InformationDate.desc(), model.id.desc()).limit(1)).scalar_one_or_none()

    dis = sdb.execute(sa.select(Disabilities).where(Disabilities.workspace_id == ws_id, Disabilities.EnrollmentID == eid,
                                                    Disabilities.DataCollectionStage == stage)
                      .order_by(Disabilities.InformationDate, Disabilities.id)).scalars()
    return Assessment(income=latest(IncomeBenefits), health=latest(HealthAndDV),
                      disabilities={d.DisabilityType: d for d in dis})


def record_assessment(sdb: Session, ws: Workspace, enrollment: Enrollment, stage: int, *, information_date: date | None,
                      income: Mapping[str, Any] | None, disabilities: Mapping[int, Mapping[str, Any]] | None,
                      health: Mapping[str, Any] | None, now: datetime, record_id: str | None = None) -> Assessment:
    """Record one stage's assessment (4.02–4.04, 4.05–4.10, 4.11): only what HUD asks, checked together.

    Start and exit stages hold one record each (recording again replaces it);
    updates and annual assessments add a record per information date.
    """
    if stage not in hud.STAGES:
        raise ValidationFailed([Problem("DataCollectionStage", "Choose a data collection stage HUD defines.")])
    rules.raise_if(rules.check_record_id(record_id))
    if record_id and _recorded(sdb, ws.id, record_id):
        return assessment(sdb, enrollment, stage)  # the same form sent twice
    client = get_client(sdb, ws.id, enrollment.PersonalID)
    require_roi(sdb, ws.id, client, on=now.date())
    x = exit_of(sdb, enrollment)
    if stage == hud.STAGE_EXIT and x is None:
        raise ValidationFailed([Problem("ExitDate", "Record the project exit before the exit assessment.")])
    required = required_for(sdb, ws.id, enrollment, stage)
    problems = (rules.check_dates({"InformationDate": information_date}, ["InformationDate"], today=now.date()) or
                rules.check_information_date(information_date, stage=stage, start=enrollment.EntryDate,
                                             exit_date=x.ExitDate if x else None))
    adult_or_hoh = enrollment.RelationshipToHoH == 1 or rules.is_adult(client.DOB, enrollment.EntryDate)
    if {"4.02", "4.03", "4.04"} & required:
        income, text_problems = rules.clean_texts(dict(income or {}), "IncomeBenefits.csv")
        problems += text_problems
        if "4.02" not in required:
            adult_only = ["IncomeFromAnySource", "TotalMonthlyIncome", *[f for s in hud.INCOME_SOURCES for f in s[:2]],
                          "BenefitsFromAnySource", *[f for f, _ in hud.BENEFIT_SOURCES]]
            # Refuse, rather than silently drop, answers HUD does not ask of this person.
            if any(income.get(name) not in (None, "") for name in adult_only):
                problems.append(Problem("IncomeFromAnySource", "Income and non-cash benefits: asked of adults and "
                                                               "heads of household only; leave them blank for a child."))
            for name in adult_only:
                income.pop(name, None)
        else:
            for name, label in (("IncomeFromAnySource", "Income from any source"),
                                ("BenefitsFromAnySource", "Non-cash benefits from any source")):
                if income.get(name) is None:
                    problems.append(Problem(name, f"{label}: answer it."))
        if income.get("InsuranceFromAnySource") is None:
            problems.append(Problem("InsuranceFromAnySource", "Covered by health insurance: answer it."))
        problems = rules.merge(problems, rules.check_income_benefits(income, is_adult_or_hoh=adult_or_hoh))
        for name in income:  # the amounts as the rules read them (a refused amount was reported above)
            if any(c.name == name and c.is_money for c in hud.columns("IncomeBenefits.csv")):
                income[name], _ = rules.parse_money(income[name], field=name)
    elif income and any(v is not None for v in income.values()):
        problems.append(Problem("IncomeFromAnySource", "Income, benefits and insurance are not asked here."))
    if "4.05-4.10" in required:
        rows = {t: dict((disabilities or {}).get(t) or {}) for t in hud.DISABILITY_TYPES}
        problems += rules.check_disabilities(rows, disabling_condition=enrollment.DisablingCondition)
    if "4.11" in required:
        problems += rules.check_health_and_dv(health or {})
    elif health and any(v is not None for v in health.values()):
        problems.append(Problem("DomesticViolenceSurvivor", "Domestic violence is asked of adults and heads of "
                                                            "household at project start and update only."))
    rules.raise_if(problems)

    ts = stamp(now)
    common = dict(workspace_id=ws.id, EnrollmentID=enrollment.EnrollmentID, PersonalID=enrollment.PersonalID,
                  InformationDate=information_date, DataCollectionStage=stage, DateUpdated=ts, UserID=ws.user_label)
    replace = stage in (hud.STAGE_ENTRY, hud.STAGE_EXIT)
    existing = assessment(sdb, enrollment, stage) if replace else Assessment(None, None, {})
    ids = iter([record_id] if record_id else [])
    if {"4.02", "4.03", "4.04"} & required:
        row = existing.income or IncomeBenefits(IncomeBenefitsID=next(ids, None) or new_id(), DateCreated=ts)
        for name in _income_columns():
            setattr(row, name, income.get(name))
        for k, v in common.items():
            setattr(row, k, v)
        sdb.add(row)
    if "4.05-4.10" in required:
        for dtype in hud.DISABILITY_TYPES:
            data = (disabilities or {}).get(dtype) or {}
            row = existing.disabilities.get(dtype) or Disabilities(DisabilitiesID=next(ids, None) or new_id(), DateCreated=ts,
                                                                   DisabilityType=dtype)
            row.DisabilityResponse = data.get("DisabilityResponse")
            row.IndefiniteAndImpairs = data.get("IndefiniteAndImpairs")
            for k, v in common.items():
                setattr(row, k, v)
            sdb.add(row)
    if "4.11" in required:
        row = existing.health or HealthAndDV(HealthAndDVID=next(ids, None) or new_id(), DateCreated=ts)
        for name in ("DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing"):
            setattr(row, name, (health or {}).get(name))
        for k, v in common.items():
            setattr(row, k, v)
        sdb.add(row)
    sdb.flush()
    return assessment(sdb, enrollment, stage)


def _recorded(sdb: Session, ws_id: int, record_id: str) -> bool:
    """Tell whether an assessment form with this one-time id was saved already (its first record carries it)."""
    for model, key in ((IncomeBenefits, "IncomeBenefitsID"), (HealthAndDV, "HealthAndDVID"),
                       (Disabilities, "DisabilitiesID")):
        if sdb.execute(sa.select(model.id).where(model.workspace_id == ws_id, getattr(model, key) == record_id)).first():
            return True
    return False


def _income_columns() -> list[str]:
    skip = {"IncomeBenefitsID", "EnrollmentID", "PersonalID", "InformationDate", "DataCollectionStage", "DateCreated",
            "DateUpdated", "UserID", "DateDeleted", "ExportID"}
    return [c.name for c in hud.columns("IncomeBenefits.csv") if c.name not in skip]


# --- exit and current living situation -------------------------------------------------------

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
    return _apply(sdb, x, values, ts)


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


# --- what other packages read ----------------------------------------------------------------

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


def workspace_of(sdb: Session, workspace_id: int) -> Workspace:
    ws = sdb.get(Workspace, workspace_id)
    if ws is None:
        raise NotFound("There is no such workspace.")
    return ws


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


# --- HUD facts other packages may read (they never import sandbox.hud themselves) ----------------

def hud_columns(file_name: str) -> list[str]:
    """Return the FY2026 HMIS CSV columns of ``file_name`` ("Client.csv" ...), in HUD's order; KeyError if unknown."""
    return [c.name for c in hud.columns(file_name)]


def hud_column_type(file_name: str, column: str) -> str | None:
    """Return "string", "integer", "date", "datetime" or "money" for a column of ``file_name`` (None if unknown)."""
    for c in hud.columns(file_name):
        if c.name == column:
            return "money" if c.is_money else c.type
    return None


def hud_codes(column: str, *, disability_type: int | None = None) -> dict[Any, str] | None:
    """Return HUD's response list {code: label} for a coded column, or None when the column is not coded.

    ``DisabilityResponse`` depends on the disability type (substance use answers from list 4.10.2).
    """
    if column == "DisabilityResponse":
        return hud.codes(hud.disability_response_list(disability_type or 0))
    list_name = hud.COLUMN_LISTS.get(column)
    return hud.codes(list_name) if list_name else None


def hud_field_label(column: str) -> str:
    """Return what people call a HUD column (its column name when the sandbox has no label for it)."""
    return rules.label_of(column)


def hud_facts() -> dict[str, Any]:
    """Return the stage codes and the labels of the disability types and income sources (plain data)."""
    return {"stages": dict(hud.STAGES), "STAGE_ENTRY": hud.STAGE_ENTRY, "STAGE_UPDATE": hud.STAGE_UPDATE,
            "STAGE_EXIT": hud.STAGE_EXIT,
            "disability_types": {t: f"{n} {label}" for t, (n, label) in hud.DISABILITY_TYPES.items()},
            "income_sources": [list(s) for s in hud.INCOME_SOURCES],
            "benefit_sources": [list(s) for s in hud.BENEFIT_SOURCES],
            "insurance_sources": [list(s) for s in hud.INSURANCE_SOURCES],
            "race_columns": [list(s) for s in hud.RACE_COLUMNS]}


# --- what the practice-case pages read (a reviewer's read-only view of a trainee's workspace) -------

def request_session() -> Session:
    """Return the request's sandbox session (pages of other packages read the sandbox through it)."""
    from sandbox.db import get_sandbox_session

    return get_sandbox_session()


def quality_findings(sdb: Session, workspace_id: int) -> list[dict[str, Any]]:
    """Return the data-quality findings of a whole (small) workspace as plain dicts, each with the client's name."""
    from sandbox import quality

    found = quality.findings(sdb, workspace_id)
    names = clients_by_id(sdb, workspace_id, {f.personal_id for f in found})
    return [{"client": (f"{names[f.personal_id].FirstName or ''} {names[f.personal_id].LastName or ''}".strip()
                        if f.personal_id in names else f.personal_id),
             "element": f.element, "kind": f.kind, "message": f.message} for f in found]
