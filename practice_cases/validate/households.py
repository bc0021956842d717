"""What must agree across a case's three segments: dates in order, and one household throughout.

Each check reads all three segments' answer keys at once, unlike the per-record checks of
:mod:`practice_cases.validate.case`.  Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from practice_cases.validate.values import SEGMENTS, Problem, _get, _members, identity, parse_date


def _check_order(segments: dict, file: str) -> list[Problem]:
    """Segment dates, project start, information dates, exit: entry ≤ update ≤ exit; born before it all."""
    out: list[Problem] = []
    dates = {n: parse_date(segments[n].get("date")) for n in SEGMENTS if isinstance(segments.get(n), dict)}
    known = [(n, d) for n, d in dates.items() if d is not None]
    for (a, da), (b, db) in zip(known, known[1:]):
        if da > db:
            out.append(Problem(file, f"segments.{b}.date", f"{db} is before the {a} segment's date {da}"))
    for name in SEGMENTS:
        seg_date = dates.get(name)
        for i, m in enumerate(_members(segments, name)):
            path = f"segments.{name}.answer_key.members[{i}]"
            dob, start = parse_date(_get(m, "Client", "DOB")), parse_date(_get(m, "Enrollment", "EntryDate"))
            exit_date = parse_date(_get(m, "Exit", "ExitDate"))
            move_in = parse_date(_get(m, "Enrollment", "MoveInDate"))
            if dob and start and dob > start:
                out.append(Problem(file, f"{path}.Client.DOB", "born after the project start date"))
            if start and dates.get("entry") and start > dates["entry"]:
                out.append(Problem(file, f"{path}.Enrollment.EntryDate", "after the entry segment's date"))
            if start and exit_date and exit_date < start:
                out.append(Problem(file, f"{path}.Exit.ExitDate", "before the project start date"))
            if move_in and start and move_in < start:
                out.append(Problem(file, f"{path}.Enrollment.MoveInDate", "before the project start date"))
            if move_in and exit_date and move_in > exit_date:
                out.append(Problem(file, f"{path}.Enrollment.MoveInDate", "after the project exit date"))
            for f in ("IncomeBenefits", "HealthAndDV"):
                info = parse_date(_get(m, f, "InformationDate"))
                if info and ((start and info < start) or (exit_date and info > exit_date) or
                             (seg_date and info > seg_date)):
                    out.append(Problem(file, f"{path}.{f}.InformationDate",
                                       "outside the stay (project start to exit) or after the segment's date"))
            contacts = m.get("CurrentLivingSituation")
            for j, cls in enumerate(contacts if isinstance(contacts, list) else []):
                info = parse_date(cls.get("InformationDate")) if isinstance(cls, dict) else None
                if info and ((start and info < start) or (seg_date and info > seg_date)):
                    out.append(Problem(file, f"{path}.CurrentLivingSituation[{j}].InformationDate",
                                       "before the project start date or after the segment's date"))
            if exit_date and seg_date and exit_date > seg_date:
                out.append(Problem(file, f"{path}.Exit.ExitDate", "after the exit segment's date"))
    return out


def _check_households(segments: dict, file: str) -> list[Problem]:
    """One head of household in each segment, the same people in all three, nobody twice."""
    out: list[Problem] = []
    people: dict[str, set] = {}
    for name in SEGMENTS:
        members = _members(segments, name)
        if not members:
            continue
        path = f"segments.{name}.answer_key.members"
        heads = [m for m in members if _get(m, "Enrollment", "RelationshipToHoH") == 1]
        if len(heads) != 1:
            out.append(Problem(file, path, f"a household has exactly one head of household (RelationshipToHoH 1); "
                                           f"this one has {len(heads)}"))
        ids = [identity(m) for m in members]
        for i, ident in enumerate(ids):
            if ident in ids[:i]:
                out.append(Problem(file, f"{path}[{i}]", "the same person (name and date of birth) is listed twice"))
        people[name] = {(identity(m), _get(m, "Enrollment", "RelationshipToHoH")) for m in members}
    if "entry" in people:
        for name in ("update", "exit"):
            if name in people and people[name] != people["entry"]:
                out.append(Problem(file, f"segments.{name}.answer_key.members",
                                   "the household (names, dates of birth, relationships) differs from the entry "
                                   "segment's"))
    return out
