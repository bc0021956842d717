"""Pure checks of a practice case file: every problem at once, each with its file and path.

Schema of ``practice_cases/data/<case_id>.json`` (one case per file; the file name is the id)::

    {
      "id": "es-brooks-family",                 # lower-case letters, digits and "-"; equals the file name
      "title": "The Brooks family comes to Harbor Light",
      "group": "emergency_shelter",             # a key of lms.training.rules.PRACTICE_GROUPS
      "project_type": 0,                        # HUD 2.02.6 project type, one of the group's types
      "scenario": "A short story the trainee reads first.",
      "segments": {                             # exactly these three, in this order of dates
        "entry":  SEGMENT,                      # Project Entry
        "update": SEGMENT,                      # Update (data collection stage 2)
        "exit":   SEGMENT                       # Project Exit
      }
    }

    SEGMENT = {
      "date": "2026-08-03",                     # the day the caseworker collected this segment's answers
      "intake_forms": [                         # printable: what the caseworker wrote down, in words
        {"title": "Project entry intake", "date": "2026-08-03",
         "sections": [{"heading": "Head of household",
                       "fields": [{"label": "Name", "value": "Tanya Brooks"}, ...]}]}
      ],
      "answer_key": {
        "tolerance_days": {"InformationDate": 3},   # optional: a date may be off by this many days
        "members": [MEMBER, ...]                    # every household member, head of household included
      }
    }

    MEMBER = {                                  # what the sandbox must hold for this person after the segment,
      "Client": {...},                          # in HUD's FY2026 CSV column names and codes, per CSV file
      "Enrollment": {...},
      "IncomeBenefits": {...},                  # this segment's data collection stage
      "HealthAndDV": {...},
      "Disabilities": {"5": {...}, ..., "10": {...}},   # by DisabilityType (list 1.3)
      "Exit": {...},                            # exit segment only
      "CurrentLivingSituation": [{...}, ...]    # every 4.12 contact recorded so far (street outreach)
    }

Dates are ``YYYY-MM-DD`` strings, amounts strings with cents (``"450.00"``), codes
integers.  Every member names ``Client.FirstName``, ``Client.LastName``,
``Client.DOB`` and ``Enrollment.RelationshipToHoH`` in every segment: that is
how a trainee's records are matched to the key (never by database ids), so
identifiers (``PersonalID``, ``EnrollmentID``, ``HouseholdID`` ...), the stage
and bookkeeping columns may not appear.  Only the fields a key lists are
compared, except that an income, benefit or insurance source the key leaves out
is expected to be "No".

The checks are split by what they read: this module checks one case file's shape and each record;
:mod:`practice_cases.validate.households` checks what must agree *across* segments (dates in order, the same
household); :mod:`practice_cases.validate.values` reads the values both use (dates, money, HUD types).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import lms.hud as hud
from lms.training.rules import PRACTICE_GROUPS
from practice_cases.validate.households import _check_households, _check_order
from practice_cases.validate.values import (_CASE_ID, DISABILITY_TYPES, FILES, IDENTITY, ONLY_IN, SEGMENTS, Problem,
                                            is_identifier, parse_date, parse_money, typed)


def check_case(raw: Any, file: str) -> list[Problem]:
    """Return every problem of one case file's parsed JSON (``file`` is its name, for messages)."""
    out: list[Problem] = []

    def bad(path: str, message: str) -> None:
        out.append(Problem(file, path, message))

    if not isinstance(raw, dict):
        bad("", "a case file holds one JSON object")
        return out
    expected_keys = {"id", "title", "group", "project_type", "scenario", "segments"}
    for key in sorted(set(raw) - expected_keys):
        bad(key, "unknown key (a case has id, title, group, project_type, scenario, segments)")
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not _CASE_ID.match(case_id):
        bad("id", "an id is 2 to 63 lower-case letters, digits and '-'")
    elif file.endswith(".json") and file[:-5] != case_id:
        bad("id", f"the id {case_id!r} must be the file name ({file[:-5]!r})")
    for key in ("title", "scenario"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(key, "write it (non-empty text)")
    group = raw.get("group")
    if group not in PRACTICE_GROUPS:
        bad("group", f"unknown practice group {group!r}; known: {', '.join(PRACTICE_GROUPS)}")
    ptype = raw.get("project_type")
    if not isinstance(ptype, int) or isinstance(ptype, bool) or ptype not in hud.PROJECT_TYPES:
        bad("project_type", f"{ptype!r} is not a HUD project type (list 2.02.6)")
    elif group in PRACTICE_GROUPS and ptype not in PRACTICE_GROUPS[group][1]:
        bad("project_type", f"project type {ptype} does not belong to the group {group!r}")
    segments = raw.get("segments")
    if not isinstance(segments, dict):
        bad("segments", "give the three segments: entry, update, exit")
        return out
    for name in SEGMENTS:
        if name not in segments:
            bad(f"segments.{name}", "missing segment")
    for name in sorted(set(segments) - set(SEGMENTS)):
        bad(f"segments.{name}", "unknown segment (entry, update, exit)")
    for name in SEGMENTS:
        if isinstance(segments.get(name), dict):
            out += _check_segment(segments[name], name, file)
        elif name in segments:
            bad(f"segments.{name}", "a segment is an object")
    out += _check_order(segments, file)
    out += _check_households(segments, file)
    return out


def _check_segment(seg: dict, name: str, file: str) -> list[Problem]:
    out: list[Problem] = []
    base = f"segments.{name}"

    def bad(path: str, message: str) -> None:
        out.append(Problem(file, f"{base}.{path}", message))

    for key in sorted(set(seg) - {"date", "intake_forms", "answer_key"}):
        bad(key, "unknown key (a segment has date, intake_forms, answer_key)")
    if parse_date(seg.get("date")) is None:
        bad("date", f"{seg.get('date')!r} is not a date (YYYY-MM-DD)")
    forms = seg.get("intake_forms")
    if not isinstance(forms, list) or not forms:
        bad("intake_forms", "give at least one intake form")
    else:
        for i, form in enumerate(forms):
            out += [Problem(file, f"{base}.intake_forms[{i}].{p}", m) for p, m in _form_problems(form)]
    key = seg.get("answer_key")
    if not isinstance(key, dict):
        bad("answer_key", "give the answer key")
        return out
    for k in sorted(set(key) - {"members", "tolerance_days"}):
        bad(f"answer_key.{k}", "unknown key (an answer key has members and tolerance_days)")
    tol = key.get("tolerance_days", {})
    if not isinstance(tol, dict) or any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 31
                                        for v in tol.values()):
        bad("answer_key.tolerance_days", "a map of date column to a number of days from 0 to 31")
    else:
        for col in tol:
            if not any(hud.column_type(f"{f}.csv", col) == "date" for f in FILES):
                bad(f"answer_key.tolerance_days.{col}", "not a date column of the answer key's files")
    members = key.get("members")
    if not isinstance(members, list) or not members:
        bad("answer_key.members", "list every household member")
        return out
    for i, member in enumerate(members):
        out += [Problem(file, f"{base}.answer_key.members[{i}]{p}", m) for p, m in _member_problems(member, name)]
    return out


def _form_problems(form: Any) -> list[tuple[str, str]]:
    if not isinstance(form, dict):
        return [("", "an intake form is an object with title, date and sections")]
    out = []
    if not isinstance(form.get("title"), str) or not form["title"].strip():
        out.append(("title", "give the form a title"))
    if parse_date(form.get("date")) is None:
        out.append(("date", "the date the form was filled in (YYYY-MM-DD)"))
    sections = form.get("sections")
    if not isinstance(sections, list) or not sections:
        return out + [("sections", "give at least one section")]
    for i, s in enumerate(sections):
        if not isinstance(s, dict) or not isinstance(s.get("heading"), str) or not isinstance(s.get("fields"), list) \
                or not s["fields"]:
            out.append((f"sections[{i}]", "a section has a heading and a non-empty list of fields"))
            continue
        for j, f in enumerate(s["fields"]):
            if not (isinstance(f, dict) and set(f) == {"label", "value"} and isinstance(f["label"], str)
                    and f["label"].strip() and isinstance(f["value"], str)):
                out.append((f"sections[{i}].fields[{j}]", "a field is {\"label\": text, \"value\": text}"))
    return out


def _member_problems(member: Any, segment: str) -> list[tuple[str, str]]:
    if not isinstance(member, dict):
        return [("", "a member is an object of CSV files")]
    out: list[tuple[str, str]] = []
    for file in member:
        if file not in FILES:
            out.append((f".{file}", f"unknown file; an answer key describes {', '.join(FILES)}"))
        elif segment not in ONLY_IN.get(file, (segment,)):
            out.append((f".{file}", f"{file} belongs to the {' or '.join(ONLY_IN[file])} segment"))
    for file, column in IDENTITY:
        if not isinstance(member.get(file), dict) or member[file].get(column) in (None, ""):
            out.append((f".{file}.{column}", "required: records are matched by name, date of birth and "
                                             "relationship to head of household"))
    for file, shape in FILES.items():
        if file not in member:
            continue
        value = member[file]
        if shape == "one":
            if not isinstance(value, dict):
                out.append((f".{file}", "a record is an object of HUD columns"))
            else:
                out += _record_problems(file, value, f".{file}")
                if file == "IncomeBenefits":
                    out += _income_problems(value, f".{file}")
        elif shape == "by_type":
            if not isinstance(value, dict):
                out.append((f".{file}", "an object by disability type (5 to 10)"))
                continue
            for t, record in value.items():
                dtype = int(t) if str(t).isdigit() else None
                if dtype not in DISABILITY_TYPES:
                    out.append((f".{file}.{t}", "not a HUD disability type (5 to 10)"))
                elif not isinstance(record, dict):
                    out.append((f".{file}.{t}", "a record is an object of HUD columns"))
                else:
                    out += _record_problems(file, record, f".{file}.{t}", disability_type=dtype)
        else:
            if not isinstance(value, list):
                out.append((f".{file}", "a list of records"))
                continue
            for i, record in enumerate(value):
                if not isinstance(record, dict):
                    out.append((f".{file}[{i}]", "a record is an object of HUD columns"))
                else:
                    out += _record_problems(file, record, f".{file}[{i}]")
    return out


def _record_problems(file: str, record: dict, path: str, *, disability_type: int | None = None) -> list[tuple[str, str]]:
    out = []
    columns = set(hud.column_names(f"{file}.csv"))
    for column, value in record.items():
        where = f"{path}.{column}"
        if column not in columns:
            out.append((where, f"not a column of {file}.csv (HMIS CSV FY2026)"))
            continue
        if is_identifier(column):
            out.append((where, "identifiers, the stage and bookkeeping columns are the sandbox's; "
                               "records are matched by name, date of birth and relationship"))
            continue
        if value is None:
            continue
        kind = hud.column_type(f"{file}.csv", column)
        if typed(file, column, value) is None:
            expected = {"date": "a date (YYYY-MM-DD)", "money": "an amount with cents, such as \"450.00\"",
                        "integer": "a HUD code (a whole number)"}.get(kind, "text")
            out.append((where, f"{value!r} is not {expected}"))
            continue
        codes = hud.column_codes(column, disability_type=disability_type)
        if kind == "integer" and codes is not None and value not in codes:
            out.append((where, f"{value} is not one of HUD's responses for {column}"))
    return out


def _income_problems(record: dict, path: str) -> list[tuple[str, str]]:
    """4.02: the "from any source" answer agrees with the sources, each amount has its source, the total adds up."""
    out = []
    flags = {flag: amount for flag, amount, _ in hud.INCOME_SOURCES}
    answer = record.get("IncomeFromAnySource")
    yes = [f for f in flags if record.get(f) == 1]
    if answer == 1 and not yes:
        out.append((f"{path}.IncomeFromAnySource", "Yes, but no income source is marked Yes"))
    if answer == 0 and yes:
        out.append((f"{path}.IncomeFromAnySource", f"No, but {', '.join(yes)} is marked Yes"))
    total = Decimal("0")
    for flag, amount_column in flags.items():
        amount = parse_money(record.get(amount_column)) if record.get(amount_column) is not None else None
        if (record.get(flag) == 1) != (amount is not None and amount > 0):
            out.append((f"{path}.{amount_column}", f"give an amount exactly when {flag} is Yes"))
        total += amount or Decimal("0")
    given = parse_money(record.get("TotalMonthlyIncome")) if record.get("TotalMonthlyIncome") is not None else None
    if (given is not None or yes) and given != total:
        out.append((f"{path}.TotalMonthlyIncome", f"the amounts add up to {total:.2f}"))
    return out
