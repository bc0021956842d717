"""User access requests, deciding and withdrawing: approval (account, membership, plan, invitation), denial,
a second decision, withdrawal; for every role, including the ones refused.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.core.roles import Role
from lms.training.models import TrainingPlan
from tests.conftest import signed_in_client as _client
from tests.functional.accounts.requests_world import _actions, _mail_to, _requests, _submit
from tests.functional.accounts.requests_world import world  # noqa: F401 - the fixture


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
