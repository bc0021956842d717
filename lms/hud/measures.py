"""HUD's data-quality measures: APR/CAPER question 6 (FY2026 programming specifications) and timeliness.

Plain data and pure functions only.  ``sandbox.apr.q6`` builds its SQL from these
values and ``sandbox.quality`` its findings; tests check both.

Where the specifications leave a choice, the choice follows the widely used open-source
implementation of the APR (Green River's HMIS warehouse, FY2026 generators), and is said here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lms.hud.lists import (CE, DAY, DK, ES_EE, ES_NBN, HP, NOT_COLLECTED, PERMANENT_HOUSING, PNTA,
                           RENTAL_WITH_SUBSIDY, SH, SO, SSO, TH)

# --- answers -----------------------------------------------------------------------------------

#: "Client doesn't know" and "Client prefers not to answer".
DK_PNTA = (DK, PNTA)
#: "Data not collected" (``NOT_COLLECTED``, 99): a missing value counts the same.
#: Destination answers HUD counts as missing: "No exit interview completed" (30) and 99.
DESTINATION_MISSING = (30, NOT_COLLECTED)
#: Destination "Rental by client, with ongoing housing subsidy" needs a subsidy type, else it is missing.
DESTINATION_NEEDS_SUBSIDY = RENTAL_WITH_SUBSIDY

# --- who is counted -----------------------------------------------------------------------------

ADULT_AGE = 18
#: Head of household (3.15 = 1); valid relationships are 1-5.
HEAD_OF_HOUSEHOLD = 1
VALID_RELATIONSHIPS = (1, 2, 3, 4, 5)
#: Street outreach counts only clients engaged (3.13 Date of Engagement on or before the report end).
STREET_OUTREACH = SO
ES_NIGHT_BY_NIGHT = ES_NBN

# --- Q6a personally identifiable information -----------------------------------------------------

#: The oldest believable date of birth.
EARLIEST_DOB = date(1915, 1, 1)
#: Quality codes that say "full" or "partial": a DOB recorded with any other quality is a data issue.
DOB_RECORDED_QUALITIES = (1, 2)
PARTIAL = 2
FULL = 1
#: Social Security numbers the SSA never issues or that are known fakes (HUD: "does not conform").
SSN_INVALID_AREAS = ("000", "666")
SSN_INVALID_AREA_PREFIX = "9"
SSN_KNOWN_FAKES = ("123456789", "987654321", "078051120", "219099999")


def ssn_conforms(ssn: str | None) -> bool:
    """Whether a full SSN follows the SSA's rules: nine digits; area not 000, 666 or 9xx; group not 00;
    serial not 0000; not one digit repeated; not a published or sequential fake."""
    if ssn is None or not re.fullmatch(r"[0-9]{9}", ssn):
        return False
    area, group, serial = ssn[:3], ssn[3:5], ssn[5:]
    return not (area in SSN_INVALID_AREAS or area.startswith(SSN_INVALID_AREA_PREFIX) or group == "00"
                or serial == "0000" or len(set(ssn)) == 1 or ssn in SSN_KNOWN_FAKES)


# --- Q6b universal data elements ------------------------------------------------------------------

#: Disability types (4.05-4.10) that make a condition disabling on their own (developmental, HIV/AIDS) ...
DISABLING_ON_THEIR_OWN = (6, 8)
#: ... and those that need "expected to be of long-continued and indefinite duration" = yes.
DISABLING_IF_INDEFINITE = (5, 7, 9, 10)
#: Yes answers of 4.05-4.09 (1) and of 4.10 substance use (1 alcohol, 2 drug, 3 both).
DISABILITY_YES = (1,)
SUBSTANCE_USE = 10
SUBSTANCE_YES = (1, 2, 3)


def disabling(disability_type: int, response: int | None, indefinite: int | None) -> bool:
    """Whether one 4.05-4.10 answer makes Disabling Condition (3.08) "yes" (so "no" is a data issue)."""
    yes = response in (SUBSTANCE_YES if disability_type == SUBSTANCE_USE else DISABILITY_YES)
    if disability_type in DISABLING_ON_THEIR_OWN:
        return yes
    return yes and indefinite == 1


# --- Q6c income and housing -----------------------------------------------------------------------

#: An annual assessment counts when dated within this many days of the head of household's anniversary.
ANNUAL_WINDOW_DAYS = 30

# --- Q6d chronic homelessness --------------------------------------------------------------------

#: Only project starts on or after this date (3.917 as it is asked today) are counted.
CHRONIC_FROM = date(2016, 10, 1)


@dataclass(frozen=True)
class ProjectGroup:
    key: str
    label: str
    project_types: tuple[int, ...]
    #: ES, SH and SO ask 3.917A: everyone is literally homeless, so no "time in institution/housing".
    literally_homeless: bool = False


#: Q6d rows (FY2026 adds CE and "SSO, Day Shelter, HP" to ES/SH/SO, TH and PH).
PROJECT_GROUPS: tuple[ProjectGroup, ...] = (
    ProjectGroup("es_sh_so", "ES-EE, ES-NbN, SH, Street Outreach", (ES_EE, ES_NBN, SH, SO), literally_homeless=True),
    ProjectGroup("th", "TH", (TH,)),
    ProjectGroup("ph", "PH (all)", tuple(sorted(PERMANENT_HOUSING))),
    ProjectGroup("ce", "CE", (CE,)),
    ProjectGroup("sso_ds_hp", "SSO, Day Shelter, HP", (SSO, DAY, HP)),
)

#: Prior living situations (3.917.1) by their hundreds: 1xx homeless, 2xx institutional; the rest
#: (0-99 and 3xx-4xx, or none) are "housing" for "missing time in housing".
HOMELESS_SITUATIONS = (100, 199)
INSTITUTIONAL_SITUATIONS = (200, 299)
HOUSING_SITUATIONS = ((0, 99), (300, 499))
#: Length of stay (3.917.2) under 90 days (institution) and under 7 nights (housing).
STAY_UNDER_90_DAYS = (10, 11, 2, 3)
STAY_UNDER_7_NIGHTS = (10, 11)
MISSING_ANSWERS = (DK, PNTA, NOT_COLLECTED)


def living_situation_kind(code: int | None) -> str:
    """"homeless", "institution" or "housing" (what 3.917 asks next)."""
    if code is not None and HOMELESS_SITUATIONS[0] <= code <= HOMELESS_SITUATIONS[1]:
        return "homeless"
    if code is not None and INSTITUTIONAL_SITUATIONS[0] <= code <= INSTITUTIONAL_SITUATIONS[1]:
        return "institution"
    return "housing"


def group_of(project_type: int | None) -> ProjectGroup | None:
    return next((g for g in PROJECT_GROUPS if project_type in g.project_types), None)


# --- Q6e timeliness ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    low: int | None
    high: int | None

    def holds(self, days: int) -> bool:
        return (self.low is None or days >= self.low) and (self.high is None or days <= self.high)


#: Days from the project start (or exit) date to the day the record was created (FY2026 adds "< 0").
TIMELINESS_BUCKETS: tuple[Bucket, ...] = (
    Bucket("before", "< 0 days", None, -1),
    Bucket("d0", "0 days", 0, 0),
    Bucket("d1_3", "1-3 days", 1, 3),
    Bucket("d4_6", "4-6 days", 4, 6),
    Bucket("d7_10", "7-10 days", 7, 10),
    Bucket("d11", "11+ days", 11, None),
)


def timeliness_bucket(days: int) -> Bucket:
    return next(b for b in TIMELINESS_BUCKETS if b.holds(days))


#: The Missouri HMIS Policies and Procedures Manual, "Data Quality" > "Data Timeliness" > "Policy".
MISSOURI_RULE_SECTION = "Data Quality › Data Timeliness › Policy"
MISSOURI_RULE_TEXT = ("Partner Agencies are required to enter all data into the HMIS within 72 hours of "
                      "collecting it from the client.")
#: HMIS dates carry no hour, so 72 hours after a start or exit date ends with the third day after it:
#: a record created 0-3 days after its date (or before it) meets the rule; 4 days or more does not.
MISSOURI_MAX_DAYS = 3


def meets_missouri_rule(days: int) -> bool:
    return days <= MISSOURI_MAX_DAYS


#: Entries made more than this many days after the start or exit are "late" (Q6e buckets: 4-6, 7-10, 11+):
#: the data-quality findings apply the same 72-hour rule.
LATE_AFTER_DAYS = MISSOURI_MAX_DAYS


# --- Q6f inactive records ------------------------------------------------------------------------

#: A contact (4.12) or bed night (4.14) older than this many days before the report end is inactive;
#: only enrollments started at least this long before the end and still open are counted.
INACTIVE_AFTER_DAYS = 90
#: Services.csv RecordType of a bed night (4.14), what ES night-by-night projects record for each night.
BED_NIGHT = 200


# --- shared --------------------------------------------------------------------------------------

def rate(count: int, of: int) -> float | None:
    """``count`` / ``of`` as a fraction (None when nobody is counted)."""
    return count / of if of else None


def percent(value: float | None) -> str:
    """A rate the way the report shows it: "12.34%", or an en dash when nobody is counted."""
    return "–" if value is None else f"{value * 100:.2f}%"
