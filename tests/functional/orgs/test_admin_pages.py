"""CoC, agency and project administration: list, search, pages, create, edit, (de)activate, refuse."""

from datetime import date

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.roles import Role
from lms.orgs.models import Agency, Coc, Project


@pytest.fixture
def admin_client(app, make_user, login):
    client = app.test_client()
    login(client, make_user(roles=[Role.SYSADMIN]))
    return client


def _actions(db_session):
    return [a for a in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars()]


def test_create_coc_then_edit_it_and_both_are_audited(admin_client, db_session):
    resp = admin_client.post("/admin/cocs/new", data={"code": "mo-604", "name": "Kansas City CoC"})
    assert resp.status_code == 303
    coc = db_session.execute(sa.select(Coc).where(Coc.code == "MO-604")).scalar_one()
    resp = admin_client.post(f"/admin/cocs/{coc.id}/edit", data={"code": "MO-604", "name": "Kansas City, MO CoC"})
    assert resp.status_code == 303
    db_session.refresh(coc)
    assert coc.name == "Kansas City, MO CoC"
    assert {"orgs.coc_created", "orgs.coc_changed"} <= set(_actions(db_session))


@pytest.mark.parametrize("data,message", [
    ({"code": "MO606", "name": "X"}, "two letters, a dash"),
    ({"code": "", "name": "X"}, "Enter the CoC code"),
    ({"code": "MO-606", "name": ""}, "Enter the CoC&#39;s name"),
])
def test_create_coc_with_bad_input_shows_the_problem(admin_client, data, message):
    resp = admin_client.post("/admin/cocs/new", data=data)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)


def test_duplicate_coc_code_is_refused(admin_client, make_coc):
    make_coc(code="MO-606")
    resp = admin_client.post("/admin/cocs/new", data={"code": "MO-606", "name": "Again"})
    assert resp.status_code == 400 and "already a CoC with the code MO-606" in resp.get_data(as_text=True)


def test_agency_renewal_defaults_to_a_year_after_signing_and_overdue_is_shown(admin_client, make_coc, db_session):
    coc = make_coc()
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": coc.id, "name": "Harbor House",
                                                          "apa_signed_on": "2025-10-01"})
    assert resp.status_code == 303
    agency = db_session.execute(sa.select(Agency).where(Agency.name == "Harbor House")).scalar_one()
    assert agency.apa_renewal_due == date(2026, 10, 1)
    assert "APA renewal overdue" in admin_client.get("/admin/agencies").get_data(as_text=True)


def test_agency_with_bad_dates_or_unknown_coc_is_refused(admin_client, make_coc):
    coc = make_coc()
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": coc.id, "name": "A", "apa_signed_on": "2030-01-01"})
    assert resp.status_code == 400 and "future" in resp.get_data(as_text=True)
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": coc.id, "name": "A", "apa_signed_on": "yesterday"})
    assert resp.status_code == 400
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": 99999, "name": "A"})
    assert resp.status_code == 400 and "Not a valid choice" in resp.get_data(as_text=True)


def test_project_type_is_a_hud_code(admin_client, make_agency, db_session):
    agency = make_agency()
    resp = admin_client.post("/admin/projects/new", data={"agency_id": agency.id, "name": "Night Shelter",
                                                          "project_type": "1"})
    assert resp.status_code == 303
    project = db_session.execute(sa.select(Project).where(Project.name == "Night Shelter")).scalar_one()
    assert project.project_type == 1
    assert admin_client.post("/admin/projects/new", data={"agency_id": agency.id, "name": "Bad",
                                                          "project_type": "5"}).status_code == 400
    # ES entry/exit is code 0: a falsy value that must still be accepted.
    assert admin_client.post("/admin/projects/new", data={"agency_id": agency.id, "name": "ES",
                                                          "project_type": "0"}).status_code == 303


def test_deactivate_and_reactivate_keep_the_record_and_audit(admin_client, make_project, db_session):
    project = make_project()
    assert admin_client.post(f"/admin/projects/{project.id}/active", data={"active": "0"}).status_code == 303
    db_session.refresh(project)
    assert project.is_active is False
    admin_client.get("/admin/projects")  # shows (and so clears) the flash message
    assert f"<td>{project.name}</td>" not in admin_client.get("/admin/projects").get_data(as_text=True)
    assert f"<td>{project.name}</td>" in admin_client.get("/admin/projects?status=inactive").get_data(as_text=True)
    admin_client.post(f"/admin/projects/{project.id}/active", data={"active": "1"})
    db_session.refresh(project)
    assert project.is_active is True
    assert {"orgs.project_deactivated", "orgs.project_reactivated"} <= set(_actions(db_session))


def test_set_active_with_bad_value_changes_nothing(admin_client, make_coc, db_session):
    coc = make_coc()
    admin_client.post(f"/admin/cocs/{coc.id}/active", data={"active": "maybe"})
    db_session.refresh(coc)
    assert coc.is_active is True


def test_unknown_ids_are_404(admin_client):
    assert admin_client.get("/admin/cocs/999999/edit").status_code == 404
    assert admin_client.post("/admin/agencies/999999/active", data={"active": "0"}).status_code == 404
    assert admin_client.get("/admin/projects/999999/edit").status_code == 404


def test_lists_search_and_paginate(admin_client, make_coc, make_agency):
    coc = make_coc()
    for i in range(30):
        make_agency(coc=coc, name=f"Shelter Agency {i:02d}")
    make_agency(coc=coc, name="Food Pantry")
    page1 = admin_client.get("/admin/agencies?q=shelter").get_data(as_text=True)
    assert "30 agencies found" in page1 and "Food Pantry" not in page1 and "Page 1 of 2" in page1
    page2 = admin_client.get("/admin/agencies?q=shelter&page=2").get_data(as_text=True)
    assert "Shelter Agency 29" in page2
    assert admin_client.get("/admin/agencies?page=banana&coc=x").status_code == 200


def test_hmis_manager_reads_only_their_cocs_agencies_and_cannot_edit(app, make_user, make_agency, make_coc, login):
    mine, theirs = make_coc(), make_coc()
    make_agency(coc=mine, name="Mine Agency")
    make_agency(coc=theirs, name="Their Agency")
    client = app.test_client()
    login(client, make_user(roles=[Role.HMIS_MANAGER], coc=mine))
    html = client.get("/admin/agencies").get_data(as_text=True)
    assert "Mine Agency" in html and "Their Agency" not in html
    assert client.get("/admin/agencies/new").status_code == 403
    assert client.get("/admin/cocs").status_code == 403


def test_end_user_and_agency_rep_are_refused(app, make_user, make_agency, login):
    agency = make_agency()
    for role in (Role.END_USER, Role.AGENCY_REP, Role.HELPDESK):
        client = app.test_client()
        login(client, make_user(roles=[role], agency=agency))
        assert client.get("/admin/agencies").status_code == 403
        assert client.post(f"/admin/agencies/{agency.id}/active", data={"active": "0"}).status_code == 403
