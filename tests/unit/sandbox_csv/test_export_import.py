"""HMIS CSV FY2026: headers and order, round trip, and refusal of bad sets of every kind."""

import contextlib
import csv
import os
import shutil
import signal
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import services
from sandbox.csv import FILES
from sandbox.csv.export import export_workspace
from sandbox.csv.importer import MAX_LINE_BYTES, ImportRefused, import_directory
from sandbox.models import Client, Enrollment
from sandbox.validation import ValidationFailed

DATA = Path(__file__).resolve().parents[3] / "lms" / "hud" / "data"
#: HUD's FY2026 CSV specification spells this header otherwise than the reference copy (see lms.hud.csv_columns).
SPELLING = {"WorkPlaceViolenceThreats": "WorkplaceViolenceThreats"}


def _reference_columns():
    cols = {}
    for name in ("hmis_csv_fy2026_columns.csv", "hmis_csv_fy2026_more_columns.csv"):
        with (DATA / name).open() as fh:
            for row in csv.DictReader(fh):
                cols.setdefault(row["file"], []).append((int(row["order"]), SPELLING.get(row["column"], row["column"])))
    return {f: [c for _, c in sorted(v)] for f, v in cols.items()}


def _header(path):
    with path.open(newline="") as fh:
        return next(csv.reader(fh))


def test_export_headers_and_order_equal_hud_fy2026_columns(filled_workspace, sandbox_session, clock, tmp_path):
    counts = export_workspace(sandbox_session, filled_workspace.id, tmp_path, now=clock.now)
    reference = _reference_columns()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    for name in FILES:
        assert _header(tmp_path / name) == reference[name], name
    assert counts["Client.csv"] == 3 and counts["Enrollment.csv"] == 3 and counts["Exit.csv"] == 1
    assert len(FILES) == 24 and counts["Services.csv"] == 0  # a file with no rows is written with its header
    assert _header(tmp_path / "Exit.csv")[16] == "WorkplaceViolenceThreats"
    # The project's CoC travels in ProjectCoC.csv, the workspace's user in User.csv.
    with (tmp_path / "ProjectCoC.csv").open(newline="") as fh:
        assert {r["CoCCode"] for r in csv.DictReader(fh)} >= {"MO-606"}
    with (tmp_path / "User.csv").open(newline="") as fh:
        assert [r["UserID"] for r in csv.DictReader(fh)] == ["trainee1"]


def test_export_writes_dates_codes_and_money_as_the_format_does(filled_workspace, sandbox_session, clock, tmp_path):
    export_workspace(sandbox_session, filled_workspace.id, tmp_path, now=clock.now, export_id="E1")
    with (tmp_path / "IncomeBenefits.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    head = next(r for r in rows if r["SSI"] == "1")
    assert head["SSIAmount"] == "943.00" and head["TotalMonthlyIncome"] == "1063.50"
    assert head["InformationDate"] == "2026-10-01" and head["ExportID"] == "E1"
    assert head["DateCreated"] == "2026-11-02 15:00:00" and head["DateDeleted"] == ""
    with (tmp_path / "Export.csv").open(newline="") as fh:
        export = next(csv.DictReader(fh))
    assert export["CSVVersion"] == "2026 v1.0" and export["ExportDate"] == "2026-11-02 15:00:00"
    assert (tmp_path / "Client.csv").read_bytes().count(b"\r\n") == 4  # CRLF line ends, header + 3 rows


def _edit(path: Path, file: str, column: str, value: str, row: int = 0) -> None:
    with (path / file).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[row + 1][rows[0].index(column)] = value
    with (path / file).open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)


def _refused(sandbox_session, target, path, clock):
    with pytest.raises(ImportRefused) as info:
        import_directory(sandbox_session, target.id, path, now=clock.now)
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id)).where(Client.workspace_id == target.id)
                                   ).scalar_one() == 0
    return "\n".join(info.value.report_lines())


def test_import_into_a_workspace_with_data_is_refused(good_set, filled_workspace, sandbox_session, clock):
    path, _ = good_set
    from lms.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="empty workspace"):
        import_directory(sandbox_session, filled_workspace.id, path, now=clock.now)


def test_large_set_imports_streamed_in_batches(good_set, sandbox_session, clock, tmp_path):
    """Twenty thousand clients and enrollments: validated and inserted without loading a file whole."""
    path, target = good_set
    big = tmp_path / "big"
    shutil.copytree(path, big)
    n = 20_000
    with (big / "Client.csv").open(newline="") as fh:
        reader = csv.reader(fh)
        header, template = next(reader), next(reader)
    with (big / "Enrollment.csv").open(newline="") as fh:
        reader = csv.reader(fh)
        e_header, e_template = next(reader), next(reader)
    project_id = e_template[e_header.index("ProjectID")]
    with (big / "Client.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for i in range(n):
            row = list(template)
            row[0] = f"c{i:031d}"
            w.writerow(row)
    with (big / "Enrollment.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(e_header)
        for i in range(n):
            row = list(e_template)
            row[0], row[1], row[e_header.index("HouseholdID")] = f"e{i:031d}", f"c{i:031d}", f"h{i:031d}"
            row[e_header.index("ProjectID")] = project_id
            w.writerow(row)
    for name in ("Exit.csv", "IncomeBenefits.csv", "HealthAndDV.csv", "Disabilities.csv", "CurrentLivingSituation.csv"):
        with (big / name).open(newline="") as fh:
            head = next(csv.reader(fh))
        with (big / name).open("w", newline="") as fh:
            csv.writer(fh, lineterminator="\r\n").writerow(head)
    seen = []
    counts = import_directory(sandbox_session, target.id, big, now=clock.now, progress=seen.append)
    assert counts["Client.csv"] == n and counts["Enrollment.csv"] == n
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 10
    assert sandbox_session.execute(sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.workspace_id == target.id)).scalar_one() == n


def _rows_of(path):
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)


def test_a_line_break_inside_a_quoted_value_is_kept(good_set, sandbox_session, clock):
    path, target = good_set
    _edit(path, "CurrentLivingSituation.csv", "LocationDetails", "Riverside,\r\nunder the bridge")
    import_directory(sandbox_session, target.id, path, now=clock.now)
    from sandbox.models import CurrentLivingSituation

    assert sandbox_session.execute(sa.select(CurrentLivingSituation.LocationDetails).where(
        CurrentLivingSituation.workspace_id == target.id)).scalar_one() == "Riverside,\r\nunder the bridge"


def test_import_replaces_the_seeded_projects_of_a_trainee_workspace_without_clients(good_set, sandbox_session, clock):
    path, _ = good_set
    ws = services.workspace_for_user(sandbox_session, 77, now=clock.now)
    seeded = {p.ProjectID for p in services.projects(sandbox_session, ws.id)}
    assert seeded
    import_directory(sandbox_session, ws.id, path, now=clock.now)
    imported = {r[0] for r in _rows_of(path / "Project.csv")[1:]}
    assert {p.ProjectID for p in services.projects(sandbox_session, ws.id)} == imported
    assert not seeded & imported


def test_refused_set_leaves_a_trainee_workspace_as_it_was(good_set, sandbox_session, clock):
    path, _ = good_set
    ws = services.workspace_for_user(sandbox_session, 78, now=clock.now)
    seeded = {p.ProjectID for p in services.projects(sandbox_session, ws.id)}
    (path / "Enrollment.csv").unlink()
    with pytest.raises(ImportRefused):
        import_directory(sandbox_session, ws.id, path, now=clock.now)
    assert {p.ProjectID for p in services.projects(sandbox_session, ws.id)} == seeded


def test_import_into_a_workspace_with_clients_is_refused_before_reading_the_set(filled_workspace, sandbox_session,
                                                                                clock, tmp_path):
    from sandbox.csv.importer import WorkspaceNotEmpty

    before = sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one()
    with pytest.raises(WorkspaceNotEmpty) as info:
        import_directory(sandbox_session, filled_workspace.id, tmp_path / "nothing-here", now=clock.now)
    assert info.value.report_lines() == [("Import goes into an empty workspace: this one holds 3 client(s). "
                                          "Reset it first, or import into a new workspace.")]
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == before


def test_an_amount_without_cents_imports_and_exports_with_cents(good_set, sandbox_session, clock, tmp_path):
    path, target = good_set
    row = next(i for i, r in enumerate(_rows_of(path / "IncomeBenefits.csv")[1:]) if r[
        _rows_of(path / "IncomeBenefits.csv")[0].index("SSI")] == "1")
    _edit(path, "IncomeBenefits.csv", "SSIAmount", "943", row=row)
    import_directory(sandbox_session, target.id, path, now=clock.now)
    export_workspace(sandbox_session, target.id, tmp_path / "again", now=clock.now)
    with (tmp_path / "again" / "IncomeBenefits.csv").open(newline="") as fh:
        assert any(r["SSIAmount"] == "943.00" for r in csv.DictReader(fh))


def test_export_of_a_missing_workspace_is_not_found(sandbox_session, clock, tmp_path):
    from lms.core.errors import NotFound

    with pytest.raises(NotFound):
        export_workspace(sandbox_session, 987654, tmp_path / "out", now=clock.now)
    assert not (tmp_path / "out").exists()


def test_export_period_runs_from_the_first_project_start_to_the_export_date(filled_workspace, sandbox_session, clock,
                                                                            tmp_path):
    export_workspace(sandbox_session, filled_workspace.id, tmp_path, now=clock.now)
    with (tmp_path / "Export.csv").open(newline="") as fh:
        export = next(csv.DictReader(fh))
    assert (export["ExportStartDate"], export["ExportEndDate"]) == ("2026-10-01", "2026-11-02")
    assert (export["ExportPeriodType"], export["ExportDirective"], export["HashStatus"]) == ("4", "2", "1")
    assert export["SoftwareName"] and export["ImplementationID"] and len(export["ExportID"]) <= 32


def test_export_of_an_empty_workspace_writes_headers_and_a_one_day_period(sandbox_session, clock, tmp_path):
    ws = services.create_workspace(sandbox_session, "user:55", user_label="t55", now=clock.now, seed=False)
    counts = export_workspace(sandbox_session, ws.id, tmp_path, now=clock.now)
    # Export.csv, and User.csv naming the workspace's user (UserID of every record it makes).
    assert counts == {name: (1 if name in ("Export.csv", "User.csv") else 0) for name in FILES}
    assert (tmp_path / "Client.csv").read_bytes().count(b"\r\n") == 1
    with (tmp_path / "Export.csv").open(newline="") as fh:
        export = next(csv.DictReader(fh))
    assert export["ExportStartDate"] == export["ExportEndDate"] == "2026-11-02"


def test_a_byte_order_mark_and_bare_line_feeds_are_accepted(good_set, sandbox_session, clock):
    """Files saved by a spreadsheet (UTF-8 with a BOM) or on Unix (LF line ends) still import."""
    path, target = good_set
    client = path / "Client.csv"
    client.write_bytes(b"\xef\xbb\xbf" + client.read_bytes())
    enrollment = path / "Enrollment.csv"
    enrollment.write_bytes(enrollment.read_bytes().replace(b"\r\n", b"\n"))
    counts = import_directory(sandbox_session, target.id, path, now=clock.now)
    assert counts["Client.csv"] == 3 and counts["Enrollment.csv"] == 3


def test_a_field_too_large_for_csv_is_reported_on_its_line(good_set, sandbox_session, clock):
    path, target = good_set
    # Short physical lines (a quoted value may hold line breaks) adding up to a field over csv's own limit.
    _edit(path, "Client.csv", "AdditionalRaceEthnicity", ("y" * 50_000 + "\n") * 4, row=1)
    report = _refused(sandbox_session, target, path, clock)
    assert report.startswith("Client.csv, line ") and "is not valid CSV (field larger than field limit" in report


def test_a_line_longer_than_the_bound_is_refused_naming_file_and_line(good_set, sandbox_session, clock):
    path, target = good_set
    _edit(path, "Client.csv", "AdditionalRaceEthnicity", "y" * (MAX_LINE_BYTES + 1), row=1)
    report = _refused(sandbox_session, target, path, clock)
    assert report == (f"Client.csv, line 3: the line is longer than {MAX_LINE_BYTES} bytes, more than any HUD row "
                      "holds (is this the right file?)")


@contextlib.contextmanager
def _deadline(seconds):
    """Fail, rather than hang the suite, when the import does not return (a FIFO blocks, /dev/zero never ends)."""

    def expired(signum, frame):
        raise TimeoutError(f"the import did not return within {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _replace_client_csv(path, make):
    (path / "Client.csv").unlink()
    make(path / "Client.csv")


@pytest.mark.parametrize("make, message", [
    (os.mkfifo, "Client.csv: is a named pipe (FIFO), not a regular file"),
    (lambda p: os.symlink("/dev/zero", p), "Client.csv: is a symbolic link to a device, not to a regular file"),
    (lambda p: p.mkdir(), "Client.csv: is a directory, not a regular file"),
    (lambda p: os.symlink(p.parent / "nowhere.csv", p), "Client.csv: is a symbolic link to nothing"),
])
def test_a_client_csv_that_is_not_a_regular_file_is_refused_without_reading_it(good_set, sandbox_session, clock,
                                                                                make, message):
    path, target = good_set
    _replace_client_csv(path, make)
    with _deadline(20):
        report = _refused(sandbox_session, target, path, clock)
    assert report.startswith(message)


def test_a_symlink_to_a_regular_file_is_read(good_set, sandbox_session, clock, tmp_path):
    path, target = good_set
    (path / "Client.csv").rename(tmp_path / "elsewhere.csv")
    os.symlink(tmp_path / "elsewhere.csv", path / "Client.csv")
    assert import_directory(sandbox_session, target.id, path, now=clock.now)["Client.csv"] == 3


def test_export_writes_early_years_zero_padded(filled_workspace, sandbox_session, clock, tmp_path):
    from datetime import date, datetime

    import lms.hud as hud
    from sandbox.csv.export import format_value

    columns = {c.name: c for c in hud.columns("Client.csv")}
    assert format_value(date(1, 1, 1), columns["DOB"]) == "0001-01-01"
    assert format_value(datetime(5, 6, 7, 8, 9, 10), columns["DateCreated"]) == "0005-06-07 08:09:10"
    client = sandbox_session.execute(sa.select(Client).where(Client.workspace_id == filled_workspace.id)
                                     ).scalars().first()
    client.DOB = date(1, 1, 1)  # as data entered before the pages refused such dates
    sandbox_session.flush()
    export_workspace(sandbox_session, filled_workspace.id, tmp_path / "set", now=clock.now)
    empty = services.create_workspace(sandbox_session, "user:3", user_label="trainee3", now=clock.now, seed=False)
    assert import_directory(sandbox_session, empty.id, tmp_path / "set", now=clock.now)["Client.csv"] == 3


_TYPED = st.text(st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ["Ana\x00", "\x01", "Zo\u00eb\u200b", "\ufeffAna", "a\r\nb", "x" * 51, " "])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_TYPED, last=_TYPED, detail=_TYPED, record_id=st.none() | st.text(max_size=40) | st.just("Z" * 33),
       dob=st.none() | st.dates(max_value=date(2026, 11, 2)))
def test_whatever_a_client_form_accepts_exports_and_imports_again(sandbox_session, clock, tmp_path_factory, first,
                                                                   last, detail, record_id, dob):
    """The property the pages need: if saving accepts it, HUD's CSV carries it there and back unchanged."""
    sdb, now = sandbox_session, clock.now
    with sdb.begin_nested() as savepoint:
        ws = services.create_workspace(sdb, f"prop:{uuid.uuid4().hex}", user_label="prop", now=now, seed=False)
        try:
            services.save_client(sdb, ws, {"FirstName": first, "LastName": last, "AdditionalRaceEthnicity": detail,
                                           "NameDataQuality": 2, "SSNDataQuality": 99, "DOB": dob,
                                           "DOBDataQuality": 2 if dob else 99, "RaceNone": 99}, now=now,
                                record_id=record_id)
        except ValidationFailed:
            savepoint.rollback()
            return
        first_set, second_set = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
        export_workspace(sdb, ws.id, first_set, now=now, export_id="PROP")
        again = services.create_workspace(sdb, f"prop:{uuid.uuid4().hex}", user_label="prop", now=now, seed=False)
        try:
            import_directory(sdb, again.id, first_set, now=now)
        except ImportRefused as exc:
            pytest.fail("\n".join(exc.report_lines()))
        export_workspace(sdb, again.id, second_set, now=now, export_id="PROP")
        assert (second_set / "Client.csv").read_bytes() == (first_set / "Client.csv").read_bytes()
        savepoint.rollback()
