"""A person's year with the injected clock: trained in March, the cycle opens October 1, reminders on their
days and never twice, suspended the day after the due date, completes it and is let back in; history keeps
both years.  A person also suspended for a violation stays suspended; the status page is for staff only."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from lms.auth.models import UserSession
from lms.core.audit import AuditEvent
from lms.core.db import get_database
from lms.core.jobs import SKIPPED, SUCCEEDED, run_job
from lms.core.mail import OutboxMessage
from lms.core.roles import Role
from lms.recert import services
from lms.recert.models import RecertCycle, RecertReminder, RecertSuspension
from lms.training import services as training_services


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def _job(app, clock, job_id: str) -> str:
    return run_job(get_database(app), app.config, job_id, now=clock.now)


def _all_jobs(app, clock) -> None:
    for job_id in ("recert.open_cycle", "recert.remind", "recert.enforce", "recert.lift_completed"):
        assert _job(app, clock, job_id) in (SUCCEEDED, SKIPPED)


def _complete(db_session, user, fiscal_year: int, when: datetime, tag: str) -> None:
    for key in ("upra", "security_privacy", "data_standards"):
        training_services.record_evidence(db_session, user, key, fiscal_year=fiscal_year, achieved_at=when,
                                          source="test", source_id=f"{tag}-{key}")
    db_session.commit()


def _mails(db_session, user, word: str) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(OutboxMessage).where(
        OutboxMessage.to_addr == user.email, OutboxMessage.subject.contains(word))
        .order_by(OutboxMessage.id)).scalars())


def _actions(db_session) -> list[str]:
    return [a for (a,) in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))]


def _sign_in(app, login, user):
    return login(app.test_client(), user, expect_ok=False)


def _at(clock, *args) -> None:
    clock.now = datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def world(make_agency, make_user):
    w = type("World", (), {})()
    w.agency = make_agency(name="Harbor House")
    w.ed = make_user("ed@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Ed Enduser")
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead")
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN], full_name="Sy Admin")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=w.agency, full_name="Rita Rep")
    return w


def test_a_year_of_recertification(app, clock, db_session, login, runner, world):
    ed = world.ed
    # Trained in March of fiscal year 2027.
    _at(clock, 2027, 3, 15, 16, 0)
    _complete(db_session, ed, 2027, clock.now, "march")

    # September 30, 11:30 pm in Chicago (already October 1 in UTC): still fiscal year 2027, nothing opens.
    _at(clock, 2027, 10, 1, 4, 30)
    assert _job(app, clock, "recert.open_cycle") == SUCCEEDED
    assert db_session.execute(sa.select(RecertCycle)).scalars().all() == []

    # Half past midnight on October 1 in Chicago: the job opens fiscal year 2028, once.
    _at(clock, 2027, 10, 1, 5, 30)
    assert _job(app, clock, "recert.open_cycle") == SUCCEEDED
    assert _job(app, clock, "recert.open_cycle") == SKIPPED  # the same hour: one run
    clock.advance(hours=1)
    assert _job(app, clock, "recert.open_cycle") == SUCCEEDED  # the next hour: runs, opens nothing new
    result = runner.invoke(args=["recert", "open-cycle", "--fy", "2028"])
    assert result.exit_code == 0, result.output
    assert "already open; due 2027-10-31" in result.output
    assert services.open_cycle(db_session, 2028, now=clock.now)[1] is False
    [cycle] = db_session.execute(sa.select(RecertCycle)).scalars().all()
    assert (cycle.fiscal_year, cycle.opened_on.isoformat(), cycle.due_on.isoformat()) == (2028, "2027-10-01",
                                                                                          "2027-10-31")
    assert _actions(db_session).count("recert.cycle_opened") == 1

    # Every day until November 9, every job twice: reminders on their days, each once.
    day = datetime(2027, 10, 1, 14, 0, tzinfo=timezone.utc)
    suspended_on = None
    while day <= datetime(2027, 11, 9, 14, 0, tzinfo=timezone.utc):
        clock.now = day
        _all_jobs(app, clock)
        clock.advance(hours=1)
        _all_jobs(app, clock)
        db_session.expire_all()
        if suspended_on is None and db_session.execute(sa.select(RecertSuspension)).scalars().first():
            suspended_on = day.date()
        day += timedelta(days=1)
    sent = [(r.key, r.sent_at.date().isoformat()) for r in db_session.execute(
        sa.select(RecertReminder).where(RecertReminder.user_id == ed.id).order_by(RecertReminder.sent_at)).scalars()]
    assert sent == [("before:30", "2027-10-01"), ("before:14", "2027-10-17"), ("before:7", "2027-10-24"),
                    ("before:1", "2027-10-30"), ("overdue:1", "2027-11-01"), ("overdue:8", "2027-11-08")]
    assert len(_mails(db_session, ed, "Reminder: HMIS recertification")) == 4
    assert len(_mails(db_session, ed, "Overdue: HMIS recertification")) == 2
    # Staff are not end users: no reminders for them.
    assert _mails(db_session, world.lead, "recertification") == []

    # Suspended the day after the due date, once; told by mail and at sign-in.
    assert suspended_on.isoformat() == "2027-11-01"
    [s] = db_session.execute(sa.select(RecertSuspension)).scalars().all()
    assert s.user_id == ed.id and s.lifted_at is None
    assert len(_mails(db_session, ed, "HMIS access suspended: recertification for fiscal year 2028")) == 1
    # He still signs in here (the suspension is of his live HMIS access): told why on his home page and
    # checklist, where the training that lifts it is done.
    assert _sign_in(app, login, ed).status_code in (302, 303)
    client = app.test_client()
    login(client, ed)
    for url in ("/", "/training/", "/recertification"):
        text = _text(client.get(url))
        assert "did not complete the annual recertification for fiscal year 2028 by October 31, 2027" in text, url
        assert "Security and Privacy Awareness training" in text and "Complete it here" in text, url
    assert "recert.suspended" in _actions(db_session)
    # His history page reads all his suspensions with the history: the live one it shows and the notice come from
    # there, not from two more queries.
    from bench.harness import count_queries

    with count_queries(get_database(app).engine) as counter:
        text = _text(client.get("/recertification"))
    assert "Your HMIS access is suspended: the recertification for fiscal year 2028 was due" in text
    assert not [sql for sql in counter.statements if "FROM recert_suspensions" in sql and "lifted_at IS NULL" in sql]
    # Not eligible for live credentials while suspended.
    from lms.credentials import services as credential_services

    facts = credential_services.gather_facts(db_session, [ed], now=clock.now)[ed.id]
    assert facts.suspended.value is True and "fiscal year 2028" in facts.suspended.detail

    # He completes this year's training: the next run of the job lifts the suspension, and he signs in.
    _at(clock, 2027, 11, 10, 15, 0)
    _complete(db_session, ed, 2028, clock.now, "november")
    clock.advance(minutes=20)
    assert _job(app, clock, "recert.lift_completed") == SUCCEEDED
    db_session.expire_all()
    s = db_session.get(RecertSuspension, s.id)
    assert s.lifted_at is not None and s.lift_reason == "completed"
    assert "recert.suspension_lifted" in _actions(db_session)
    assert len(_mails(db_session, ed, "fiscal year 2028 complete")) == 1
    assert _sign_in(app, login, ed).status_code in (302, 303)
    facts = credential_services.gather_facts(db_session, [ed], now=clock.now)[ed.id]
    assert facts.suspended.value is False
    # The next overdue day mails nothing: he is done.
    _at(clock, 2027, 11, 15, 14, 0)
    _all_jobs(app, clock)
    assert len(_mails(db_session, ed, "Overdue")) == 2

    # His history shows both years, what he did and when.
    client = app.test_client()
    login(client, ed)
    page = _text(client.get("/recertification"))
    assert "<h1>My recertification</h1>" in page
    assert "Fiscal year 2028" in page and "Fiscal year 2027" in page
    assert "No recertification cycle was opened that year." in page  # 2027: trained, no cycle
    assert "Suspended" in page and "lifted" in page
    assert page.index("Fiscal year 2028") < page.index("Fiscal year 2027")
    assert "/recertification" in _text(client.get("/training/"))

    # Opening his history issued a certificate for each year he completed; each downloads and verifies.
    from lms.certificates.models import Certificate

    certificates = {c.fiscal_year: c for c in db_session.execute(
        sa.select(Certificate).where(Certificate.user_id == ed.id)).scalars()}
    assert set(certificates) == {2027, 2028} and all(c.revoked_at is None for c in certificates.values())
    for year, certificate in certificates.items():
        pdf = client.get(f"/recertification/certificates/{year}.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
        verified = _text(app.test_client().get(f"/verify/{certificate.code}"))
        assert "Ed Enduser" in verified and str(year) in verified and "Valid" in verified


def test_sign_in_lifts_at_once_when_the_evidence_is_already_recorded(app, clock, db_session, login, world):
    _at(clock, 2027, 10, 1, 14, 0)
    services.open_cycle(db_session, 2028, now=clock.now)
    db_session.commit()
    _at(clock, 2027, 11, 1, 14, 0)
    assert _job(app, clock, "recert.enforce") == SUCCEEDED
    assert db_session.execute(sa.select(RecertSuspension.lifted_at)).scalar_one() is None
    _complete(db_session, world.ed, 2028, clock.now, "now")
    assert _sign_in(app, login, world.ed).status_code in (302, 303)
    db_session.expire_all()
    assert db_session.execute(sa.select(RecertSuspension.lifted_at)).scalar_one() is not None  # no wait for the job


def test_suspension_ends_the_persons_sessions(app, clock, db_session, login, world):
    _at(clock, 2027, 10, 1, 14, 0)
    services.open_cycle(db_session, 2028, now=clock.now)
    db_session.commit()
    _at(clock, 2027, 11, 1, 14, 0)
    client = app.test_client()
    login(client, world.ed)
    assert _job(app, clock, "recert.enforce") == SUCCEEDED
    db_session.expire_all()
    assert db_session.execute(sa.select(UserSession).where(UserSession.user_id == world.ed.id,
                                                           UserSession.ended_at.is_(None))).first() is None


def test_a_person_also_suspended_for_a_violation_stays_suspended(app, clock, db_session, login, make_coc, make_agency,
                                                                 make_user, world):
    from lms.accounts.sanctions import services as sanctions
    from lms.accounts.sanctions.models import Suspension

    _at(clock, 2027, 10, 1, 14, 0)
    services.open_cycle(db_session, 2028, now=clock.now)
    db_session.commit()
    _at(clock, 2027, 11, 1, 14, 0)
    assert _job(app, clock, "recert.enforce") == SUCCEEDED
    manager = make_user("mona@example.org", roles=[Role.HMIS_MANAGER], coc=world.agency.coc)
    sanctions.record_violation(db_session, actor=manager, user_id=world.ed.id, agency_id=world.agency.id,
                               occurred_on=clock.now.date() - timedelta(days=1), description="Shared a password.",
                               broke_law=False, now=clock.now, today=clock.now.date())
    db_session.commit()
    _complete(db_session, world.ed, 2028, clock.now, "done")
    clock.advance(minutes=20)
    assert _job(app, clock, "recert.lift_completed") == SUCCEEDED
    db_session.expire_all()
    [recert_suspension] = db_session.execute(sa.select(RecertSuspension)).scalars().all()
    assert recert_suspension.lifted_at is not None
    [violation_suspension] = db_session.execute(sa.select(Suspension)).scalars().all()
    assert violation_suspension.lifted_at is None  # lifting recertification never touches it
    resp = _sign_in(app, login, world.ed)
    assert resp.status_code == 423
    assert "reported violation" in _text(resp)


def test_new_users_of_this_year_and_carry_over_are_not_suspended(app, clock, db_session, login, make_user, world):
    from lms.core import settings

    newcomer = make_user("new@example.org", roles=[Role.END_USER], agency=world.agency)
    finisher = make_user("fin@example.org", roles=[Role.END_USER], agency=world.agency)
    _at(clock, 2027, 9, 20, 15, 0)
    _complete(db_session, finisher, 2027, clock.now, "sept")  # finished new-user training in September
    db_session.add(settings.Setting(key="recert.carry_over_days", value="30", updated_at=clock.now))
    db_session.commit()
    _at(clock, 2027, 10, 1, 14, 0)
    services.open_cycle(db_session, 2028, now=clock.now)
    training_services.start_plan(db_session, newcomer, practice_groups=[], now=clock.now)
    db_session.commit()
    _at(clock, 2027, 11, 1, 14, 0)
    assert _job(app, clock, "recert.enforce") == SUCCEEDED
    suspended = set(db_session.execute(sa.select(RecertSuspension.user_id)).scalars())
    assert suspended == {world.ed.id}


def test_cli_opens_only_the_current_fiscal_year(app, clock, runner, db_session):
    _at(clock, 2027, 10, 5, 14, 0)
    result = runner.invoke(args=["recert", "open-cycle", "--fy", "2029"])
    assert result.exit_code != 0 and "Only the current fiscal year's cycle" in result.output
    result = runner.invoke(args=["recert", "open-cycle", "--fy", "2028"])
    assert result.exit_code == 0 and "Opened the recertification cycle for fiscal year 2028; due 2027-10-31" \
        in result.output
    result = runner.invoke(args=["recert", "open-cycle", "--fy", "2028"])
    assert "already open" in result.output
    assert len(db_session.execute(sa.select(RecertCycle)).scalars().all()) == 1


def test_job_does_not_open_a_cycle_after_its_due_date(app, clock, db_session):
    # The test clock's day (November 2, 2026) is after FY2027's due date: a fresh system suspends no one.
    assert _job(app, clock, "recert.open_cycle") == SUCCEEDED
    assert db_session.execute(sa.select(RecertCycle)).scalars().all() == []


def test_status_page_for_lead_admins_and_sysadmins_only(app, clock, db_session, login, world):
    _at(clock, 2027, 10, 1, 14, 0)
    services.open_cycle(db_session, 2028, now=clock.now)
    db_session.commit()
    for user, code in ((world.ed, 403), (world.rep, 403), (world.lead, 200), (world.sysadmin, 200)):
        client = app.test_client()
        login(client, user)
        resp = client.get("/admin/recertification")
        assert resp.status_code == code, (user.email, resp.status_code)
        if code == 200:
            page = _text(resp)
            assert "2028" in page and "Recertification cycles" in page


@pytest.mark.parametrize("people", [3, 12])
def test_pages_query_count_stays_flat(app, clock, db_session, login, make_user, world, people):
    from bench.harness import count_queries

    _at(clock, 2027, 10, 2, 14, 0)
    for i in range(people):
        u = make_user(f"p{i}@example.org", roles=[Role.END_USER], agency=world.agency)
        _complete(db_session, u, 2028, clock.now, f"p{i}")
    services.open_cycle(db_session, 2028, now=clock.now)
    db_session.commit()
    lead = app.test_client()
    login(lead, world.lead)
    ed = app.test_client()
    login(ed, world.ed)
    engine = get_database(app).engine
    with count_queries(engine) as status_count:
        page = _text(lead.get("/admin/recertification"))
    with count_queries(engine) as history_count:
        assert ed.get("/recertification").status_code == 200
    assert f"<td data-label=\"Completed\">{people}</td>" in page
    # The history page also lists the person's certificates and looks whether one is due (two queries).
    assert status_count.count <= 10 and history_count.count <= 12, (status_count.count, history_count.count)


def test_staff_read_a_persons_history_end_users_do_not(app, clock, db_session, login, make_user, world):
    _at(clock, 2027, 3, 15, 16, 0)
    _complete(db_session, world.ed, 2027, clock.now, "march")
    other = make_user("zoe@example.org", roles=[Role.END_USER], agency=world.agency)
    url = f"/people/{world.ed.id}/recertification"
    for user, code in ((world.lead, 200), (world.rep, 200), (other, 403), (world.ed, 403)):
        client = app.test_client()
        login(client, user)
        resp = client.get(url)
        assert resp.status_code == code, (user.email, resp.status_code)
        if code == 200:
            page = _text(resp)
            assert "Recertification of Ed Enduser" in page and "Fiscal year 2027" in page
    client = app.test_client()
    login(client, world.lead)
    assert url in _text(client.get(f"/training/people/{world.ed.id}"))


def test_a_suspension_of_a_past_year_is_lifted_by_the_next_years_recertification(app, clock, db_session, login, world):
    _at(clock, 2027, 10, 1, 14, 0)
    services.open_cycle(db_session, 2028, now=clock.now)
    db_session.commit()
    _at(clock, 2027, 11, 1, 14, 0)
    assert _job(app, clock, "recert.enforce") == SUCCEEDED
    # Fiscal year 2028 ends with Ed still suspended; its evidence can no longer be made.
    _at(clock, 2028, 10, 3, 14, 0)
    assert _job(app, clock, "recert.lift_completed") == SUCCEEDED
    db_session.expire_all()
    assert db_session.execute(sa.select(RecertSuspension.lifted_at)).scalar_one() is None
    _complete(db_session, world.ed, 2029, clock.now, "fy2029")
    clock.advance(minutes=20)
    assert _job(app, clock, "recert.lift_completed") == SUCCEEDED
    assert _sign_in(app, login, world.ed).status_code in (302, 303)
    db_session.expire_all()
    [s] = db_session.execute(sa.select(RecertSuspension)).scalars().all()
    assert s.lift_reason == "completed"
