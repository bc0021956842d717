"""Violations through the pages: recording (and who may), the lead administrator's review, the tiers.

Lifting a suspension (remedy, the 30 days, the review panel) is in ``test_sanctions_lifting.py``; the letter
and the report in ``test_sanctions_reports.py``; the shared world in ``sanctions_world.py``.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.core.mail import OutboxMessage
from tests.conftest import signed_in_client as _client
from tests.functional.accounts.sanctions_world import (TODAY, _actions, _confirmed, _follow, _live_sessions, _record,
                                                       _recorded, _review, _sign_in, _suspensions, _text, _violations)
from tests.functional.accounts.sanctions_world import world  # noqa: F401 - the fixture


# --- recording ------------------------------------------------------------------------------------------

def test_manager_records_a_violation_and_the_person_is_suspended_at_once(app, login, world, db_session):
    ed_client = _client(app, login, world.ed)
    manager = _client(app, login, world.manager)
    form_page = _text(manager.get("/violations/new"))
    assert "Harbor House (MO-500)" in form_page and "Bridge Shelter" not in form_page
    page = _follow(manager, _record(manager, world))
    assert "Recorded. Ed Enduser's access is suspended pending the HMIS Lead's review" in page
    assert "Awaiting the HMIS Lead's review" in page
    [v] = _violations(db_session)
    assert (v.user_id, v.agency_id, v.status, v.tier, v.recorded_by_id) == (
        world.ed.id, world.agency.id, "pending_review", None, world.manager.id)
    [s] = _suspensions(db_session)
    assert s.lifted_at is None and s.violation_id == v.id
    assert _live_sessions(db_session, world.ed) == []
    assert ed_client.get("/").status_code in (302, 303)  # his open browser is signed out
    db_session.expire_all()
    mailed = {m.to_addr for m in db_session.execute(sa.select(OutboxMessage).where(
        OutboxMessage.subject == "HMIS access suspended pending review")).scalars()}
    assert mailed == {world.ed.email, world.rep.email}
    assert "sanctions.violation_recorded" in _actions(db_session)


def test_suspended_person_is_refused_sign_in_and_told_why(app, login, world, db_session):
    _recorded(app, login, world, db_session)
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423
    text = _text(resp)
    assert "Your HMIS access is suspended while the HMIS Lead reviews a reported violation of the HMIS policies." \
        in text
    assert "Contact your agency's authorized representative." in text
    assert _live_sessions(db_session, world.ed) == []
    assert "sanctions.sign_in_refused" in _actions(db_session)
    # A wrong password tells nothing about the suspension.
    wrong = login(app.test_client(), world.ed, "Not-The-Password-1", expect_ok=False)
    assert wrong.status_code == 401 and "suspended" not in _text(wrong)


def test_the_sign_in_check_asks_for_itself_only_when_the_sign_in_did_not_read_its_flag(app, login, world, db_session,
                                                                                      clock):
    """The sign-in reads "suspended?" with the person (``signals.sign_in_flags``); the receiver trusts that answer
    and asks the database itself only when it was not given."""
    from lms.accounts.sanctions import services

    _recorded(app, login, world, db_session)
    ed = db_session.get(type(world.ed), world.ed.id)
    assert "suspended" in services.refuse_sign_in(db_session, user=ed, now=clock.now)
    assert "suspended" in services.refuse_sign_in(db_session, user=ed, now=clock.now, flags={})
    assert "suspended" in services.refuse_sign_in(db_session, user=ed, now=clock.now,
                                                  flags={services.SIGN_IN_FLAG: True})
    assert services.refuse_sign_in(db_session, user=ed, now=clock.now, flags={services.SIGN_IN_FLAG: False}) is None


def test_other_people_keep_signing_in(app, login, world, db_session):
    _recorded(app, login, world, db_session)
    assert _sign_in(app, login, world.bo).status_code in (302, 303)


@pytest.mark.parametrize("over, message", [
    ({"occurred_on": "9999-12-31"}, "cannot have happened in the future"),
    ({"occurred_on": "1990-01-01"}, "more than 10 years ago"),
    ({"occurred_on": "٢٠٢٦-١١-٠١"}, "valid date"),
    ({"occurred_on": ""}, "Enter the day the violation happened."),
    ({"description": "  "}, "Describe"),
    ({"email": "nobody@example.org"}, "No one has that e-mail address."),
])
def test_bad_violation_form_is_400_and_no_one_is_suspended(app, login, world, db_session, over, message):
    resp = _record(_client(app, login, world.manager), world, **over)
    assert resp.status_code == 400 and message in _text(resp)
    assert _violations(db_session) == [] and _suspensions(db_session) == []


@pytest.mark.parametrize("agency_id, status", [("999999", 404), ("abc", 400), ("", 400)])
def test_forged_agency_id_is_refused_and_no_one_is_suspended(app, login, world, db_session, agency_id, status):
    resp = _record(_client(app, login, world.manager), world, agency_id=agency_id)
    assert resp.status_code == status
    assert _violations(db_session) == [] and _suspensions(db_session) == []
    assert _sign_in(app, login, world.ed).status_code in (302, 303)


def test_violation_at_an_agency_the_person_never_belonged_to_is_refused(app, login, world, db_session):
    resp = _record(_client(app, login, world.lead), world, person=world.bo)
    assert resp.status_code == 400 and "never had access through that agency" in _text(resp)
    assert _violations(db_session) == []


def test_recording_a_violation_of_your_own_is_refused(app, login, world, db_session):
    resp = _record(_client(app, login, world.manager), world, person=world.manager)
    assert resp.status_code == 400 and "You cannot record a violation of your own." in _text(resp)
    assert _violations(db_session) == [] and _suspensions(db_session) == []


@pytest.mark.parametrize("who", ["ed", "rep", "helpdesk"])
def test_recording_by_a_role_other_than_staff_is_403(app, login, world, db_session, who):
    client = _client(app, login, getattr(world, who))
    assert client.get("/violations/new").status_code == 403
    assert _record(client, world).status_code == 403
    assert _violations(db_session) == [] and _suspensions(db_session) == []
    assert _sign_in(app, login, world.ed).status_code in (302, 303)


def test_manager_of_another_coc_may_not_record_for_this_agency(app, login, world, db_session):
    resp = _record(_client(app, login, world.other_manager), world)
    assert resp.status_code == 403
    assert _violations(db_session) == [] and _suspensions(db_session) == []


# --- review ---------------------------------------------------------------------------------------------

def test_only_the_lead_administrator_reviews(app, login, world, db_session):
    v = _recorded(app, login, world, db_session)
    for who in ("manager", "sysadmin", "rep", "helpdesk", "eve"):
        resp = _review(app, login, world, v, who=getattr(world, who))
        assert resp.status_code == 403, who
    for who in ("other_manager", "other_rep"):
        assert _review(app, login, world, v, who=getattr(world, who)).status_code == 403, who
    assert _violations(db_session)[0].status == "pending_review"
    assert "Record the review" not in _text(_client(app, login, world.manager).get(f"/violations/{v.id}"))
    assert "Record the review" in _text(_client(app, login, world.lead).get(f"/violations/{v.id}"))


def test_confirming_the_first_violation_sets_tier_one(app, login, world, db_session):
    v = _recorded(app, login, world, db_session)
    lead = _client(app, login, world.lead)
    page = _follow(lead, lead.post(f"/violations/{v.id}/review", data={"outcome": "confirm", "note": "Admitted."}))
    assert "The review is recorded" in page and "Confirmed" in page
    assert "1: until the agency reports the action taken to remedy the violation" in page
    [v] = _violations(db_session)
    assert (v.status, v.tier, v.reviewed_by_id, v.review_note) == ("confirmed", 1, world.lead.id, "Admitted.")
    assert _suspensions(db_session)[0].lifted_at is None
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423
    assert ("Your HMIS access is suspended for a 1st violation of the HMIS policies. The agency has not reported "
            "the action taken to remedy the violation.") in _text(resp)


def test_dismissal_lifts_the_suspension(app, login, world, db_session):
    v = _recorded(app, login, world, db_session)
    lead = _client(app, login, world.lead)
    page = _follow(lead, lead.post(f"/violations/{v.id}/review", data={"outcome": "dismiss", "note": "Not a violation."}))
    assert "Dismissed" in page and "Lifted" in page
    [v] = _violations(db_session)
    [s] = _suspensions(db_session)
    assert (v.status, v.tier, s.lift_reason, s.lifted_by_id) == ("dismissed", None, "dismissed", world.lead.id)
    assert _sign_in(app, login, world.ed).status_code in (302, 303)


def test_double_submit_of_a_review_records_one_review(app, login, world, db_session, clock):
    v = _recorded(app, login, world, db_session)
    lead = _client(app, login, world.lead)
    first = lead.post(f"/violations/{v.id}/review", data={"outcome": "confirm", "note": "First."})
    second = lead.post(f"/violations/{v.id}/review", data={"outcome": "dismiss", "note": "Second."})
    assert first.status_code == 303
    assert second.status_code == 409 and "This violation has already been reviewed." in _text(second)
    [v] = _violations(db_session)
    assert (v.status, v.review_note, v.tier) == ("confirmed", "First.", 1)
    assert _suspensions(db_session)[0].lifted_at is None
    assert _actions(db_session).count("sanctions.violation_confirmed") == 1
    assert "sanctions.violation_dismissed" not in _actions(db_session)


@pytest.mark.parametrize("data, message", [
    ({"outcome": "confirm", "note": ""}, "Give the reason for your decision."),
    ({"outcome": "maybe", "note": "Hmm."}, "Not a valid choice"),
])
def test_review_without_reason_or_outcome_is_400(app, login, world, db_session, data, message):
    v = _recorded(app, login, world, db_session)
    resp = _client(app, login, world.lead).post(f"/violations/{v.id}/review", data=data)
    assert resp.status_code == 400 and message in _text(resp)
    assert _violations(db_session)[0].status == "pending_review"


def test_review_of_an_unknown_violation_is_404(app, login, world):
    assert _client(app, login, world.lead).post("/violations/999999/review",
                                                data={"outcome": "confirm", "note": "x"}).status_code == 404


def test_violation_by_an_administrator_is_recorded_only_by_a_lead_administrator(app, login, world, db_session):
    from lms.accounts import services

    services.add_membership(db_session, world.lead2, world.agency, started_on=TODAY, now=world.lead2.created_at)
    db_session.commit()
    refused = _record(_client(app, login, world.manager), world, person=world.lead2)
    assert refused.status_code == 400
    assert "Only an HMIS lead administrator may record a violation by an administrator." in _text(refused)
    assert _violations(db_session) == []
    assert _record(_client(app, login, world.lead), world, person=world.lead2).status_code == 303
    # The suspended lead cannot sign in, so cannot review their own violation either.
    assert _sign_in(app, login, world.lead2).status_code == 423
    assert _violations(db_session)[0].status == "pending_review"


# --- tiers ----------------------------------------------------------------------------------------------

def test_tiers_count_confirmed_violations_ever_and_law_makes_a_third(app, login, world, db_session, clock):
    first = _confirmed(app, login, world, db_session)
    # A dismissed one does not count.
    dismissed = _recorded(app, login, world, db_session, description="Printed a client list.")
    assert _review(app, login, world, dismissed, "dismiss", "Not him.").status_code == 303
    second = _confirmed(app, login, world, db_session, description="Left a session open.")
    law = _confirmed(app, login, world, db_session, description="Sold client data.", broke_law="y")
    assert [(v.id, v.status, v.tier) for v in _violations(db_session)] == [
        (first.id, "confirmed", 1), (dismissed.id, "dismissed", None), (second.id, "confirmed", 2),
        (law.id, "confirmed", 3)]


def test_a_violation_of_law_is_a_third_at_once(app, login, world, db_session):
    v = _confirmed(app, login, world, db_session, broke_law="y")
    assert v.tier == 3
    page = _text(_client(app, login, world.lead).get(f"/violations/{v.id}"))
    assert "Yes: handled as a third violation" in page and "Record the decision" in page
