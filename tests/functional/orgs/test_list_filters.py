"""List filters and what an HMIS manager may read: projects by agency and HUD type, agencies by CoC, CoC search."""

import pytest

from lms.core.roles import Role


@pytest.fixture
def admin_client(app, make_user, login):
    client = app.test_client()
    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    return client


def test_projects_filtered_by_hud_type_show_only_that_type(admin_client, make_project, make_agency):
    agency = make_agency()
    make_project(agency=agency, project_type=0, name="Entry Exit Shelter")
    make_project(agency=agency, project_type=13, name="Rapid Rehousing Program")
    html = admin_client.get("/admin/projects?type=13").get_data(as_text=True)
    assert "Rapid Rehousing Program" in html and "Entry Exit Shelter" not in html
    html = admin_client.get("/admin/projects?type=0").get_data(as_text=True)
    assert "Entry Exit Shelter" in html and "Rapid Rehousing Program" not in html


def test_projects_filtered_by_agency_show_only_its_projects(admin_client, make_project, make_agency):
    one, other = make_agency(), make_agency()
    make_project(agency=one, name="One Outreach")
    make_project(agency=other, name="Other Outreach")
    html = admin_client.get(f"/admin/projects?agency={one.id}").get_data(as_text=True)
    assert "One Outreach" in html and "Other Outreach" not in html


def test_projects_with_nonsense_filters_list_everything_not_500(admin_client, make_project):
    project = make_project(name="Street Outreach Team")
    resp = admin_client.get("/admin/projects?type=banana&agency=-3&status=weird&page=0")
    assert resp.status_code == 200 and project.name in resp.get_data(as_text=True)


def test_agencies_filtered_by_coc_show_only_that_cocs_agencies(admin_client, make_agency, make_coc):
    first, second = make_coc(), make_coc()
    make_agency(coc=first, name="First Coc Agency")
    make_agency(coc=second, name="Second Coc Agency")
    html = admin_client.get(f"/admin/agencies?coc={second.id}").get_data(as_text=True)
    assert "Second Coc Agency" in html and "First Coc Agency" not in html


def test_cocs_search_by_code_or_name(admin_client, make_coc):
    make_coc(code="MO-606", name="Missouri Balance of State")
    make_coc(code="KS-505", name="Overland Park")
    html = admin_client.get("/admin/cocs?q=mo-6").get_data(as_text=True)
    assert "MO-606" in html and "KS-505" not in html
    html = admin_client.get("/admin/cocs?q=overland").get_data(as_text=True)
    assert "KS-505" in html and "MO-606" not in html


def test_hmis_manager_reads_only_projects_of_their_coc_and_cannot_change_them(app, make_user, make_coc,
                                                                              make_agency, make_project, login,
                                                                              db_session):
    mine, theirs = make_coc(), make_coc()
    own = make_project(agency=make_agency(coc=mine), name="Own Coc Project")
    other = make_project(agency=make_agency(coc=theirs), name="Other Coc Project")
    client = app.test_client()
    login(client, make_user(roles=[Role.HMIS_MANAGER], coc=mine))
    html = client.get("/admin/projects").get_data(as_text=True)
    assert "Own Coc Project" in html and "Other Coc Project" not in html
    assert "Add a project" not in html
    assert client.get(f"/admin/projects/{own.id}/edit").status_code == 403
    assert client.post(f"/admin/projects/{other.id}/active", data={"active": "0"}).status_code == 403
    db_session.refresh(other)
    assert other.is_active is True


@pytest.mark.parametrize("query", ["/admin/agencies?coc=%C2%B2", "/admin/projects?type=%C2%B2&agency=%EF%BC%91",
                                   "/admin/cocs?page=%C2%B2", "/admin/projects?page=%EF%BC%92"])
def test_lists_with_non_ascii_digits_in_filters_answer_200_not_500(admin_client, make_project, query):
    make_project()
    assert admin_client.get(query).status_code == 200
