"""The administrators' page of imports: each run's summary by file and severity and its findings."""

from datetime import datetime, timezone

import pytest

from lms.core.roles import Role
from sandbox.csv.importer import WARN, record_run
from sandbox.csv.importer.findings import Findings


@pytest.fixture
def run_id(sandbox_session, tmp_path):
    findings = Findings(tmp_path / "report.csv")
    findings.add(WARN, "Client.csv", 2, "Sex", "4", "4 is not one of HUD's codes (Sex); kept")
    findings.add("skip", "Enrollment.csv", 3, "ProjectID", "nope", "skipped: ProjectID nope is not in Project.csv")
    findings.close()
    run = record_run(sandbox_session, workspace_ref="scenario:x", source=str(tmp_path / "set"),
                     now=datetime(2026, 11, 2, 15, tzinfo=timezone.utc), findings=findings, rows=12,
                     outcome="imported")
    sandbox_session.commit()
    return run.id


def test_an_administrator_sees_each_import_and_its_findings(app, make_user, login, run_id, tmp_path):
    admin = app.test_client()
    login(admin, make_user(roles=[Role.SYSADMIN]))
    listing = admin.get("/sandbox/admin/imports").get_data(as_text=True)
    assert "scenario:x" in listing and f"?run={run_id}" in listing
    page = admin.get(f"/sandbox/admin/imports?run={run_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("Client.csv", "Sex", "4 is not one of HUD&#39;s codes (Sex); kept", "Enrollment.csv", "nope",
                 str(tmp_path / "report.csv"), "Rows kept: 12; refused: 0, skipped: 1, warnings: 1"):
        assert text in html, text


@pytest.mark.parametrize("run", ["999999", "abc", "-1", "١"])
def test_an_unknown_or_unreadable_import_number_lists_the_imports(app, make_user, login, run_id, run):
    admin = app.test_client()
    login(admin, make_user(roles=[Role.SYSADMIN]))
    resp = admin.get(f"/sandbox/admin/imports?run={run}")
    assert resp.status_code in (200, 404) and "scenario:x" in resp.get_data(as_text=True)


def test_a_trainee_cannot_see_the_imports(app, make_user, login, run_id):
    trainee = app.test_client()
    login(trainee, make_user(roles=[Role.END_USER]))
    assert trainee.get(f"/sandbox/admin/imports?run={run_id}").status_code in (403, 404)
