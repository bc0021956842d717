"""The import proper: check the set can be used, then stream each file once, parents first, in batches."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import lms.hud as hud
from sandbox.csv import FILES, codes
from sandbox.csv.importer.findings import REFUSE, SKIP, WARN, Findings, ImportRefused
from sandbox.csv.importer.reading import FileReader, Unreadable, file_problem, header_map
from sandbox.csv.importer.values import COC_SHAPE, Unusable, parse
from sandbox.models import ALL_MODELS, Project, ProjectCoC

BATCH = 1000
#: Without these a set is no use: their absence refuses it.
REQUIRED_FILES = ("Client.csv", "Enrollment.csv")
_ENROLLMENT_CHILD = {"EnrollmentID": "Enrollment.csv", "PersonalID": "Client.csv"}
_PROJECT_CHILD = {"ProjectID": "Project.csv"}
#: File → {column: the file whose key it names}; a row whose parent is absent (or was skipped) is skipped.
LINKS: dict[str, dict[str, str]] = {
    "Project.csv": {"OrganizationID": "Organization.csv"},
    "Funder.csv": _PROJECT_CHILD, "ProjectCoC.csv": _PROJECT_CHILD, "Inventory.csv": _PROJECT_CHILD,
    "HMISParticipation.csv": _PROJECT_CHILD, "CEParticipation.csv": _PROJECT_CHILD,
    "Affiliation.csv": {"ProjectID": "Project.csv", "ResProjectID": "Project.csv"},
    "Enrollment.csv": {"PersonalID": "Client.csv", "ProjectID": "Project.csv"},
    **{f: _ENROLLMENT_CHILD for f in ("Exit.csv", "IncomeBenefits.csv", "HealthAndDV.csv", "EmploymentEducation.csv",
                                      "Disabilities.csv", "Services.csv", "CurrentLivingSituation.csv",
                                      "Assessment.csv", "Event.csv", "YouthEducationStatus.csv")},
    **{f: {"AssessmentID": "Assessment.csv", **_ENROLLMENT_CHILD}
       for f in ("AssessmentQuestions.csv", "AssessmentResults.csv")},
}
_MISSING = "the file is missing from the set"


@lru_cache(maxsize=None)
def _valid(list_name: str) -> frozenset:
    return frozenset(hud.codes(list_name))


def _key(name: str) -> str:
    return ALL_MODELS[name][1] if name in ALL_MODELS else "ExportID"


def check_set(directory: Path, findings: Findings) -> dict[str, FileReader | None]:
    """Refuse a set that cannot be used (required file missing, a file unreadable, a header not HMIS CSV)."""
    readers: dict[str, FileReader | None] = {}
    for name in FILES:
        path = directory / name
        why = file_problem(path)
        if why == _MISSING and name not in REQUIRED_FILES:
            findings.add(WARN, name, 0, "", "", "the file is missing from the set; read as a file with no rows")
            readers[name] = None
            continue
        if why:
            findings.add(REFUSE, name, 0, "", "", why)
            continue
        reader = FileReader(path)
        rows = reader.rows(name)
        try:
            first = next(rows, None)
        except Unreadable as exc:
            findings.add(REFUSE, name, exc.line, "", "", exc.message)
            continue
        finally:
            rows.close()
        if first is None:
            findings.add(REFUSE, name, 0, "", "", "the file is empty (it needs at least the header row)")
            continue
        found, _missing, _extra, _ = header_map(first[1], name)
        names = {c.name for _, c in found}
        needed = [_key(name), *LINKS.get(name, {})]
        lacking = [c for c in needed if c not in names]
        if lacking:
            findings.add(REFUSE, name, 1, ", ".join(lacking), "",
                         f"the header is not HMIS CSV {name}: it has no {', '.join(lacking)} column")
            continue
        readers[name] = FileReader(path)
    if findings.total(REFUSE):
        raise ImportRefused(findings.refused, findings)
    return readers


def _export_ids(readers: dict[str, FileReader | None], findings: Findings) -> str | None:
    """Return the ExportID the data files name; warn when Export.csv lists several (or another) export."""
    try:
        return _export_id_of(readers, findings)
    except _Broken as exc:  # Export.csv, or the first row of Client.csv, breaks off: the set cannot be used
        findings.add(REFUSE, exc.file, exc.line, "", "", exc.message)
        raise ImportRefused(findings.refused, findings) from None


class _Broken(Exception):
    def __init__(self, file: str, exc: Unreadable) -> None:
        super().__init__(exc.message)
        self.file, self.line, self.message = file, exc.line, exc.message


def _first_row(reader: FileReader, file: str):
    rows = FileReader(reader.path).rows(file)
    try:
        return next(rows)[1], next(rows, None)
    except Unreadable as exc:
        raise _Broken(file, exc) from None
    finally:
        rows.close()


def _export_id_of(readers: dict[str, FileReader | None], findings: Findings) -> str | None:
    named = None
    client = readers.get("Client.csv")
    if client is not None:
        header, first = _first_row(client, "Client.csv")
        found, *_ = header_map(header, "Client.csv")
        pos = next((i for i, c in found if c.name == "ExportID"), None)
        if pos is not None and first is not None and pos < len(first[1]):
            named = first[1][pos]
    listed: list[tuple[int, str]] = []
    export = readers.get("Export.csv")
    if export is not None:
        rows = export.rows("Export.csv")
        try:
            header = next(rows)[1]
            found, *_ = header_map(header, "Export.csv")
            pos = next(i for i, c in found if c.name == "ExportID")
            listed = [(line, fields[pos] if pos < len(fields) else "") for line, fields in rows]
        except Unreadable as exc:
            raise _Broken("Export.csv", exc) from None
    ids = [x for _, x in listed]
    if len(listed) > 1:
        chosen = named if named in ids else ids[0]
        findings.add(WARN, "Export.csv", 0, "ExportID", chosen, f"lists {len(listed)} exports; the one the data "
                     f"files name ({chosen}) is taken")
    elif not listed and export is not None:
        findings.add(WARN, "Export.csv", 0, "", "", "lists no export")
    if named and ids and named not in ids:
        findings.add(WARN, "Export.csv", 0, "ExportID", named, f"the data files name ExportID {named}, which "
                     "Export.csv does not list")
    return named or (ids[0] if ids else None)


class _Loader:
    def __init__(self, sdb: Session, workspace_id: int, findings: Findings, export_id: str | None) -> None:
        self.sdb, self.workspace_id, self.f, self.export_id = sdb, workspace_id, findings, export_id
        self.keys: dict[str, set[str]] = defaultdict(set)
        self.skipped: dict[str, set[str]] = defaultdict(set)
        self.enrollment_person: dict[str, str] = {}
        self.exited: set[str] = set()

    def header(self, name: str, header: list[str], reader: FileReader) -> list[tuple[int, hud.Column, str | None]]:
        found, missing, extra, in_order = header_map(header, name)
        if reader.bom:
            self.f.add(WARN, name, 1, "", "", "the file begins with a byte order mark (ignored)")
        if extra:
            self.f.add(WARN, name, 1, ", ".join(extra)[:64], "", f"column(s) HUD does not define were ignored: "
                       f"{', '.join(extra)[:300]}")
        older = [f"{header[pos]} as {col.header}" for pos, col in found
                 if header[pos].strip().lower() not in (col.name.lower(), col.header.lower())]
        if older:
            self.f.add(WARN, name, 1, ", ".join(older)[:64], "", f"column(s) read under their FY2026 name: "
                       f"{', '.join(older)[:300]}")
        if missing:
            self.f.add(WARN, name, 1, ", ".join(missing)[:64], "", f"column(s) missing, read as blank: "
                       f"{', '.join(missing)[:300]}")
        if not in_order:
            self.f.add(WARN, name, 1, "", "", "the columns are not in HUD's order (they were read by name)")
        present = {c.name for _, c in found}
        self.missing_required = [c.header for c in hud.columns(name) if c.name not in present
                                 and c.name in ALL_MODELS[name][0].__table__.c
                                 and not ALL_MODELS[name][0].__table__.c[c.name].nullable]
        table = ALL_MODELS[name][0].__table__
        plan = []
        for pos, col in found:
            list_name = None if col.name == "DisabilityResponse" else codes.list_for(name, col.name, {})
            coc = list_name == "CoCCodes" or col.name == "CoCCode"
            valid = _valid(list_name) if list_name and not coc else None
            required = col.name in table.c and not table.c[col.name].nullable
            plan.append((pos, col, col.name, list_name, valid, coc, required))
        return plan

    def row(self, name: str, line: int, fields: list[str], plan, width: int, table: sa.Table) -> dict | None:
        """Return the row to insert, or None when it is skipped (with its reason)."""
        f = self.f
        values: dict[str, Any] = {}
        blank_required: list[str] = list(self.missing_required)
        width_here = len(fields)
        for pos, col, column, list_name, valid, coc, required in plan:
            raw = fields[pos] if pos < width_here else ""
            if raw == "":  # most values of most rows: nothing to read
                values[column] = None
                if required:
                    blank_required.append(col.header)
                continue
            try:
                value, note = parse(raw, col)
            except Unusable as exc:
                value, note = None, None
                f.add(WARN, name, line, col.header, raw, f"{exc}; left blank")
            if note:
                f.add(WARN, name, line, col.header, raw, note)
            if value is not None:
                if column == "DisabilityResponse":
                    list_name = codes.list_for(name, column, values)
                    valid = _valid(list_name) if list_name else None
                if coc:
                    if not hud.is_coc_code(value):
                        shape = "has the shape of a CoC code but" if COC_SHAPE.match(value) else "is not a CoC code:"
                        f.add(WARN, name, line, col.header, value, f"{shape} is not on HUD's list (kept)")
                elif valid is not None and value not in valid:
                    f.add(WARN, name, line, col.header, value, f"{value} is not one of HUD's codes ({list_name}); kept")
            elif required:
                blank_required.append(col.header)
            values[column] = value
        if len(fields) != width:
            f.add(WARN, name, line, "", "", f"has {len(fields)} values; the header has {width}")
        key_col = _key(name)
        key = values.get(key_col)
        if not key:
            f.add(SKIP, name, line, key_col, "", f"skipped: the row has no {key_col}")
            return None
        if key in self.keys[name] or key in self.skipped[name]:
            f.add(SKIP, name, line, key_col, key, f"skipped: {key} appears more than once (the first is kept)")
            return None
        reason = self._parent_problem(name, values)
        if reason is None and blank_required:
            reason = (blank_required[0], f"skipped: {', '.join(blank_required)} is required and blank or unreadable")
        if reason is not None:
            if reason[0]:  # a parent skipped earlier is counted, and reported once per file below
                f.add(SKIP, name, line, reason[0], values.get(reason[0]) or "", reason[1])
            self.skipped[name].add(key)
            return None
        if self.export_id is not None and values.get("ExportID") not in (None, self.export_id):
            self.other_export += 1
            if self.other_export == 1:
                f.add(WARN, name, line, "ExportID", values["ExportID"], f"names ExportID {values['ExportID']}, "
                      f"not {self.export_id} (kept; later rows like it are counted below)")
        self.keys[name].add(key)
        if name == "Enrollment.csv":
            self.enrollment_person[key] = values["PersonalID"]
        if name == "Exit.csv":
            self.exited.add(values["EnrollmentID"])
        values.pop("ExportID", None)
        values["workspace_id"] = self.workspace_id
        return values

    def _parent_problem(self, name: str, values: dict[str, Any]) -> tuple[str, str] | None:
        for column, parent in LINKS.get(name, {}).items():
            value = values.get(column)
            if value in self.skipped[parent]:
                self.with_parent[parent] += 1
                return "", ""
            if value not in self.keys[parent]:
                return column, f"skipped: {column} {value or '(blank)'} is not in {parent}"
        if "EnrollmentID" in values and name != "Enrollment.csv":
            owner = self.enrollment_person.get(values["EnrollmentID"])
            if owner is not None and owner != values.get("PersonalID"):
                return "PersonalID", "skipped: the PersonalID is not the one of its enrollment"
        if name == "Exit.csv" and values["EnrollmentID"] in self.exited:
            return "EnrollmentID", f"skipped: enrollment {values['EnrollmentID']} already has an exit"
        return None

    def load_file(self, name: str, reader: FileReader, tick: Callable[[FileReader], None]) -> int:
        model, _ = ALL_MODELS[name]
        table = model.__table__
        self.with_parent: Counter[str] = Counter()
        self.other_export = 0
        rows = reader.rows(name)
        header = next(rows)[1]
        plan = self.header(name, header, reader)
        batch: list[dict[str, Any]] = []
        n = 0
        for line, fields in rows:
            values = self.row(name, line, fields, plan, len(header), table)
            if values is None:
                continue
            batch.append(values)
            n += 1
            if len(batch) >= BATCH:
                self.sdb.execute(sa.insert(table), batch)
                batch = []
                tick(reader)
        if batch:
            self.sdb.execute(sa.insert(table), batch)
        for parent, count in self.with_parent.items():
            self.f.add(SKIP, name, 0, "", "", f"{count} row(s) skipped with their {parent} record, which was "
                       "skipped (its reason is reported there)")
        if self.other_export > 1:
            self.f.add(WARN, name, 0, "ExportID", "", f"{self.other_export} rows name another ExportID (kept)")
        if reader.blank_lines:
            self.f.add(WARN, name, 0, "", "", f"{reader.blank_lines} empty line(s) were ignored")
        return n


def load_set(sdb: Session, workspace_id: int, readers: dict[str, FileReader | None], findings: Findings,
             progress: Callable[[float], None]) -> dict[str, int]:
    """Import every file of a set :func:`check_set` passed; return rows kept per file. Raise ImportRefused."""
    total = sum(r.path.stat().st_size for r in readers.values() if r is not None) or 1
    done = [0]

    def tick(reader: FileReader) -> None:
        progress(min(0.999, (done[0] + reader.bytes_read) / total))

    loader = _Loader(sdb, workspace_id, findings, _export_ids(readers, findings))
    counts: dict[str, int] = {}
    for name in FILES[1:]:
        reader = readers.get(name)
        if reader is None:
            counts[name] = 0
            continue
        try:
            counts[name] = loader.load_file(name, reader, tick)
        except Unreadable as exc:
            findings.add(REFUSE, name, exc.line, "", "", exc.message)
            raise ImportRefused(findings.refused, findings) from None
        done[0] += reader.bytes_read
        tick(FileReader(reader.path))
        if name == "ProjectCoC.csv":
            first = (sa.select(sa.func.min(ProjectCoC.CoCCode)).where(
                ProjectCoC.workspace_id == workspace_id, ProjectCoC.ProjectID == Project.ProjectID)
                .scalar_subquery())
            sdb.execute(sa.update(Project).where(Project.workspace_id == workspace_id, Project.coc_code.is_(None))
                        .values(coc_code=first).execution_options(synchronize_session=False))
    return counts
