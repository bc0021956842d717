"""The attempt limit: blocked after N returns, one-on-one training, and the Lead's three decisions."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.core import settings
from lms.core.errors import InvalidInput, NotFound, PermissionDenied
from lms.credentials import services as credentials
from lms.training import services as training
from lms.training.models import Evidence
from practice_cases import services


def _block(db_session, sandbox_session, world, clock, *, approve_entry=False):
    (a,) = services.assignments_of(db_session, world.trainee)
    if approve_entry:
        sub = services.submit(db_session, sandbox_session, world.trainee, a.id, "entry", now=clock.now)
        services.approve(db_session, world.helpdesk, sub.id, now=clock.now)
    segment = "update" if approve_entry else "entry"
    for i in range(services.attempt_limit(db_session)):
        db_session.refresh(a)
        assert a.status == "open"
        sub = services.submit(db_session, sandbox_session, world.trainee, a.id, segment, now=clock.now)
        services.return_submission(db_session, world.helpdesk, sub.id, text="Not yet.", now=clock.now)
    db_session.refresh(a)
    return a


def _one_on_one(db_session, world, a, clock):
    return services.record_one_on_one(db_session, world.helpdesk, a.id, held_at=clock.now - timedelta(hours=1),
                                      trainer="Hal Helpdesk", notes="Went through the entry form.", now=clock.now)


def test_the_limit_is_a_setting_and_blocks_the_case(db_session, sandbox_session, world, clock):
    assert services.attempt_limit(db_session) == 3
    settings.change(db_session, services.ATTEMPT_LIMIT, "2", actor=world.lead, now=clock.now)
    db_session.commit()
    a = _block(db_session, sandbox_session, world, clock)
    assert a.status == "blocked" and a.failed_attempts == 2 and services.attempts_remaining(db_session, a) == 0
    with pytest.raises(InvalidInput, match="blocked"):
        services.submit(db_session, sandbox_session, world.trainee, a.id, "entry", now=clock.now)


def test_a_decision_needs_the_lead_and_one_on_one_training_first(db_session, sandbox_session, world, clock):
    (a,) = services.assignments_of(db_session, world.trainee)
    with pytest.raises(InvalidInput, match="not blocked"):
        _one_on_one(db_session, world, a, clock)
    a = _block(db_session, sandbox_session, world, clock)
    with pytest.raises(InvalidInput, match="one-on-one"):
        services.decide(db_session, world.lead, a.id, outcome="retry", now=clock.now)
    with pytest.raises(NotFound):  # outside their scope: they may not know the case exists
        services.record_one_on_one(db_session, world.other_manager, a.id, held_at=clock.now, trainer="X",
                                   now=clock.now)
    for bad in ({"held_at": clock.now + timedelta(days=1), "trainer": "X"}, {"held_at": clock.now, "trainer": " "}):
        with pytest.raises(InvalidInput):
            services.record_one_on_one(db_session, world.helpdesk, a.id, now=clock.now, **bad)
    _one_on_one(db_session, world, a, clock)
    for person in (world.helpdesk, world.manager):
        with pytest.raises(PermissionDenied, match="lead administrator"):
            services.decide(db_session, person, a.id, outcome="retry", now=clock.now)
    with pytest.raises(InvalidInput):
        services.decide(db_session, world.lead, a.id, outcome="shrug", now=clock.now)
    with pytest.raises(InvalidInput, match="reason"):
        services.decide(db_session, world.lead, a.id, outcome="refuse", now=clock.now)
    services.decide(db_session, world.lead, a.id, outcome="retry", now=clock.now)
    with pytest.raises(InvalidInput):  # deciding twice
        services.decide(db_session, world.lead, a.id, outcome="refuse", reason="No.", now=clock.now)
    assert [d.outcome for d in services.decisions_of(db_session, a)] == ["retry"]


def test_retry_starts_the_attempts_over_and_reopens_the_returned_segment(db_session, sandbox_session, world, clock):
    a = _block(db_session, sandbox_session, world, clock, approve_entry=True)
    _one_on_one(db_session, world, a, clock)
    services.decide(db_session, world.lead, a.id, outcome="retry", now=clock.now)
    db_session.refresh(a)
    assert (a.status, a.round, a.failed_attempts) == ("open", 2, 0)
    assert [(s.segment, s.status) for s in a.segments] == [("entry", "approved"), ("update", "open"),
                                                            ("exit", "locked")]
    sub = services.submit(db_session, sandbox_session, world.trainee, a.id, "update", now=clock.now)
    assert (sub.round, sub.attempt) == (2, 1)
    assert services.attempts_remaining(db_session, a) == 3


def test_repeat_training_makes_the_course_evidence_stop_counting(db_session, sandbox_session, world, clock):
    for key in ("security_privacy", "data_standards", "cs_basics"):
        training.record_evidence(db_session, world.trainee, key, fiscal_year=2027, achieved_at=clock.now,
                                 source="test", source_id=key)
    met = lambda: {s.key: s.met for s in training.checklist(db_session, world.trainee, now=clock.now).statuses}  # noqa
    assert met()["cs_basics"] is True
    a = _block(db_session, sandbox_session, world, clock, approve_entry=True)
    _one_on_one(db_session, world, a, clock)
    clock.advance(minutes=5)
    count = db_session.execute(sa.select(sa.func.count(Evidence.id))).scalar()
    services.decide(db_session, world.lead, a.id, outcome="repeat_training", reason="Missed the basics.",
                    now=clock.now)
    assert db_session.execute(sa.select(sa.func.count(Evidence.id))).scalar() == count  # nothing deleted
    status = met()
    assert not any(status[k] for k in ("security_privacy", "data_standards", "cs_basics"))
    db_session.refresh(a)
    assert (a.status, a.round) == ("open", 2)
    assert [(s.segment, s.status) for s in a.segments] == [("entry", "open"), ("update", "locked"),
                                                            ("exit", "locked")]
    codes = credentials.eligibility_of(db_session, world.trainee, now=clock.now).codes
    assert "cs_basics" in codes and "refused" not in codes


def test_refuse_makes_credentials_refused_with_the_reason(db_session, sandbox_session, world, clock):
    a = _block(db_session, sandbox_session, world, clock)
    assert "refused" not in credentials.eligibility_of(db_session, world.trainee, now=clock.now).codes
    _one_on_one(db_session, world, a, clock)
    services.decide(db_session, world.lead, a.id, outcome="refuse", reason="Could not enter data reliably.",
                    now=clock.now)
    db_session.refresh(a)
    assert a.status == "refused"
    result = credentials.eligibility_of(db_session, world.trainee, now=clock.now)
    assert "refused" in result.codes and not result.eligible
    assert any("Could not enter data reliably" in r for r in result.reasons)
    # The other trainee is not refused.
    assert "refused" not in credentials.eligibility_of(db_session, world.other, now=clock.now).codes
    with pytest.raises(InvalidInput, match="refused"):
        services.submit(db_session, sandbox_session, world.trainee, a.id, "entry", now=clock.now)


def test_a_new_approved_access_request_after_a_refusal_lifts_it_and_restarts_the_case(
        db_session, sandbox_session, world, clock):
    from lms.accounts.requests.models import AccessRequest

    a = _block(db_session, sandbox_session, world, clock)
    _one_on_one(db_session, world, a, clock)
    services.decide(db_session, world.lead, a.id, outcome="refuse", reason="Not reliable.", now=clock.now)
    clock.advance(days=30)
    db_session.add(AccessRequest(agency_id=world.agency.id, full_name=world.trainee.full_name,
                                 email=world.trainee.email, employment="employee", justification="Back again.",
                                 status="approved", submitted_at=clock.now, submitted_by_id=world.manager.id,
                                 decided_at=clock.now, decided_by_id=world.manager.id, user_id=world.trainee.id))
    training.start_plan(db_session, world.trainee, practice_groups=["emergency_shelter"], now=clock.now,
                        repeat=True)
    assert "refused" not in credentials.eligibility_of(db_session, world.trainee, now=clock.now).codes
    db_session.refresh(a)
    assert (a.status, a.round, a.failed_attempts) == ("open", 2, 0)
    assert [s.status for s in a.segments] == ["open", "locked", "locked"]


def test_every_step_is_audited_and_the_trainee_is_told(db_session, sandbox_session, world, clock):
    from lms.core.audit import AuditEvent
    from lms.core.mail import OutboxMessage

    a = _block(db_session, sandbox_session, world, clock)
    _one_on_one(db_session, world, a, clock)
    services.decide(db_session, world.lead, a.id, outcome="retry", now=clock.now)
    actions = set(db_session.execute(sa.select(AuditEvent.action).where(AuditEvent.action.like("practice.%")))
                  .scalars())
    assert {"practice.assigned", "practice.submitted", "practice.commented", "practice.returned",
            "practice.blocked", "practice.one_on_one", "practice.decided"} <= actions
    subjects = list(db_session.execute(sa.select(OutboxMessage.subject)
                                       .where(OutboxMessage.to_addr == world.trainee.email)).scalars())
    assert sum("returned for corrections" in s for s in subjects) == 2
    assert any("one-on-one" in s for s in subjects)
