"""Revocation notices through the pages: a representative files, the job applies, administrators record the
credential inactive; every role that must be refused is refused and nothing changes."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import AgencyMembership, RoleGrant
from lms.accounts.revocations.models import RevocationNotice
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
def world(app, db_session, clock, make_coc, make_agency, make_user):
    """Agency A (Rita the rep, Ed an end user, Cara a second rep, Dana an end user at A and B), agency B
    (Otto its rep); a manager, a lead administrator, a system administrator and a helpdesk reviewer."""
    from lms.accounts import services

    coc = make_coc()
    w = type("World", (), {})()
    w.coc = coc
    w.agency = make_agency(coc=coc, name="Harbor House")
    w.other = make_agency(coc=coc, name="Bridge Shelter")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=w.agency, full_name="Rita Rep")
    w.co_rep = make_user("cara@example.org", roles=[Role.AGENCY_REP], agency=w.agency, full_name="Cara Corep")
    w.other_rep = make_user("otto@example.org", roles=[Role.AGENCY_REP], agency=w.other, full_name="Otto Rep")
    w.ed = make_user("ed@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Ed Enduser")
    w.dana = make_user("dana@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Dana Dual")
    services.grant_role(db_session, w.dana, Role.END_USER, now=clock.now, agency=w.other)
    services.add_membership(db_session, w.dana, w.other, started_on=clock.now.date(), now=clock.now)
    db_session.commit()
    w.stranger = make_user("sam@example.org", roles=[Role.END_USER], agency=w.other, full_name="Sam Stranger")
    w.manager = make_user("manager@example.org", roles=[Role.HMIS_MANAGER], coc=coc, full_name="Mona Manager")
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead")
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN], full_name="Sy Admin")
    w.helpdesk = make_user("help@example.org", roles=[Role.HELPDESK])
    return w


def _membership(db_session, user, agency) -> AgencyMembership:
    db_session.expire_all()
    return db_session.execute(sa.select(AgencyMembership).where(
        AgencyMembership.user_id == user.id, AgencyMembership.agency_id == agency.id)).scalar_one()


def _form(membership_id, effective=TODAY, **over):
    data = {"membership_id": str(membership_id), "kind": "separation",
            "effective_on": effective.isoformat() if isinstance(effective, date) else effective,
            "reason": "Resigned; last day on site was today."}
    data.update(over)
    return data


def _file(client, membership_id, effective=TODAY, **over):
    return client.post("/agency/revocations/new", data=_form(membership_id, effective, **over))


def _notices(db_session) -> list[RevocationNotice]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(RevocationNotice).order_by(RevocationNotice.id)).scalars())


def _grants(db_session, user) -> list[tuple[str, int | None]]:
    db_session.expire_all()
    return sorted((g.role, g.agency_id) for g in db_session.execute(
        sa.select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))).scalars())


def _live_sessions(db_session, user) -> list[UserSession]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).scalars())


def _actions(db_session) -> list[str]:
    return [a for (a,) in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))]


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def _follow(client, resp) -> str:
    assert resp.status_code == 303, _text(resp)[:2000]
    return _text(client.get(resp.headers["Location"]))


# --- filing: effective today ----------------------------------------------------------------------------

def test_notice_effective_today_ends_membership_roles_and_sessions_at_once(app, login, world, db_session):
    ed_client = _client(app, login, world.ed)
    assert _live_sessions(db_session, world.ed)
    rep = _client(app, login, world.rep)
    form_page = _text(rep.get("/agency/revocations/new"))
    assert "Ed Enduser (Harbor House)" in form_page and "Sam Stranger" not in form_page
    resp = _file(rep, _membership(db_session, world.ed, world.agency).id)
    page = _follow(rep, resp)
    assert "Ed Enduser can no longer act for Harbor House; their sessions have ended." in page
    assert "Late" not in page and "in time: due by" in page
    [notice] = _notices(db_session)
    assert notice.applied_at is not None and not notice.is_late and notice.status == "open"
    assert (notice.notified_on, notice.effective_on, notice.submitted_by_id) == (TODAY, TODAY, world.rep.id)
    assert _membership(db_session, world.ed, world.agency).ended_on == TODAY
    assert _grants(db_session, world.ed) == []
    assert _live_sessions(db_session, world.ed) == []
    # Ed's open browser is signed out: the next page asks him to sign in.
    after = ed_client.get("/")
    assert after.status_code in (302, 303) and "/auth/login" in after.headers["Location"]
    assert {"revocations.notice_filed", "revocations.applied"} <= set(_actions(db_session))


def test_revoked_representative_can_no_longer_act_for_the_agency(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    assert _file(rep, _membership(db_session, world.co_rep, world.agency).id).status_code == 303
    cara = _client(app, login, world.co_rep)  # the password still works ...
    assert cara.get("/agency/revocations/new").status_code == 403  # ... but she no longer acts for the agency
    assert cara.get("/agency/revocations").status_code == 403
    [notice] = _notices(db_session)
    assert cara.get(f"/revocations/{notice.id}").status_code == 403


def test_person_with_another_agency_keeps_that_access(app, login, world, db_session):
    dana_client = _client(app, login, world.dana)
    rep = _client(app, login, world.rep)
    resp = _file(rep, _membership(db_session, world.dana, world.agency).id, kind="transfer")
    assert resp.status_code == 303
    assert _grants(db_session, world.dana) == [("end_user", world.other.id)]
    assert _membership(db_session, world.dana, world.other).ended_on is None
    assert _membership(db_session, world.dana, world.agency).ended_on == TODAY
    # Every session ended (the manual: sessions end), but she may sign in again for the other agency.
    assert dana_client.get("/").status_code in (302, 303)
    _client(app, login, world.dana)
    assert len(_live_sessions(db_session, world.dana)) == 1
    # Bridge Shelter's representative still sees her among their people.
    assert "Dana Dual (Bridge Shelter)" in _text(_client(app, login, world.other_rep).get("/agency/revocations/new"))
    assert "Dana Dual (Harbor House)" not in _text(rep.get("/agency/revocations/new"))


# --- filing: in advance, then the job -------------------------------------------------------------------

def test_advance_notice_is_scheduled_and_the_job_applies_it_when_the_date_comes(app, login, world, db_session, clock):
    rep = _client(app, login, world.rep)
    membership_id = _membership(db_session, world.ed, world.agency).id
    page = _follow(rep, _file(rep, membership_id, TODAY + timedelta(days=4)))
    assert "Filed. Ed Enduser's access for Harbor House ends after 11/06/2026." in page
    [notice] = _notices(db_session)
    assert notice.applied_at is None and notice.status == "scheduled"
    assert _grants(db_session, world.ed) == [("end_user", world.agency.id)]
    assert "Ed Enduser" in _text(_client(app, login, world.lead).get("/admin/revocations?show=scheduled"))
    ed_client = _client(app, login, world.ed)

    # Before the date the job leaves it alone.
    clock.advance(days=3)
    assert run_job(get_database(app), app.config, "revocations.apply_due", now=clock.now) == SUCCEEDED
    assert _notices(db_session)[0].applied_at is None
    assert _membership(db_session, world.ed, world.agency).ended_on is None

    clock.advance(days=1)  # Friday, November 6: the day itself
    assert run_job(get_database(app), app.config, "revocations.apply_due", now=clock.now) == SUCCEEDED
    [notice] = _notices(db_session)
    assert notice.applied_at == clock.now and notice.status == "open"
    assert _membership(db_session, world.ed, world.agency).ended_on == date(2026, 11, 6)
    assert _grants(db_session, world.ed) == [] and _live_sessions(db_session, world.ed) == []
    assert ed_client.get("/").status_code in (302, 303)
    # Running again changes nothing.
    clock.advance(seconds=900)
    assert run_job(get_database(app), app.config, "revocations.apply_due", now=clock.now) == SUCCEEDED
    assert _actions(db_session).count("revocations.applied") == 1


# --- late notices ---------------------------------------------------------------------------------------

def test_notice_after_three_business_days_is_recorded_late(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    # Tuesday Oct 27: the three business days end Friday Oct 30; today is Monday Nov 2.
    page = _follow(rep, _file(rep, _membership(db_session, world.ed, world.agency).id, date(2026, 10, 27)))
    assert "recorded as late against the agency" in page and "Late" in page
    [notice] = _notices(db_session)
    assert notice.is_late and notice.applied_at is not None
    assert _membership(db_session, world.ed, world.agency).ended_on == date(2026, 10, 27)
    assert "revocations.notice_filed_late" in _actions(db_session)
    queue = _text(_client(app, login, world.lead).get("/admin/revocations?show=late"))
    assert "Ed Enduser" in queue and "Filed late" in queue


def test_notice_within_three_business_days_is_in_time(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    # Thursday Oct 29: Oct 30, Nov 2, Nov 3 are the three business days.
    page = _follow(rep, _file(rep, _membership(db_session, world.ed, world.agency).id, date(2026, 10, 29)))
    assert "recorded as late" not in page
    assert not _notices(db_session)[0].is_late


def test_federal_holiday_is_not_a_business_day(app, login, world, db_session, clock):
    clock.advance(days=10)  # Thursday, November 12, 2026; Wednesday the 11th is Veterans Day
    rep = _client(app, login, world.rep)
    # Friday Nov 6: Nov 9, 10 and (skipping the 11th) 12 are its three business days: in time.
    assert _file(rep, _membership(db_session, world.ed, world.agency).id, date(2026, 11, 6)).status_code == 303
    # Thursday Nov 5: Nov 6, 9, 10: late on the 12th.
    assert _file(rep, _membership(db_session, world.dana, world.agency).id, date(2026, 11, 5)).status_code == 303
    assert [(n.user_id, n.is_late) for n in _notices(db_session)] == [(world.ed.id, False), (world.dana.id, True)]


# --- refusals while filing ------------------------------------------------------------------------------

def test_another_agencys_person_is_404_and_nothing_changes(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    resp = _file(rep, _membership(db_session, world.stranger, world.other).id)
    assert resp.status_code == 404
    assert "That person is not one of your agency's people." in _text(resp)
    assert _notices(db_session) == []
    assert _membership(db_session, world.stranger, world.other).ended_on is None
    assert _grants(db_session, world.stranger) == [("end_user", world.other.id)]


@pytest.mark.parametrize("forged", ["999999", "-1", "0"])
def test_forged_membership_id_is_404_and_nothing_changes(app, login, world, db_session, forged):
    resp = _file(_client(app, login, world.rep), forged)
    assert resp.status_code == 404 and "not one of your agency" in _text(resp)
    assert _notices(db_session) == []


@pytest.mark.parametrize("forged", ["abc", "", "1.5"])
def test_membership_id_that_is_not_a_number_is_400(app, login, world, db_session, forged):
    resp = _file(_client(app, login, world.rep), forged)
    assert resp.status_code == 400 and _notices(db_session) == []


def test_second_notice_while_one_waits_is_refused(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    membership_id = _membership(db_session, world.ed, world.agency).id
    assert _file(rep, membership_id, TODAY + timedelta(days=10)).status_code == 303
    again = _file(rep, membership_id, TODAY + timedelta(days=20))
    assert again.status_code == 409
    assert "already waiting for its date" in _text(again)
    assert len(_notices(db_session)) == 1


def test_notice_for_a_person_already_revoked_is_refused(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    membership_id = _membership(db_session, world.ed, world.agency).id
    assert _file(rep, membership_id).status_code == 303
    again = _file(rep, membership_id, TODAY - timedelta(days=1))
    assert again.status_code == 409 and "no longer has access through your agency" in _text(again)
    assert len(_notices(db_session)) == 1


def test_double_submit_of_the_same_notice_records_one(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    membership_id = _membership(db_session, world.ed, world.agency).id
    first = _file(rep, membership_id, TODAY + timedelta(days=3))
    second = _file(rep, membership_id, TODAY + timedelta(days=3))
    assert first.status_code == 303 and second.status_code == 409
    assert len(_notices(db_session)) == 1


@pytest.mark.parametrize("bad, message", [
    ("2026-11-02\x00", None),  # NUL: refused before it reaches the form
    ("9999-12-31", "more than a year ahead"),
    ("1999-01-01", "more than a year ago"),
    ("٢٠٢٦-١١-٠٢", "valid date"),  # Arabic-Indic digits
    ("２０２６-１１-０２", "valid date"),  # full-width digits
    ("2026-02-30", "valid date"),
    ("", "Enter the date the person stops needing HMIS access."),
])
def test_bad_dates_are_400_with_a_message_and_nothing_changes(app, login, world, db_session, bad, message):
    resp = _file(_client(app, login, world.rep), _membership(db_session, world.ed, world.agency).id, bad)
    assert resp.status_code == 400
    if message:
        assert message in _text(resp)
    assert _notices(db_session) == []
    assert _membership(db_session, world.ed, world.agency).ended_on is None


@pytest.mark.parametrize("over, message", [
    ({"kind": "fired"}, "Not a valid choice"),
    ({"reason": "   "}, "Say briefly why the person no longer needs access."),
])
def test_bad_kind_or_empty_reason_is_400(app, login, world, db_session, over, message):
    resp = _file(_client(app, login, world.rep), _membership(db_session, world.ed, world.agency).id, **over)
    assert resp.status_code == 400 and message in _text(resp)
    assert _notices(db_session) == []


# --- who may file and see -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["ed", "helpdesk", "manager", "lead", "sysadmin"])
def test_filing_by_a_role_other_than_rep_is_403_and_nothing_changes(app, login, world, db_session, who):
    client = _client(app, login, getattr(world, who))
    membership_id = _membership(db_session, world.ed, world.agency).id
    assert client.get("/agency/revocations/new").status_code == 403
    assert _file(client, membership_id).status_code == 403
    assert _notices(db_session) == []
    assert _membership(db_session, world.ed, world.agency).ended_on is None


def test_notice_pages_for_outsiders(app, login, world, db_session):
    rep = _client(app, login, world.rep)
    _file(rep, _membership(db_session, world.ed, world.agency).id)
    [notice] = _notices(db_session)
    assert _client(app, login, world.other_rep).get(f"/revocations/{notice.id}").status_code == 404
    assert "Ed Enduser" not in _text(_client(app, login, world.other_rep).get("/agency/revocations"))
    for who in ("helpdesk", "manager", "dana"):
        assert _client(app, login, getattr(world, who)).get(f"/revocations/{notice.id}").status_code == 403, who
    for who in ("rep", "lead", "sysadmin"):
        assert _client(app, login, getattr(world, who)).get(f"/revocations/{notice.id}").status_code == 200, who
    assert "Ed Enduser" in _text(_client(app, login, world.rep).get("/agency/revocations"))


# --- the administrators' queue --------------------------------------------------------------------------

def test_queue_shows_the_applied_notice_and_done_records_who_and_when_once(app, login, world, db_session, clock):
    _file(_client(app, login, world.rep), _membership(db_session, world.ed, world.agency).id)
    [notice] = _notices(db_session)
    lead = _client(app, login, world.lead)
    queue = _text(lead.get("/admin/revocations"))
    assert "Ed Enduser" in queue and "1 to make inactive, 0 overdue." in queue
    assert "Record as inactive" in queue
    clock.advance(seconds=120)
    done = lead.post(f"/admin/revocations/{notice.id}/done", data={"confirm": "1"})
    page = _follow(lead, done)
    assert "Recorded: Ed Enduser's live credential is inactive." in page
    assert "0 to make inactive" in page
    [notice] = _notices(db_session)
    assert (notice.deactivated_by_id, notice.deactivated_at, notice.status) == (world.lead.id, clock.now, "done")
    done_at = notice.deactivated_at
    assert "Ed Enduser" in _text(lead.get("/admin/revocations?show=done"))

    # A second click (another tab, or the other administrator) finds it done: a clear conflict, one record.
    clock.advance(seconds=60)
    again = _client(app, login, world.sysadmin).post(f"/admin/revocations/{notice.id}/done", data={"confirm": "1"})
    assert again.status_code == 409 and "already recorded as inactive" in _text(again)
    [notice] = _notices(db_session)
    assert (notice.deactivated_by_id, notice.deactivated_at) == (world.lead.id, done_at)
    assert _actions(db_session).count("revocations.credential_inactive") == 1


def test_done_before_the_notice_takes_effect_is_a_conflict(app, login, world, db_session):
    _file(_client(app, login, world.rep), _membership(db_session, world.ed, world.agency).id,
          TODAY + timedelta(days=5))
    [notice] = _notices(db_session)
    resp = _client(app, login, world.lead).post(f"/admin/revocations/{notice.id}/done", data={"confirm": "1"})
    assert resp.status_code == 409 and "has not taken effect yet" in _text(resp)
    assert _notices(db_session)[0].deactivated_at is None


@pytest.mark.parametrize("who", ["rep", "other_rep", "ed", "helpdesk", "manager"])
def test_queue_and_done_are_refused_to_non_administrators(app, login, world, db_session, who):
    _file(_client(app, login, world.rep), _membership(db_session, world.ed, world.agency).id)
    [notice] = _notices(db_session)
    client = _client(app, login, getattr(world, who))
    assert client.get("/admin/revocations").status_code == 403
    assert client.post(f"/admin/revocations/{notice.id}/done", data={"confirm": "1"}).status_code == 403
    assert _notices(db_session)[0].deactivated_at is None


def test_done_for_an_unknown_notice_is_404(app, login, world):
    assert _client(app, login, world.lead).post("/admin/revocations/999999/done",
                                                data={"confirm": "1"}).status_code == 404


def test_overdue_credentials_are_marked_and_mailed_by_the_daily_job(app, login, world, db_session, clock):
    _file(_client(app, login, world.rep), _membership(db_session, world.ed, world.agency).id)
    [notice] = _notices(db_session)
    assert notice.credential_due_on == date(2026, 11, 3)  # one business day
    clock.advance(days=2)  # Wednesday, Nov 4: overdue
    queue = _text(_client(app, login, world.lead).get("/admin/revocations"))
    assert "1 to make inactive, 1 overdue." in queue and "Overdue" in queue
    assert run_job(get_database(app), app.config, "revocations.mail_overdue", now=clock.now) == SUCCEEDED
    db_session.expire_all()
    mails = list(db_session.execute(sa.select(OutboxMessage).where(
        OutboxMessage.subject.contains("overdue to make inactive"))).scalars())
    assert {m.to_addr for m in mails} >= {world.lead.email, world.sysadmin.email}
    assert all("Ed Enduser (Harbor House)" in m.body_text for m in mails)
