"""Assessments of one data collection stage: income and benefits, disabilities, health and domestic violence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox import hud, rules
from sandbox.models import Disabilities, Enrollment, HealthAndDV, IncomeBenefits, Workspace
from sandbox.rules import Problem, ValidationFailed
from sandbox.services.common import new_id, stamp
from sandbox.services.consent import require_roi
from sandbox.services.enrollments import required_for
from sandbox.services.lookups import exit_of, get_client


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
