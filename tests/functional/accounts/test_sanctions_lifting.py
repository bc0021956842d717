"""Suspensions lifted through the pages: the agency's remedy, the 30 days of the second tier and the job that
lifts them, and the review panel of the third; outsiders are refused and nothing changes.
"""

from __future__ import annotations

import pytest

from lms.accounts.sanctions.models import Suspension, Violation
from tests.conftest import signed_in_client as _client
from tests.functional.accounts.sanctions_world import (_actions, _confirmed, _follow, _lift_job, _recorded, _remedy,
                                                       _sign_in, _suspensions, _text, _violations)
from tests.functional.accounts.sanctions_world import world  # noqa: F401 - the fixture


# --- remedy and lifting ---------------------------------------------------------------------------------

def test_remedy_by_the_agencys_rep_lifts_a_first_tier_suspension(app, login, world, db_session):
    v = _confirmed(app, login, world, db_session)
    rep = _client(app, login, world.rep)
    assert "Report the remedy" in _text(rep.get(f"/violations/{v.id}"))
    page = _follow(rep, _remedy(rep, v))
    assert "The remedy is recorded." in page and "Retrained the whole intake team." in page
    [v] = _violations(db_session)
    [s] = _suspensions(db_session)
    assert v.remedied_by_id == world.rep.id and s.lifted_at is not None and s.lift_reason == "conditions_met"
    assert _sign_in(app, login, world.ed).status_code in (302, 303)
    assert "sanctions.suspension_lifted" in _actions(db_session)
    # A second report is refused and changes nothing.
    again = _remedy(_client(app, login, world.rep), v, "Something else.")
    assert again.status_code == 409 and "already been reported" in _text(again)
    assert _violations(db_session)[0].remedy == "Retrained the whole intake team."


def test_remedy_before_the_review_is_refused(app, login, world, db_session):
    v = _recorded(app, login, world, db_session)
    resp = _remedy(_client(app, login, world.rep), v)
    assert resp.status_code == 409 and "once the HMIS Lead has confirmed the violation" in _text(resp)
    assert _violations(db_session)[0].remedied_at is None


@pytest.mark.parametrize("who, status", [("other_rep", 404), ("other_manager", 404), ("eve", 403),
                                         ("helpdesk", 403)])
def test_remedy_by_outsiders_is_refused_and_nothing_changes(app, login, world, db_session, who, status):
    v = _confirmed(app, login, world, db_session)
    assert _remedy(_client(app, login, getattr(world, who)), v).status_code == status
    assert _violations(db_session)[0].remedied_at is None
    assert _suspensions(db_session)[0].lifted_at is None


def test_second_tier_waits_thirty_days_then_the_job_lifts_it(app, login, world, db_session, clock):
    _confirmed(app, login, world, db_session)
    _remedy(_client(app, login, world.rep), _violations(db_session)[0])
    second = _confirmed(app, login, world, db_session, description="Again.")
    assert second.tier == 2
    _remedy(_client(app, login, world.rep), second)
    db_session.expire_all()
    s = db_session.get(Violation, second.id).suspension
    assert s.lifted_at is None
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423 and "The 30-day suspension has not ended yet." in _text(resp)

    clock.advance(days=29)
    _lift_job(app, clock)
    db_session.expire_all()
    assert db_session.get(Suspension, s.id).lifted_at is None

    clock.advance(days=1, seconds=3600)
    _lift_job(app, clock)
    db_session.expire_all()
    lifted = db_session.get(Suspension, s.id)
    assert lifted.lifted_at is not None and lifted.lift_reason == "conditions_met"
    assert _sign_in(app, login, world.ed).status_code in (302, 303)


def test_second_tier_after_thirty_days_still_waits_for_the_remedy(app, login, world, db_session, clock):
    _confirmed(app, login, world, db_session)
    _remedy(_client(app, login, world.rep), _violations(db_session)[0])
    second = _confirmed(app, login, world, db_session, description="Again.")
    clock.advance(days=31)
    _lift_job(app, clock)
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423
    assert "The agency has not reported the action taken to remedy the violation." in _text(resp)
    assert "30-day" not in _text(resp)
    # The remedy, reported now, lifts it at once.
    assert _remedy(_client(app, login, world.rep), second).status_code == 303
    assert _sign_in(app, login, world.ed).status_code in (302, 303)


# --- review panel (third tier) --------------------------------------------------------------------------

def test_panel_retains_and_the_suspension_lifts_after_thirty_days(app, login, world, db_session, clock):
    v = _confirmed(app, login, world, db_session, broke_law="y")
    for who in ("manager", "sysadmin", "rep"):
        resp = _client(app, login, getattr(world, who)).post(f"/violations/{v.id}/panel",
                                                           data={"decision": "retain", "note": "x"})
        assert resp.status_code == 403, who
    assert _violations(db_session)[0].panel_decision is None
    lead = _client(app, login, world.lead)
    page = _follow(lead, lead.post(f"/violations/{v.id}/panel",
                                   data={"decision": "retain", "note": "First offence; training."}))
    assert "The panel's decision is recorded" in page and "Keeps the license (with training)" in page
    assert _suspensions(db_session)[0].lifted_at is None  # the 30 days still run
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423 and "The 30-day suspension has not ended yet." in _text(resp)
    again = _client(app, login, world.lead).post(f"/violations/{v.id}/panel",
                                                 data={"decision": "terminate", "note": "Changed our minds."})
    assert again.status_code == 409 and "The panel's decision has already been recorded." in _text(again)
    assert _violations(db_session)[0].panel_decision == "retain"
    clock.advance(days=30, seconds=60)
    _lift_job(app, clock)
    assert _suspensions(db_session)[0].lifted_at is not None
    assert _sign_in(app, login, world.ed).status_code in (302, 303)


def test_panel_terminates_and_the_person_stays_out(app, login, world, db_session, clock):
    v = _confirmed(app, login, world, db_session, broke_law="y")
    lead = _client(app, login, world.lead)
    assert lead.post(f"/violations/{v.id}/panel",
                     data={"decision": "terminate", "note": "Sold client data."}).status_code == 303
    clock.advance(days=90)
    _lift_job(app, clock)
    assert _suspensions(db_session)[0].lifted_at is None
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423
    assert "Your HMIS license has been terminated after a review panel's decision." in _text(resp)
    # A remedy does not bring them back either.
    assert _remedy(_client(app, login, world.rep), v).status_code == 303
    clock.advance(seconds=3600)
    _lift_job(app, clock)
    assert _suspensions(db_session)[0].lifted_at is None
    assert _sign_in(app, login, world.ed).status_code == 423


def test_panel_for_a_first_tier_violation_is_refused(app, login, world, db_session):
    v = _confirmed(app, login, world, db_session)
    resp = _client(app, login, world.lead).post(f"/violations/{v.id}/panel",
                                                data={"decision": "retain", "note": "x"})
    assert resp.status_code == 409 and "3rd tier" in _text(resp)
    assert _violations(db_session)[0].panel_decision is None
