"""HUD FY2026 response lists, project types, data collection stages and the element sources.

The lists come from ``lms/hud/data/hud_lists_fy2026.json`` (every FY2026 list
with its integer codes), so drop-downs, models, validation, CSV files and the
LMS's own project-type choices all follow one source.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

#: Data files read at run time (copied from HUD's FY2026 references; never read from elsewhere).
DATA = Path(__file__).resolve().parent / "data"

#: Data collection stages (list 5.03.1): the trainer's segments are Entry, Update (or Annual) and Exit.
STAGE_ENTRY, STAGE_UPDATE, STAGE_EXIT, STAGE_ANNUAL = 1, 2, 3, 5
STAGES = {STAGE_ENTRY: "Project start", STAGE_UPDATE: "Update", STAGE_ANNUAL: "Annual assessment",
          STAGE_EXIT: "Project exit"}

#: Codes every "reasons for missing data" list shares.
DK, PNTA, NOT_COLLECTED = 8, 9, 99
MISSING_CODES = frozenset({DK, PNTA, NOT_COLLECTED})

#: Project types by what HUD asks of them.
ES_EE, ES_NBN, TH, PSH, SO, SSO, OTHER, SH, PH_HO, PH_HS, DAY, HP, RRH, CE = 0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14
PERMANENT_HOUSING = frozenset({PSH, PH_HO, PH_HS, RRH})
#: 3.917A (literally homeless projects) vs 3.917B (everyone else).
PRIOR_LIVING_A = frozenset({ES_EE, ES_NBN, SO, SH})

#: Destination / living situation that needs a rental subsidy type (3.12.A).
RENTAL_WITH_SUBSIDY = 435

#: Funding sources (list 2.06.1) of HHS Runaway and Homeless Youth programs: BCP, MGH, TLP, SOP, Demonstration.
RHY_FUNDERS = frozenset({22, 23, 24, 25, 26})


@lru_cache(maxsize=1)
def _lists() -> dict[str, dict[int, str]]:
    raw = json.loads((DATA / "hud_lists_fy2026.json").read_text(encoding="utf-8"))
    def key(k):
        return int(k) if isinstance(k, int) or str(k).lstrip("-").isdigit() else str(k)

    return {item["name"]: {key(v["key"]): v["description"] for v in item["values"]} for item in raw}


def codes(list_name: str) -> dict:
    """Return HUD's list as {code: label}, in HUD's order."""
    return _lists()[list_name]


def label(list_name: str, code: int | None) -> str:
    """Return the label of ``code`` (empty for None; the code itself if HUD has no such code)."""
    if code is None:
        return ""
    return codes(list_name).get(code, str(code))


def is_valid(list_name: str, code: int | str) -> bool:
    return code in codes(list_name)


def project_types() -> dict[int, str]:
    """Return HUD's project types (list 2.02.6, there is no code 5) as {code: label}, by code."""
    return dict(sorted(codes("ProjectType").items()))


def is_coc_code(code: str | None) -> bool:
    """Return True for a HUD CoC code (list 2.03.1, e.g. "MO-606")."""
    return bool(code) and code in codes("CoCCodes")


def choices(list_name: str, *, blank: str | None = "Select…", only: set[int] | None = None) -> list[tuple[str, str]]:
    """Return (value, label) pairs for a drop-down: labels shown, codes stored."""
    out = [("", blank)] if blank is not None else []
    out += [(str(k), v) for k, v in codes(list_name).items() if only is None or k in only]
    return out


#: 4.02 income sources: (flag column, amount column, label).
INCOME_SOURCES: list[tuple[str, str, str]] = [
    ("Earned", "EarnedAmount", "Earned income (employment)"),
    ("Unemployment", "UnemploymentAmount", "Unemployment insurance"),
    ("SSI", "SSIAmount", "Supplemental Security Income (SSI)"),
    ("SSDI", "SSDIAmount", "Social Security Disability Insurance (SSDI)"),
    ("VADisabilityService", "VADisabilityServiceAmount", "VA service-connected disability compensation"),
    ("VADisabilityNonService", "VADisabilityNonServiceAmount", "VA non-service-connected disability pension"),
    ("PrivateDisability", "PrivateDisabilityAmount", "Private disability insurance"),
    ("WorkersComp", "WorkersCompAmount", "Worker's compensation"),
    ("TANF", "TANFAmount", "TANF"),
    ("GA", "GAAmount", "General assistance (GA)"),
    ("SocSecRetirement", "SocSecRetirementAmount", "Retirement income from Social Security"),
    ("Pension", "PensionAmount", "Pension or retirement income from a former job"),
    ("ChildSupport", "ChildSupportAmount", "Child support"),
    ("Alimony", "AlimonyAmount", "Alimony or other spousal support"),
    ("OtherIncomeSource", "OtherIncomeAmount", "Other source"),
]
#: 4.03 non-cash benefits: (flag column, label).
BENEFIT_SOURCES: list[tuple[str, str]] = [
    ("SNAP", "Supplemental Nutrition Assistance Program (SNAP)"),
    ("WIC", "Special Supplemental Nutrition Program for WIC"),
    ("TANFChildCare", "TANF child care services"),
    ("TANFTransportation", "TANF transportation services"),
    ("OtherTANF", "Other TANF-funded services"),
    ("OtherBenefitsSource", "Other source"),
]
#: 4.04 health insurance: (flag column, label).
INSURANCE_SOURCES: list[tuple[str, str]] = [
    ("Medicaid", "Medicaid"), ("Medicare", "Medicare"),
    ("SCHIP", "State Children's Health Insurance Program"),
    ("VHAServices", "Veteran's Health Administration (VHA)"),
    ("EmployerProvided", "Employer-provided health insurance"),
    ("COBRA", "Health insurance obtained through COBRA"),
    ("PrivatePay", "Private pay health insurance"),
    ("StateHealthIns", "State health insurance for adults"),
    ("IndianHealthServices", "Indian Health Services Program"),
    ("OtherInsurance", "Other"),
]
#: 4.05–4.10 disability types (list 1.3) with their element numbers.
DISABILITY_TYPES: dict[int, tuple[str, str]] = {
    5: ("4.05", "Physical disability"), 6: ("4.06", "Developmental disability"),
    7: ("4.07", "Chronic health condition"), 8: ("4.08", "HIV/AIDS"),
    9: ("4.09", "Mental health disorder"), 10: ("4.10", "Substance use disorder"),
}
RACE_COLUMNS: list[tuple[str, str]] = [
    ("AmIndAKNative", "American Indian, Alaska Native, or Indigenous"), ("Asian", "Asian or Asian American"),
    ("BlackAfAmerican", "Black, African American, or African"), ("HispanicLatinao", "Hispanic/Latina/o"),
    ("MidEastNAfrican", "Middle Eastern or North African"), ("NativeHIPacific", "Native Hawaiian or Pacific Islander"),
    ("White", "White"),
]

def disability_response_list(disability_type: int) -> str:
    """Substance use (type 10) answers from list 4.10.2; the others from 1.8."""
    return "DisabilityResponse" if disability_type == 10 else "NoYesReasonsForMissingData"




#: HUD FY2026 list 2.02.6 ProjectType by code: the one copy every package (orgs, sandbox, cases) reads.
PROJECT_TYPES: dict[int, str] = project_types()
