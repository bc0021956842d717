"""Pure HUD rules: which elements each project type asks at each stage, and cross-field consistency.

Facts in, every problem out: each check returns a list of :class:`Problem`, one
per broken rule, naming the field (HUD's column name) so forms can show the
message beside it.  No database, no Flask, no clock: dates come in as arguments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping

from lms.core.errors import InvalidInput
from sandbox import hud
from sandbox.hud import (CE, DAY, ES_NBN, INCOME_SOURCES, BENEFIT_SOURCES, INSURANCE_SOURCES, MISSING_CODES,
                         PERMANENT_HOUSING, PRIOR_LIVING_A, RENTAL_WITH_SUBSIDY, SO, STAGE_ANNUAL, STAGE_ENTRY,
                         STAGE_EXIT, STAGE_UPDATE)

YES, NO = 1, 0
#: Earliest believable date of birth (APR Q6a flags anything before it).
EARLIEST_DOB = date(1915, 1, 1)
#: Earliest date any other sandbox answer may hold (HUD's CSV writes four-digit years; no HMIS record predates it).
EARLIEST_DATE = date(1900, 1, 1)
#: A HUD identifier as the sandbox makes them (a form's one-time id, a key in a URL): at most 32 characters, the
#: HMIS CSV limit, of letters, digits, "-" and "_".
RECORD_ID = re.compile(r"[A-Za-z0-9_-]{1,32}\Z")
#: Money columns are Numeric(12, 2), as HUD's CSV carries them: ten digits before the point, two after.
MONEY_PRECISION, MONEY_SCALE = 12, 2
_MONEY = re.compile(rf"[0-9]{{1,{MONEY_PRECISION - MONEY_SCALE}}}(\.[0-9]{{1,{MONEY_SCALE}}})?\Z")
_MONEY_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?\Z")


@dataclass(frozen=True)
class Problem:
    #: HUD column (or form field) the problem is about.
    field: str
    message: str


class ValidationFailed(InvalidInput):
    """Raise when HUD's rules refuse the data; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        problems = list(dict.fromkeys(problems))  # one rule reached twice is still one problem
        super().__init__(problems[0].message if len(problems) == 1 else
                         f"{len(problems)} answers need fixing before this can be saved.",
                         reasons=[p.message for p in problems])
        self.problems = problems


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationFailed(problems)


def is_adult(dob: date | None, on: date) -> bool:
    """Return True when the client is 18 or older on ``on`` (unknown age counts as adult, as HUD's APR does)."""
    if dob is None:
        return True
    return (on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))) >= 18


# --- which elements, for whom, when ----------------------------------------------------------

#: Elements each stage may ask: element → (stages, who: "all" | "hoh" | "adults_hoh", project types or None=all).
#: From HUD's FY2026 data standards (UDEs) and the program-specific rules table (see hud-data-standards).
ELEMENTS: dict[str, tuple[frozenset[int], str, frozenset[int] | None]] = {
    "3.08": (frozenset({STAGE_ENTRY}), "all", None),                  # Disabling condition
    "3.10": (frozenset({STAGE_ENTRY}), "all", None),                  # Project start date
    "3.15": (frozenset({STAGE_ENTRY}), "all", None),                  # Relationship to head of household
    "3.16": (frozenset({STAGE_ENTRY}), "hoh", None),                  # Enrollment CoC
    "3.917": (frozenset({STAGE_ENTRY}), "adults_hoh", None),          # Prior living situation (A or B by type)
    "3.20": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_EXIT}), "hoh", PERMANENT_HOUSING),  # Housing move-in date
    "4.02": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_ANNUAL, STAGE_EXIT}), "adults_hoh", None),
    "4.03": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_ANNUAL, STAGE_EXIT}), "adults_hoh", None),
    "4.04": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_ANNUAL, STAGE_EXIT}), "all", None),
    "4.05-4.10": (frozenset({STAGE_ENTRY, STAGE_UPDATE, STAGE_EXIT}), "all", None),
    "4.11": (frozenset({STAGE_ENTRY, STAGE_UPDATE}), "adults_hoh", None),
    "4.12": (frozenset({STAGE_ENTRY, STAGE_UPDATE}), "adults_hoh", frozenset({SO})),
    "3.11": (frozenset({STAGE_EXIT}), "all", None),                   # Project exit date
    "3.12": (frozenset({STAGE_EXIT}), "all", None),                   # Destination
}
#: Project types HUD's funders do not ask for the assessment elements (ES night-by-night, day shelter, CE):
#: CoC funds neither ES nor CE, and ESG asks 4.02-4.10 of every component except night-by-night shelter.
NO_ASSESSMENTS = frozenset({ES_NBN, DAY, CE})
ASSESSMENT_ELEMENTS = frozenset({"4.02", "4.03", "4.04", "4.05-4.10", "4.11"})
#: Exceptions to NO_ASSESSMENTS: ESG asks 4.11 Domestic violence of all its components, night-by-night included.
NOT_ASKED_BY_TYPE: dict[str, frozenset[int]] = {"4.11": frozenset({DAY, CE})}

ELEMENT_LABELS = {
    "3.08": "Disabling condition", "3.10": "Project start date", "3.11": "Project exit date", "3.12": "Destination",
    "3.15": "Relationship to head of household", "3.16": "Enrollment CoC", "3.20": "Housing move-in date",
    "3.917": "Prior living situation", "4.02": "Income and sources", "4.03": "Non-cash benefits",
    "4.04": "Health insurance", "4.05-4.10": "Disabilities", "4.11": "Domestic violence",
    "4.12": "Current living situation",
}


def required_elements(project_type: int, stage: int, *, is_hoh: bool, is_adult: bool) -> frozenset[str]:
    """Return the elements HUD requires of this project type, at this stage, about this person."""
    out = set()
    for element, (stages, who, types) in ELEMENTS.items():
        if stage not in stages or (types is not None and project_type not in types):
            continue
        if element in ASSESSMENT_ELEMENTS and project_type in NOT_ASKED_BY_TYPE.get(element, NO_ASSESSMENTS):
            continue
        if who == "hoh" and not is_hoh:
            continue
        if who == "adults_hoh" and not (is_hoh or is_adult):
            continue
        out.add(element)
    return frozenset(out)


def prior_living_variant(project_type: int) -> str:
    """Return "A" (ES, SH, SO: literally homeless projects) or "B" (every other type) for 3.917."""
    return "A" if project_type in PRIOR_LIVING_A else "B"


# --- helpers ------------------------------------------------------------------------------------

#: What people call each field in messages (HUD's column name otherwise).
LABELS = {
    "FirstName": "First name", "MiddleName": "Middle name", "LastName": "Last name", "NameSuffix": "Suffix",
    "SSN": "SSN", "AdditionalRaceEthnicity": "Additional race and ethnicity detail",
    "NameDataQuality": "Name data quality", "SSNDataQuality": "SSN data quality",
    "DOBDataQuality": "Date of birth data quality", "VeteranStatus": "Veteran status", "DOB": "Date of birth",
    "EntryDate": "Project start date", "ExitDate": "Project exit date", "MoveInDate": "Housing move-in date",
    "DateToStreetESSH": "Approximate date this episode of homelessness started", "Destination": "Destination",
    "OtherDestination": "Other destination", "InformationDate": "Information date",
    "CurrentLivingSituation": "Current living situation", "LocationDetails": "Location details",
    "OtherIncomeSourceIdentify": "Other income source", "OtherBenefitsSourceIdentify": "Other benefit source",
    "OtherInsuranceIdentify": "Other health insurance", "DisabilityResponse": "Disability",
    "TotalMonthlyIncome": "Total monthly income", "signed_on": "Date signed",
    **{amount: label for _, amount, label in INCOME_SOURCES},
}


def label_of(field: str) -> str:
    return LABELS.get(field, field)


def clean_text(value: Any, *, field: str, limit: int | None) -> tuple[str | None, list[Problem]]:
    """Return text as HUD's CSV can carry it: format characters dropped, trimmed, blank as None; or the problem.

    Format characters (zero-width spaces, byte-order marks, direction marks) are
    invisible and mean nothing in a name, so they are removed; control
    characters (NUL, tabs, line breaks, C1 codes) are refused with a message, as
    is text longer than the HMIS CSV column.
    """
    if value is None:
        return None, []
    text = "".join(ch for ch in str(value) if unicodedata.category(ch) != "Cf").strip()
    for position, ch in enumerate(text, start=1):
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return None, [Problem(field, f"{label_of(field)}: remove the control character (U+{ord(ch):04X}) at "
                                         f"position {position}; only printable text can be saved.")]
    if limit is not None and len(text) > limit:
        return None, [Problem(field, f"{label_of(field)}: at most {limit} characters (this is {len(text)}).")]
    return text or None, []


def clean_texts(values: Mapping[str, Any], file_name: str) -> tuple[dict[str, Any], list[Problem]]:
    """Clean every text answer of ``values`` that is a text column of ``file_name``, within that column's length."""
    out, problems = dict(values), []
    text_columns = {c.name: c.limit for c in hud.columns(file_name) if c.type == "string" and not c.is_money}
    for name, value in values.items():
        if name in text_columns and value is not None:
            cleaned, found = clean_text(value, field=name, limit=text_columns[name])
            # A refused answer stays as typed, so the other rules still see that something was entered.
            out[name] = value if found else cleaned
            problems += found
    return out, problems


def merge(first: list[Problem], then: list[Problem]) -> list[Problem]:
    """Return ``first`` and those of ``then`` about other fields: a refused answer is not judged a second time."""
    taken = {p.field for p in first}
    return first + [p for p in then if p.field not in taken]


def parse_money(value: Any, *, field: str) -> tuple[Decimal | None, list[Problem]]:
    """Read an amount the one way every sandbox money field is read: finite, at least 0, cents at most.

    "$1,234.50" and "1234.5" are fine; NaN, Infinity, negative amounts, a third
    decimal or more digits than the column holds are refused with a message.
    """
    if value is None:
        return None, []
    if isinstance(value, Decimal) and value.is_finite():
        text = f"{value:f}"
    else:
        text = str(value).strip()
    if text.startswith("$"):
        text = text[1:].strip()
    if _MONEY_GROUPED.match(text):
        text = text.replace(",", "")
    if text.startswith("."):
        text = "0" + text
    if text == "":
        return None, []
    if not _MONEY.match(text):
        whole = text.split(".")[0]
        if whole.isascii() and whole.isdigit() and len(whole) > MONEY_PRECISION - MONEY_SCALE:
            limit = "9" * (MONEY_PRECISION - MONEY_SCALE) + "." + "9" * MONEY_SCALE
            return None, [Problem(field, f"{label_of(field)}: the amount is too large (at most {limit}).")]
        return None, [Problem(field, f"{label_of(field)}: enter an amount of at least 0 with at most "
                                     f"{MONEY_SCALE} decimals, such as 450.00.")]
    return Decimal(text).quantize(Decimal(1).scaleb(-MONEY_SCALE)), []


def check_record_id(value: Any, *, field: str = "record_id") -> list[Problem]:
    """A form's one-time id must look like the ids the sandbox hands out (it becomes a HUD key)."""
    if value is None or (isinstance(value, str) and RECORD_ID.match(value)):
        return []
    return [Problem(field, "This form's one-time id is damaged: reload the page and enter the answers again.")]


def is_record_id(value: Any) -> bool:
    return isinstance(value, str) and RECORD_ID.match(value) is not None


def check_dates(values: Mapping[str, Any], fields: Iterable[str], *, today: date) -> list[Problem]:
    """Every date answered lies between 1900 (1915 for a birth) and today: HMIS data records what happened."""
    p: list[Problem] = []
    for name in fields:
        value = values.get(name)
        if not isinstance(value, date):
            continue
        earliest = EARLIEST_DOB if name == "DOB" else EARLIEST_DATE
        if value > today:
            p.append(Problem(name, f"{label_of(name)}: it cannot be in the future."))
        elif value < earliest:
            p.append(Problem(name, f"{label_of(name)}: it cannot be before {earliest:%m/%d/%Y}."))
    return p


def check_required(values: Mapping[str, Any], file_name: str, *, filled: Iterable[str],
                   found: Iterable[Problem] = ()) -> list[Problem]:
    """Ask for every column HUD (and so the database) requires, except those the sandbox fills itself.

    Derived from the FY2026 column specification the models are built from, so
    a required column can never reach the database empty.  A field that already
    has a problem is not asked about twice.
    """
    skip = set(filled) | {p.field for p in found} | hud.EXPORT_ONLY | {"DateCreated", "DateUpdated", "UserID"}
    out = []
    for col in hud.columns(file_name):
        if col.required and col.name not in skip and values.get(col.name) in (None, ""):
            verb = "choose an answer" if col.type == "integer" else "enter it"
            out.append(Problem(col.name, f"{label_of(col.name)}: {verb}."))
    return out


def check_codes(record: Mapping[str, Any], fields: Iterable[str]) -> list[Problem]:
    """Refuse any coded answer that is not one of HUD's codes for that field."""
    problems = []
    for name in fields:
        value = record.get(name)
        list_name = hud.COLUMN_LISTS.get(name)
        if value is None or list_name is None:
            continue
        if not hud.is_valid(list_name, int(value)):
            problems.append(Problem(name, f"{name}: {value} is not one of HUD's answers for this question."))
    return problems


# --- 3.01–3.07, 4.21: the client ---------------------------------------------------------------

def check_client(c: Mapping[str, Any], *, today: date) -> list[Problem]:
    """Check a client profile: data-quality codes agree with the data, SSN shape, race choices, DOB."""
    p: list[Problem] = []
    p += check_codes(c, ["NameDataQuality", "SSNDataQuality", "DOBDataQuality", "Sex", "RaceNone", "VeteranStatus"])
    first, last = (c.get("FirstName") or "").strip(), (c.get("LastName") or "").strip()
    nq = c.get("NameDataQuality")
    if nq in (1, 2) and not (first or last):
        p.append(Problem("FirstName", "Name: enter the name (or the street or code name) the client gave."))
    elif nq == 1 and not (first and last):
        p.append(Problem("LastName" if first else "FirstName",
                         "Name: a full name needs both a first and a last name."))
    if nq in MISSING_CODES and (first or last):
        p.append(Problem("NameDataQuality", "Name quality: a name was entered, so the quality cannot be "
                                            "\"doesn't know\", \"prefers not to answer\" or \"not collected\"."))

    ssn = c.get("SSN") or ""
    sq = c.get("SSNDataQuality")
    if ssn:
        if len(ssn) != 9 or any(ch not in "0123456789x" for ch in ssn):
            p.append(Problem("SSN", "SSN: nine characters, digits or a lowercase x for each digit the client "
                                    "does not know (for example xxxxx1234)."))
        elif sq == 1 and "x" in ssn:
            p.append(Problem("SSNDataQuality", "SSN quality: an SSN with unknown digits is \"approximate or "
                                               "partial\", not \"full\"."))
        elif sq == 1 and (ssn[:3] in ("000", "666") or ssn[0] == "9" or ssn[3:5] == "00" or ssn[5:] == "0000"):
            p.append(Problem("SSN", "SSN: that is not a valid Social Security number."))
        if sq in MISSING_CODES:
            p.append(Problem("SSNDataQuality", "SSN quality: an SSN was entered, so the quality cannot be "
                                               "\"doesn't know\", \"prefers not to answer\" or \"not collected\"."))
    elif sq in (1, 2):
        p.append(Problem("SSN", "SSN: enter the SSN, or choose why it is missing as its quality."))

    dob, dq = c.get("DOB"), c.get("DOBDataQuality")
    if dob is not None:
        if dq in MISSING_CODES:
            p.append(Problem("DOBDataQuality", "Date of birth quality: a date of birth was entered, so the quality "
                                               "cannot be \"doesn't know\", \"prefers not to answer\" or \"not collected\"."))
        p += check_dates(c, ["DOB"], today=today)
    elif dq in (1, 2):
        p.append(Problem("DOB", "Date of birth: enter it, or choose why it is missing as its quality."))

    races = [name for name, _ in hud.RACE_COLUMNS if c.get(name) == YES]
    race_none = c.get("RaceNone")
    if races and race_none is not None:
        p.append(Problem("RaceNone", "Race and ethnicity: choose races, or \"doesn't know\" / \"prefers not to "
                                     "answer\" / \"not collected\", not both."))
    if not races and race_none is None:
        p.append(Problem("RaceNone", "Race and ethnicity: choose at least one answer."))

    vet = c.get("VeteranStatus")
    if dob is not None and vet == YES and not is_adult(dob, today):
        p.append(Problem("VeteranStatus", "Veteran status: a child cannot be a veteran (the question is for adults)."))
    # Unticked races are stored as 0 and an unanswered veteran status as 99 (not collected): never left empty.
    p += check_required(c, "Client.csv", filled=["PersonalID", "VeteranStatus", *(n for n, _ in hud.RACE_COLUMNS)],
                        found=p)
    return p


CLIENT_FIELDS = ["FirstName", "MiddleName", "LastName", "NameSuffix", "NameDataQuality", "SSN", "SSNDataQuality",
                 "DOB", "DOBDataQuality", "Sex", *[c for c, _ in hud.RACE_COLUMNS], "RaceNone",
                 "AdditionalRaceEthnicity", "VeteranStatus"]


def client_answers(data: Mapping[str, Any], *, today: date,
                   record_id: str | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Return a client's answers as stored (texts cleaned, unticked races 0, no veteran answer 99) and every problem."""
    values = {k: data.get(k) for k in CLIENT_FIELDS}
    for col, _ in hud.RACE_COLUMNS:
        values[col] = 1 if values.get(col) == 1 else 0
    if values.get("VeteranStatus") is None:
        values["VeteranStatus"] = hud.NOT_COLLECTED
    values, problems = clean_texts(values, "Client.csv")
    problems += check_record_id(record_id)
    return values, merge(problems, check_client(values, today=today))


# --- 3.15 households ----------------------------------------------------------------------------

def check_household(relationships: Iterable[int | None]) -> list[Problem]:
    """A household has exactly one head (relationship 1)."""
    rels = list(relationships)
    heads = sum(1 for r in rels if r == 1)
    if heads == 0:
        return [Problem("RelationshipToHoH", "Relationship to head of household: the household needs a head "
                                             "of household (\"Self\").")]
    if heads > 1:
        return [Problem("RelationshipToHoH", "Relationship to head of household: a household can have only "
                                             "one head of household.")]
    return []


# --- project start: enrollment ------------------------------------------------------------------

def check_enrollment(e: Mapping[str, Any], *, project_type: int, dob: date | None, is_hoh: bool,
                     exit_date: date | None = None) -> list[Problem]:
    """Check a project-start record: dates, 3.08, 3.16, the 3.917 A/B branching, 3.20, adult-only answers."""
    p: list[Problem] = []
    p += check_codes(e, ["RelationshipToHoH", "LivingSituation", "RentalSubsidyType", "LengthOfStay",
                         "LOSUnderThreshold", "PreviousStreetESSH", "TimesHomelessPastThreeYears",
                         "MonthsHomelessPastThreeYears", "DisablingCondition"])
    start: date | None = e.get("EntryDate")
    if start is None:
        # Keep checking: every other answer is still reported, only the date comparisons wait for a start date.
        p.append(Problem("EntryDate", "Project start date: enter the date the client started in the project."))
    elif dob is not None and dob > start:
        p.append(Problem("EntryDate", "Project start date: it is before the client's date of birth."))
    if e.get("DisablingCondition") is None:
        p.append(Problem("DisablingCondition", "Disabling condition: answer it for every household member."))
    if e.get("RelationshipToHoH") is None:
        p.append(Problem("RelationshipToHoH", "Relationship to head of household: answer it."))
    if is_hoh and not e.get("EnrollmentCoC"):
        p.append(Problem("EnrollmentCoC", "Enrollment CoC: choose the CoC where the head of household is served."))
    elif e.get("EnrollmentCoC") and not hud.is_coc_code(e["EnrollmentCoC"]):
        p.append(Problem("EnrollmentCoC", "Enrollment CoC: that is not a HUD CoC code."))

    # Without a start date a household member's age on it is unknown: only the head is surely asked 3.917.
    asks_prior = is_hoh or (start is not None and is_adult(dob, start))
    living = e.get("LivingSituation")
    prior_fields = ["LivingSituation", "LengthOfStay", "LOSUnderThreshold", "PreviousStreetESSH",
                    "DateToStreetESSH", "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears"]
    if asks_prior:
        p += _check_prior_living(e, project_type=project_type, start=start)
    elif start is not None:
        for name in prior_fields:
            if e.get(name) is not None:
                p.append(Problem(name, "Prior living situation: it is asked of adults and heads of household "
                                       "only; leave it blank for a child."))
                break

    if living == RENTAL_WITH_SUBSIDY and e.get("RentalSubsidyType") is None:
        p.append(Problem("RentalSubsidyType", "Rental subsidy type: choose the subsidy (the living situation is "
                                              "a rental with an ongoing subsidy)."))
    if living != RENTAL_WITH_SUBSIDY and e.get("RentalSubsidyType") is not None:
        p.append(Problem("RentalSubsidyType", "Rental subsidy type: only asked when the living situation is a "
                                              "rental with an ongoing housing subsidy."))

    if start is not None:
        p += check_move_in(e.get("MoveInDate"), project_type=project_type, start=start, exit_date=exit_date,
                           is_hoh=is_hoh)
    p += check_required(e, "Enrollment.csv", filled=["EnrollmentID", "PersonalID", "ProjectID", "HouseholdID"],
                        found=p)
    return p


def _check_prior_living(e: Mapping[str, Any], *, project_type: int, start: date | None) -> list[Problem]:
    p: list[Problem] = []
    living, los = e.get("LivingSituation"), e.get("LengthOfStay")
    if living is None:
        p.append(Problem("LivingSituation", "Prior living situation: choose where the client stayed the night "
                                            "before project start."))
        return p
    if los is None:
        p.append(Problem("LengthOfStay", "Length of stay in prior living situation: answer it."))
    date_street = e.get("DateToStreetESSH")
    if date_street is not None and start is not None and date_street > start:
        p.append(Problem("DateToStreetESSH", "Approximate date this episode of homelessness started: it cannot "
                                             "be after the project start date."))
    homeless_now = living is not None and 100 <= living < 200
    if prior_living_variant(project_type) == "A" or homeless_now:
        # 3.917A, or a homeless situation under 3.917B: the homelessness history is asked straight away.
        for name, label in (("DateToStreetESSH", "Approximate date this episode of homelessness started"),
                            ("TimesHomelessPastThreeYears", "Number of times homeless in the past three years"),
                            ("MonthsHomelessPastThreeYears", "Number of months homeless in the past three years")):
            if e.get(name) is None:
                p.append(Problem(name, f"{label}: answer it."))
        return p
    # 3.917B for an institutional, temporary or permanent situation: the "break" questions.
    institutional = 200 <= living < 300
    short_stay = los in ({10, 11, 2, 3} if institutional else {10, 11})
    under = e.get("LOSUnderThreshold")
    if los is not None and los not in MISSING_CODES:
        expected = YES if short_stay else NO
        if under is None:
            p.append(Problem("LOSUnderThreshold", "Did the stay last less than " +
                             ("90 days" if institutional else "7 nights") + "?: answer it."))
        elif under != expected:
            p.append(Problem("LOSUnderThreshold", "Length of stay and \"stay less than " +
                             ("90 days" if institutional else "7 nights") + "\" disagree."))
    if under == NO:  # a break in homelessness: stop asking
        for name in ("PreviousStreetESSH", "DateToStreetESSH", "TimesHomelessPastThreeYears",
                     "MonthsHomelessPastThreeYears"):
            if e.get(name) is not None:
                p.append(Problem(name, "Homelessness history: not asked when the prior stay was long enough to "
                                       "be a break in homelessness; leave it blank."))
                break
        return p
    if under == YES:
        street = e.get("PreviousStreetESSH")
        if street is None:
            p.append(Problem("PreviousStreetESSH", "On the night before, stayed on the streets, in ES or SH?: "
                                                   "answer it."))
        elif street == YES:
            for name, label in (("DateToStreetESSH", "Approximate date this episode of homelessness started"),
                                ("TimesHomelessPastThreeYears", "Number of times homeless in the past three years"),
                                ("MonthsHomelessPastThreeYears", "Number of months homeless in the past three years")):
                if e.get(name) is None:
                    p.append(Problem(name, f"{label}: answer it."))
        elif street == NO:
            for name in ("DateToStreetESSH", "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears"):
                if e.get(name) is not None:
                    p.append(Problem(name, "Homelessness history: not asked when the client was not on the "
                                           "streets, in ES or SH the night before; leave it blank."))
                    break
    return p


def check_move_in(move_in: date | None, *, project_type: int, start: date, exit_date: date | None,
                  is_hoh: bool) -> list[Problem]:
    """3.20: permanent housing only, for the head of household, on or between project start and exit."""
    if move_in is None:
        return []
    if project_type not in PERMANENT_HOUSING:
        return [Problem("MoveInDate", "Housing move-in date: only permanent housing projects record it.")]
    if not is_hoh:
        return [Problem("MoveInDate", "Housing move-in date: record it on the head of household.")]
    if move_in < start:
        return [Problem("MoveInDate", "Housing move-in date: it cannot be before the project start date.")]
    if exit_date is not None and move_in > exit_date:
        return [Problem("MoveInDate", "Housing move-in date: it cannot be after the project exit date.")]
    return []


# --- project exit -------------------------------------------------------------------------------

def check_exit(x: Mapping[str, Any], *, start: date, move_in: date | None, today: date) -> list[Problem]:
    """3.11 and 3.12: the exit is on or after the start, destination with its subsidy type where asked."""
    p: list[Problem] = []
    p += check_codes(x, ["Destination", "DestinationSubsidyType"])
    exit_date = x.get("ExitDate")
    if exit_date is None:
        p.append(Problem("ExitDate", "Project exit date: enter the last day the client was in the project."))
    else:
        if exit_date < start:
            p.append(Problem("ExitDate", "Project exit date: it cannot be before the project start date "
                                         f"({start:%m/%d/%Y})."))
        p += check_dates(x, ["ExitDate"], today=today)
        if move_in is not None and move_in > exit_date:
            p.append(Problem("ExitDate", "Project exit date: it is before the housing move-in date."))
    dest = x.get("Destination")
    if dest is None:
        p.append(Problem("Destination", "Destination: choose where the client went."))
    if dest == RENTAL_WITH_SUBSIDY and x.get("DestinationSubsidyType") is None:
        p.append(Problem("DestinationSubsidyType", "Destination subsidy type: choose the subsidy (the destination "
                                                   "is a rental with an ongoing housing subsidy)."))
    if dest != RENTAL_WITH_SUBSIDY and x.get("DestinationSubsidyType") is not None:
        p.append(Problem("DestinationSubsidyType", "Destination subsidy type: only asked when the destination is "
                                                   "a rental with an ongoing housing subsidy."))
    if dest == 17 and not (x.get("OtherDestination") or "").strip():
        p.append(Problem("OtherDestination", "Destination \"Other\": say what it was."))
    p += check_required(x, "Exit.csv", filled=["ExitID", "EnrollmentID", "PersonalID"], found=p)
    return p


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
        element, label = hud.DISABILITY_TYPES[dtype]
        if response is None:
            p.append(Problem(f"Disability{dtype}", f"{element} {label}: answer it."))
            continue
        if not hud.is_valid(hud.disability_response_list(dtype), int(response)):
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
    """Start records are dated the start date, exit records the exit date, updates within the stay."""
    if information_date is None:
        return [Problem("InformationDate", "Information date: enter the date the information was collected.")]
    if stage == STAGE_ENTRY and information_date != start:
        return [Problem("InformationDate", "Information date: a project-start record is dated the project start date.")]
    if stage == STAGE_EXIT and exit_date is not None and information_date != exit_date:
        return [Problem("InformationDate", "Information date: a project-exit record is dated the project exit date.")]
    if stage in (STAGE_UPDATE, STAGE_ANNUAL):
        if information_date < start or (exit_date is not None and information_date > exit_date):
            return [Problem("InformationDate", "Information date: it must fall within the client's stay.")]
    return []
