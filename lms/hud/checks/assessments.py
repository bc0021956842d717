"""4.02-4.11: income, benefits, insurance, disabilities, domestic violence, and the dates assessments carry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping

from lms.hud.applicability import annual_window_reason
from lms.hud.checks.base import NO, YES, Problem, check_codes, clean_texts, merge, parse_money
from lms.hud.csv_columns import columns
from lms.hud.lists import (BENEFIT_SOURCES, DISABILITY_TYPES, INCOME_SOURCES, INSURANCE_SOURCES, MISSING_CODES,
                           STAGE_ANNUAL, STAGE_ENTRY, STAGE_EXIT, STAGE_UPDATE, disability_response_list, is_valid)

# --- 4.02–4.04 income, benefits, insurance ------------------------------------------------------

def check_income_benefits(ib: Mapping[str, Any], *, is_adult_or_hoh: bool = True) -> list[Problem]:
    """Each "from any source" answer agrees with its sources, and the amounts add up to the total."""
    p: list[Problem] = []
    p += check_codes(ib, ["IncomeFromAnySource", "BenefitsFromAnySource", "InsuranceFromAnySource",
                          *[f for f, _, _ in INCOME_SOURCES], *[f for f, _ in BENEFIT_SOURCES],
                          *[f for f, _ in INSURANCE_SOURCES]])
    if not is_adult_or_hoh:
        if any(ib.get(n) is not None for n in ("IncomeFromAnySource", "BenefitsFromAnySource")):
            p.append(Problem("IncomeFromAnySource", "Income and non-cash benefits: asked of adults and heads of "
                                                    "household only; leave them blank for a child."))
    else:
        p += _any_source(ib, "IncomeFromAnySource", [f for f, _, _ in INCOME_SOURCES], "Income from any source")
        p += _amounts(ib)
        p += _any_source(ib, "BenefitsFromAnySource", [f for f, _ in BENEFIT_SOURCES], "Non-cash benefits from any source")
    p += _any_source(ib, "InsuranceFromAnySource", [f for f, _ in INSURANCE_SOURCES], "Covered by health insurance")
    return p


def _any_source(ib: Mapping[str, Any], any_field: str, flags: list[str], label: str) -> list[Problem]:
    answer = ib.get(any_field)
    yes = [f for f in flags if ib.get(f) == YES]
    if answer == NO and yes:
        return [Problem(any_field, f"{label}: answered No, but {', '.join(yes)} is marked Yes.")]
    if answer == YES and not yes:
        return [Problem(any_field, f"{label}: answered Yes, but no source is marked Yes.")]
    if answer in MISSING_CODES and yes:
        return [Problem(any_field, f"{label}: sources are marked Yes, so answer Yes.")]
    return []


def _amounts(ib: Mapping[str, Any]) -> list[Problem]:
    p: list[Problem] = []
    total, bad_total = parse_money(ib.get("TotalMonthlyIncome"), field="TotalMonthlyIncome")
    p += bad_total
    summed, unreadable = Decimal("0"), False
    for flag, amount_field, label in INCOME_SOURCES:
        amount, bad = parse_money(ib.get(amount_field), field=amount_field)
        if bad:
            p += bad
            unreadable = True
            continue
        if ib.get(flag) == YES and (amount is None or amount <= 0):
            p.append(Problem(amount_field, f"{label}: marked Yes, so enter its monthly amount."))
        if ib.get(flag) != YES and amount is not None and amount != 0:
            p.append(Problem(amount_field, f"{label}: an amount is entered but the source is not marked Yes."))
        if amount is not None:
            summed += amount
    if ib.get("IncomeFromAnySource") == YES and total is None and not bad_total:
        p.append(Problem("TotalMonthlyIncome", "Total monthly income: enter the total of the amounts."))
    if total is not None and total != summed and not unreadable:
        p.append(Problem("TotalMonthlyIncome", f"Total monthly income: {total:.2f} is not the sum of the "
                                               f"amounts ({summed:.2f})."))
    return p


# --- 4.05–4.10 disabilities, 4.11 domestic violence ----------------------------------------------

def check_disabilities(rows: Mapping[int, Mapping[str, Any]], *, disabling_condition: int | None) -> list[Problem]:
    """One answer per disability type; a long-term disability means the disabling condition is Yes."""
    p: list[Problem] = []
    for dtype, row in rows.items():
        response = row.get("DisabilityResponse")
        element, label = DISABILITY_TYPES[dtype]
        if response is None:
            p.append(Problem(f"Disability{dtype}", f"{element} {label}: answer it."))
            continue
        if not is_valid(disability_response_list(dtype), int(response)):
            p.append(Problem(f"Disability{dtype}", f"{element} {label}: {response} is not one of HUD's answers."))
        has = response in ((1, 2, 3) if dtype == 10 else (1,))
        if has and dtype not in (6, 8) and row.get("IndefiniteAndImpairs") is None:
            p.append(Problem(f"Indefinite{dtype}", f"{element} {label}: say whether it is expected to be "
                                                   "long-term and to impair independent living."))
        if not has and row.get("IndefiniteAndImpairs") is not None:
            p.append(Problem(f"Indefinite{dtype}", f"{element} {label}: \"long-term\" is asked only when the "
                                                   "answer is Yes."))
        disabling = has and (dtype in (6, 8) or row.get("IndefiniteAndImpairs") == YES)
        if disabling and disabling_condition == NO:
            p.append(Problem(f"Disability{dtype}", f"{element} {label}: this is a disabling condition, but "
                                                   "3.08 Disabling condition says No."))
    return p


def check_health_and_dv(h: Mapping[str, Any]) -> list[Problem]:
    p = check_codes(h, ["DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing"])
    survivor = h.get("DomesticViolenceSurvivor")
    if survivor is None:
        p.append(Problem("DomesticViolenceSurvivor", "Survivor of domestic violence: answer it."))
    if survivor == YES:
        if h.get("WhenOccurred") is None:
            p.append(Problem("WhenOccurred", "When the experience occurred: answer it."))
        if h.get("CurrentlyFleeing") is None:
            p.append(Problem("CurrentlyFleeing", "Currently fleeing: answer it."))
    elif h.get("WhenOccurred") is not None or h.get("CurrentlyFleeing") is not None:
        p.append(Problem("WhenOccurred", "When it occurred and currently fleeing are asked only of survivors; "
                                         "leave them blank."))
    return p


def check_information_date(information_date: date | None, *, stage: int, start: date,
                           exit_date: date | None) -> list[Problem]:
    """Start records are dated the start date, exit records the exit date, updates within the stay,
    annual assessments within the stay and within 30 days of an anniversary of the start."""
    if information_date is None:
        return [Problem("InformationDate", "Information date: enter the date the information was collected.")]
    if stage == STAGE_ENTRY and information_date != start:
        return [Problem("InformationDate", "Information date: a project-start record is dated the project start date.")]
    if stage == STAGE_EXIT and exit_date is not None and information_date != exit_date:
        return [Problem("InformationDate", "Information date: a project-exit record is dated the project exit date.")]
    if stage in (STAGE_UPDATE, STAGE_ANNUAL):
        if information_date < start or (exit_date is not None and information_date > exit_date):
            return [Problem("InformationDate", "Information date: it must fall within the client's stay.")]
    if stage == STAGE_ANNUAL:
        reason = annual_window_reason(information_date, entry_date=start)
        if reason is not None:
            return [Problem("InformationDate", reason)]
    return []


# --- one stage's answers, as a form sends them ---------------------------------------------------

#: 4.02 and 4.03 answers, asked of adults and heads of household only (4.04 is asked of everyone).
ADULT_ONLY_INCOME_FIELDS = ("IncomeFromAnySource", "TotalMonthlyIncome", *[f for s in INCOME_SOURCES for f in s[:2]],
                            "BenefitsFromAnySource", *[f for f, _ in BENEFIT_SOURCES])


def income_answers(income: Mapping[str, Any] | None, *, required: Iterable[str],
                   is_adult_or_hoh: bool) -> tuple[dict[str, Any], list[Problem]]:
    """Return one stage's 4.02-4.04 answers as stored (texts cleaned, amounts read) and every problem.

    Only what HUD asks of this person at this stage: income and benefits of adults
    and heads of household (a child's are refused, rather than silently dropped,
    and left out), health insurance of everyone; where none of 4.02-4.04 is asked,
    any answer is refused.
    """
    required = set(required)
    values = dict(income or {})
    if not {"4.02", "4.03", "4.04"} & required:
        if any(v is not None for v in values.values()):
            return {}, [Problem("IncomeFromAnySource", "Income, benefits and insurance are not asked here.")]
        return {}, []
    values, problems = clean_texts(values, "IncomeBenefits.csv")
    if "4.02" not in required:
        if any(values.get(name) not in (None, "") for name in ADULT_ONLY_INCOME_FIELDS):
            problems.append(Problem("IncomeFromAnySource", "Income and non-cash benefits: asked of adults and "
                                                           "heads of household only; leave them blank for a child."))
        for name in ADULT_ONLY_INCOME_FIELDS:
            values.pop(name, None)
    else:
        for name, label in (("IncomeFromAnySource", "Income from any source"),
                            ("BenefitsFromAnySource", "Non-cash benefits from any source")):
            if values.get(name) is None:
                problems.append(Problem(name, f"{label}: answer it."))
    if values.get("InsuranceFromAnySource") is None:
        problems.append(Problem("InsuranceFromAnySource", "Covered by health insurance: answer it."))
    problems = merge(problems, check_income_benefits(values, is_adult_or_hoh=is_adult_or_hoh))
    money = {c.name for c in columns("IncomeBenefits.csv") if c.is_money}
    for name in values:  # the amounts as the rules read them (a refused amount was reported above)
        if name in money:
            values[name], _ = parse_money(values[name], field=name)
    return values, problems


def health_answers(health: Mapping[str, Any] | None, *, required: Iterable[str]) -> list[Problem]:
    """Check one stage's 4.11 answers: checked where HUD asks them, refused where it does not."""
    if "4.11" in set(required):
        return check_health_and_dv(health or {})
    if health and any(v is not None for v in health.values()):
        return [Problem("DomesticViolenceSurvivor", "Domestic violence is asked of adults and heads of household "
                                                    "at project start and update only.")]
    return []
