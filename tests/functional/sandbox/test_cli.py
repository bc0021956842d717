"""``flask --app wsgi sandbox reset | reset-workspace | export | import``."""

from datetime import date

import sqlalchemy as sa

from lms.core.audit import AuditEvent
from sandbox import services
from sandbox.models import Client


def _workspace_with_client(sdb, clock, ref_user=5):
    ws = services.workspace_for_user(sdb, ref_user, now=clock.now)
    services.save_client(sdb, ws, {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSNDataQuality": 99,
                                   "DOB": date(1980, 1, 1), "DOBDataQuality": 1, "White": 1}, now=clock.now)
    sdb.commit()
    return ws


def test_reset_workspace_asks_to_confirm_and_is_audited(runner, sandbox_session, db_session, clock):
    ws = _workspace_with_client(sandbox_session, clock)
    refused = runner.invoke(args=["sandbox", "reset-workspace", ws.ref], input="n\n")
    assert refused.exit_code != 0
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 1
    done = runner.invoke(args=["sandbox", "reset-workspace", ws.ref], input="y\n")
    assert done.exit_code == 0, done.output
    sandbox_session.expire_all()
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0
    assert db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "sandbox.workspace_reset")).scalar_one()


def test_reset_workspace_of_unknown_ref_says_so(runner):
    result = runner.invoke(args=["sandbox", "reset-workspace", "user:404", "--yes"])
    assert result.exit_code != 0 and "no sandbox workspace" in result.output


def test_export_then_import_through_the_command_line(runner, sandbox_session, clock, tmp_path):
    ws = _workspace_with_client(sandbox_session, clock)
    out = runner.invoke(args=["sandbox", "export", ws.ref, str(tmp_path / "set")])
    assert out.exit_code == 0, out.output
    assert "Client.csv" in out.output and (tmp_path / "set" / "Enrollment.csv").exists()
    result = runner.invoke(args=["sandbox", "import", "scenario:1", str(tmp_path / "set"), "--create"])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.output and "Imported into workspace scenario:1" in result.output
    target = services.get_workspace(sandbox_session, "scenario:1")
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id)).where(Client.workspace_id == target.id)
                                   ).scalar_one() == 1


def test_import_of_an_unusable_set_prints_every_problem_and_fails(runner, sandbox_session, clock, tmp_path):
    ws = _workspace_with_client(sandbox_session, clock)
    runner.invoke(args=["sandbox", "export", ws.ref, str(tmp_path / "set")])
    (tmp_path / "set" / "Client.csv").unlink()  # without clients a set is no use (a missing Exit.csv only warns)
    (tmp_path / "set" / "Enrollment.csv").write_text("not,hmis\r\n")
    result = runner.invoke(args=["sandbox", "import", "scenario:2", str(tmp_path / "set"), "--create"])
    assert result.exit_code == 1
    assert "Client.csv: the file is missing" in result.output and "nothing was imported" in result.output
    assert "Enrollment.csv, line 1, EnrollmentID" in result.output


def test_reset_all_rebuilds_the_database(committed_app, clock):
    from sandbox.db import get_sandbox_database

    runner = committed_app.test_cli_runner()
    database = get_sandbox_database(committed_app)
    with database.session() as sdb:
        _workspace_with_client(sdb, clock)
    result = runner.invoke(args=["sandbox", "reset", "--yes"])
    assert result.exit_code == 0, result.output
    with database.session() as sdb:
        assert sdb.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0


def test_export_to_an_unwritable_place_says_so(runner, sandbox_session, clock, tmp_path):
    ws = _workspace_with_client(sandbox_session, clock)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(args=["sandbox", "export", ws.ref, str(blocker / "set")])
    assert result.exit_code == 1 and "Cannot write the files" in result.output
