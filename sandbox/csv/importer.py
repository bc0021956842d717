"""Import an HMIS CSV FY2026 set into an empty workspace: validate everything first, then insert, all or nothing.

Pass one streams every file row by row and checks headers, types, lengths,
required values, HUD codes, duplicate keys and the links between files,
keeping only the keys in memory.  Any problem refuses the whole set with a
report naming the file, line and column of every bad row.  Pass two streams
the files again and inserts in batches inside the caller's transaction, so a
refused or failed import leaves the workspace exactly as it was.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.errors import InvalidInput
from sandbox import hud, rules
from sandbox.csv import DATE_FORMAT, DATETIME_FORMAT, FILES, codes
from sandbox.models import CSV_MODELS, Client, ReleaseOfInformation

BATCH = 1000
#: A whole number as the HMIS CSV writes it: ASCII digits, an optional minus, small enough for any database.
_INTEGER = re.compile(r"-?[0-9]{1,9}\Z")
#: Control characters no HMIS text holds (tab and line breaks inside quoted values are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Dates, timestamps and money exactly as the format writes them (so an import exports back byte for byte).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\Z")
#: A report stops listing after this many problems (the set is refused either way).
MAX_PROBLEMS = 500
#: Longest physical line (line break included) a file may hold. A HUD row is a few kilobytes at most; the bound
#: keeps a huge line (or a file that is not CSV at all) from being read into memory whole.
MAX_LINE_BYTES = 64 * 1024

#: Column → (file whose key it must name, that file's key column).
LINKS = {
    "Project.csv": {"OrganizationID": "Organization.csv"},
    "Enrollment.csv": {"PersonalID": "Client.csv", "ProjectID": "Project.csv"},
    "Exit.csv": {"EnrollmentID": "Enrollment.csv", "PersonalID": "Client.csv"},
    "IncomeBenefits.csv": {"EnrollmentID": "Enrollment.csv", "PersonalID": "Client.csv"},
    "HealthAndDV.csv": {"EnrollmentID": "Enrollment.csv", "PersonalID": "Client.csv"},
    "Disabilities.csv": {"EnrollmentID": "Enrollment.csv", "PersonalID": "Client.csv"},
    "CurrentLivingSituation.csv": {"EnrollmentID": "Enrollment.csv", "PersonalID": "Client.csv"},
}


@dataclass(frozen=True)
class RowProblem:
    file: str
    line: int  #: 1 is the header row; 0 means the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "") + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}" if where else self.message


class ImportRefused(InvalidInput):
    """Raise when a set fails validation; nothing was imported."""

    def __init__(self, problems: list[RowProblem], truncated: bool = False) -> None:
        super().__init__(f"The CSV set was refused: {len(problems)}{'+' if truncated else ''} problem(s); "
                         "nothing was imported.", reasons=[str(p) for p in problems])
        self.problems = problems
        self.truncated = truncated

    def report_lines(self) -> list[str]:
        lines = [str(p) for p in self.problems]
        if self.truncated:
            lines.append(f"... and more (only the first {MAX_PROBLEMS} problems are listed).")
        return lines


class WorkspaceNotEmpty(ImportRefused):
    """Raise when the target workspace already holds clients; a set is imported only into an empty one."""

    def __init__(self, clients: int) -> None:
        message = (f"Import goes into an empty workspace: this one holds {clients} client(s). "
                   "Reset it first, or import into a new workspace.")
        super().__init__([RowProblem("", 0, "", message)])
        self.message = message
        self.args = (message,)

    def report_lines(self) -> list[str]:
        return [self.message]


class _Report:
    def __init__(self) -> None:
        self.problems: list[RowProblem] = []
        self.truncated = False
        #: Files that could not be read to the end: their children are not blamed for keys they lack.
        self.unreadable: set[str] = set()

    def add(self, file: str, line: int, column: str, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.problems.append(RowProblem(file, line, column, message))


def _parse(raw: str, col: hud.Column) -> Any:
    """Turn one CSV value into a Python value, or raise ValueError with a message."""
    if raw == "":
        return None
    if col.type == "integer":
        if not _INTEGER.match(raw):
            raise ValueError(f"{raw!r} is not a whole number")
        return int(raw)
    if col.type == "date":
        try:
            if not _DATE.match(raw):
                raise ValueError
            return datetime.strptime(raw, DATE_FORMAT).date()
        except ValueError:
            raise ValueError(f"{raw!r} is not a date like 2026-10-01") from None
    if col.type == "datetime":
        try:
            if not _DATETIME.match(raw):
                raise ValueError
            return datetime.strptime(raw, DATETIME_FORMAT)
        except ValueError:
            raise ValueError(f"{raw!r} is not a timestamp like 2026-10-01 13:45:00") from None
    if col.is_money:
        # The pages' own reading of money, minus their leniency ("$", thousands commas): the file holds plain amounts.
        amount, problems = rules.parse_money(raw, field=col.name)
        if problems or not re.fullmatch(r"[0-9.]+", raw):
            raise ValueError(f"{raw!r} is not an amount like 1100.00")
        return amount
    if col.limit is not None and len(raw) > col.limit:
        raise ValueError(f"is {len(raw)} characters long; at most {col.limit} are allowed")
    bad = _CONTROL.search(raw)
    if bad:
        raise ValueError(f"holds a control character (U+{ord(bad.group()):04X}) at position {bad.start() + 1}")
    return raw


class _LineTooLong(Exception):
    """Raise inside the line reader when a physical line passes :data:`MAX_LINE_BYTES`."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def file_problem(path: Path) -> str | None:
    """Say why ``path`` cannot be one file of a set (missing, or not a regular file), looking without opening it.

    A named pipe would block the import forever and a device such as
    /dev/zero would never end, so only regular files (or links to one) are read.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "the file is missing from the set"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except OSError:
            return "is a symbolic link to nothing (the file it names is missing)"
        if not stat.S_ISREG(st.st_mode):
            return f"is a symbolic link to {_kind(st.st_mode)}, not to a regular file"
    elif not stat.S_ISREG(st.st_mode):
        return f"is {_kind(st.st_mode)}, not a regular file"
    return None


def _open_regular(path: Path) -> BinaryIO:
    """Open a file of the set for reading, refusing anything but a regular file even if it changed since it was checked.

    O_NONBLOCK makes opening a named pipe return at once instead of waiting for a writer.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _lines(fh: BinaryIO, position: list[int]) -> Iterator[str]:
    """Decode a binary file line by line (a BOM is dropped), counting physical lines in ``position[0]``.

    Each line is read with a bound, so memory stays small whatever the file holds.
    """
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES:
            raise _LineTooLong
        text = raw.decode("utf-8-sig" if position[0] == 0 else "utf-8")
        position[0] += 1
        yield text


def _rows(path: Path, file: str, report: _Report, progress: Callable[[int], None]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) of the data rows, reporting unreadable text; the header is checked apart."""
    physical = [0]
    try:
        with _open_regular(path) as fh:
            reader = csv.reader(_lines(fh, physical))
            header = next(reader, None)
            if header is None:
                report.add(file, 0, "", "the file is empty (it needs at least the header row)")
                report.unreadable.add(file)
                return
            expected = [c.name for c in hud.columns(file)]
            if [h.strip().lower() for h in header] != [e.lower() for e in expected]:
                missing = [e for e in expected if e.lower() not in {h.strip().lower() for h in header}]
                extra = [h for h in header if h.strip().lower() not in {e.lower() for e in expected}]
                detail = []
                if missing:
                    detail.append("missing " + ", ".join(missing[:10]))
                if extra:
                    detail.append("unexpected " + ", ".join(extra[:10]))
                if not detail:
                    detail.append("the columns are out of HUD's order")
                report.add(file, 1, "", "the header is not HUD's FY2026 header: " + "; ".join(detail))
                report.unreadable.add(file)
                return
            position = 0
            for fields in reader:
                position += 1
                if position % 500 == 0:
                    progress(500)
                yield reader.line_num, fields
            progress(position % 500)
    except UnicodeDecodeError as exc:
        report.unreadable.add(file)
        report.add(file, physical[0] + 1, "", f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} cannot be "
                                              "read; save the file as UTF-8)")
    except csv.Error as exc:
        report.unreadable.add(file)
        report.add(file, physical[0], "", f"is not valid CSV ({exc})")
    except _LineTooLong:
        report.unreadable.add(file)
        report.add(file, physical[0] + 1, "", f"the line is longer than {MAX_LINE_BYTES} bytes, more than any HUD "
                                              "row holds (is this the right file?)")
    except OSError as exc:
        report.unreadable.add(file)
        report.add(file, 0, "", f"cannot be read ({exc.strerror or exc})")


def _count_lines(directory: Path) -> int:
    """Count line breaks in fixed-size chunks (only for the progress bar; the files were checked to be regular)."""
    total = 0
    for name in FILES:
        with _open_regular(directory / name) as fh:
            while chunk := fh.read(1 << 20):
                total += chunk.count(b"\n")
    return max(total, 1)


def check_files(directory: Path) -> None:
    """Refuse the set unless each of its files is there and a regular file; nothing is opened before this."""
    problems = [RowProblem(name, 0, "", why) for name in FILES if (why := file_problem(Path(directory) / name))]
    if problems:
        raise ImportRefused(problems)


def _convert(file: str, line: int, fields: list[str], report: _Report) -> dict[str, Any] | None:
    columns = hud.columns(file)
    if len(fields) != len(columns):
        report.add(file, line, "", f"has {len(fields)} values; the header has {len(columns)}")
        return None
    values: dict[str, Any] = {}
    ok = True
    for col, raw in zip(columns, fields):
        try:
            values[col.name] = _parse(raw, col)
        except ValueError as exc:
            report.add(file, line, col.name, str(exc))
            ok = False
            continue
        if values[col.name] is None and col.required:
            report.add(file, line, col.name, "is required but empty")
            ok = False
    for col in columns:
        value = values.get(col.name)
        if value is None or col.type not in ("integer", "string"):
            continue
        list_name = codes.list_for(file, col.name, values)
        if list_name and not hud.is_valid(list_name, value):
            report.add(file, line, col.name, f"{value} is not one of HUD's codes ({list_name})")
            ok = False
    return values if ok else None


def validate(directory: Path, progress: Callable[[int], None] = lambda n: None) -> None:
    """Check a set without importing it; raise :class:`ImportRefused` with every problem.

    Only keys are kept between files (a set per file, the client of each
    enrollment, the enrollments that have an exit), never whole rows.
    """
    directory = Path(directory)
    report = _Report()
    keys: dict[str, set[str]] = {}
    enrollment_person: dict[str, str] = {}
    exited: set[str] = set()
    export_id: str | None = None
    check_files(directory)
    for name in FILES:
        key_col = hud.columns(name)[0].name
        seen: set[str] = set()
        rows = 0
        for line, fields in _rows(directory / name, name, report, progress):
            rows += 1
            values = _convert(name, line, fields, report)
            if values is None:
                if fields and fields[0]:
                    seen.add(fields[0])  # a bad row still names its key: don't also blame its children
                continue
            key = values[key_col]
            if key in seen:
                report.add(name, line, key_col, f"{key} appears more than once")
            seen.add(key)
            if name == "Export.csv":
                export_id = key if export_id is None else export_id
            elif export_id is not None and values["ExportID"] != export_id:
                report.add(name, line, "ExportID", f"{values['ExportID']} is not the ExportID of Export.csv "
                                                   f"({export_id})")
            for column, parent in LINKS.get(name, {}).items():
                if parent not in report.unreadable and values[column] not in keys.get(parent, ()):
                    report.add(name, line, column, f"{values[column]} is not in {parent}")
            if name == "Enrollment.csv":
                enrollment_person[key] = values["PersonalID"]
            elif "EnrollmentID" in values:
                owner = enrollment_person.get(values["EnrollmentID"])
                if owner is not None and owner != values["PersonalID"]:
                    report.add(name, line, "PersonalID", "does not match the PersonalID of its enrollment")
            if name == "Exit.csv":
                if values["EnrollmentID"] in exited:
                    report.add(name, line, "EnrollmentID",
                               f"{values['EnrollmentID']} already has an exit (an enrollment has at most one)")
                exited.add(values["EnrollmentID"])
        if name == "Export.csv" and rows != 1 and not any(p.file == name for p in report.problems):
            report.add(name, 0, "", f"must hold exactly one row (it has {rows})")
        keys[name] = seen
        if report.truncated:
            break
    if report.problems:
        raise ImportRefused(report.problems, report.truncated)


def import_directory(sdb: Session, workspace_id: int, directory: Path, *, now: datetime,
                     progress: Callable[[float], None] | None = None) -> dict[str, int]:
    """Validate, then insert the set into an empty workspace; return rows imported per file."""
    directory = Path(directory)
    held = sdb.execute(sa.select(sa.func.count(Client.id)).where(Client.workspace_id == workspace_id)).scalar_one()
    if held:
        raise WorkspaceNotEmpty(held)
    check_files(directory)
    total = _count_lines(directory) * 2
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress is not None:
            progress(min(1.0, done[0] / total))

    validate(directory, tick)
    # The set brings its own organizations and projects: they replace the ones the workspace was seeded with
    # (nothing can point at those, as the workspace holds no client).
    for model in (ReleaseOfInformation, *[m for m, _ in reversed(list(CSV_MODELS.values()))]):
        sdb.execute(sa.delete(model).where(model.workspace_id == workspace_id))
    counts: dict[str, int] = {}
    report = _Report()
    for name in FILES[1:]:
        model, _key = CSV_MODELS[name]
        table = model.__table__
        stored = {c.name for c in table.columns}
        batch: list[dict[str, Any]] = []
        n = 0
        for line, fields in _rows(directory / name, name, report, tick):
            values = _convert(name, line, fields, report)
            if values is None:  # cannot happen after validate(); refuse rather than import half
                raise ImportRefused(report.problems)
            row = {k: v for k, v in values.items() if k in stored}
            row["workspace_id"] = workspace_id
            batch.append(row)
            n += 1
            if len(batch) >= BATCH:
                sdb.execute(sa.insert(table), batch)
                batch = []
        if batch:
            sdb.execute(sa.insert(table), batch)
        counts[name] = n
    if progress is not None:
        progress(1.0)
    return counts
