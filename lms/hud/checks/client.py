"""3.01-3.07 and 4.21: a client's profile, as the sandbox stores it and HUD's rules refuse it."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from lms.hud.applicability import is_adult
from lms.hud.checks.base import (YES, Problem, check_codes, check_dates, check_record_id, check_required, clean_texts,
                                 merge)
from lms.hud.lists import MISSING_CODES, NOT_COLLECTED, RACE_COLUMNS

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

    races = [name for name, _ in RACE_COLUMNS if c.get(name) == YES]
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
    p += check_required(c, "Client.csv", filled=["PersonalID", "VeteranStatus", *(n for n, _ in RACE_COLUMNS)],
                        found=p)
    return p


CLIENT_FIELDS = ["FirstName", "MiddleName", "LastName", "NameSuffix", "NameDataQuality", "SSN", "SSNDataQuality",
                 "DOB", "DOBDataQuality", "Sex", *[c for c, _ in RACE_COLUMNS], "RaceNone",
                 "AdditionalRaceEthnicity", "VeteranStatus"]


def client_answers(data: Mapping[str, Any], *, today: date,
                   record_id: str | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Return a client's answers as stored (texts cleaned, unticked races 0, no veteran answer 99) and every problem."""
    values = {k: data.get(k) for k in CLIENT_FIELDS}
    for col, _ in RACE_COLUMNS:
        values[col] = 1 if values.get(col) == 1 else 0
    if values.get("VeteranStatus") is None:
        values["VeteranStatus"] = NOT_COLLECTED
    values, problems = clean_texts(values, "Client.csv")
    problems += check_record_id(record_id)
    return values, merge(problems, check_client(values, today=today))
