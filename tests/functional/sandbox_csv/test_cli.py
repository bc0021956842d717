"""``flask --app wsgi sandbox export WORKSPACE DIR`` and ``sandbox import WORKSPACE DIR`` end to end."""

import csv
from datetime import date

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.errors import NotFound
from sandbox import services
from sandbox.models import Client, Project


def _trainee_workspace(sdb, clock, user_id):
    ws = services.workspace_for_user(sdb, user_id, now=clock.now)
    client = services.save_client(sdb, ws, {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1,
                                            "SSNDataQuality": 99, "DOB": date(1980, 1, 1), "DOBDataQuality": 1,
                                            "White": 1}, now=clock.now)
    sdb.commit()
    return ws, client


def test_import_by_workspace_number_into_a_trainees_fresh_workspace(runner, sandbox_session, db_session, clock,
                                                                    tmp_path):
    source, client = _trainee_workspace(sandbox_session, clock, 31)
    exported = runner.invoke(args=["sandbox", "export", str(source.id), str(tmp_path / "set")])
    assert exported.exit_code == 0, exported.output
    fresh = services.workspace_for_user(sandbox_session, 32, now=clock.now)  # seeded projects, no clients
    sandbox_session.commit()
    result = runner.invoke(args=["sandbox", "import", str(fresh.id), str(tmp_path / "set")])
    assert result.exit_code == 0, result.output
    assert "Client.csv" in result.output and f"Imported into workspace {fresh.ref}" in result.output
    sandbox_session.expire_all()
    assert sandbox_session.execute(sa.select(Client.PersonalID).where(Client.workspace_id == fresh.id)
                                   ).scalars().all() == [client.PersonalID]
    with (tmp_path / "set" / "Project.csv").open(newline="") as fh:
        projects = {r["ProjectID"] for r in csv.DictReader(fh)}
    assert set(sandbox_session.execute(sa.select(Project.ProjectID).where(Project.workspace_id == fresh.id)
                                       ).scalars()) == projects
    event = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "sandbox.imported")).scalar_one()
    assert event.details["workspace"] == fresh.ref


def test_import_into_a_workspace_with_clients_fails_cleanly_and_changes_nothing(runner, sandbox_session, clock,
                                                                              tmp_path):
    source, _ = _trainee_workspace(sandbox_session, clock, 33)
    runner.invoke(args=["sandbox", "export", source.ref, str(tmp_path / "set")])
    result = runner.invoke(args=["sandbox", "import", source.ref, str(tmp_path / "set")])
    assert result.exit_code == 1
    assert "Import goes into an empty workspace: this one holds 1 client(s)" in result.output
    assert "Traceback" not in result.output
    sandbox_session.expire_all()
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id)).where(Client.workspace_id == source.id)
                                   ).scalar_one() == 1


def test_import_keeps_and_reports_deviations_with_a_summary_by_file_and_severity(runner, sandbox_session, clock,
                                                                                  tmp_path):
    from sandbox.models import ImportFinding, ImportRun

    source, _ = _trainee_workspace(sandbox_session, clock, 34)
    runner.invoke(args=["sandbox", "export", source.ref, str(tmp_path / "set")])
    path = tmp_path / "set" / "Client.csv"
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("DOB")] = "01/01/1980"
    rows[1][rows[0].index("Sex")] = "7"
    with path.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    result = runner.invoke(args=["sandbox", "import", "scenario:warned", str(tmp_path / "set"), "--create",
                                 "--report", str(tmp_path / "report.csv")])
    assert result.exit_code == 0, result.output
    assert "Client.csv" in result.output and "warned" in result.output
    with (tmp_path / "report.csv").open(newline="") as fh:
        report = list(csv.DictReader(fh))
    assert {(r["file"], r["line"], r["column"], r["value"], r["severity"]) for r in report} >= {
        ("Client.csv", "2", "DOB", "01/01/1980", "warn"), ("Client.csv", "2", "Sex", "7", "warn")}
    run = sandbox_session.execute(sa.select(ImportRun).where(ImportRun.workspace_ref == "scenario:warned")
                                  ).scalar_one()
    assert run.outcome == "imported" and run.warned >= 2 and run.report_path == str(tmp_path / "report.csv")
    assert sandbox_session.execute(sa.select(sa.func.count(ImportFinding.id)).where(ImportFinding.run_id == run.id)
                                   ).scalar_one() == run.warned


def test_a_refused_import_prints_why_rolls_back_and_keeps_its_report(runner, sandbox_session, clock, tmp_path):
    from sandbox.models import ImportRun

    source, _ = _trainee_workspace(sandbox_session, clock, 35)
    runner.invoke(args=["sandbox", "export", source.ref, str(tmp_path / "set")])
    (tmp_path / "set" / "Enrollment.csv").unlink()
    result = runner.invoke(args=["sandbox", "import", "scenario:bad", str(tmp_path / "set"), "--create"])
    assert result.exit_code == 1
    assert "Enrollment.csv: the file is missing from the set" in result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output
    with pytest.raises(NotFound):  # even the workspace --create made is rolled back
        services.get_workspace(sandbox_session, "scenario:bad")
    run = sandbox_session.execute(sa.select(ImportRun).where(ImportRun.workspace_ref == "scenario:bad")
                                  ).scalar_one()
    assert run.outcome == "refused" and run.refused == 1


def test_import_into_an_unknown_workspace_without_create_says_how(runner, tmp_path):
    result = runner.invoke(args=["sandbox", "import", "scenario:none", str(tmp_path)])
    assert result.exit_code == 1 and "use --create" in result.output


def test_export_of_an_unknown_workspace_fails_with_a_message(runner, tmp_path):
    result = runner.invoke(args=["sandbox", "export", "user:40404", str(tmp_path / "out")])
    assert result.exit_code == 1 and "no sandbox workspace" in result.output
    assert not (tmp_path / "out").exists()


def test_import_of_a_set_whose_client_csv_is_a_fifo_fails_with_a_message_at_once(runner, sandbox_session, clock,
                                                                                 tmp_path):
    import os
    import signal

    source, _ = _trainee_workspace(sandbox_session, clock, 35)
    runner.invoke(args=["sandbox", "export", source.ref, str(tmp_path / "set")])
    (tmp_path / "set" / "Client.csv").unlink()
    os.mkfifo(tmp_path / "set" / "Client.csv")

    def hung(signum, frame):
        raise TimeoutError("the import waited on the named pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)  # a hang fails the test instead of the suite
    try:
        result = runner.invoke(args=["sandbox", "import", "scenario:fifo", str(tmp_path / "set"), "--create"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exit_code == 1, result.output
    assert "Client.csv: is a named pipe (FIFO), not a regular file" in result.output


@pytest.mark.parametrize("ref", ["bad\x00ref", "x" * 65, " padded"])
def test_import_create_with_an_unusable_workspace_reference_fails_with_a_message(runner, tmp_path, ref):
    result = runner.invoke(args=["sandbox", "import", ref, str(tmp_path), "--create"])
    assert result.exit_code == 1 and "A workspace reference is 1 to 64 printable characters" in result.output
