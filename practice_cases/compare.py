"""Compare what a trainee entered with a segment's answer key: every difference, in HUD's words.

Pure: the answer key (JSON values, see :mod:`practice_cases.validate`) and the
trainee's records (plain dicts, as :func:`sandbox.services.workspace_records`
returns them) in, a list of :class:`Difference` out.

Matching never uses database ids.  A key's member is the trainee's client with
the same first and last name (case and spaces ignored) and date of birth; if
none has all three, the client sharing the names, or the date of birth and one
of the names, is taken and the identity fields that differ are reported.  The
member's enrollment is the one in a project of the case's type whose start date
is nearest the key's; relationship to head of household is checked as part of
the household.  Extra records are: a second enrollment of a member in a project
of that type, a duplicate client with a member's name and date of birth, a
client in the case's household the key does not list, a contact the key does
not list.

Tolerances: a date column named in the key's ``tolerance_days`` may be off by
that many days; amounts must be equal to the cent; text is compared with case
and spaces ignored.  A total monthly income is reported only when every source
amount is right (a wrong source makes the total wrong: one mistake, one
difference).  Income, benefit and insurance sources the key does not list are
expected to be "No" (blank counts as "No").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

import lms.hud as hud
from lms.hud.labels import FILE_LABELS, disability_name, field_label, value_label
from practice_cases import validate

MISSING, EXTRA, WRONG_VALUE, HOUSEHOLD = "missing", "extra", "wrong_value", "household"
STAGE_LABELS = {"entry": "project start assessment", "update": "update assessment", "exit": "project exit assessment"}

_INCOME_FLAGS = {flag: amount for flag, amount, _ in hud.INCOME_SOURCES}
_OTHER_FLAGS = [flag for flag, _ in hud.BENEFIT_SOURCES + hud.INSURANCE_SOURCES]


@dataclass(frozen=True)
class Difference:
    #: "missing", "extra", "wrong_value" or "household".
    kind: str
    #: Whose record: "Tanya Brooks (born 03/14/1991)".
    member: str
    #: Where to fix it in the sandbox: client, enrollment, stage, record.
    where: str
    #: The HUD element (or record) in words.
    element: str
    expected: str
    entered: str
    #: HUD column (``File.Column``) or record the difference is about, for programs.
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        """The difference as plain data (for a page or a JSON answer)."""
        return {"kind": self.kind, "member": self.member, "where": self.where, "element": self.element,
                "expected": self.expected, "entered": self.entered, "field": self.field, "message": self.message}

    @property
    def message(self) -> str:
        if self.kind == MISSING:
            return f"{self.element}: missing ({self.expected}). Enter it in {self.where}."
        if self.kind == EXTRA:
            return f"{self.element}: not in the case ({self.entered}). Remove it from {self.where}."
        return (f"{self.element}: expected {self.expected}, entered {self.entered}. Fix it in {self.where}.")


# --- values --------------------------------------------------------------------------------------

def _norm_text(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return validate.parse_date(value)


def _as_money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _equal(file: str, column: str, expected: Any, entered: Any, tolerance: Mapping[str, int]) -> bool:
    kind = hud.column_type(f"{file}.csv", column)
    if kind == "date":
        e, t = _as_date(expected), _as_date(entered)
        if e is None or t is None:
            return e is None and t is None
        return abs((e - t).days) <= tolerance.get(column, 0)
    if kind == "money":
        return _as_money(expected) == _as_money(entered)
    if kind == "integer":
        return expected == entered
    return _norm_text(expected) == _norm_text(entered)


def _show(file: str, column: str, value: Any, *, tolerance: Mapping[str, int] | None = None,
          disability_type: int | None = None) -> str:
    kind = hud.column_type(f"{file}.csv", column)
    if kind == "date":
        value = _as_date(value) if value is not None else None
    elif kind == "money":
        value = _as_money(value)
    text = value_label(column, value, disability_type=disability_type)
    days = (tolerance or {}).get(column, 0)
    return f"{text} (± {days} days)" if days and value is not None else text


# --- the comparison ------------------------------------------------------------------------------

def compare_segment(answer_key: Mapping[str, Any], records: Iterable[Mapping[str, Any]], *, project_type: int,
                    segment: str) -> list[Difference]:
    """Return every difference between ``answer_key`` (one segment's) and the trainee's ``records``."""
    tolerance = dict(answer_key.get("tolerance_days") or {})
    members = list(answer_key["members"])
    clients = [_Client(r, project_type) for r in records]
    out: list[Difference] = []

    matches, duplicates = _match(members, clients, out)
    # Enrollments: the one nearest the key's start date; more than one in a project of the case's type is extra.
    chosen: dict[int, dict] = {}
    for i, member in enumerate(members):
        client = matches.get(i)
        if client is None:
            continue
        name = _who(member)
        expected_start = _as_date(member["Enrollment"].get("EntryDate"))
        enrollments = sorted(client.enrollments, key=lambda e: abs(((_as_date(e["Enrollment"]["EntryDate"]) or date.min)
                                                                   - (expected_start or date.min)).days)
                             if expected_start else 0)
        if not enrollments:
            out.append(Difference(MISSING, name, f"{name}'s client record (start a project enrollment)",
                                  "Project enrollment", f"an enrollment in a {_project_kind(project_type)} project",
                                  "(none)", "Enrollment"))
            continue
        chosen[i] = enrollments[0]
        for extra in enrollments[1:]:
            start = _show("Enrollment", "EntryDate", extra["Enrollment"]["EntryDate"])
            out.append(Difference(EXTRA, name, _where_enrollment(name, extra), "Project enrollment", "(none)",
                                  f"a second enrollment starting {start}", "Enrollment"))
    out += _household(members, matches, chosen, [c for c in clients if id(c) not in duplicates])
    for i, member in enumerate(members):
        if i in matches:
            out += _compare_member(member, matches[i], chosen.get(i), segment=segment, tolerance=tolerance)
    return out


class _Client:
    def __init__(self, record: Mapping[str, Any], project_type: int) -> None:
        self.record = record
        c = record["Client"]
        self.first, self.last = _norm_text(c.get("FirstName")), _norm_text(c.get("LastName"))
        self.dob = _as_date(c.get("DOB"))
        self.enrollments = [e for e in record.get("Enrollments", [])
                            if (e.get("Project") or {}).get("ProjectType") == project_type]

    @property
    def label(self) -> str:
        c = self.record["Client"]
        name = " ".join(p for p in (c.get("FirstName"), c.get("LastName")) if p) or "(no name)"
        return f"{name} (born {_show('Client', 'DOB', c.get('DOB'))})" if c.get("DOB") else name


def _who(member: Mapping[str, Any]) -> str:
    c = member["Client"]
    return f"{c['FirstName']} {c['LastName']} (born {_show('Client', 'DOB', c['DOB'])})"


def _project_kind(project_type: int) -> str:
    return hud.PROJECT_TYPES.get(project_type, str(project_type))


def _where_enrollment(name: str, enrollment: Mapping[str, Any]) -> str:
    project = (enrollment.get("Project") or {}).get("ProjectName", "the project")
    start = _show("Enrollment", "EntryDate", enrollment["Enrollment"].get("EntryDate"))
    return f"{name}'s enrollment in {project} starting {start}"


def _match(members: list[dict], clients: list[_Client], out: list[Difference]) -> tuple[dict[int, _Client], set[int]]:
    """Match each key member to one client (exact identity first, then a near one); report missing and duplicates.

    Return the matches by member index and the (``id()`` of the) duplicates already reported.
    """
    matches: dict[int, _Client] = {}
    duplicates: set[int] = set()
    taken: set[int] = set()
    keys = [validate.identity(m) for m in members]
    for i, (first, last, dob) in enumerate(keys):
        same = [k for k, c in enumerate(clients) if k not in taken and (c.first, c.last) == (first, last)
                and c.dob == _as_date(dob)]
        if not same:
            continue
        same.sort(key=lambda k: not clients[k].enrollments)  # the one with an enrollment of the case's type first
        matches[i] = clients[same[0]]
        taken.add(same[0])
        for k in same[1:]:
            taken.add(k)
            duplicates.add(id(clients[k]))
            out.append(Difference(EXTRA, clients[k].label, f"the client list (duplicate of {_who(members[i])})",
                                  "Client record", "(one client record per person)",
                                  f"a second client record for {clients[k].label}", "Client"))
    for i, (first, last, dob) in enumerate(keys):
        if i in matches:
            continue
        near = [k for k, c in enumerate(clients) if k not in taken and (
            (c.first, c.last) == (first, last) or (c.dob == _as_date(dob) and (c.first == first or c.last == last)))]
        near.sort(key=lambda k: not clients[k].enrollments)
        if near:
            matches[i] = clients[near[0]]
            taken.add(near[0])
        else:
            name = _who(members[i])
            out.append(Difference(MISSING, name, "the client list (search, then add the client)", "Client record",
                                  f"a client record for {name}", "(none)", "Client"))
    return matches, duplicates


def _household(members: list[dict], matches: dict[int, _Client], chosen: dict[int, dict],
               clients: list[_Client]) -> list[Difference]:
    out: list[Difference] = []
    heads = [i for i, m in enumerate(members) if m["Enrollment"].get("RelationshipToHoH") == 1]
    households = [chosen[i]["Enrollment"].get("HouseholdID") for i in chosen]
    if not households:
        return out
    head_household = chosen[heads[0]]["Enrollment"].get("HouseholdID") if heads and heads[0] in chosen else None
    household_id = head_household or max(set(households), key=households.count)
    head_name = _who(members[heads[0]]) if heads else "the head of household"
    for i, enrollment in chosen.items():
        name = _who(members[i])
        where = _where_enrollment(name, enrollment)
        if enrollment["Enrollment"].get("HouseholdID") != household_id:
            out.append(Difference(HOUSEHOLD, name, where, "Household", f"in {head_name}'s household",
                                  "enrolled in a separate household", "Enrollment.HouseholdID"))
        expected = members[i]["Enrollment"].get("RelationshipToHoH")
        entered = enrollment["Enrollment"].get("RelationshipToHoH")
        if expected != entered:
            out.append(Difference(HOUSEHOLD, name, where, field_label("RelationshipToHoH"),
                                  value_label("RelationshipToHoH", expected), value_label("RelationshipToHoH", entered),
                                  "Enrollment.RelationshipToHoH"))
    matched = {id(c) for c in matches.values()}
    for c in clients:
        if id(c) in matched:
            continue
        for e in c.enrollments:
            if e["Enrollment"].get("HouseholdID") == household_id:
                out.append(Difference(EXTRA, c.label, f"{head_name}'s household", "Household member",
                                      "(not a member of this household)", f"{c.label} enrolled in the household",
                                      "Enrollment"))
    return out


def _compare_member(member: Mapping[str, Any], client: _Client, enrollment: dict | None, *, segment: str,
                    tolerance: Mapping[str, int]) -> list[Difference]:
    name = _who(member)
    out = _fields("Client", member["Client"], client.record["Client"], name=name,
                  where=f"{name}'s client profile", tolerance=tolerance)
    if enrollment is None:
        return out
    where_e = _where_enrollment(name, enrollment)
    stage_where = f"{where_e}, {STAGE_LABELS[segment]}"
    expected_enrollment = {k: v for k, v in member["Enrollment"].items() if k != "RelationshipToHoH"}
    out += _fields("Enrollment", expected_enrollment, enrollment["Enrollment"], name=name, where=where_e,
                   tolerance=tolerance)
    dated_wrong = False
    for file in ("Exit", "IncomeBenefits", "HealthAndDV"):
        if file not in member:
            continue
        where = f"{where_e}, project exit" if file == "Exit" else f"{stage_where}, {FILE_LABELS[file]}"
        entered = enrollment.get(file)
        if entered is None:
            out.append(Difference(MISSING, name, where, FILE_LABELS[file].capitalize(),
                                  f"the {FILE_LABELS[file]} record", "(none)", file))
            continue
        found = _fields(file, member[file], entered, name=name, where=where, tolerance=tolerance)
        if dated_wrong:  # one assessment form has one information date: report it once
            found = [d for d in found if not d.field.endswith(".InformationDate")]
        dated_wrong = dated_wrong or any(d.field.endswith(".InformationDate") for d in found)
        out += found
        if file == "IncomeBenefits":
            out += _unlisted_sources(member[file], entered, name=name, where=where)
    if "Disabilities" in member:
        entered_all = {int(t): r for t, r in (enrollment.get("Disabilities") or {}).items()}
        if not entered_all:  # the whole form is missing: one difference, not one per disability
            out.append(Difference(MISSING, name, f"{stage_where}, disabilities", "Disabilities (4.05-4.10)",
                                  "the disabilities record", "(none)", "Disabilities"))
            return out + _contacts_of(member, enrollment, name, where_e, tolerance)
        for t, expected in member["Disabilities"].items():
            dtype = int(t)
            where = f"{stage_where}, disabilities"
            entered = entered_all.get(dtype)
            if entered is None:
                out.append(Difference(MISSING, name, where, disability_name(dtype), "an answer", "(none)",
                                      f"Disabilities.{dtype}"))
                continue
            out += _fields("Disabilities", expected, entered, name=name, where=where, tolerance=tolerance,
                           disability_type=dtype)
    return out + _contacts_of(member, enrollment, name, where_e, tolerance)


def _contacts_of(member: Mapping[str, Any], enrollment: Mapping[str, Any], name: str, where_e: str,
                 tolerance: Mapping[str, int]) -> list[Difference]:
    if "CurrentLivingSituation" not in member:
        return []
    return _contacts(member["CurrentLivingSituation"], enrollment.get("CurrentLivingSituation") or [], name=name,
                     where=f"{where_e}, current living situation contacts", tolerance=tolerance)


def _fields(file: str, expected: Mapping[str, Any], entered: Mapping[str, Any], *, name: str, where: str,
            tolerance: Mapping[str, int], disability_type: int | None = None) -> list[Difference]:
    out = []
    wrong_amount = file == "IncomeBenefits" and any(
        amount in expected and not _equal(file, amount, expected[amount], entered.get(amount), tolerance)
        for amount in _INCOME_FLAGS.values())
    for column, value in expected.items():
        if column == "TotalMonthlyIncome" and wrong_amount:
            continue  # the source amount already reported is the mistake; the total follows from it
        got = entered.get(column)
        if not _equal(file, column, value, got, tolerance):
            out.append(Difference(WRONG_VALUE, name, where, field_label(column, disability_type=disability_type),
                                  _show(file, column, value, tolerance=tolerance, disability_type=disability_type),
                                  _show(file, column, got, disability_type=disability_type), f"{file}.{column}"))
    return out


def _unlisted_sources(expected: Mapping[str, Any], entered: Mapping[str, Any], *, name: str,
                      where: str) -> list[Difference]:
    """A source the key leaves out is "No": one marked Yes (or an amount entered for it) is a difference."""
    out = []
    for flag in [*_INCOME_FLAGS, *_OTHER_FLAGS]:
        if flag in expected or entered.get(flag) != 1:
            continue
        if flag in _INCOME_FLAGS and "IncomeFromAnySource" not in expected:
            continue  # a child's record: income is not asked
        out.append(Difference(WRONG_VALUE, name, where, field_label(flag), value_label(flag, 0),
                              value_label(flag, 1), f"IncomeBenefits.{flag}"))
    return out


def _contacts(expected: list[Mapping[str, Any]], entered: list[Mapping[str, Any]], *, name: str, where: str,
              tolerance: Mapping[str, int]) -> list[Difference]:
    """Match each expected 4.12 contact to the entered one nearest its date (within the window)."""
    out: list[Difference] = []
    left = list(entered)
    days = tolerance.get("InformationDate", 0)
    for contact in expected:
        want = _as_date(contact.get("InformationDate"))
        near = [c for c in left if want and _as_date(c.get("InformationDate"))
                and abs((_as_date(c["InformationDate"]) - want).days) <= days]
        near.sort(key=lambda c: abs((_as_date(c["InformationDate"]) - want).days))
        if not near:
            on = _show("CurrentLivingSituation", "InformationDate", want, tolerance=tolerance)
            out.append(Difference(MISSING, name, where, "4.12 Current living situation contact", f"a contact on {on}",
                                  "(none)", "CurrentLivingSituation"))
            continue
        left.remove(near[0])
        out += _fields("CurrentLivingSituation", contact, near[0], name=name, where=where, tolerance=tolerance)
    for c in left:
        on = _show("CurrentLivingSituation", "InformationDate", c.get("InformationDate"))
        out.append(Difference(EXTRA, name, where, "4.12 Current living situation contact", "(none)",
                              f"a contact on {on}", "CurrentLivingSituation"))
    return out
