"""CoC, agency and project admin pages: access, changes, audit rows, search, pagination, bad input."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lms.accounts.roles import Role
from lms.core.audit import AuditEvent
from lms.orgs.models import Agency, Coc, Project


def _audits(db_session, action):
    return db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


@pytest.fixture
def admin_client(client, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    return client


@pytest.mark.parametrize("role", [Role.END_USER, Role.HELPDESK, Role.AGENCY_REP])
@pytest.mark.parametrize("url", ["/admin/cocs", "/admin/cocs/new", "/admin/agencies", "/admin/agencies/new",
                                 "/admin/projects", "/admin/projects/new"])
def test_org_pages_other_roles_refused_403(client, make_user, make_agency, login, role, url):
    login(client, make_user(roles=[role], agency=make_agency()))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.LEAD_ADMIN])
def test_org_lists_admin_roles_allowed(client, make_user, make_project, login, role):
    project = make_project()
    login(client, make_user(roles=[role]))
    for url in ("/admin/cocs", "/admin/agencies", "/admin/projects"):
        resp = client.get(url)
        assert resp.status_code == 200
    assert project.name in client.get("/admin/projects").get_data(as_text=True)


def test_create_coc_valid_saves_and_audits(admin_client, db_session):
    resp = admin_client.post("/admin/cocs/new", data={"code": "mo-777", "name": "Testing CoC"})
    assert resp.status_code == 303
    coc = db_session.execute(sa.select(Coc).where(Coc.code == "MO-777")).scalar_one()
    assert coc.name == "Testing CoC"
    assert [e.target_id for e in _audits(db_session, "orgs.coc_created")] == [str(coc.id)]


def test_create_coc_duplicate_code_refused_with_message(admin_client, make_coc, db_session):
    make_coc(code="MO-606")
    resp = admin_client.post("/admin/cocs/new", data={"code": "MO-606", "name": "Again"})
    assert resp.status_code == 400
    assert "already a CoC with the code MO-606" in resp.get_data(as_text=True)
    assert db_session.execute(sa.select(sa.func.count()).select_from(Coc).where(Coc.code == "MO-606")).scalar() == 1


def test_create_coc_bad_code_shows_form_error(admin_client):
    resp = admin_client.post("/admin/cocs/new", data={"code": "606", "name": "X"})
    assert resp.status_code == 400
    assert "must look like MO-606" in resp.get_data(as_text=True)


def test_edit_coc_changes_name_and_audits(admin_client, make_coc, db_session):
    coc = make_coc()
    resp = admin_client.post(f"/admin/cocs/{coc.id}", data={"code": coc.code, "name": "Renamed CoC"})
    assert resp.status_code == 303
    db_session.expire_all()
    assert db_session.get(Coc, coc.id).name == "Renamed CoC"
    assert len(_audits(db_session, "orgs.coc_updated")) == 1


def test_deactivate_then_reactivate_coc_changes_state_and_audits(admin_client, make_coc, db_session):
    coc = make_coc()
    assert admin_client.post(f"/admin/cocs/{coc.id}/active", data={"active": "0"}).status_code == 303
    db_session.expire_all()
    assert db_session.get(Coc, coc.id).is_active is False
    admin_client.post(f"/admin/cocs/{coc.id}/active", data={"active": "1"})
    db_session.expire_all()
    assert db_session.get(Coc, coc.id).is_active is True
    assert len(_audits(db_session, "orgs.coc_deactivated")) == 1
    assert len(_audits(db_session, "orgs.coc_reactivated")) == 1


def test_unknown_ids_answer_404(admin_client):
    for url in ("/admin/cocs/999999", "/admin/agencies/999999", "/admin/projects/999999"):
        assert admin_client.get(url).status_code == 404
    assert admin_client.post("/admin/agencies/999999/active", data={"active": "0"}).status_code == 404


def test_create_agency_signed_date_defaults_renewal_one_year_later(admin_client, make_coc, db_session):
    coc = make_coc()
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": coc.id, "name": "Harbor House",
                                                         "apa_signed_on": "2026-03-15", "apa_renewal_due": ""})
    assert resp.status_code == 303
    agency = db_session.execute(sa.select(Agency).where(Agency.name == "Harbor House")).scalar_one()
    assert agency.apa_renewal_due == date(2027, 3, 15)
    assert len(_audits(db_session, "orgs.agency_created")) == 1


def test_create_agency_bad_date_shows_form_error(admin_client, make_coc):
    coc = make_coc()
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": coc.id, "name": "X", "apa_signed_on": "soon"})
    assert resp.status_code == 400
    assert "usa-error-message" in resp.get_data(as_text=True)


def test_create_agency_unknown_coc_shows_form_error(admin_client):
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": "424242", "name": "X"})
    assert resp.status_code == 400


def test_agency_list_overdue_renewal_flagged(admin_client, make_agency):
    make_agency(name="Late Agency", apa_signed_on=date(2025, 1, 1), apa_renewal_due=date(2026, 1, 1))
    make_agency(name="Fine Agency", apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    html = admin_client.get("/admin/agencies?q=late").get_data(as_text=True)
    assert "Late Agency" in html and "APA renewal overdue" in html
    html = admin_client.get("/admin/agencies?q=fine").get_data(as_text=True)
    assert "Fine Agency" in html and "APA renewal overdue" not in html


def test_agency_list_filter_by_coc(admin_client, make_coc, make_agency):
    a, b = make_coc(), make_coc()
    make_agency(coc=a, name="Alpha Agency")
    make_agency(coc=b, name="Beta Agency")
    html = admin_client.get(f"/admin/agencies?coc={a.id}").get_data(as_text=True)
    assert "Alpha Agency" in html and "Beta Agency" not in html
    assert admin_client.get("/admin/agencies?coc=abc").status_code == 400


def test_agency_list_paginates(admin_client, make_coc, make_agency):
    coc = make_coc()
    for i in range(30):
        make_agency(coc=coc, name=f"Paged Agency {i:02d}")
    first = admin_client.get(f"/admin/agencies?coc={coc.id}").get_data(as_text=True)
    second = admin_client.get(f"/admin/agencies?coc={coc.id}&page=2").get_data(as_text=True)
    assert "Paged Agency 00" in first and "Paged Agency 29" not in first
    assert "Paged Agency 29" in second and "Paged Agency 00" not in second
    assert "Page 2 of 2" in second


def test_deactivate_agency_changes_state(admin_client, make_agency, db_session):
    agency = make_agency()
    admin_client.post(f"/admin/agencies/{agency.id}/active", data={"active": "0"})
    db_session.expire_all()
    assert db_session.get(Agency, agency.id).is_active is False
    assert len(_audits(db_session, "orgs.agency_deactivated")) == 1


def test_create_project_stores_hud_code(admin_client, make_agency, db_session):
    agency = make_agency()
    resp = admin_client.post("/admin/projects/new", data={"agency_id": agency.id, "name": "RRH One",
                                                         "project_type": "13"})
    assert resp.status_code == 303
    project = db_session.execute(sa.select(Project).where(Project.name == "RRH One")).scalar_one()
    assert project.project_type == 13
    assert len(_audits(db_session, "orgs.project_created")) == 1


def test_create_project_unknown_type_shows_form_error(admin_client, make_agency):
    agency = make_agency()
    resp = admin_client.post("/admin/projects/new", data={"agency_id": agency.id, "name": "X", "project_type": "5"})
    assert resp.status_code == 400


def test_create_project_duplicate_name_in_agency_refused(admin_client, make_project):
    project = make_project(name="Shelter")
    resp = admin_client.post("/admin/projects/new", data={"agency_id": project.agency_id, "name": "shelter",
                                                         "project_type": "0"})
    assert resp.status_code == 400
    assert "already has a project called" in resp.get_data(as_text=True)


def test_project_list_filters_by_type_and_agency(admin_client, make_agency, make_project):
    agency = make_agency()
    make_project(agency=agency, name="Outreach Team", project_type=4)
    make_project(name="Night Shelter", project_type=1)
    html = admin_client.get("/admin/projects?type=4").get_data(as_text=True)
    assert "Outreach Team" in html and "Night Shelter" not in html
    html = admin_client.get(f"/admin/projects?agency={agency.id}").get_data(as_text=True)
    assert "Outreach Team" in html and "Night Shelter" not in html
    assert admin_client.get("/admin/projects?type=99").status_code == 400


def test_edit_project_changes_type_and_audits(admin_client, make_project, db_session):
    project = make_project(project_type=0)
    resp = admin_client.post(f"/admin/projects/{project.id}", data={"agency_id": project.agency_id,
                                                                   "name": project.name, "project_type": "2"})
    assert resp.status_code == 303
    db_session.expire_all()
    assert db_session.get(Project, project.id).project_type == 2
    assert len(_audits(db_session, "orgs.project_updated")) == 1


def test_manager_lists_only_own_coc_and_cannot_edit(client, make_user, make_coc, make_agency, make_project, login):
    own, other = make_coc(), make_coc()
    mine = make_agency(coc=own, name="Own Agency")
    make_agency(coc=other, name="Foreign Agency")
    make_project(agency=mine, name="Own Project")
    login(client, make_user(roles=[Role.HMIS_MANAGER], coc=own))
    html = client.get("/admin/agencies").get_data(as_text=True)
    assert "Own Agency" in html and "Foreign Agency" not in html
    assert "Own Project" in client.get("/admin/projects").get_data(as_text=True)
    assert client.get(f"/admin/agencies/{mine.id}").status_code == 403
    assert client.get("/admin/cocs").status_code == 403
    assert client.post(f"/admin/agencies/{mine.id}/active", data={"active": "0"}).status_code == 403


def test_org_page_anonymous_redirected_to_sign_in(client):
    resp = client.get("/admin/cocs")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_create_agency_in_inactive_coc_refused(admin_client, make_coc, db_session):
    coc = make_coc()
    coc.is_active = False
    db_session.commit()
    assert f'value="{coc.id}"' not in admin_client.get("/admin/agencies/new").get_data(as_text=True)
    resp = admin_client.post("/admin/agencies/new", data={"coc_id": coc.id, "name": "Ghost Agency"})
    assert resp.status_code == 400
    assert db_session.execute(sa.select(Agency).where(Agency.name == "Ghost Agency")).first() is None
