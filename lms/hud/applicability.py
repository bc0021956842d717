"""Which HUD elements are asked, of whom, at which stage or occurrence, in which project type.

From the FY2026 data standards (Universal Data Elements, §4) and the program-specific
rules table (§5) of ``reference/hud-data-standards-fy2026.md``.  Plain values in,
plain answers (or the reason, in words) out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from lms.hud.lists import (CE, DAY, ES_NBN, PERMANENT_HOUSING, PRIOR_LIVING_A, RHY_FUNDERS, SO, SSO, STAGE_ANNUAL,
                           STAGE_ENTRY, STAGE_EXIT, STAGE_UPDATE)
from lms.hud.measures import ADULT_AGE, ANNUAL_WINDOW_DAYS

#: Who an element is asked about.
ALL, HOH, ADULTS_HOH = "all", "hoh", "adults_hoh"

#: Elements asked at a data collection stage: element → (stages, who, project types or None = every type).
#: 4.12 is not here: it is asked at each contact (an occurrence), see :func:`collects_current_living_situation`.
ELEMENTS: dict[str, tuple[frozenset[int], str, frozenset[int] | None]] = {
    "3.08": (frozenset({STAGE_ENTRY}), ALL, None),                  # Disabling condition
    "3.10": (frozenset({STAGE_ENTRY}), ALL, None),                  # Project start date
    "3.15": (frozenset({STAGE_ENTRY}), ALL, None),                  # Relationship to head of household
    "3.16": (frozenset({STAGE_ENTRY}), HOH, None),                  # Enrollment CoC
    "3.917": (frozenset({STAGE_ENTRY}), ADULTS_HOH, None),          # Prior living situation (A or B by type)
    "3.20": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_EXIT}), HOH, PERMANENT_HOUSING),  # Housing move-in date
    "4.02": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_ANNUAL, STAGE_EXIT}), ADULTS_HOH, None),
    "4.03": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_ANNUAL, STAGE_EXIT}), ADULTS_HOH, None),
    "4.04": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_ANNUAL, STAGE_EXIT}), ALL, None),
    "4.05-4.10": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_EXIT}), ALL, None),
    "4.11": (frozenset({STAGE_ENTRY, STAGE_UPDATE}), ADULTS_HOH, None),
    "3.11": (frozenset({STAGE_EXIT}), ALL, None),                   # Project exit date
    "3.12": (frozenset({STAGE_EXIT}), ALL, None),                   # Destination
}
#: Project types HUD's funders do not ask for the assessment elements (ES night-by-night, day shelter, CE):
#: CoC funds neither ES nor CE, and ESG asks 4.02-4.10 of every component except night-by-night shelter.
NO_ASSESSMENTS = frozenset({ES_NBN, DAY, CE})
ASSESSMENT_ELEMENTS = frozenset({"4.02", "4.03", "4.04", "4.05-4.10", "4.11"})
#: Exceptions to NO_ASSESSMENTS: ESG asks 4.11 Domestic violence of all its components, night-by-night included.
NOT_ASKED_BY_TYPE: dict[str, frozenset[int]] = {"4.11": frozenset({DAY, CE})}

#: 4.12 Current living situation: project types that record it at every contact (street outreach,
#: night-by-night shelter, coordinated entry, services only); RHY-funded projects of any type record it too.
CURRENT_LIVING_SITUATION_TYPES = frozenset({SO, ES_NBN, CE, SSO})


def is_adult(dob: date | None, on: date) -> bool:
    """Return True when the client is 18 or older on ``on`` (unknown age counts as adult, as HUD's APR does)."""
    if dob is None:
        return True
    return (on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))) >= ADULT_AGE


def asked_of(who: str, *, is_hoh: bool, is_adult: bool) -> bool:
    """Return True when an element asked of ``who`` ("all", "hoh", "adults_hoh") is asked of this person."""
    if who == HOH:
        return is_hoh
    if who == ADULTS_HOH:
        return is_hoh or is_adult
    return True


def required_elements(project_type: int, stage: int, *, is_hoh: bool, is_adult: bool) -> frozenset[str]:
    """Return the elements HUD requires of this project type, at this stage, about this person."""
    out = set()
    for element, (stages, who, types) in ELEMENTS.items():
        if stage not in stages or (types is not None and project_type not in types):
            continue
        if element in ASSESSMENT_ELEMENTS and project_type in NOT_ASKED_BY_TYPE.get(element, NO_ASSESSMENTS):
            continue
        if asked_of(who, is_hoh=is_hoh, is_adult=is_adult):
            out.add(element)
    return frozenset(out)


def prior_living_variant(project_type: int) -> str:
    """Return "A" (ES, SH, SO: literally homeless projects) or "B" (every other type) for 3.917."""
    return "A" if project_type in PRIOR_LIVING_A else "B"


def collects_current_living_situation(project_type: int | None, funders: Iterable[int] = ()) -> bool:
    """Return True when the project records 4.12 Current living situation contacts.

    Street outreach, night-by-night shelter, coordinated entry and services-only
    projects do by type; any project funded by an HHS RHY program (list 2.06.1,
    codes 22-26) does because of its funder, so the project's funder codes count.
    """
    return project_type in CURRENT_LIVING_SITUATION_TYPES or any(f in RHY_FUNDERS for f in funders)


def current_living_situation_reason(project_type: int | None, funders: Iterable[int] = (), *,
                                    is_hoh: bool, is_adult: bool) -> str | None:
    """Return why a 4.12 contact may not be recorded for this person in this project, or None when it may."""
    if not collects_current_living_situation(project_type, funders):
        return ("Current living situation contacts are recorded in street outreach, night-by-night shelter, "
                "coordinated entry, services-only and RHY-funded projects.")
    if not asked_of(ADULTS_HOH, is_hoh=is_hoh, is_adult=is_adult):
        return "Current living situation is recorded for adults and heads of household only."
    return None


# --- the annual assessment window ---------------------------------------------------------------

def anniversary(entry_date: date, years: int) -> date:
    """Return the ``years``-th anniversary of ``entry_date`` (a February 29 start has its day on February 28)."""
    try:
        return entry_date.replace(year=entry_date.year + years)
    except ValueError:
        return entry_date.replace(year=entry_date.year + years, day=28)


def nearest_anniversary(entry_date: date, on: date) -> date:
    """Return the anniversary of ``entry_date`` (the first at the earliest) nearest to ``on``."""
    years = max(1, on.year - entry_date.year)
    candidates = [anniversary(entry_date, y) for y in (years - 1, years, years + 1) if y >= 1]
    return min(candidates, key=lambda a: (abs((on - a).days), a))


def annual_window_reason(information_date: date, *, entry_date: date) -> str | None:
    """Return why an annual assessment dated ``information_date`` is outside HUD's window, or None when inside.

    HUD asks the annual assessment within 30 days before or after the anniversary
    of the project start (the head of household's, whose date members share).
    """
    nearest = nearest_anniversary(entry_date, information_date)
    if abs((information_date - nearest).days) <= ANNUAL_WINDOW_DAYS:
        return None
    window = timedelta(days=ANNUAL_WINDOW_DAYS)
    return (f"Information date: an annual assessment is dated within {ANNUAL_WINDOW_DAYS} days before or after an "
            f"anniversary of the project start; the nearest is {nearest:%m/%d/%Y} (from {nearest - window:%m/%d/%Y} "
            f"to {nearest + window:%m/%d/%Y}).")
