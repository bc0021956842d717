"""A lenient import: refuse a set only when it cannot be used, skip a row with its reason, warn and keep the rest."""

import csv
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from sandbox import services
from sandbox.csv import FILES
from sandbox.csv.export import export_workspace
from sandbox.csv.importer import ImportRefused, import_directory
from sandbox.csv.importer.findings import REPORT_HEADER, STORED_FINDINGS
from sandbox.models import Client, Enrollment, Exit


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows, **kw) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n", **kw).writerows(rows)


def _edit(file: str, column: str, value: str, row: int = 0):
    def change(path: Path) -> None:
        rows = _rows(path / file)
        rows[row + 1][[h.lower() for h in rows[0]].index(column.lower())] = value
        _write(path / file, rows)
    return change


def _transform(file: str, fn):
    def change(path: Path) -> None:
        _write(path / file, fn(_rows(path / file)))
    return change


def _raw(file: str, fn):
    def change(path: Path) -> None:
        (path / file).write_bytes(fn((path / file).read_bytes()))
    return change


def _swap(rows):
    return [[r[0], r[2], r[1], *r[3:]] for r in rows]


def _import(sdb, target, path, clock):
    result = import_directory(sdb, target.id, path, now=clock.now, report_path=path.parent / "report.csv")
    found = {(f.severity, f.file, f.line, f.column): f for f in result.findings.kept}
    return result, found


def _fy2024_header(rows):
    """FY2024 spelled 3.04's Hispanic/Latina/e/o column HispanicLatinaeo; FY2026 writes HispanicLatinao."""
    return [[h.replace("HispanicLatinao", "HispanicLatinaeo") for h in rows[0]], *rows[1:]]


# (id, change, expected finding (file, line, column) and a fragment of its message, or None: accepted silently)
WARNED = [
    ("code-outside-hud-list", _edit("Client.csv", "Sex", "4"), ("Client.csv", 2, "Sex"), "4 is not one of HUD's codes"),
    ("test-coc", _edit("Enrollment.csv", "EnrollmentCoC", "ZZ-999"), ("Enrollment.csv", 2, "EnrollmentCoC"),
     "has the shape of a CoC code but is not on HUD's list"),
    ("us-date", _edit("Client.csv", "DOB", "5/17/1980"), ("Client.csv", 2, "DOB"), "read as 1980-05-17"),
    ("us-date-with-dashes", _edit("Project.csv", "OperatingStartDate", "12-31-2015"),
     ("Project.csv", 2, "OperatingStartDate"), "read as 2015-12-31"),
    ("fy2024-spelling", _transform("Client.csv", _fy2024_header),
     ("Client.csv", 1, "HispanicLatinaeo as HispanicLatinao"), "read under their FY2026 name"),
    ("iso-t-timestamp", _edit("Client.csv", "DateCreated", "2026-11-02T15:00:00"), ("Client.csv", 2, "DateCreated"),
     "read as 2026-11-02 15:00:00"),
    ("whole-number-as-decimal", _edit("Client.csv", "NameDataQuality", "1.0"), ("Client.csv", 2, "NameDataQuality"),
     "read as the whole number 1"),
    ("unreadable-optional-value", _edit("Client.csv", "Sex", "one"), ("Client.csv", 2, "Sex"),
     "left blank"),
    ("money-with-dollar-sign", _edit("IncomeBenefits.csv", "SSIAmount", "$943"),
     ("IncomeBenefits.csv", 2, "SSIAmount"), "read as the amount 943.00"),
    ("too-long-text", _edit("Client.csv", "FirstName", "x" * 51), ("Client.csv", 2, "FirstName"), "cut to the 50"),
    ("several-exports", _transform("Export.csv", lambda r: [*r, ["OLDER", *r[1][1:]]]), ("Export.csv", 0, "ExportID"),
     "lists 2 exports; the one the data files name"),
    ("other-export-id", _edit("Client.csv", "ExportID", "SOMEOTHER", row=1), ("Client.csv", 3, "ExportID"),
     "names ExportID SOMEOTHER"),
    ("extra-column", _transform("Client.csv", lambda r: [[*x, "note"] for x in r]), ("Client.csv", 1, "note"),
     "HUD does not define were ignored"),
    ("reordered-columns", _transform("Client.csv", _swap), ("Client.csv", 1, ""), "not in HUD's order"),
    ("byte-order-mark", _raw("Client.csv", lambda b: b"\xef\xbb\xbf" + b), ("Client.csv", 1, ""),
     "byte order mark"),
    ("trailing-empty-lines", _raw("Client.csv", lambda b: b + b"\r\n\r\n"), ("Client.csv", 0, ""),
     "2 empty line(s) were ignored"),
    ("missing-optional-file", lambda p: (p / "Exit.csv").unlink(), ("Exit.csv", 0, ""), "read as a file with no rows"),
    ("bare-line-feeds", _raw("Enrollment.csv", lambda b: b.replace(b"\r\n", b"\n")), None, ""),
    ("quoted-numbers", _transform("Client.csv", lambda r: r), None, ""),
    ("lower-case-header", _transform("Client.csv", lambda r: [[h.lower() for h in r[0]], *r[1:]]), None, ""),
    ("other-spelling", _transform("Exit.csv", lambda r: [[h.replace("WorkplaceV", "WorkPlaceV") for h in r[0]],
                                                         *r[1:]]), None, ""),
]


@pytest.mark.parametrize("change,where,message", [w[1:] for w in WARNED], ids=[w[0] for w in WARNED])
def test_a_deviation_is_kept_with_a_warning(good_set, sandbox_session, clock, change, where, message):
    path, target = good_set
    change(path)
    result, found = _import(sandbox_session, target, path, clock)
    assert result["Client.csv"] == 3 and result["Enrollment.csv"] == 3
    assert not [f for f in result.findings.kept if f.severity != "warn"]
    if where is None:
        assert not result.findings.kept, result.findings.kept
    else:
        assert message in found[("warn", *where)].message


def test_quoted_numbers_and_either_spelling_keep_their_values(good_set, sandbox_session, clock):
    path, target = good_set
    _write(path / "Client.csv", _rows(path / "Client.csv"), quoting=csv.QUOTE_ALL)
    _transform("Exit.csv", lambda r: [[h.replace("WorkplaceV", "WorkPlaceV") for h in r[0]], *r[1:]])(path)
    _edit("Exit.csv", "WorkPlaceViolenceThreats", "1")(path)
    result, _ = _import(sandbox_session, target, path, clock)
    assert not result.findings.kept
    assert sandbox_session.execute(sa.select(Exit.WorkPlaceViolenceThreats).where(Exit.workspace_id == target.id)
                                   ).scalar_one() == 1
    assert set(sandbox_session.execute(sa.select(Client.NameDataQuality).where(Client.workspace_id == target.id)
                                       ).scalars()) <= {1, 8, 9, 99}


def test_the_fy2024_spelling_of_hispanic_latinao_keeps_its_values(good_set, sandbox_session, clock):
    """Sets still written with FY2024's header (Green River's converter writes one) keep every client and its answer."""
    path, target = good_set
    _transform("Client.csv", _fy2024_header)(path)
    result, _ = _import(sandbox_session, target, path, clock)
    assert result["Client.csv"] == 3 and not [f for f in result.findings.kept if f.severity != "warn"]
    assert sorted(sandbox_session.execute(sa.select(Client.HispanicLatinao).where(Client.workspace_id == target.id)
                                          ).scalars()) == [0, 0, 1]
    again = path.parent / "again"
    export_workspace(sandbox_session, target.id, again, now=clock.now)
    assert "HispanicLatinao" in _rows(again / "Client.csv")[0]  # written as FY2026 spells it


def _duplicate_first_row(rows):
    return [*rows, rows[1]]


# (id, change, finding (file, line, column), message fragment, rows kept per file after the import)
SKIPPED = [
    ("missing-key", _edit("Client.csv", "PersonalID", "", row=2), ("Client.csv", 4, "PersonalID"),
     "has no PersonalID", {"Client.csv": 2, "Enrollment.csv": 2}),
    ("duplicate-key", _transform("Client.csv", _duplicate_first_row), ("Client.csv", 5, "PersonalID"),
     "appears more than once", {"Client.csv": 3}),
    ("absent-parent", _edit("Enrollment.csv", "ProjectID", "nope"), ("Enrollment.csv", 2, "ProjectID"),
     "nope is not in Project.csv", {"Enrollment.csv": 2}),
    ("required-blank", _edit("Enrollment.csv", "EntryDate", ""), ("Enrollment.csv", 2, "EntryDate"),
     "EntryDate is required", {"Enrollment.csv": 2}),
    ("second-exit", _transform("Exit.csv", lambda r: [*r, [r[1][0][:-1] + "Z", *r[1][1:]]]),
     ("Exit.csv", 3, "EnrollmentID"), "already has an exit", {"Exit.csv": 1}),
]


@pytest.mark.parametrize("change,where,message,kept", [s[1:] for s in SKIPPED], ids=[s[0] for s in SKIPPED])
def test_a_row_that_cannot_be_kept_is_skipped_with_its_reason(good_set, sandbox_session, clock, change, where, message,
                                                              kept):
    path, target = good_set
    change(path)
    result, found = _import(sandbox_session, target, path, clock)
    assert message in found[("skip", *where)].message
    assert {k: result[k] for k in kept} == kept


def test_the_children_of_a_skipped_row_are_skipped_with_it_and_reported_once(good_set, sandbox_session, clock):
    path, target = good_set
    rows = _rows(path / "Enrollment.csv")
    head = next(r for r in rows[1:] if r[rows[0].index("RelationshipToHoH")] == "1"
                and any(x[1] == r[0] for x in _rows(path / "Exit.csv")[1:]))
    _edit("Enrollment.csv", "ProjectID", "nope", row=rows.index(head) - 1)(path)
    result, found = _import(sandbox_session, target, path, clock)
    assert result["Exit.csv"] == 0 and result["Enrollment.csv"] == 2
    with_parent = [f for f in result.findings.kept if "skipped with their Enrollment.csv record" in f.message]
    assert {f.file for f in with_parent} >= {"Exit.csv", "IncomeBenefits.csv", "Disabilities.csv"}
    assert all(f.line == 0 for f in with_parent) and len({f.file for f in with_parent}) == len(with_parent)
    assert sum(1 for f in result.findings.kept if f.severity == "skip" and f.file == "Enrollment.csv") == 1


REFUSED = [
    ("no-client-file", lambda p: (p / "Client.csv").unlink(), "Client.csv: the file is missing from the set"),
    ("no-enrollment-file", lambda p: (p / "Enrollment.csv").unlink(), "Enrollment.csv: the file is missing"),
    ("not-utf8", _raw("Client.csv", lambda b: b + "Jos\u00e9\r\n".encode("latin-1")), "Client.csv, line 5: is not UTF-8"),
    ("not-hmis-header", lambda p: (p / "Project.csv").write_text("ProjectID,Name\r\n"),
     "Project.csv, line 1, OrganizationID: the header is not HMIS CSV Project.csv"),
    ("empty-file", lambda p: (p / "Client.csv").write_text(""), "Client.csv: the file is empty"),
    ("not-csv", _raw("Disabilities.csv", lambda b: b + b'"open quote\r\n' + b"x" * 200_000),
     "Disabilities.csv, line "),
]


@pytest.mark.parametrize("change,message", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_set_that_cannot_be_used_is_refused_and_nothing_is_kept(good_set, sandbox_session, clock, change, message):
    path, target = good_set
    change(path)
    with pytest.raises(ImportRefused) as info:
        import_directory(sandbox_session, target.id, path, now=clock.now)
    sandbox_session.rollback()
    assert any(line.startswith(message) for line in info.value.report_lines()), info.value.report_lines()
    assert sandbox_session.execute(sa.select(sa.func.count(Enrollment.id))).scalar_one() == 0


def test_every_finding_goes_to_the_csv_report_beside_the_set(good_set, sandbox_session, clock):
    path, target = good_set
    rows = _rows(path / "Client.csv")
    for i in range(1, len(rows)):
        rows[i][rows[0].index("Sex")] = "4"
    _write(path / "Client.csv", rows)
    result = import_directory(sandbox_session, target.id, path, now=clock.now)
    assert result.report_path.parent == path.parent and result.report_path.name.startswith("set.import-report-")
    report = _rows(result.report_path)
    assert report[0] == REPORT_HEADER
    assert report[1:] == [["Client.csv", str(n), "Sex", "4", "warn", "4 is not one of HUD's codes (Sex); kept"]
                          for n in (2, 3, 4)]
    assert result.findings.summary() == [("Client.csv", 0, 0, 3)]
    assert any("Client.csv" in line and line.split()[-1] == "3" for line in result.summary_lines())


def test_the_report_holds_every_finding_while_memory_keeps_only_the_first(good_set, sandbox_session, clock):
    path, target = good_set
    rows = _rows(path / "Disabilities.csv")
    template = rows[1]
    rows = [rows[0], *[[f"d{i}", *template[1:]] for i in range(STORED_FINDINGS + 5)]]
    for r in rows[1:]:
        r[rows[0].index("InformationDate")] = "10/1/2026"
    _write(path / "Disabilities.csv", rows)
    result = import_directory(sandbox_session, target.id, path, now=clock.now, report_path=path.parent / "r.csv")
    # 10/1/2026 cannot be read one way only: InformationDate is required, so every row is skipped and reported.
    assert result["Disabilities.csv"] == 0
    assert len(result.findings.kept) == STORED_FINDINGS
    assert len(_rows(path.parent / "r.csv")) - 1 == result.findings.total("skip") + result.findings.total("warn")
    assert result.findings.total("skip") == STORED_FINDINGS + 5


def test_an_ambiguous_date_is_not_guessed(good_set, sandbox_session, clock):
    path, target = good_set
    _edit("Client.csv", "DOB", "03/04/1980")(path)
    result, found = _import(sandbox_session, target, path, clock)
    assert "is not a date that can be read one way only" in found[("warn", "Client.csv", 2, "DOB")].message
    assert date(1980, 3, 4) not in set(sandbox_session.execute(
        sa.select(Client.DOB).where(Client.workspace_id == target.id)).scalars())


def test_every_hud_file_is_read_even_when_the_set_holds_only_some(good_set, sandbox_session, clock):
    path, target = good_set
    for name in FILES:
        if name not in ("Client.csv", "Enrollment.csv", "Project.csv", "Organization.csv"):
            (path / name).unlink()
    result, _ = _import(sandbox_session, target, path, clock)
    assert set(result) == set(FILES[1:]) and result["Enrollment.csv"] == 3
    assert {f.file for f in result.findings.kept if "missing from the set" in f.message} == (
        set(FILES) - {"Client.csv", "Enrollment.csv", "Project.csv", "Organization.csv"})
    again = path.parent / "again"
    export_workspace(sandbox_session, target.id, again, now=clock.now)
    assert sorted(p.name for p in again.iterdir()) == sorted(FILES)
    assert services.get_workspace(sandbox_session, target.ref).id == target.id


def test_an_export_csv_that_breaks_off_refuses_the_set(good_set, sandbox_session, clock):
    path, target = good_set
    (path / "Export.csv").write_bytes((path / "Export.csv").read_bytes() + "Jos\u00e9\r\n".encode("latin-1"))
    with pytest.raises(ImportRefused) as info:
        import_directory(sandbox_session, target.id, path, now=clock.now)
    assert info.value.report_lines() == ["Export.csv, line 3: is not UTF-8 text (byte 0xe9 cannot be read; save the "
                                         "file as UTF-8)"]
