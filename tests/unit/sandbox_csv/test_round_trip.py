"""Round trip: a set imported and exported again keeps every row it kept; importing that export gives the same."""

import csv
import filecmp
from pathlib import Path

import pytest

from sandbox import services
from sandbox import validation as rules
from sandbox.csv import FILES
from sandbox.csv.export import export_workspace
from sandbox.csv.importer import ImportRefused, import_directory
from sandbox.models import KEPT_MODELS


def _rows_of(path):
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)


def test_round_trip_export_import_export_gives_identical_files(filled_workspace, sandbox_session, clock, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    export_workspace(sandbox_session, filled_workspace.id, first, now=clock.now, export_id="ROUNDTRIP")
    empty = services.create_workspace(sandbox_session, "user:2", user_label="trainee2", now=clock.now, seed=False)
    try:
        counts = import_directory(sandbox_session, empty.id, first, now=clock.now)
    except ImportRefused as exc:
        pytest.fail("\n".join(exc.report_lines()))
    assert counts["Client.csv"] == 3
    export_workspace(sandbox_session, empty.id, second, now=clock.now, export_id="ROUNDTRIP")
    for name in FILES:
        assert filecmp.cmp(first / name, second / name, shallow=False), name


def _sample(file, column):
    """A valid value for any FY2026 column (the first code of its HUD list for coded columns)."""
    import lms.hud as hud
    from sandbox.csv import codes

    col = next(c for c in hud.columns(file) if c.header == column)
    if column == "CoCCode":
        return "MO-606"
    list_name = codes.list_for(file, column, {})
    if list_name:
        return str(next(iter(hud.codes(list_name))))
    if col.is_money:
        return "12.50"
    return {"integer": "3", "date": "2026-09-30", "datetime": "2026-09-30 08:15:00"}.get(col.type, "t" * min(3, col.limit or 3))


def test_a_set_with_every_column_filled_imports_and_exports_byte_for_byte(good_set, sandbox_session, clock, tmp_path):
    """Columns the sandbox never writes (PATH, RHY, HOPWA ...) survive an import and an export too."""
    path, target = good_set
    filled = 0
    for name in FILES[1:]:
        rows = _rows_of(path / name)
        if len(rows) < 2:
            continue
        for i, column in enumerate(rows[0]):
            if rows[1][i] == "":
                rows[1][i] = _sample(name, column)
                filled += 1
        _write_rows(path / name, rows)
    assert filled > 150
    export_id = _rows_of(path / "Export.csv")[1][0]
    import_directory(sandbox_session, target.id, path, now=clock.now)
    again = tmp_path / "again"
    export_workspace(sandbox_session, target.id, again, now=clock.now, export_id=export_id)
    for name in FILES:
        assert (again / name).read_bytes() == (path / name).read_bytes(), name


def test_data_entered_with_edge_values_exports_and_imports_into_an_empty_workspace(sandbox_session, clock, tmp_path):
    """What the services accept at their limits, HUD's format carries: export, import, the same rows."""
    from datetime import date

    import lms.hud as hud

    sdb, now = sandbox_session, clock.now
    ws = services.create_workspace(sdb, "user:5", user_label="trainee5", now=now)
    outreach = next(p for p in services.projects(sdb, ws.id) if p.ProjectType == hud.SO)
    client = services.save_client(sdb, ws, {
        "FirstName": "\u200b\u00d1" + "a" * 49, "MiddleName": 'Quote " and, comma',
        "LastName": "O'Brien-\u00dcml\u00e4ut",
        "NameSuffix": "z" * 50, "NameDataQuality": 1, "SSN": "xxxxx1234", "SSNDataQuality": 2,
        "DOB": rules.EARLIEST_DOB, "DOBDataQuality": 2, "RaceNone": 8, "AdditionalRaceEthnicity": "\u00e9" * 100,
        "VeteranStatus": 0}, now=now, record_id="Z" * 32)
    services.record_roi(sdb, ws, client, consented=True, signed_on=date(2026, 10, 1),
                        documentation="verbal", now=now)
    e = services.enroll(sdb, ws, client, outreach, {
        "EntryDate": date(2026, 10, 1), "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
        "LivingSituation": 116, "LengthOfStay": 5, "DateToStreetESSH": date(1900, 1, 1),
        "TimesHomelessPastThreeYears": 4, "MonthsHomelessPastThreeYears": 113}, now=now, record_id="e_" + "9" * 30)
    services.record_assessment(sdb, ws, e, hud.STAGE_ENTRY, information_date=date(2026, 10, 1), income={
        "IncomeFromAnySource": 1, "OtherIncomeSource": 1, "OtherIncomeAmount": "$9,999,999,999.99",
        "OtherIncomeSourceIdentify": "x" * 50, "TotalMonthlyIncome": "9999999999.99", "BenefitsFromAnySource": 0,
        "InsuranceFromAnySource": 0}, disabilities={t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES},
        health={"DomesticViolenceSurvivor": 0}, now=now, record_id="a-" + "b" * 30)
    services.record_current_living_situation(sdb, ws, e, {"InformationDate": now.date(), "CurrentLivingSituation": 116,
                                                          "LocationDetails": '"Bridge", ' + "y" * 240}, now=now)
    services.exit_enrollment(sdb, ws, e, {"ExitDate": now.date(), "Destination": 17,
                                          "OtherDestination": "\u6c7d\u8eca" * 25}, now=now)
    first, second = tmp_path / "first", tmp_path / "second"
    export_workspace(sdb, ws.id, first, now=now, export_id="EDGES")
    empty = services.create_workspace(sdb, "user:6", user_label="trainee6", now=now, seed=False)
    try:
        counts = import_directory(sdb, empty.id, first, now=now)
    except ImportRefused as exc:
        pytest.fail("\n".join(exc.report_lines()))
    assert counts["Client.csv"] == 1 and counts["IncomeBenefits.csv"] == 1
    export_workspace(sdb, empty.id, second, now=now, export_id="EDGES")
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def _kept_rows(path: Path) -> None:
    """Give every file the sandbox keeps without a form two rows, linked to the set's own project and enrollment."""
    enrollment = _rows_of(path / "Enrollment.csv")[1]
    links = {"ProjectID": _rows_of(path / "Project.csv")[1][0], "ResProjectID": _rows_of(path / "Project.csv")[2][0],
             "EnrollmentID": enrollment[0], "PersonalID": enrollment[1], "AssessmentID": "assess-1"}
    for name, (_model, key) in KEPT_MODELS.items():
        rows = _rows_of(path / name)
        header = rows[0]
        if name == "User.csv":
            rows = rows[:1]
        for n in (1, 2):
            row = [_sample(name, column) for column in header]
            for i, column in enumerate(header):
                if column in links:
                    row[i] = links[column]
                if column == "ExportID":
                    row[i] = _rows_of(path / "Export.csv")[1][0]
                if column == "DateDeleted":
                    row[i] = ""
            row[header.index(key)] = "assess-1" if name == "Assessment.csv" and n == 1 else f"{name[:6]}-{n}"
            if name == "Services.csv":
                row[header.index("RecordType")] = "200"  # 4.14 bed night
            rows.append(row)
        _write_rows(path / name, rows)


def test_every_hud_file_round_trips_and_a_second_import_gives_the_same_export(good_set, sandbox_session, clock,
                                                                              tmp_path):
    path, target = good_set
    _kept_rows(path)
    first = import_directory(sandbox_session, target.id, path, now=clock.now)
    assert not first.findings.kept, first.findings.kept
    assert all(first[name] == len(_rows_of(path / name)) - 1 >= 2 for name in KEPT_MODELS)
    again = tmp_path / "again"
    export_workspace(sandbox_session, target.id, again, now=clock.now, export_id="SECOND")
    export_id = _rows_of(path / "Export.csv")[1][0]
    for name in FILES[1:]:  # every row it kept, as it came (ExportID aside; rows are written in key order)
        assert sorted((again / name).read_text().replace("SECOND", "X").splitlines()) == sorted(
            (path / name).read_text().replace(export_id, "X").splitlines()), name
    third = services.create_workspace(sandbox_session, "user:10", user_label="trainee10", now=clock.now, seed=False)
    import_directory(sandbox_session, third.id, again, now=clock.now)
    last = tmp_path / "last"
    export_workspace(sandbox_session, third.id, last, now=clock.now.replace(day=3), export_id="THIRD")
    for name in FILES:
        ours = (last / name).read_text().replace("THIRD", "SECOND")
        if name == "Export.csv":  # only the ExportID and the export dates differ
            ours = ours.replace("2026-11-03", "2026-11-02")
        assert ours == (again / name).read_text(), name


def test_emptying_a_workspace_empties_the_files_kept_without_forms_too(good_set, sandbox_session, clock):
    import sqlalchemy as sa

    path, target = good_set
    _kept_rows(path)
    import_directory(sandbox_session, target.id, path, now=clock.now)
    services.reset_workspace(sandbox_session, target, now=clock.now, reseed=False)
    for name, (model, _key) in KEPT_MODELS.items():
        assert sandbox_session.execute(sa.select(sa.func.count(model.id)).where(model.workspace_id == target.id)
                                       ).scalar_one() == 0, name
    again = import_directory(sandbox_session, target.id, path, now=clock.now)  # and the same set imports again
    assert again["Funder.csv"] == 2


#: Sets published in open-source HMIS projects, copied as published (see each set's SOURCE.md).
PUBLIC = Path(__file__).resolve().parents[2] / "fixtures" / "hmis_csv_public"
#: Headers an earlier version spells otherwise (lower case) → the FY2026 header the export writes.
OLDER_HEADERS = {"hispaniclatinaeo": "hispaniclatinao"}
_FY2024_CLIENT = {("warn", "Client.csv", 1, "HispanicLatinaeo as HispanicLatinao"): "read under their FY2026 name",
                  ("warn", "Client.csv", 1, "Sex"): "missing, read as blank: Sex",
                  ("warn", "Client.csv", 1, "Woman, Man, NonBinary, CulturallySpecific, Transgender, Question"):
                      "HUD does not define were ignored",
                  ("warn", "Enrollment.csv", 1, "MentalHealthConsultation"): "missing, read as blank"}
# (set, rows kept per file (others: none), (refused, skipped, warned) per file (others: only "missing" warnings),
#  the findings its real deviations give: (severity, file, line, column) → a fragment of the message)
PUBLIC_SETS = [
    ("gr_fy2026_datalab", {"Organization.csv": 10, "Project.csv": 10, "Client.csv": 56, "Enrollment.csv": 83},
     {"Client.csv": (0, 0, 1), "Enrollment.csv": (0, 0, 85)},
     {("warn", "Client.csv", 1, "HispanicLatinaeo as HispanicLatinao"): "read under their FY2026 name",
      ("warn", "Enrollment.csv", 1, "TranslationNeeded, PreferredLanguage, PreferredLanguageDifferent"):
          "HUD does not define were ignored",
      ("warn", "Enrollment.csv", 2, "EnrollmentCoC"): "has the shape of a CoC code but is not on HUD's list",
      ("warn", "Enrollment.csv", 84, "EnrollmentCoC"): "has the shape of a CoC code"}),
    ("gr_fy2024_move_ins", {},
     {"Organization.csv": (0, 1, 0), "Project.csv": (0, 1, 0), "HMISParticipation.csv": (0, 1, 0),
      "Client.csv": (0, 1, 6), "Enrollment.csv": (0, 1, 3), "Exit.csv": (0, 1, 0)},
     {**_FY2024_CLIENT,
      ("skip", "Organization.csv", 2, "VictimServiceProvider"): "VictimServiceProvider is required and blank",
      ("skip", "Project.csv", 0, ""): "1 row(s) skipped with their Organization.csv record",
      ("skip", "Client.csv", 2, "NameDataQuality"): "NameDataQuality is required and blank",
      ("warn", "Client.csv", 2, "DateCreated"): "'2010-01-01' was read as 2010-01-01 00:00:00",
      ("skip", "Enrollment.csv", 0, ""): "8 row(s) skipped with their Client.csv record",
      ("skip", "Exit.csv", 0, ""): "5 row(s) skipped with their Enrollment.csv record"}),
    ("gr_fy2024_bad_data", {"Client.csv": 98},
     {"Project.csv": (0, 1, 2), "Client.csv": (0, 36, 10), "Enrollment.csv": (0, 3, 3)},
     {**_FY2024_CLIENT,
      ("warn", "Project.csv", 2, "OperatingStartDate"): "'12-31-2015' was read as 2015-12-31",
      ("skip", "Project.csv", 2, "OrganizationID"): "OrganizationID 109 is not in Organization.csv",
      ("warn", "Client.csv", 7, "DOB"): "'08-MAY-67' is not a date that can be read one way only",
      ("skip", "Client.csv", 7, "NameDataQuality"): "NameDataQuality, DOBDataQuality is required",
      ("warn", "Client.csv", 10, "DateUpdated"): "'9/10/2015 21:39:00' is not a timestamp that can be read one way",
      ("warn", "Client.csv", 11, "DateUpdated"): "'7/14/16 09:59:00' is not a timestamp",
      ("skip", "Client.csv", 12, "VeteranStatus"): "VeteranStatus, DateUpdated is required",
      ("skip", "Enrollment.csv", 4, "PersonalID"): "PersonalID 7b8c1279001142afac2fd0bde7a8f6bf is not in Client.csv",
      ("skip", "Enrollment.csv", 0, ""): "2 row(s) skipped with their Project.csv record"}),
]


def _by_key(path: Path, name: str) -> dict[str, tuple[int, dict[str, str]]]:
    """Rows of a file by their key: (line, {lower-case FY2026 header: value})."""
    from sandbox.models import ALL_MODELS

    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [OLDER_HEADERS.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
        rows = {}
        for fields in reader:
            row = dict(zip(header, fields))
            rows.setdefault(row[ALL_MODELS[name][1].lower()], (reader.line_num, row))
    return rows


@pytest.mark.parametrize("name, kept, per_file, expected", PUBLIC_SETS, ids=[s[0] for s in PUBLIC_SETS])
def test_a_public_set_imports_with_a_report_and_round_trips(sandbox_session, clock, tmp_path, name, kept, per_file,
                                                            expected):
    import re
    import shutil

    from sandbox.csv.importer import SKIP, WARN

    sdb, now = sandbox_session, clock.now
    source = tmp_path / name
    shutil.copytree(PUBLIC / name, source)
    first_ws = services.create_workspace(sdb, "user:11", user_label="public1", now=now, seed=False)
    try:
        result = import_directory(sdb, first_ws.id, source, now=now)
    except ImportRefused as exc:
        pytest.fail("\n".join(exc.report_lines()))
    assert {f: n for f, n in result.items() if n} == kept
    absent = {f: (0, 0, 1) for f in FILES if not (source / f).exists()}
    assert {f: (r, s, w) for f, r, s, w in result.findings.summary()} == {**absent, **per_file}
    found = {(f.severity, f.file, f.line, f.column): f.message for f in result.findings.kept}
    for where, fragment in expected.items():
        assert fragment in found.get(where, ""), (where, found.get(where))
    first = tmp_path / "first"
    export_workspace(sdb, first_ws.id, first, now=now, export_id="PUBLIC1")
    for file in FILES[1:]:  # every row kept is exported, with its values (or as the report says it was changed)
        if not (source / file).exists():
            continue
        ours, theirs = _by_key(first / file, file), _by_key(source / file, file)
        assert len(ours) == result[file] and set(ours) <= set(theirs), file
        warned = {(f.line, f.column.lower()) for f in result.findings.kept if f.file == file and f.severity == WARN}
        for key, (_, row) in ours.items():
            line, published = theirs[key]
            changed = {c: (v, row[c]) for c, v in published.items() if c in row and c != "exportid" and v != row[c]
                       and (line, c) not in warned}
            assert not changed, (file, line, changed)
            assert not [c for c, v in row.items() if c not in published and v and c != "exportid"], (file, line)
        skips = [f for f in result.findings.kept if f.file == file and f.severity == SKIP]
        with_parent = sum(int(re.match(r"(\d+) row", f.message)[1]) for f in skips if f.line == 0)
        assert len(theirs) - len(ours) == len([f for f in skips if f.line]) + with_parent, file
    second_ws = services.create_workspace(sdb, "user:12", user_label="public2", now=now, seed=False)
    again = import_directory(sdb, second_ws.id, first, now=now)
    assert not [f for f in again.findings.kept if f.severity != WARN]
    second = tmp_path / "second"
    export_workspace(sdb, second_ws.id, second, now=now.replace(day=3), export_id="PUBLIC2")
    for file in FILES[1:]:
        assert (second / file).read_text().replace("PUBLIC2", "PUBLIC1") == (first / file).read_text(), file
    export_dates = ("ExportID", "ExportDate", "ExportStartDate", "ExportEndDate")
    (head, row), (head_again, row_again) = (_rows_of(d / "Export.csv") for d in (first, second))
    assert head == head_again and row != row_again  # the export's own ID and dates differ, nothing else
    assert [v for h, v in zip(head, row) if h not in export_dates] == [
        v for h, v in zip(head, row_again) if h not in export_dates]
