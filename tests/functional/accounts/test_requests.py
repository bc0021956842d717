"""User access requests: submit, see, decide, withdraw; for every role, including the ones refused."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.requests.models import AccessInvitation, AccessRequest
from lms.core.audit import AuditEvent
from lms.core.mail import OutboxMessage
from lms.core.roles import Role
from lms.training.models import TrainingPlan
from tests.conftest import signed_in_client as _client


@pytest.fixture
def world(make_coc, make_agency, make_project, make_user):
    """Two CoCs; an agency with a current APA and two projects in the first, another agency in the second."""
    coc, other_coc = make_coc(), make_coc()
    agency = make_agency(coc=coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    other = make_agency(coc=other_coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    w = type("World", (), {})()
    w.coc, w.other_coc, w.agency, w.other = coc, other_coc, agency, other
    w.shelter = make_project(agency=agency, project_type=0, name="Night Shelter")
    w.rrh = make_project(agency=agency, project_type=13, name="Rapid Re-Housing")
    w.foreign = make_project(agency=other, project_type=4, name="Outreach Elsewhere")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=agency, full_name="Rita Rep")
    w.other_rep = make_user("rep2@example.org", roles=[Role.AGENCY_REP], agency=other, full_name="Otto Rep")
    w.manager = make_user("manager@example.org", roles=[Role.HMIS_MANAGER], coc=coc, full_name="Mona Manager")
    w.other_manager = make_user("manager2@example.org", roles=[Role.HMIS_MANAGER], coc=other_coc)
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN])
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN])
    w.helpdesk = make_user("help@example.org", roles=[Role.HELPDESK])
    w.trainee = make_user("trainee@example.org", roles=[Role.END_USER], agency=agency)
    return w


def _form(world, **over):
    data = {"full_name": "Nina New", "email": "Nina.New@Example.org", "employment": "volunteer",
            "project_ids": [str(world.shelter.id), str(world.rrh.id)], "justification": "Intake at the shelter."}
    data.update(over)
    return data


def _submit(app, login, world, **over):
    client = _client(app, login, world.rep)
    resp = client.post(f"/access/requests/new?agency={world.agency.id}", data=_form(world, **over))
    return client, resp


def _requests(db_session):
    db_session.expire_all()
    return list(db_session.execute(sa.select(AccessRequest).order_by(AccessRequest.id)).scalars())


def _mail_to(db_session, address):
    return list(db_session.execute(sa.select(OutboxMessage).where(OutboxMessage.to_addr == address)
                                   .order_by(OutboxMessage.id)).scalars())


def _actions(db_session):
    return [a for (a,) in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))]


# --- submitting ------------------------------------------------------------------------------------------

def test_submit_by_agency_rep_creates_request_and_mails_the_cocs_managers(app, login, world, db_session):
    _, resp = _submit(app, login, world)
    assert resp.status_code == 303
    [req] = _requests(db_session)
    assert (req.email, req.full_name, req.employment, req.status) == ("nina.new@example.org", "Nina New",
                                                                      "volunteer", "submitted")
    assert sorted(p.name for p in req.projects) == ["Night Shelter", "Rapid Re-Housing"]
    assert len(_mail_to(db_session, world.manager.email)) == 1
    assert _mail_to(db_session, world.other_manager.email) == []
    assert "access_request.submitted" in _actions(db_session)


@pytest.mark.parametrize("employment", ["contractor", "", "employee\x00"])
def test_submit_with_employment_outside_the_three_kinds_is_refused(app, login, world, db_session, employment):
    _, resp = _submit(app, login, world, employment=employment)
    assert resp.status_code == 400
    assert _requests(db_session) == []


def test_submit_naming_another_agencys_project_is_refused_and_changes_nothing(app, login, world, db_session):
    _, resp = _submit(app, login, world, project_ids=[str(world.shelter.id), str(world.foreign.id)])
    assert resp.status_code == 400
    assert "active projects" in resp.get_data(as_text=True)
    assert _requests(db_session) == [] and _mail_to(db_session, world.manager.email) == []


@pytest.mark.parametrize("ids", [["abc"], ["999999"], ["-1"], ["１"], []])
def test_submit_with_unknown_or_forged_project_ids_is_refused(app, login, world, db_session, ids):
    _, resp = _submit(app, login, world, project_ids=ids)
    assert resp.status_code == 400
    assert _requests(db_session) == []


def test_submit_for_inactive_project_is_refused(app, login, world, db_session):
    world.rrh.is_active = False
    db_session.commit()
    _, resp = _submit(app, login, world, project_ids=[str(world.rrh.id)])
    assert resp.status_code == 400 and _requests(db_session) == []


def test_submit_when_apa_lapsed_is_refused_with_the_reason(app, login, world, db_session):
    world.agency.apa_renewal_due = date(2026, 10, 1)
    db_session.commit()
    client = _client(app, login, world.rep)
    page = client.get(f"/access/requests/new?agency={world.agency.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "lapsed on October 1, 2026" in html and 'name="justification"' not in html
    resp = client.post(f"/access/requests/new?agency={world.agency.id}", data=_form(world))
    assert resp.status_code == 400 and "lapsed" in resp.get_data(as_text=True)
    assert _requests(db_session) == []


def test_submit_without_a_signed_apa_is_refused(app, login, world, db_session):
    world.agency.apa_signed_on, world.agency.apa_renewal_due = None, None
    db_session.commit()
    _, resp = _submit(app, login, world)
    assert resp.status_code == 400 and "no signed Agency Partner Agreement" in resp.get_data(as_text=True)


def test_submit_second_open_request_for_same_email_is_refused(app, login, world, db_session):
    client, first = _submit(app, login, world)
    assert first.status_code == 303
    again = client.post(f"/access/requests/new?agency={world.agency.id}",
                        data=_form(world, email="nina.new@example.org "))
    assert again.status_code == 400 and "already has a request" in again.get_data(as_text=True)
    assert len(_requests(db_session)) == 1


def test_submit_after_the_first_was_denied_is_accepted(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    _client(app, login, world.manager).post(f"/access/requests/{req.id}/deny", data={"reason": "Wrong person."})
    _, again = _submit(app, login, world)
    assert again.status_code == 303 and len(_requests(db_session)) == 2


def test_submit_for_another_agency_is_404_and_changes_nothing(app, login, world, db_session):
    client = _client(app, login, world.rep)
    resp = client.post(f"/access/requests/new?agency={world.other.id}", data=_form(world))
    assert resp.status_code == 404 and _requests(db_session) == []


@pytest.mark.parametrize("who", ["manager", "lead", "sysadmin", "helpdesk", "trainee"])
def test_submit_by_a_role_other_than_rep_is_403(app, login, world, db_session, who):
    client = _client(app, login, getattr(world, who))
    resp = client.post(f"/access/requests/new?agency={world.agency.id}", data=_form(world))
    assert resp.status_code == 403 and _requests(db_session) == []


def test_submit_with_nul_in_name_is_refused(app, login, world, db_session):
    _, resp = _submit(app, login, world, full_name="Nina\x00New")
    assert resp.status_code == 400 and _requests(db_session) == []


# --- seeing ----------------------------------------------------------------------------------------------

def test_rep_list_shows_only_own_agencys_requests_with_counts(app, login, world, db_session):
    _submit(app, login, world)
    other_client = _client(app, login, world.other_rep)
    other_client.post(f"/access/requests/new?agency={world.other.id}",
                      data=_form(world, email="oscar@example.org", full_name="Oscar Other",
                                 project_ids=[str(world.foreign.id)]))
    html = _client(app, login, world.rep).get("/access/requests").get_data(as_text=True)
    assert "Nina New" in html and "Oscar Other" not in html
    assert re.search(r"<strong>1</strong> waiting for a decision", html)
    assert "Nina New" not in other_client.get("/access/requests").get_data(as_text=True)


def test_detail_for_outsiders_is_404(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    for who in ("other_rep", "other_manager"):
        assert _client(app, login, getattr(world, who)).get(f"/access/requests/{req.id}").status_code == 404, who
    for who in ("sysadmin", "helpdesk", "trainee"):
        assert _client(app, login, getattr(world, who)).get(f"/access/requests/{req.id}").status_code == 403, who
    for who in ("rep", "manager", "lead"):
        assert _client(app, login, getattr(world, who)).get(f"/access/requests/{req.id}").status_code == 200, who


def test_queue_shows_own_cocs_requests_oldest_first(app, login, world, db_session, clock):
    _submit(app, login, world, email="first@example.org", full_name="First Person")
    clock.advance(seconds=3600)
    _submit(app, login, world, email="second@example.org", full_name="Second Person")
    html = _client(app, login, world.manager).get("/access/queue").get_data(as_text=True)
    assert html.index("First Person") < html.index("Second Person")
    assert "2 requests waiting" in html
    other = _client(app, login, world.other_manager).get("/access/queue").get_data(as_text=True)
    assert "First Person" not in other and "0 requests waiting" in other
    assert "First Person" in _client(app, login, world.lead).get("/access/queue").get_data(as_text=True)


def test_home_shows_rep_counts_and_manager_queue_count(app, login, world, db_session):
    _submit(app, login, world)
    rep_home = _client(app, login, world.rep).get("/").get_data(as_text=True)
    assert 'data-testid="home-requests"' in rep_home and "1 waiting for a decision" in rep_home
    manager_home = _client(app, login, world.manager).get("/").get_data(as_text=True)
    assert "Access requests to decide: 1" in manager_home and "Nina New" in manager_home
    other_home = _client(app, login, world.other_manager).get("/").get_data(as_text=True)
    assert "Access requests to decide: 0" in other_home and "Nina New" not in other_home
    trainee_home = _client(app, login, world.trainee).get("/").get_data(as_text=True)
    assert "home-requests" not in trainee_home and "home-queue" not in trainee_home


def test_navigation_offers_request_pages_only_to_roles_that_use_them(app, login, world):
    for who, expect in [("rep", {"/access/requests"}), ("manager", {"/access/queue"}), ("lead", {"/access/queue"}),
                        ("sysadmin", set()), ("helpdesk", set()), ("trainee", set())]:
        html = _client(app, login, getattr(world, who)).get("/").get_data(as_text=True)
        nav = html[html.index('aria-label="Primary navigation"'):html.index("</nav>")]
        found = {href for href in ("/access/requests", "/access/queue") if f'href="{href}"' in nav}
        assert found == expect, who


# --- deciding ---------------------------------------------------------------------------------------------

def test_approve_creates_account_membership_plan_and_invitation(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    resp = _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={"reason": ""})
    assert resp.status_code == 303
    db_session.expire_all()
    user = db_session.execute(sa.select(User).where(User.email == "nina.new@example.org")).scalar_one()
    assert user.is_active and user.password_hash is None
    assert [(m.agency_id, m.kind) for m in user.active_memberships] == [(world.agency.id, "volunteer")]
    assert [(g.role, g.agency_id) for g in user.active_grants] == [("end_user", world.agency.id)]
    plan = db_session.execute(sa.select(TrainingPlan).where(TrainingPlan.user_id == user.id)).scalar_one()
    assert plan.requirement_keys == ["upra", "security_privacy", "data_standards", "cs_basics",
                                     "practice:emergency_shelter", "practice:permanent_housing"]
    assert plan.evidence_not_before is None
    [invite] = _mail_to(db_session, user.email)
    assert "/access/invitation/" in invite.body_text
    [decided] = _mail_to(db_session, world.rep.email)
    assert "approved" in decided.subject
    assert {"access_request.approved", "access_request.invitation_sent", "training.plan_started"} <= set(
        _actions(db_session))
    assert _requests(db_session)[0].status == "approved"


def test_approve_for_person_who_had_access_before_repeats_the_series(app, login, world, db_session, clock):
    _submit(app, login, world, had_access_before="y")
    [req] = _requests(db_session)
    _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={})
    plan = db_session.execute(sa.select(TrainingPlan)).scalar_one()
    assert plan.evidence_not_before == clock.now


def test_approve_reopens_former_inactive_account_and_repeats_training(app, login, world, db_session, make_user,
                                                                      clock):
    former = make_user("nina.new@example.org", roles=[Role.END_USER], active=False, full_name="Nina Old")
    _submit(app, login, world)
    [req] = _requests(db_session)
    _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={})
    db_session.expire_all()
    user = db_session.get(User, former.id)
    assert user.is_active and user.password_hash is None
    assert db_session.execute(sa.select(sa.func.count()).select_from(User)
                              .where(User.email == "nina.new@example.org")).scalar_one() == 1
    plan = db_session.execute(sa.select(TrainingPlan).where(TrainingPlan.user_id == user.id)).scalar_one()
    assert plan.evidence_not_before == clock.now


def test_approve_former_staff_account_is_refused_and_changes_nothing(app, login, world, db_session, make_user):
    make_user("nina.new@example.org", roles=[Role.SYSADMIN], active=False)
    _submit(app, login, world)
    [req] = _requests(db_session)
    resp = _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={})
    assert resp.status_code == 409 and "former staff account" in resp.get_data(as_text=True)
    assert _requests(db_session)[0].status == "submitted"


def test_deny_without_reason_is_refused(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    resp = _client(app, login, world.manager).post(f"/access/requests/{req.id}/deny", data={"reason": "  "})
    assert resp.status_code == 400 and "Say why the request is denied" in resp.get_data(as_text=True)
    assert _requests(db_session)[0].status == "submitted"


def test_deny_with_reason_mails_the_representative(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    resp = _client(app, login, world.lead).post(f"/access/requests/{req.id}/deny",
                                                data={"reason": "Not on the staff list."})
    assert resp.status_code == 303
    [mail] = _mail_to(db_session, world.rep.email)
    assert "Not on the staff list." in mail.body_text
    assert db_session.execute(sa.select(User).where(User.email == "nina.new@example.org")).scalar_one_or_none() is None
    assert "access_request.denied" in _actions(db_session)


def test_second_decision_is_refused_with_conflict(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    client = _client(app, login, world.manager)
    assert client.post(f"/access/requests/{req.id}/approve", data={}).status_code == 303
    again = client.post(f"/access/requests/{req.id}/deny", data={"reason": "Changed my mind."})
    assert again.status_code == 409 and "no longer waiting" in again.get_data(as_text=True)
    assert client.post(f"/access/requests/{req.id}/approve", data={}).status_code == 409
    assert _requests(db_session)[0].status == "approved"
    assert len(db_session.execute(sa.select(TrainingPlan)).scalars().all()) == 1


def test_decision_by_manager_of_another_coc_is_404(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    client = _client(app, login, world.other_manager)
    assert client.post(f"/access/requests/{req.id}/approve", data={}).status_code == 404
    assert client.post(f"/access/requests/{req.id}/deny", data={"reason": "x"}).status_code == 404
    assert _requests(db_session)[0].status == "submitted"


@pytest.mark.parametrize("who", ["rep", "other_rep", "sysadmin", "helpdesk", "trainee"])
def test_decision_by_a_role_that_does_not_decide_is_403(app, login, world, db_session, who):
    _submit(app, login, world)
    [req] = _requests(db_session)
    resp = _client(app, login, getattr(world, who)).post(f"/access/requests/{req.id}/approve", data={})
    assert resp.status_code == 403 and _requests(db_session)[0].status == "submitted"


# --- withdrawing ------------------------------------------------------------------------------------------

def test_withdraw_by_submitter_closes_the_request(app, login, world, db_session):
    client, _ = _submit(app, login, world)
    [req] = _requests(db_session)
    assert client.post(f"/access/requests/{req.id}/withdraw").status_code == 303
    assert _requests(db_session)[0].status == "withdrawn"
    assert "access_request.withdrawn" in _actions(db_session)
    assert client.post(f"/access/requests/{req.id}/withdraw").status_code == 409


def test_withdraw_by_rep_of_another_agency_is_404(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    assert _client(app, login, world.other_rep).post(f"/access/requests/{req.id}/withdraw").status_code == 404
    assert _requests(db_session)[0].status == "submitted"


def test_withdraw_by_another_rep_of_the_same_agency_is_403(app, login, world, db_session, make_user):
    _submit(app, login, world)
    [req] = _requests(db_session)
    colleague = make_user("rep3@example.org", roles=[Role.AGENCY_REP], agency=world.agency)
    resp = _client(app, login, colleague).post(f"/access/requests/{req.id}/withdraw")
    assert resp.status_code == 403 and _requests(db_session)[0].status == "submitted"


def test_withdraw_by_manager_is_403(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    assert _client(app, login, world.manager).post(f"/access/requests/{req.id}/withdraw").status_code == 403


def test_approve_after_withdrawal_is_refused(app, login, world, db_session):
    client, _ = _submit(app, login, world)
    [req] = _requests(db_session)
    client.post(f"/access/requests/{req.id}/withdraw")
    resp = _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={})
    assert resp.status_code == 409
    assert db_session.execute(sa.select(User).where(User.email == "nina.new@example.org")).scalar_one_or_none() is None


# --- the invitation ---------------------------------------------------------------------------------------

def _approved(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={})
    [mail] = _mail_to(db_session, "nina.new@example.org")
    return re.search(r"/access/invitation/(\S+)", mail.body_text).group(1)


NEW_PASSWORD = "Marble-Orchard-Lantern-9"


def test_invitation_sets_password_then_person_signs_in_normally(app, login, world, db_session):
    token = _approved(app, login, world, db_session)
    client = app.test_client()
    assert client.get(f"/access/invitation/{token}").status_code == 200
    resp = client.post(f"/access/invitation/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/auth/login")
    assert client.get("/session/status").get_json()["signed_in"] is False
    signed = client.post("/auth/login", data={"email": "nina.new@example.org", "password": NEW_PASSWORD})
    assert signed.status_code == 303
    assert client.get("/session/status").get_json()["signed_in"] is True
    assert "access_request.invitation_accepted" in _actions(db_session)


def test_invitation_with_weak_password_is_refused_and_link_still_works(app, login, world, db_session):
    token = _approved(app, login, world, db_session)
    client = app.test_client()
    resp = client.post(f"/access/invitation/{token}", data={"new_password": "password1", "confirm": "password1"})
    assert resp.status_code == 400
    db_session.expire_all()
    assert db_session.execute(sa.select(User.password_hash).where(User.email == "nina.new@example.org")
                              ).scalar_one() is None
    assert client.get(f"/access/invitation/{token}").status_code == 200


def test_invitation_replayed_after_use_says_so_and_changes_nothing(app, login, world, db_session):
    token = _approved(app, login, world, db_session)
    client = app.test_client()
    client.post(f"/access/invitation/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db_session.expire_all()
    before = db_session.execute(sa.select(User.password_hash).where(User.email == "nina.new@example.org")).scalar_one()
    replay = client.post(f"/access/invitation/{token}", data={"new_password": "Other-Quiet-River-77",
                                                              "confirm": "Other-Quiet-River-77"})
    assert replay.status_code == 410
    html = replay.get_data(as_text=True)
    assert "already been used" in html and "/auth/login" in html and "/auth/forgot" in html
    db_session.expire_all()
    assert db_session.execute(sa.select(User.password_hash).where(User.email == "nina.new@example.org")
                              ).scalar_one() == before


def test_invitation_after_expiry_says_so_and_offers_a_new_link(app, login, world, db_session, clock):
    token = _approved(app, login, world, db_session)
    clock.advance(seconds=7 * 24 * 3600 + 1)
    resp = app.test_client().get(f"/access/invitation/{token}")
    assert resp.status_code == 410
    html = resp.get_data(as_text=True)
    assert "has expired" in html and "/auth/forgot" in html


def test_invitation_lifetime_follows_the_setting(app, login, world, db_session, clock):
    from lms.core import settings

    settings.change(db_session, "accounts.invitation_days", "2", actor=None, now=clock.now)
    db_session.commit()
    _approved(app, login, world, db_session)
    invitation = db_session.execute(sa.select(AccessInvitation)).scalar_one()
    assert invitation.expires_at == clock.now + timedelta(days=2)


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%C3%A9t%C3%A9"])
def test_invitation_unknown_token_is_404_in_words(app, token):
    resp = app.test_client().get(f"/access/invitation/{token}")
    assert resp.status_code == 404 and "not valid" in resp.get_data(as_text=True)


def test_membership_and_grant_rows_are_scoped_to_the_requesting_agency(app, login, world, db_session):
    _approved(app, login, world, db_session)
    user = db_session.execute(sa.select(User).where(User.email == "nina.new@example.org")).scalar_one()
    rows = db_session.execute(sa.select(AgencyMembership.agency_id).where(AgencyMembership.user_id == user.id)).all()
    grants = db_session.execute(sa.select(RoleGrant.agency_id).where(RoleGrant.user_id == user.id)).all()
    assert rows == [(world.agency.id,)] and grants == [(world.agency.id,)]


def test_home_panel_query_count_does_not_grow_with_requests(app, login, world, db_session, make_agency, make_project,
                                                            make_user):
    """Requests from several agencies of the CoC: a query per row (or per agency) would show here."""
    from bench.harness import count_queries
    from lms.core.db import get_database

    engine = get_database(app).engine
    counts = {}
    for n in (1, 6):
        while len(_requests(db_session)) < n:
            k = len(_requests(db_session))
            agency = make_agency(coc=world.coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
            project = make_project(agency=agency)
            rep = make_user(f"rep-{k}@example.org", roles=[Role.AGENCY_REP], agency=agency)
            _client(app, login, rep).post(f"/access/requests/new?agency={agency.id}",
                                          data=_form(world, email=f"p{k}@example.org", project_ids=[str(project.id)]))
        for who in ("rep", "manager"):
            client = _client(app, login, getattr(world, who))
            with count_queries(engine) as counter:
                assert client.get("/").status_code == 200
            counts[(who, n)] = counter.count
    assert counts[("rep", 1)] == counts[("rep", 6)] and counts[("manager", 1)] == counts[("manager", 6)], counts


def test_submit_with_forged_extra_fields_ignores_them(app, login, world, db_session):
    _, resp = _submit(app, login, world, status="approved", submitted_by_id=str(world.manager.id),
                      agency_id=str(world.other.id), user_id="1")
    assert resp.status_code == 303
    [req] = _requests(db_session)
    assert (req.status, req.submitted_by_id, req.agency_id, req.user_id) == ("submitted", world.rep.id,
                                                                             world.agency.id, None)


def test_rep_of_two_agencies_chooses_the_agency_first(app, login, world, db_session, make_agency):
    second = make_agency(coc=world.coc, name="Second Agency")
    grant = RoleGrant(user_id=world.rep.id, role="agency_rep", agency_id=second.id, granted_at=world.rep.created_at)
    db_session.add(grant)
    db_session.commit()
    client = _client(app, login, world.rep)
    html = client.get("/access/requests/new").get_data(as_text=True)
    assert "For which agency" in html and "Second Agency" in html
    assert "Night Shelter" in client.get(f"/access/requests/new?agency={world.agency.id}").get_data(as_text=True)
    assert client.get(f"/access/requests/new?agency={world.other.id}").status_code == 404
