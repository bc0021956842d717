"""The issuance queue, issuing and revoking on the page, the CSV export, the home count, who may open them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.roles import Role
from lms.credentials.models import LiveCredential

PAGES = ["/admin/credentials/", "/admin/credentials/queue.csv", "/admin/credentials/issued"]


@pytest.fixture
def admin(make_user):
    return make_user(roles=[Role.SYSADMIN], full_name="Sam Sysadmin")


@pytest.fixture
def admin_client(app, admin, login):
    client = app.test_client()
    login(client, admin)
    return client


def _credentials(db_session):
    return list(db_session.execute(sa.select(LiveCredential)).scalars())


@pytest.mark.parametrize("role", [Role.HMIS_MANAGER, Role.HELPDESK, Role.AGENCY_REP, Role.END_USER],
                         ids=lambda r: r.value)
def test_credential_pages_other_roles_get_403(app, make_user, make_agency, make_trainee, login, db_session, role):
    agency = make_agency()
    person = make_trainee()
    client = app.test_client()
    login(client, make_user(roles=[role], agency=agency, coc=agency.coc))
    for url in [*PAGES, f"/admin/credentials/people/{person.id}"]:
        assert client.get(url).status_code == 403, url
    resp = client.post(f"/admin/credentials/people/{person.id}", data={"username": "pat"})
    assert resp.status_code == 403
    assert _credentials(db_session) == []


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.LEAD_ADMIN], ids=lambda r: r.value)
def test_credential_pages_administrators_may_open(app, make_user, make_trainee, login, role):
    person = make_trainee()
    client = app.test_client()
    login(client, make_user(roles=[role]))
    for url in [*PAGES, f"/admin/credentials/people/{person.id}"]:
        assert client.get(url).status_code == 200, url


def test_credential_pages_anonymous_is_sent_to_sign_in(client):
    resp = client.get("/admin/credentials/")
    assert resp.status_code in (302, 303) and "/auth/login" in resp.headers["Location"]


def test_queue_shows_eligible_and_waiting_with_reasons(admin_client, make_trainee):
    make_trainee(full_name="Ellie Eligible")
    make_trainee(eligible=False, full_name="Wendy Waiting")
    html = admin_client.get("/admin/credentials/").get_data(as_text=True)
    ready, waiting = html.split('id="waiting-heading"')
    assert "Ellie Eligible" in ready and "Issue credentials" in ready and "Wendy Waiting" not in ready
    assert "Wendy Waiting" in waiting and "Practice case: Emergency shelter: not yet approved" in waiting


def test_queue_filter_by_reason_keeps_only_matching(admin_client, make_trainee, fact_desk):
    suspended = make_trainee(full_name="Sid Suspended")
    from lms.credentials.rules import Answer

    fact_desk.suspensions[suspended.id] = Answer(True)
    make_trainee(eligible=False, full_name="Wendy Waiting")
    html = admin_client.get("/admin/credentials/?reason=practice").get_data(as_text=True)
    assert "Wendy Waiting" in html and "Sid Suspended" not in html
    assert "1 of 2 people shown" in html


def test_queue_unknown_reason_filter_is_ignored(admin_client, make_trainee):
    make_trainee(eligible=False, full_name="Wendy Waiting")
    resp = admin_client.get("/admin/credentials/?reason=<script>&q=" + "x" * 500)
    assert resp.status_code == 200 and "<script>" not in resp.get_data(as_text=True)


def test_issue_eligible_person_shows_password_once(admin_client, admin, make_trainee, db_session):
    person = make_trainee()
    resp = admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": "ellie.e"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    password = re.search(r'data-testid="temporary-password">([^<]+)<', html).group(1)
    [credential] = _credentials(db_session)
    assert (credential.username, credential.issued_by_id) == ("ellie.e", admin.id)
    assert resp.headers.get("Cache-Control") == "no-store"
    page = admin_client.get(f"/admin/credentials/people/{person.id}").get_data(as_text=True)
    assert "ellie.e" in page and password not in page
    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert password not in audit
    assert all(password not in repr(e.details) for e in db_session.execute(sa.select(AuditEvent)).scalars())


def test_issue_double_submit_issues_once(admin_client, make_trainee, db_session):
    person = make_trainee()
    first = admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": "ellie"})
    second = admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": "ellie"})
    assert first.status_code == 200 and second.status_code == 409
    assert "already issued" in second.get_data(as_text=True)
    assert 'data-testid="temporary-password"' not in second.get_data(as_text=True)
    assert len(_credentials(db_session)) == 1


def test_issue_ineligible_person_is_refused_with_reasons(admin_client, make_trainee, db_session):
    person = make_trainee(eligible=False)
    page = admin_client.get(f"/admin/credentials/people/{person.id}").get_data(as_text=True)
    assert "Not yet eligible" in page and 'name="username"' not in page
    resp = admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": "wendy"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Live credentials were not issued" in html and "Practice case: Emergency shelter" in html
    assert _credentials(db_session) == []


@pytest.mark.parametrize("username,words", [("pat person", "no spaces"), ("", "Enter the HMIS user name"),
                                            ("x" * 65, "at most 64")])
def test_issue_bad_username_is_refused_beside_the_field(admin_client, make_trainee, db_session, username, words):
    person = make_trainee()
    resp = admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": username})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and words in html and 'aria-invalid="true"' in html
    assert _credentials(db_session) == []


def test_issue_username_in_use_is_refused(admin_client, make_trainee, db_session):
    admin_client.post(f"/admin/credentials/people/{make_trainee().id}", data={"username": "pat"})
    resp = admin_client.post(f"/admin/credentials/people/{make_trainee().id}", data={"username": "Pat"})
    assert resp.status_code == 400 and "already in use" in resp.get_data(as_text=True)
    assert len(_credentials(db_session)) == 1


def test_issue_unknown_person_is_404(admin_client):
    assert admin_client.get("/admin/credentials/people/999999").status_code == 404


def test_revoke_from_person_page(admin_client, make_trainee, db_session):
    person = make_trainee()
    admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": "ellie"})
    [credential] = _credentials(db_session)
    resp = admin_client.post(f"/admin/credentials/{credential.id}/revoke", data={"reason": "Left the agency"})
    assert resp.status_code == 303
    db_session.expire_all()
    assert db_session.get(LiveCredential, credential.id).status == "revoked"
    page = admin_client.get(f"/admin/credentials/people/{person.id}").get_data(as_text=True)
    assert "Revoked" in page and "Left the agency" in page


def test_revoke_without_reason_is_refused(admin_client, make_trainee, db_session):
    person = make_trainee()
    admin_client.post(f"/admin/credentials/people/{person.id}", data={"username": "ellie"})
    [credential] = _credentials(db_session)
    resp = admin_client.post(f"/admin/credentials/{credential.id}/revoke", data={"reason": ""})
    assert resp.status_code == 400 and "Say why" in resp.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(LiveCredential, credential.id).status == "issued"


def test_export_csv_has_people_and_no_password(admin_client, make_trainee):
    make_trainee(full_name="Ellie Eligible")
    issued = admin_client.post(f"/admin/credentials/people/{make_trainee(full_name='Ivy Issued').id}",
                               data={"username": "ivy"}).get_data(as_text=True)
    password = re.search(r'data-testid="temporary-password">([^<]+)<', issued).group(1)
    resp = admin_client.get("/admin/credentials/queue.csv")
    text = resp.get_data(as_text=True)
    assert resp.mimetype == "text/csv" and "attachment" in resp.headers["Content-Disposition"]
    assert "Ellie Eligible" in text and "Ivy Issued" not in text and password not in text


def test_home_shows_count_to_administrators_only(app, admin_client, make_trainee, make_user, login):
    make_trainee()
    make_trainee()
    make_trainee(eligible=False)
    html = admin_client.get("/").get_data(as_text=True)
    assert "2 people are eligible and waiting for live HMIS credentials" in html
    helpdesk = app.test_client()
    login(helpdesk, make_user(roles=[Role.HELPDESK]))
    assert 'data-testid="credentials-to-issue"' not in helpdesk.get("/").get_data(as_text=True)


def test_navigation_entry_for_administrators_only(app, admin_client, make_user, login):
    assert 'href="/admin/credentials/"' in admin_client.get("/").get_data(as_text=True)
    for role in (Role.HELPDESK, Role.END_USER):
        other = app.test_client()
        login(other, make_user(roles=[role]))
        assert 'href="/admin/credentials/"' not in other.get("/").get_data(as_text=True)


# --- a representative adds projects to a person's access ----------------------------------------------

def _text(resp) -> str:
    import html

    return html.unescape(resp.get_data(as_text=True))


@pytest.fixture
def agency_world(app, make_trainee, make_project, make_user, make_agency, login):
    """Pat (trained for an emergency shelter) at agency A with its representative signed in; agency B with a
    person and a project of its own."""
    from types import SimpleNamespace

    pat = make_trainee(full_name="Pat Doe")
    agency = pat.active_memberships[0].agency
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency, full_name="Rita Rep")
    client = app.test_client()
    login(client, rep)
    other = make_agency(name="Other Agency")
    return SimpleNamespace(
        client=client, rep=rep, pat=pat, agency=agency,
        outreach=make_project(agency=agency, project_type=4, name="Night Outreach"),
        shelter=make_project(agency=agency, project_type=1, name="Winter Shelter"),
        stranger=make_user(roles=[Role.END_USER], agency=other, full_name="Sue Stranger"),
        foreign=make_project(agency=other, project_type=4, name="Their Outreach"))


def _plan_and_audits(db_session, person):
    from lms.training import services as training_services

    db_session.expire_all()
    keys = training_services.current_plan(db_session, person).requirement_keys
    audits = db_session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    return keys, audits


def test_add_projects_reached_from_the_access_requests_page(agency_world):
    w = agency_world
    assert 'href="/agency/people/"' in w.client.get("/access/requests").get_data(as_text=True)
    people = _text(w.client.get("/agency/people/"))
    assert "Pat Doe" in people and "Sue Stranger" not in people
    assert f'href="/agency/people/{w.pat.id}/projects"' in people
    page = re.sub(r"<[^>]+>", "", _text(w.client.get(f"/agency/people/{w.pat.id}/projects")))
    assert "Night Outreach (Street Outreach)" in page and "Winter Shelter (Emergency Shelter - Night-by-Night)" in page
    assert "Their Outreach" not in page
    assert "Practice cases on Pat Doe's training plan: Emergency shelter." in page


def test_add_projects_new_type_adds_a_practice_case_and_says_so(agency_world, db_session):
    w = agency_world
    resp = w.client.post(f"/agency/people/{w.pat.id}/projects", data={"project_ids": [str(w.outreach.id)]})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/agency/people/")
    page = _text(w.client.get(resp.headers["Location"]))
    assert ("Added for Pat Doe: Night Outreach (Street Outreach). A practice case for Street outreach was added to "
            "Pat Doe's training plan; live credentials for it wait until the helpdesk approves it.") in page
    keys, _ = _plan_and_audits(db_session, w.pat)
    assert keys[-1] == "practice:street_outreach"
    event = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "credentials.projects_added")
                               ).scalar_one()
    assert event.actor_id == w.rep.id


def test_add_projects_known_type_adds_no_practice_case(agency_world, db_session):
    w = agency_world
    before, _ = _plan_and_audits(db_session, w.pat)
    resp = w.client.post(f"/agency/people/{w.pat.id}/projects", data={"project_ids": [str(w.shelter.id)]},
                         follow_redirects=True)
    assert resp.status_code == 200
    assert "no new practice case needed" in _text(resp)
    assert _plan_and_audits(db_session, w.pat)[0] == before


def test_add_projects_double_submit_adds_the_practice_case_once(agency_world, db_session):
    w = agency_world
    data = {"project_ids": [str(w.outreach.id)]}
    first = w.client.post(f"/agency/people/{w.pat.id}/projects", data=data, follow_redirects=True)
    second = w.client.post(f"/agency/people/{w.pat.id}/projects", data=data, follow_redirects=True)
    assert "A practice case for Street outreach was added" in _text(first)
    assert "no new practice case needed" in _text(second)
    keys, _ = _plan_and_audits(db_session, w.pat)
    assert keys.count("practice:street_outreach") == 1


def test_add_projects_for_another_agencys_person_is_404(agency_world, db_session):
    w = agency_world
    assert w.client.get(f"/agency/people/{w.pat.id}/projects").status_code == 200  # their own person opens
    url = f"/agency/people/{w.stranger.id}/projects"
    assert w.client.get(url).status_code == 404
    audits = db_session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    assert w.client.post(url, data={"project_ids": [str(w.foreign.id)]}).status_code == 404
    assert w.client.post(url, data={"project_ids": [str(w.outreach.id)]}).status_code == 404
    assert w.client.get("/agency/people/999999/projects").status_code == 404
    db_session.expire_all()
    assert db_session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one() == audits


@pytest.mark.parametrize("which", ["foreign", "missing"])
def test_add_projects_forged_project_of_another_agency_is_404(agency_world, db_session, which):
    w = agency_world
    assert f'value="{w.outreach.id}"' in w.client.get(f"/agency/people/{w.pat.id}/projects").get_data(as_text=True)
    before = _plan_and_audits(db_session, w.pat)
    forged = w.foreign.id if which == "foreign" else 999999
    resp = w.client.post(f"/agency/people/{w.pat.id}/projects",
                         data={"project_ids": [str(w.outreach.id), str(forged)]})
    assert resp.status_code == 404
    assert _plan_and_audits(db_session, w.pat) == before


def test_add_projects_for_a_deactivated_person_is_refused(agency_world, db_session):
    w = agency_world
    w.pat.is_active = False
    db_session.commit()
    assert "Pat Doe" not in _text(w.client.get("/agency/people/"))
    page = w.client.get(f"/agency/people/{w.pat.id}/projects")
    assert page.status_code == 200
    assert "Pat Doe's account is deactivated; projects cannot be added." in _text(page)
    assert 'name="project_ids"' not in _text(page)
    before = _plan_and_audits(db_session, w.pat)
    resp = w.client.post(f"/agency/people/{w.pat.id}/projects", data={"project_ids": [str(w.outreach.id)]})
    assert resp.status_code == 400
    assert "Pat Doe's account is deactivated; projects cannot be added." in _text(resp)
    assert _plan_and_audits(db_session, w.pat) == before


def test_add_projects_with_nothing_chosen_is_refused_beside_the_field(agency_world, db_session):
    w = agency_world
    before = _plan_and_audits(db_session, w.pat)
    resp = w.client.post(f"/agency/people/{w.pat.id}/projects", data={})
    html = _text(resp)
    assert resp.status_code == 400
    assert re.search(r'id="projects-error"[^>]*>Choose at least one project\.<', html)
    assert 'href="#project_ids">Choose at least one project.' in html  # the error summary links to the field
    assert _plan_and_audits(db_session, w.pat) == before


def test_add_projects_pages_are_for_representatives_only(app, agency_world, make_user, login):
    w = agency_world
    for role in (Role.END_USER, Role.HELPDESK, Role.SYSADMIN, Role.LEAD_ADMIN, Role.HMIS_MANAGER):
        other = app.test_client()
        login(other, make_user(roles=[role], agency=w.agency, coc=w.agency.coc))
        assert other.get("/agency/people/").status_code == 403, role
        assert other.post(f"/agency/people/{w.pat.id}/projects",
                          data={"project_ids": [str(w.outreach.id)]}).status_code == 403, role
