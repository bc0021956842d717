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
    assert admin_client.post(f"/admin/projects/{project.id}/active", data={"active": "0", "confirm": "yes"}
                             ).status_code == 303
    db_session.refresh(project)
    assert project.is_active is False
    admin_client.get("/admin/projects")  # shows (and so clears) the flash message
    assert f">{project.name}</th>" not in admin_client.get("/admin/projects").get_data(as_text=True)
    assert f">{project.name}</th>" in admin_client.get("/admin/projects?status=inactive").get_data(as_text=True)
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


def test_deactivate_coc_page_says_what_it_affects(admin_client, make_coc, make_agency, make_project, db_session):
    coc = make_coc(code="MO-777")
    agency = make_agency(coc=coc)
    make_project(agency=agency), make_project(agency=agency), make_project(agency=make_agency(coc=coc))
    closed = make_agency(coc=coc)
    closed.is_active = False
    db_session.commit()
    html = admin_client.get(f"/admin/cocs/{coc.id}/deactivate").get_data(as_text=True)
    assert "Deactivate the CoC MO-777" in html
    assert "2 active agencies and 3 active projects" in html and 'name="confirm" value="yes"' in html
    html = admin_client.get(f"/admin/agencies/{agency.id}/deactivate").get_data(as_text=True)
    assert "2 active projects" in html and "memberships and roles" in html
    db_session.refresh(coc)
    assert coc.is_active is True


@pytest.mark.parametrize("kind", ["cocs", "agencies", "projects"])
def test_deactivate_post_without_confirmation_changes_nothing(admin_client, make_project, db_session, kind):
    project = make_project()
    obj = {"cocs": project.agency.coc, "agencies": project.agency, "projects": project}[kind]
    resp = admin_client.post(f"/admin/{kind}/{obj.id}/active", data={"active": "0"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/admin/{kind}/{obj.id}/deactivate")
    db_session.refresh(obj)
    assert obj.is_active is True and not [a for a in _actions(db_session) if a.endswith("_deactivated")]
    resp = admin_client.post(f"/admin/{kind}/{obj.id}/active", data={"active": "0", "confirm": "yes"})
    db_session.refresh(obj)
    assert resp.status_code == 303 and obj.is_active is False


def test_deactivate_page_of_an_inactive_project_offers_nothing(admin_client, make_project, db_session):
    project = make_project()
    project.is_active = False
    db_session.commit()
    html = admin_client.get(f"/admin/projects/{project.id}/deactivate").get_data(as_text=True)
    assert "already inactive" in html and 'name="confirm"' not in html
    assert admin_client.get("/admin/projects/999999/deactivate").status_code == 404


def test_second_agency_named_in_full_width_letters_is_400_beside_the_name(admin_client, make_agency, db_session):
    agency = make_agency(name="abc123")
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": agency.coc_id, "name": "ＡＢＣ１２３"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'id="name-error"' in html and "already has an agency called abc123" in html
    assert db_session.execute(sa.select(sa.func.count()).select_from(Agency)).scalar_one() == 1


def test_second_project_named_in_full_width_letters_is_400(admin_client, make_project):
    project = make_project(name="abc123")
    resp = admin_client.post("/admin/projects/new", data={"agency_id": project.agency_id, "name": "ＡＢＣ１２３",
                                                          "project_type": "0"})
    assert resp.status_code == 400 and "already has a project called abc123" in resp.get_data(as_text=True)
