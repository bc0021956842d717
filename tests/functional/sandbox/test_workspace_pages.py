"""A trainee's sandbox workspace: made on first visit, exported, reset, private and never cached."""

import sqlalchemy as sa

from sandbox.models import Client
from tests.functional.sandbox.conftest import ENTRY, location_id
from tests.functional.sandbox.pages import offered_project_id


def test_first_visit_to_any_page_keeps_the_new_workspace(trainee_client, sandbox_session):
    from sandbox.models import Project, Workspace

    trainee_client.get("/sandbox/quality")
    trainee_client.get("/sandbox/reset")
    assert sandbox_session.execute(sa.select(sa.func.count(Workspace.id))).scalar_one() == 1
    first = set(sandbox_session.execute(sa.select(Project.ProjectID)).scalars())
    trainee_client.get("/sandbox/")
    assert set(sandbox_session.execute(sa.select(Project.ProjectID)).scalars()) == first


def test_export_download_is_a_zip_of_every_hmis_csv_file(trainee_client, make_sandbox_client):
    import io
    import zipfile

    make_sandbox_client(trainee_client)
    resp = trainee_client.get("/sandbox/export.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(resp.data)).namelist())
    assert {"Export.csv", "Client.csv", "Enrollment.csv", "ProjectCoC.csv", "User.csv", "Services.csv"} <= names
    assert len(names) == 24


def test_reset_my_workspace_needs_confirmation_and_is_audited(trainee_client, make_sandbox_client, sandbox_session,
                                                               db_session):
    from lms.core.audit import AuditEvent

    make_sandbox_client(trainee_client)
    assert trainee_client.post("/sandbox/reset", data={"confirm": "yes"}).status_code == 400
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 1
    assert trainee_client.post("/sandbox/reset", data={"confirm": "RESET"}).status_code == 303
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0
    assert db_session.execute(sa.select(AuditEvent.action).where(
        AuditEvent.action == "sandbox.workspace_reset")).scalar_one()


def test_an_administrator_empties_a_workspace_only_after_typing_reset(app, trainee_client, make_sandbox_client,
                                                                      sandbox_session, make_user, login):
    from lms.core.roles import Role
    from sandbox.models import Workspace

    make_sandbox_client(trainee_client)
    ref = sandbox_session.execute(sa.select(Workspace.ref)).scalar_one()
    admin = app.test_client()
    login(admin, make_user(roles=[Role.LEAD_ADMIN]))
    resp = admin.post("/sandbox/admin/workspaces", data={"workspace": ref, "confirm": "reset"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'data-testid="reset-refused"' in page
    assert "Not emptied: type RESET in the box to confirm." in page and 'aria-invalid="true"' in page
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 1
    assert admin.post("/sandbox/admin/workspaces", data={"workspace": "no-such", "confirm": "RESET"}).status_code == 404
    resp = admin.post("/sandbox/admin/workspaces", data={"workspace": ref, "confirm": "RESET"})
    assert resp.status_code == 303
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0


def test_another_trainee_gets_404_for_my_client_enrollment_and_pages(app, trainee_client, make_sandbox_client,
                                                                     make_user, login):
    from lms.core.roles import Role

    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    other = app.test_client()
    login(other, make_user(roles=[Role.END_USER]))
    for url in (f"/sandbox/clients/{personal_id}", f"/sandbox/clients/{personal_id}/edit",
                f"/sandbox/clients/{personal_id}/enroll", f"/sandbox/enrollments/{enrollment_id}",
                f"/sandbox/enrollments/{enrollment_id}/assessment/1", f"/sandbox/enrollments/{enrollment_id}/exit"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "1", "signed_on": "2026-10-15",
                                                                   "documentation": "signed"}).status_code == 404
    # Their search and export never show my client.
    assert "Maria Lopez" not in other.get("/sandbox/?first_name=maria").get_data(as_text=True)
    assert "Maria Lopez" not in other.get("/sandbox/").get_data(as_text=True)
    import io
    import zipfile

    zf = zipfile.ZipFile(io.BytesIO(other.get("/sandbox/export.zip").data))
    assert personal_id not in zf.read("Client.csv").decode()


def test_sandbox_pages_and_the_export_download_are_never_cached(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    for url in ("/sandbox/export.zip", "/sandbox/", "/sandbox/quality"):
        assert trainee_client.get(url).headers["Cache-Control"] == "no-store", url
