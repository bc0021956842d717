"""``/api/v1/``: bearer tokens with scopes and reach, JSON errors, every call audited; the token pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.api import rules, services
from lms.api.models import ApiToken
from lms.core.audit import AuditEvent
from lms.core.roles import Role
from lms.credentials.models import LiveCredential


@pytest.fixture
def lead(make_user):
    return make_user("lead.api@example.org", roles=[Role.LEAD_ADMIN])


@pytest.fixture
def make_token(db_session, clock, lead):
    def make(scopes=tuple(rules.SCOPES), *, cocs=(), agencies=(), everyone=None):
        everyone = not (cocs or agencies) if everyone is None else everyone
        token, secret = services.create_token(db_session, name="Reporting server", scopes=scopes,
                                              coc_ids=[c.id for c in cocs], agency_ids=[a.id for a in agencies],
                                              all_organisations=everyone, actor=lead, now=clock.now)
        db_session.commit()
        return token, {"Authorization": f"Bearer {secret}"}

    return make


def _audits(db_session, action):
    return list(db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)).scalars())


# --- the OpenAPI document ------------------------------------------------------------------------------

def test_openapi_document_is_public_and_names_every_call(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.is_json
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/people/{person_id}", "/recertification/{fiscal_year}", "/credentials/queue",
                                 "/credentials", "/revocations/due"}
    assert doc["servers"] == [{"url": "/api/v1"}]


# --- who may call -----------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "Bearer not-a-token",
                                    "Bearer hmis_" + "a" * 43, "Bearer hmis_" + "a" * 42 + "\u00e9",
                                    "Bearer hmis_" + "a" * 4000])
def test_calls_without_a_usable_token_are_401_json(client, db_session, header):
    headers = {"Authorization": header} if header is not None else {}
    resp = client.get("/api/v1/credentials/queue", headers=headers)
    assert resp.status_code == 401 and resp.is_json
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert set(resp.get_json()) == {"error", "detail"}
    assert _audits(db_session, "api.refused")[-1].details["status"] == 401


def test_a_signed_in_browser_cannot_call_the_api_with_its_cookie(app, lead, login):
    c = app.test_client()
    login(c, lead)
    assert c.get("/api/v1/credentials/queue").status_code == 401


def test_a_revoked_token_is_refused_at_once(client, db_session, clock, lead, make_token):
    token, headers = make_token()
    assert client.get("/api/v1/credentials/queue", headers=headers).status_code == 200
    services.revoke_token(db_session, token, actor=lead, now=clock.now)
    db_session.commit()
    resp = client.get("/api/v1/credentials/queue", headers=headers)
    assert resp.status_code == 401 and "revoked" in resp.get_json()["detail"]


def test_a_call_outside_the_tokens_scopes_is_403(client, make_token, make_trainee):
    person = make_trainee()
    _, headers = make_token(scopes=["credentials:read"])
    resp = client.get(f"/api/v1/people/{person.id}", headers=headers)
    assert resp.status_code == 403 and "people:read" in resp.get_json()["detail"]
    assert client.post("/api/v1/credentials", json={"person_id": person.id, "username": "pat"},
                       headers=headers).status_code == 403


# --- a person's requirements and eligibility --------------------------------------------------------------

def test_person_shows_requirements_and_every_unmet_reason(client, make_token, make_trainee):
    person = make_trainee(eligible=False)
    _, headers = make_token()
    resp = client.get(f"/api/v1/people/{person.id}", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["id"] == person.id and body["email"] == person.email and body["fiscal_year"] == 2027
    assert [r["key"] for r in body["requirements"]] == ["upra", "security_privacy", "data_standards", "cs_basics",
                                                         "practice:emergency_shelter"]
    assert not any(r["met"] for r in body["requirements"])
    assert body["eligibility"]["eligible"] is False and len(body["eligibility"]["reasons"]) == 6
    assert body["live_credential"] is None
    assert resp.headers["Cache-Control"] == "no-store"


def test_person_eligible_and_met(client, make_token, make_trainee):
    person = make_trainee()
    _, headers = make_token()
    body = client.get(f"/api/v1/people/{person.id}", headers=headers).get_json()
    assert body["eligibility"] == {"eligible": True, "reasons": [], "codes": []}
    assert all(r["met"] and r["achieved_at"] for r in body["requirements"])
    assert body["progress"] == {"met": 5, "total": 5}


def test_a_token_reads_only_the_people_of_its_cocs_and_agencies(client, make_token, make_trainee):
    mine, theirs, coc_person = make_trainee(), make_trainee(), make_trainee()
    _, by_agency = make_token(agencies=[mine.active_memberships[0].agency])
    _, by_coc = make_token(cocs=[coc_person.active_memberships[0].agency.coc])
    assert client.get(f"/api/v1/people/{mine.id}", headers=by_agency).status_code == 200
    # Outside its reach looks exactly like a person who does not exist.
    outside = client.get(f"/api/v1/people/{theirs.id}", headers=by_agency)
    missing = client.get("/api/v1/people/999999", headers=by_agency)
    assert outside.status_code == missing.status_code == 404
    assert outside.get_json() == missing.get_json()
    assert client.get(f"/api/v1/people/{coc_person.id}", headers=by_coc).status_code == 200
    assert client.get(f"/api/v1/people/{mine.id}", headers=by_coc).status_code == 404
    queue = client.get("/api/v1/credentials/queue", headers=by_agency).get_json()
    assert [r["person_id"] for r in queue["eligible"]] == [mine.id]


@pytest.mark.parametrize("path", ["/api/v1/people/0", "/api/v1/people/99999999999999999999", "/api/v1/people/abc",
                                  "/api/v1/people/%EF%BC%91", "/api/v1/people/1%00", "/api/v1/recertification/1999",
                                  "/api/v1/recertification/99999999999", "/api/v1/nothing-here"])
def test_bad_paths_answer_json_4xx(client, make_token, path):
    _, headers = make_token()
    resp = client.get(path, headers=headers)
    assert 400 <= resp.status_code < 500 and resp.is_json, (path, resp.status_code)
    assert resp.get_json()["detail"]


# --- issuing credentials ---------------------------------------------------------------------------------

def _issued(db_session):
    return db_session.execute(sa.select(sa.func.count()).select_from(LiveCredential)).scalar_one()


def test_issue_eligible_person_once(client, db_session, make_token, make_trainee, lead):
    person = make_trainee()
    token, headers = make_token()
    resp = client.post("/api/v1/credentials", json={"person_id": person.id, "username": "pat.api"}, headers=headers)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["username"] == "pat.api" and len(body["temporary_password"]) >= 16
    credential = db_session.execute(sa.select(LiveCredential)).scalar_one()
    assert credential.issued_by_id == lead.id  # issued on behalf of whoever made the token
    again = client.post("/api/v1/credentials", json={"person_id": person.id, "username": "pat.api"}, headers=headers)
    assert again.status_code == 409 and "already issued" in again.get_json()["detail"]
    assert _issued(db_session) == 1
    # The password is in the one answer only: not in the audit log.
    assert all(body["temporary_password"] not in json.dumps(e.details) for e in db_session.execute(
        sa.select(AuditEvent)).scalars())


def test_issue_ineligible_person_is_409_with_every_reason(client, db_session, make_token, make_trainee):
    person = make_trainee(eligible=False)
    _, headers = make_token()
    resp = client.post("/api/v1/credentials", json={"person_id": person.id, "username": "pat"}, headers=headers)
    assert resp.status_code == 409
    body = resp.get_json()
    assert len(body["reasons"]) == 6 and "Practice case: Emergency shelter" in " ".join(body["reasons"])
    assert _issued(db_session) == 0


@pytest.mark.parametrize("data,content_type,status", [
    ("not json", "application/json", 400),
    ("[1, 2]", "application/json", 400),
    ('{"person_id": "7", "username": "pat"}', "application/json", 400),
    ('{"person_id": 1e400, "username": "pat"}', "application/json", 400),
    ('{"person_id": 99999999999999999999, "username": "pat"}', "application/json", 400),
    ('{"person_id": true, "username": "pat"}', "application/json", 400),
    ('{"person_id": 1, "username": 5}', "application/json", 400),
    ('{"person_id": 1, "username": "pat", "admin": true}', "application/json", 400),
    ('{"person_id": 1, "username": "pat"}', "text/plain", 415),
    ("person_id=1&username=pat", "application/x-www-form-urlencoded", 415),
])
def test_issue_refuses_bad_bodies_with_json_4xx(client, db_session, make_token, data, content_type, status):
    _, headers = make_token()
    resp = client.post("/api/v1/credentials", data=data, content_type=content_type, headers=headers)
    assert resp.status_code == status and resp.is_json, resp.get_data(as_text=True)
    assert _issued(db_session) == 0


def test_issue_bad_username_and_out_of_reach_person(client, db_session, make_token, make_trainee):
    person, other = make_trainee(), make_trainee()
    _, headers = make_token(agencies=[person.active_memberships[0].agency])
    bad = client.post("/api/v1/credentials", json={"person_id": person.id, "username": "pat person\u0000"},
                      headers=headers)
    assert bad.status_code == 400 and bad.get_json()["reasons"]
    outside = client.post("/api/v1/credentials", json={"person_id": other.id, "username": "other"}, headers=headers)
    assert outside.status_code == 404
    assert _issued(db_session) == 0


# --- revocations and recertification -----------------------------------------------------------------------

def test_revocations_due_lists_open_notices_in_reach(client, db_session, clock, make_token, make_user, make_agency):
    from lms.accounts.revocations import services as revocations

    agency, elsewhere = make_agency(), make_agency()
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    person = make_user(roles=[Role.END_USER], agency=agency, full_name="Lee Leaving")
    membership = person.active_memberships[0]
    notice = revocations.file_notice(db_session, rep=rep, membership_id=membership.id, kind="separation",
                                     effective_on=clock.now.date(), reason="Left the agency", now=clock.now)
    revocations.apply_due(db_session, now=clock.now)
    db_session.commit()
    _, everyone = make_token()
    _, other = make_token(agencies=[elsewhere])
    rows = client.get("/api/v1/revocations/due", headers=everyone).get_json()["revocations"]
    assert [(r["notice_id"], r["full_name"], r["overdue"]) for r in rows] == [(notice.id, "Lee Leaving", False)]
    assert client.get("/api/v1/revocations/due", headers=other).get_json() == {"revocations": []}


def test_cycle_status_counts_by_coc_and_agency(client, db_session, clock, make_token, make_trainee):
    from lms.recert import services as recert
    from lms.training import services as training_services

    done, not_yet = make_trainee(), make_trainee(eligible=False)
    # ``done``'s plan began before this fiscal year: a recertifier, certified by this year's evidence.
    for person in (done, not_yet):
        for plan in training_services.current_plan(db_session, person), :
            plan.created_at = clock.now - timedelta(days=400)
    recert.open_cycle(db_session, 2027, now=clock.now)
    db_session.commit()
    _, headers = make_token(scopes=["recert:read"])
    resp = client.get("/api/v1/recertification/2027", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["totals"] == {"people": 2, "certified": 1, "in_new_user_training": 0, "outstanding": 1,
                              "suspended": 0}
    by_agency = {a["agency_id"]: a for a in body["agencies"]}
    assert by_agency[done.active_memberships[0].agency_id]["certified"] == 1
    assert by_agency[not_yet.active_memberships[0].agency_id]["outstanding"] == 1
    assert sum(c["people"] for c in body["cocs"]) == 2
    missing = client.get("/api/v1/recertification/2030", headers=headers)
    assert missing.status_code == 404 and "2030" in missing.get_json()["detail"]


# --- audit and bookkeeping ----------------------------------------------------------------------------------

def test_every_call_is_audited_without_the_secret(client, db_session, make_token, make_trainee):
    person = make_trainee()
    token, headers = make_token()
    client.get(f"/api/v1/people/{person.id}", headers=headers)
    client.get("/api/v1/people/999999", headers=headers)
    calls, refused = _audits(db_session, "api.call"), _audits(db_session, "api.refused")
    assert [(e.target_id, e.details["path"], e.details["status"]) for e in calls] == [
        (str(token.id), f"/api/v1/people/{person.id}", 200)]
    assert refused[-1].details["status"] == 404
    secret = headers["Authorization"].split()[1]
    assert all(secret not in json.dumps(e.details) for e in calls + refused)


def test_last_used_is_written_at_most_once_a_minute(client, db_session, clock, make_token):
    token, headers = make_token()
    client.get("/api/v1/credentials/queue", headers=headers)
    db_session.refresh(token)
    first = token.last_used_at
    assert first == clock.now
    clock.advance(seconds=20)
    client.get("/api/v1/credentials/queue", headers=headers)
    db_session.refresh(token)
    assert token.last_used_at == first
    clock.advance(seconds=60)
    client.get("/api/v1/credentials/queue", headers=headers)
    db_session.refresh(token)
    assert token.last_used_at == clock.now


def test_only_a_hash_of_the_secret_is_stored(db_session, make_token):
    token, headers = make_token()
    secret = headers["Authorization"].split()[1]
    assert token.token_hash == rules.hash_secret(secret) and secret not in token.token_hash
    assert token.prefix == secret[:12]


# --- the token pages ------------------------------------------------------------------------------------

@pytest.fixture
def lead_client(app, lead, login):
    c = app.test_client()
    login(c, lead)
    return c


def test_create_token_shows_the_secret_once_and_it_works(lead_client, db_session, make_trainee):
    person = make_trainee()
    agency = person.active_memberships[0].agency
    resp = lead_client.post("/admin/api-tokens/new", data={"name": "Reports", "scopes": ["people:read"],
                                                           "agency_ids": [str(agency.id)]})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    secret = html.split('data-testid="api-token">')[1].split("<")[0]
    assert rules.TOKEN_SHAPE.fullmatch(secret)
    token = db_session.execute(sa.select(ApiToken)).scalar_one()
    assert token.scopes == "people:read" and [r.agency_id for r in token.reach] == [agency.id]
    assert lead_client.get(f"/api/v1/people/{person.id}",
                           headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = lead_client.get("/admin/api-tokens/").get_data(as_text=True)
    assert "Reports" in listing and secret not in listing and secret[:12] in listing
    assert _audits(db_session, "api.token_created")[0].details["name"] == "Reports"


@pytest.mark.parametrize("data,message", [
    ({"name": "", "scopes": ["people:read"], "all_organisations": "y"}, "Say what the token is for"),
    ({"name": "x" * 101, "scopes": ["people:read"], "all_organisations": "y"}, "at most 100"),
    ({"name": "R", "all_organisations": "y"}, "Choose at least one thing"),
    ({"name": "R", "scopes": ["admin:all"], "all_organisations": "y"}, "Unknown scope"),
    ({"name": "R", "scopes": ["people:read"]}, "Choose the CoCs or agencies"),
    ({"name": "R", "scopes": ["people:read"], "agency_ids": ["99999"]}, "does not exist"),
    ({"name": "R", "scopes": ["people:read"], "agency_ids": ["99999999999999999999"]}, "Choose from the list"),
    ({"name": "R", "scopes": ["people:read"], "coc_ids": ["１"]}, "Choose from the list"),
])
def test_create_token_refuses_bad_input_with_a_message(lead_client, db_session, data, message):
    resp = lead_client.post("/admin/api-tokens/new", data=data)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    assert db_session.execute(sa.select(sa.func.count()).select_from(ApiToken)).scalar_one() == 0


def test_an_empty_token_form_names_every_problem_at_once(lead_client):
    html = lead_client.post("/admin/api-tokens/new", data={}).get_data(as_text=True)
    for message in ("Say what the token is for", "Choose at least one thing", "Choose the CoCs or agencies"):
        assert message in html


def test_revoke_token_from_the_page(lead_client, db_session, make_token):
    token, headers = make_token()
    resp = lead_client.post(f"/admin/api-tokens/{token.id}/revoke")
    assert resp.status_code == 303
    db_session.refresh(token)
    assert token.revoked_at is not None
    again = lead_client.post(f"/admin/api-tokens/{token.id}/revoke", follow_redirects=True)
    assert "already revoked" in again.get_data(as_text=True)
    assert lead_client.get("/api/v1/credentials/queue", headers=headers).status_code == 401


@pytest.mark.parametrize("role", [Role.END_USER, Role.HELPDESK, Role.AGENCY_REP, Role.HMIS_MANAGER])
def test_token_pages_are_for_administrators_only(app, make_user, make_agency, login, make_token, role):
    token, _ = make_token()
    agency = make_agency()
    c = app.test_client()
    login(c, make_user(roles=[role], agency=agency, coc=agency.coc))
    assert c.get("/admin/api-tokens/").status_code == 403
    assert c.post("/admin/api-tokens/new", data={"name": "x"}).status_code == 403
    assert c.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 403


def test_sysadmin_may_manage_tokens(app, make_user, login):
    c = app.test_client()
    login(c, make_user(roles=[Role.SYSADMIN]))
    assert c.get("/admin/api-tokens/new").status_code == 200
