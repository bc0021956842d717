"""Violations and suspensions through the pages: record, sign-in refused, review, remedy, the 30 days, the
review panel, the letter and the report; every role that must be refused is refused and nothing changes."""

from __future__ import annotations

import csv
import html
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.sanctions.models import Suspension, Violation
from lms.auth.models import UserSession
from lms.core.audit import AuditEvent
from lms.core.db import get_database
from lms.core.jobs import SUCCEEDED, run_job
from lms.core.mail import OutboxMessage
from lms.core.roles import Role
from tests.conftest import signed_in_client as _client

#: The clock fixture's day in the HMIS Lead's zone (America/Chicago): Monday, November 2, 2026.
TODAY = date(2026, 11, 2)


@pytest.fixture
def world(make_coc, make_agency, make_user):
    """CoC one: agency A (Rita its rep, Ed an end user), Mona its HMIS manager; CoC two: agency B (Otto its rep),
    Max its HMIS manager; a lead administrator, a second one, a system administrator, a helpdesk reviewer."""
    w = type("World", (), {})()
    w.coc, w.other_coc = make_coc(code="MO-500", name="Saint Louis CoC"), make_coc(code="MO-600", name="Other CoC")
    w.agency = make_agency(coc=w.coc, name="Harbor House")
    w.other = make_agency(coc=w.other_coc, name="Bridge Shelter")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=w.agency, full_name="Rita Rep")
    w.other_rep = make_user("otto@example.org", roles=[Role.AGENCY_REP], agency=w.other, full_name="Otto Rep")
    w.ed = make_user("ed@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Ed Enduser")
    w.eve = make_user("eve@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Eve Enduser")
    w.bo = make_user("bo@example.org", roles=[Role.END_USER], agency=w.other, full_name="Bo Other")
    w.manager = make_user("manager@example.org", roles=[Role.HMIS_MANAGER], coc=w.coc, full_name="Mona Manager")
    w.other_manager = make_user("max@example.org", roles=[Role.HMIS_MANAGER], coc=w.other_coc, full_name="Max Manager")
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead")
    w.lead2 = make_user("lead2@example.org", roles=[Role.LEAD_ADMIN], full_name="Lou Lead")
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN], full_name="Sy Admin")
    w.helpdesk = make_user("help@example.org", roles=[Role.HELPDESK])
    return w


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def _follow(client, resp) -> str:
    assert resp.status_code == 303, _text(resp)[:3000]
    return _text(client.get(resp.headers["Location"]))


def _violation_form(world, person=None, agency=None, **over):
    data = {"email": (person or world.ed).email, "agency_id": str((agency or world.agency).id),
            "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
            "description": "Shared a password with a coworker."}
    data.update(over)
    return data


def _record(client, world, **over):
    return client.post("/violations/new", data=_violation_form(world, **over))


def _violations(db_session) -> list[Violation]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(Violation).order_by(Violation.id)).scalars())


def _suspensions(db_session) -> list[Suspension]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(Suspension).order_by(Suspension.id)).scalars())


def _actions(db_session) -> list[str]:
    return [a for (a,) in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))]


def _live_sessions(db_session, user) -> list[UserSession]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).scalars())


def _sign_in(app, login, user):
    """Try to sign in; return the response (303 on success)."""
    return login(app.test_client(), user, expect_ok=False)


def _recorded(app, login, world, db_session, **over) -> Violation:
    """Record a violation as the HMIS manager; return it."""
    resp = _record(_client(app, login, world.manager), world, **over)
    assert resp.status_code == 303, _text(resp)[:3000]
    return _violations(db_session)[-1]


def _review(app, login, world, v, outcome="confirm", note="Confirmed with the agency.", who=None):
    return _client(app, login, who or world.lead).post(f"/violations/{v.id}/review",
                                                      data={"outcome": outcome, "note": note})


def _confirmed(app, login, world, db_session, **over) -> Violation:
    v = _recorded(app, login, world, db_session, **over)
    assert _review(app, login, world, v).status_code == 303
    db_session.expire_all()
    return db_session.get(Violation, v.id)


def _remedy(client, v, text="Retrained the whole intake team."):
    return client.post(f"/violations/{v.id}/remedy", data={"remedy": text})


def _lift_job(app, clock) -> None:
    assert run_job(get_database(app), app.config, "sanctions.lift_due", now=clock.now) == SUCCEEDED


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


# --- letter ---------------------------------------------------------------------------------------------

def test_letter_page_renders_the_notice_in_words(app, login, world, db_session):
    v = _confirmed(app, login, world, db_session)
    for who in ("lead", "manager", "rep"):
        resp = _client(app, login, getattr(world, who)).get(f"/violations/{v.id}/letter")
        assert resp.status_code == 200, who
        text = _text(resp)
        assert "Notice of an HMIS policy violation" in text
        assert "This letter concerns Ed Enduser and Harbor House." in text
        assert "confirmed it as Ed Enduser's 1st violation" in text
        assert "ed@example.org" in text and "rep@example.org" in text
    for who, status in (("other_rep", 404), ("other_manager", 404), ("eve", 403), ("helpdesk", 403)):
        assert _client(app, login, getattr(world, who)).get(f"/violations/{v.id}/letter").status_code == status, who


def test_detail_page_for_outsiders(app, login, world, db_session):
    v = _recorded(app, login, world, db_session)
    for who, status in (("other_rep", 404), ("other_manager", 404), ("eve", 403), ("helpdesk", 403),
                        ("rep", 200), ("manager", 200), ("sysadmin", 200)):
        assert _client(app, login, getattr(world, who)).get(f"/violations/{v.id}").status_code == status, who
    assert "Ed Enduser" not in _text(_client(app, login, world.other_manager).get("/violations?status=all"))
    assert "Ed Enduser" in _text(_client(app, login, world.manager).get("/violations"))


# --- report ---------------------------------------------------------------------------------------------

def _csv(resp) -> list[list[str]]:
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


def test_report_filters_by_coc_and_dates(app, login, world, db_session):
    _recorded(app, login, world, db_session, occurred_on="2026-10-01", description="October thing.")
    _recorded(app, login, world, db_session, occurred_on="2026-10-20", description="Late October thing.")
    resp = _record(_client(app, login, world.lead), world, person=world.bo, agency=world.other,
                   occurred_on="2026-10-05", description="Other CoC thing.")
    assert resp.status_code == 303
    lead = _client(app, login, world.lead)
    page = _text(lead.get("/violations/report"))
    assert "3 violations." in page
    assert all(d in page for d in ("October thing.", "Late October thing.", "Other CoC thing."))
    page = _text(lead.get(f"/violations/report?coc={world.coc.id}&since=2026-10-10&until=2026-10-31"))
    assert "1 violation." in page and "Late October thing." in page and "Other CoC thing." not in page
    rows = _csv(lead.get(f"/violations/report?coc={world.coc.id}&format=csv"))
    assert rows[0][:3] == ["Occurred", "Person", "Agency"]
    assert sorted(r[7] for r in rows[1:]) == ["Late October thing.", "October thing."]
    # A manager sees only their CoC, whatever the filter asks.
    rows = _csv(_client(app, login, world.other_manager).get(f"/violations/report?coc={world.coc.id}&format=csv"))
    assert rows[1:] == []
    rows = _csv(_client(app, login, world.other_manager).get("/violations/report?format=csv"))
    assert [r[7] for r in rows[1:]] == ["Other CoC thing."]


@pytest.mark.parametrize("query", ["since=2026-13-01", "until=٢٠٢٦-١١-٠١", "since=2026-11-01&until=2026-10-01",
                                   "since=9999-12-31"])
def test_report_with_bad_dates_is_400(app, login, world, query):
    assert _client(app, login, world.lead).get(f"/violations/report?{query}").status_code == 400


def test_report_csv_neutralises_a_cell_that_would_be_a_formula(app, login, world, db_session):
    _recorded(app, login, world, db_session, description='=HYPERLINK("http://evil.example","x")')
    rows = _csv(_client(app, login, world.lead).get("/violations/report?format=csv"))
    assert rows[1][7] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)


@pytest.mark.parametrize("who", ["eve", "rep", "other_rep", "helpdesk"])
def test_report_and_list_are_refused_to_non_staff(app, login, world, db_session, who):
    _recorded(app, login, world, db_session)
    client = _client(app, login, getattr(world, who))
    assert client.get("/violations/report").status_code == 403
    assert client.get("/violations/report?format=csv").status_code == 403
    assert client.get("/violations").status_code == 403
