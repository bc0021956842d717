"""The findings list: load a client's (or some clients', or a workspace's) records and say what is wrong with each.

Used by a client's page, a page of the data-quality list and practice-case feedback."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox import hud, rules
from sandbox.models import Client, Enrollment, Exit, IncomeBenefits, Project

DK_PNTA = frozenset({hud.DK, hud.PNTA})
#: Entries made more than this many days after the start or exit are "late" (Q6e buckets: 4–6, 7–10, 11+).
LATE_AFTER_DAYS = 3


@dataclass(frozen=True)
class Finding:
    personal_id: str
    element: str
    kind: str
    message: str
    enrollment_id: str | None = None


def _client_findings(c: Client) -> list[Finding]:
    out: list[Finding] = []
    pid = c.PersonalID

    def add(element: str, kind: str, message: str) -> None:
        out.append(Finding(pid, element, kind, message))

    # 3.01 Name
    if c.NameDataQuality in DK_PNTA:
        add("3.01", "dk_pnta", "Name: the client didn't know or preferred not to answer.")
    elif c.NameDataQuality == hud.NOT_COLLECTED or not (c.FirstName and c.LastName):
        add("3.01", "missing", "Name: first or last name is missing.")
    elif c.NameDataQuality == 2:
        add("3.01", "issue", "Name: only a partial, street or code name is recorded.")
    # 3.02 SSN
    if c.SSNDataQuality in DK_PNTA:
        add("3.02", "dk_pnta", "SSN: the client didn't know or preferred not to answer.")
    elif c.SSNDataQuality == hud.NOT_COLLECTED or not c.SSN:
        add("3.02", "missing", "SSN: not collected.")
    elif c.SSNDataQuality == 2:
        add("3.02", "issue", "SSN: only part of the SSN is recorded.")
    # 3.03 DOB
    if c.DOB is None:
        add("3.03", "dk_pnta" if c.DOBDataQuality in DK_PNTA else "missing", "Date of birth: not recorded.")
    elif c.DOBDataQuality in hud.MISSING_CODES:
        add("3.03", "issue", "Date of birth: a date is recorded but its quality says it was not collected.")
    elif c.DOBDataQuality == 2:
        add("3.03", "issue", "Date of birth: approximate.")
    elif c.DOB < rules.EARLIEST_DOB or (c.DateCreated and c.DOB > c.DateCreated.date()):
        add("3.03", "issue", "Date of birth: not believable (before 1915 or after the record was created).")
    # 3.04 Race and ethnicity
    if c.RaceNone in DK_PNTA:
        add("3.04", "dk_pnta", "Race and ethnicity: the client didn't know or preferred not to answer.")
    elif c.RaceNone == hud.NOT_COLLECTED or not any(getattr(c, col) == 1 for col, _ in hud.RACE_COLUMNS):
        add("3.04", "missing", "Race and ethnicity: not collected.")
    return out


def findings(sdb: Session, workspace_id: int, personal_id: str | None = None, *,
             personal_ids: list[str] | None = None) -> list[Finding]:
    """Return every data-quality finding of one client (``personal_id``), of some (``personal_ids``: a
    page of :func:`clients_with_findings`) or of the whole workspace (small workspaces and tests only:
    pages use :func:`workspace_summary` and :func:`clients_with_findings`)."""
    cq = sa.select(Client).where(Client.workspace_id == workspace_id)
    eq = sa.select(Enrollment).where(Enrollment.workspace_id == workspace_id)
    if personal_id is not None:
        cq = cq.where(Client.PersonalID == personal_id)
        eq = eq.where(Enrollment.PersonalID == personal_id)
    if personal_ids is not None:
        cq = cq.where(Client.PersonalID.in_(personal_ids or [""]))
        eq = eq.where(Enrollment.PersonalID.in_(personal_ids or [""]))
    clients = {c.PersonalID: c for c in sdb.execute(cq).scalars()}
    enrollments = list(sdb.execute(eq).scalars())
    exits = {x.EnrollmentID: x for x in sdb.execute(
        sa.select(Exit).where(Exit.workspace_id == workspace_id,
                              Exit.EnrollmentID.in_([e.EnrollmentID for e in enrollments] or [""]))).scalars()}
    incomes: dict[tuple[str, int], list[IncomeBenefits]] = {}
    for ib in sdb.execute(sa.select(IncomeBenefits).where(
            IncomeBenefits.workspace_id == workspace_id,
            IncomeBenefits.EnrollmentID.in_([e.EnrollmentID for e in enrollments] or [""]))).scalars():
        incomes.setdefault((ib.EnrollmentID, ib.DataCollectionStage), []).append(ib)
    # Whole households, even when asked about one client: a second head is found from either side.
    households: dict[str, list[Enrollment]] = {}
    for e in sdb.execute(sa.select(Enrollment).where(
            Enrollment.workspace_id == workspace_id,
            Enrollment.HouseholdID.in_({e.HouseholdID for e in enrollments} or {""}))).scalars():
        households.setdefault(e.HouseholdID, []).append(e)

    project_types = dict(sdb.execute(sa.select(Project.ProjectID, Project.ProjectType)
                                     .where(Project.workspace_id == workspace_id)).all())

    out: list[Finding] = []
    for c in clients.values():
        out += _client_findings(c)
    for e in enrollments:
        c = clients.get(e.PersonalID)
        if c is None:
            continue
        adult = rules.is_adult(c.DOB, e.EntryDate)
        pid, eid = e.PersonalID, e.EnrollmentID

        def add(element: str, kind: str, message: str) -> None:
            out.append(Finding(pid, element, kind, message, eid))

        if adult and c.VeteranStatus in DK_PNTA:
            add("3.07", "dk_pnta", "Veteran status: the client didn't know or preferred not to answer.")
        elif adult and c.VeteranStatus in (hud.NOT_COLLECTED, None):
            add("3.07", "missing", "Veteran status: not collected for an adult.")
        elif not adult and c.VeteranStatus == 1:
            add("3.07", "issue", "Veteran status: a child is recorded as a veteran.")
        if e.DisablingCondition in DK_PNTA:
            add("3.08", "dk_pnta", "Disabling condition: the client didn't know or preferred not to answer.")
        elif e.DisablingCondition in (hud.NOT_COLLECTED, None):
            add("3.08", "missing", "Disabling condition: not collected.")
        heads = sum(1 for m in households[e.HouseholdID] if m.RelationshipToHoH == 1)
        if e.RelationshipToHoH not in (1, 2, 3, 4, 5) or heads != 1:
            add("3.15", "issue", "Relationship to head of household: the household needs exactly one head.")
        if e.RelationshipToHoH == 1 and not e.EnrollmentCoC:
            add("3.16", "missing", "Enrollment CoC: missing for the head of household.")
        if c.DOB is not None and c.DOB > e.EntryDate:
            add("3.03", "issue", "Date of birth: it is after the project start date.")
        is_hoh = e.RelationshipToHoH == 1
        if (adult or is_hoh):
            if e.LivingSituation in DK_PNTA:
                add("3.917", "dk_pnta", "Prior living situation: the client didn't know or preferred not to answer.")
            elif e.LivingSituation in (hud.NOT_COLLECTED, None):
                add("3.917", "missing", "Prior living situation: not collected.")
        x = exits.get(eid)
        project_type = project_types.get(e.ProjectID)
        # Income is only missing where HUD asks it: by project type, stage and person (Q6c: start and exit).
        for stage, when, on in ((hud.STAGE_ENTRY, "project start", e.EntryDate),
                                (hud.STAGE_EXIT, "project exit", x.ExitDate if x is not None else None)):
            if on is None or project_type is None or "4.02" not in rules.required_elements(
                    project_type, stage, is_hoh=is_hoh, is_adult=adult):
                continue
            records = incomes.get((eid, stage), [])
            if not records:
                add("4.02", "missing", f"Income at {when}: not recorded.")
            for ib in records:
                if ib.InformationDate != on:
                    add("4.02", "issue", f"Income at {when}: the information date is not the {when} date.")
                for p in rules.check_income_benefits({col.name: getattr(ib, col.name) for col in ib.__table__.columns}):
                    add("4.02", "issue", p.message)
        if e.DateCreated is not None and (e.DateCreated.date() - e.EntryDate).days > LATE_AFTER_DAYS:
            days = (e.DateCreated.date() - e.EntryDate).days
            add("3.10", "late", f"Project start entered {days} days after it happened (HUD counts more than "
                                f"{LATE_AFTER_DAYS} days as late).")
        if x is not None:
            if x.Destination in DK_PNTA:
                add("3.12", "dk_pnta", "Destination: the client didn't know or preferred not to answer.")
            elif x.Destination in (hud.NOT_COLLECTED, 30, None):
                add("3.12", "missing", "Destination: not collected or no exit interview.")
            if x.DateCreated is not None and (x.DateCreated.date() - x.ExitDate).days > LATE_AFTER_DAYS:
                days = (x.DateCreated.date() - x.ExitDate).days
                add("3.11", "late", f"Project exit entered {days} days after it happened.")
    return out


def summary(items: list[Finding]) -> dict[str, int]:
    """Count findings by kind (for a headline: 3 missing, 1 inconsistent ...)."""
    counts = {"missing": 0, "dk_pnta": 0, "issue": 0, "late": 0}
    for f in items:
        counts[f.kind] += 1
    return counts
