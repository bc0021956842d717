"""The practice-case workflow: assignment from the plan, the segment state machine, review, evidence, scopes."""

import pytest
import sqlalchemy as sa

from lms.core.errors import InvalidInput, NotFound, PermissionDenied
from lms.core.mail import OutboxMessage
from lms.core.roles import Role
from lms.training import services as training
from lms.training.models import Evidence
from practice_cases import library, services
from practice_cases.models import Assignment, Submission
from sandbox import services as sandbox

from .solver import Solver


def _case(db_session, user):
    (a,) = services.assignments_of(db_session, user)
    return a


def _status(db_session, a):
    db_session.refresh(a)
    return a.status, [(s.segment, s.status) for s in a.segments]


def _submit(db_session, sandbox_session, user, a, segment, clock):
    return services.submit(db_session, sandbox_session, user, a.id, segment, now=clock.now)


def test_a_plan_assigns_one_case_per_practice_group_once(db_session, world, clock, make_user, make_agency):
    a = _case(db_session, world.trainee)
    assert a.group == "emergency_shelter" and library.cases()[a.case_id]["group"] == "emergency_shelter"
    assert len(a.case_hash) == 64 and a.round == 1 and a.failed_attempts == 0
    assert _status(db_session, a) == ("open", [("entry", "open"), ("update", "locked"), ("exit", "locked")])
    # Again (a second call, a plan extended with the same group): still one.
    services.assign_from_plan(db_session, world.trainee, now=clock.now)
    training.add_practice_cases(db_session, world.trainee, ["emergency_shelter", "permanent_housing"], now=clock.now)
    groups = sorted(x.group for x in services.assignments_of(db_session, world.trainee))
    assert groups == ["emergency_shelter", "permanent_housing"]
    # A group the library has no case for is skipped, not an error.
    training.add_practice_cases(db_session, world.trainee, ["coordinated_entry"], now=clock.now)
    assert len(services.assignments_of(db_session, world.trainee)) == 2


def test_a_full_case_moves_segment_by_segment_and_writes_evidence_only_at_the_end(
        db_session, sandbox_session, world, clock):
    a = _case(db_session, world.trainee)
    ws = sandbox.workspace_for_user(sandbox_session, world.trainee.id, now=clock.now)
    solver = Solver(sandbox_session, ws, library.cases()[a.case_id], clock.now)
    key = f"practice:{a.group}"
    for i, segment in enumerate(("entry", "update", "exit")):
        getattr(solver, segment)()
        sub = _submit(db_session, sandbox_session, world.trainee, a, segment, clock)
        assert sub.comparison == [] and sub.snapshot and sub.attempt == 1
        assert dict(_status(db_session, a)[1])[segment] == "submitted"
        assert not db_session.execute(sa.select(Evidence).where(Evidence.requirement == key)).first()
        services.approve(db_session, world.helpdesk, sub.id, now=clock.now)
    assert _status(db_session, a) == ("completed", [("entry", "approved"), ("update", "approved"),
                                                    ("exit", "approved")])
    ev = db_session.execute(sa.select(Evidence).where(Evidence.requirement == key)).scalar_one()
    assert ev.user_id == world.trainee.id and ev.source == services.EVIDENCE_SOURCE
    status = {s.key: s.met for s in training.checklist(db_session, world.trainee, now=clock.now).statuses}
    assert status[key] is True
    # The helpdesk was mailed at each submission.
    mails = db_session.execute(sa.select(OutboxMessage).where(OutboxMessage.to_addr == world.helpdesk.email)).all()
    assert len(mails) == 3


def test_only_the_open_or_returned_segment_can_be_submitted(db_session, sandbox_session, world, clock):
    a = _case(db_session, world.trainee)
    for segment in ("update", "exit"):
        with pytest.raises(InvalidInput, match="not open yet"):
            _submit(db_session, sandbox_session, world.trainee, a, segment, clock)
    with pytest.raises(NotFound):
        _submit(db_session, sandbox_session, world.trainee, a, "middle", clock)
    sub = _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    assert sub.comparison  # an empty workspace differs from the key
    # Submitting twice (a second click, another tab): refused, one submission recorded.
    with pytest.raises(InvalidInput, match="already submitted"):
        _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    assert db_session.execute(sa.select(sa.func.count(Submission.id))).scalar() == 1
    # Returned: a failed attempt; the segment can be submitted again.
    with pytest.raises(InvalidInput, match="at least one comment"):
        services.return_submission(db_session, world.helpdesk, sub.id, now=clock.now)
    services.return_submission(db_session, world.helpdesk, sub.id, now=clock.now, text="Enter the household.")
    assert dict(_status(db_session, a)[1])["entry"] == "returned"
    assert services.attempts_remaining(db_session, a) == 2
    with pytest.raises(InvalidInput, match="already returned"):
        services.approve(db_session, world.helpdesk, sub.id, now=clock.now)
    second = _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    assert second.attempt == 2
    services.approve(db_session, world.helpdesk, second.id, now=clock.now)
    with pytest.raises(InvalidInput, match="already approved"):
        services.approve(db_session, world.helpdesk, second.id, now=clock.now)
    with pytest.raises(InvalidInput, match="already approved"):
        _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    assert _status(db_session, a)[1] == [("entry", "approved"), ("update", "open"), ("exit", "locked")]


def test_two_tabs_submitting_the_same_segment_record_one_submission(app, db_session, sandbox_session, world, clock):
    from lms.accounts.models import User
    from lms.core.db import get_database

    other_tab = get_database(app).session()
    try:
        trainee2 = other_tab.get(User, world.trainee.id)
        a2 = services.assignments_of(other_tab, trainee2)[0]
        assert a2.segment("entry").status == "open"  # both tabs saw the segment open
        a = _case(db_session, world.trainee)
        _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
        db_session.commit()
        with pytest.raises(InvalidInput, match="already submitted"):
            services.submit(other_tab, sandbox_session, trainee2, a2.id, "entry", now=clock.now)
        assert other_tab.execute(sa.select(sa.func.count(Submission.id))).scalar() == 1
    finally:
        other_tab.close()


def test_the_same_attempt_cannot_be_recorded_twice(db_session, sandbox_session, world, clock):
    a = _case(db_session, world.trainee)
    sub = _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    db_session.commit()
    dup = Submission(segment_id=sub.segment_id, assignment_id=a.id, round=1, attempt=1, submitted_at=clock.now,
                     snapshot=[], comparison=[])
    with pytest.raises(sa.exc.IntegrityError):
        with db_session.begin_nested():
            db_session.add(dup)
    dup_case = Assignment(user_id=world.trainee.id, group="emergency_shelter", case_id="x", case_hash="x",
                          created_at=clock.now, updated_at=clock.now)
    with pytest.raises(sa.exc.IntegrityError):
        with db_session.begin_nested():
            db_session.add(dup_case)


def test_comments_on_fields_and_overall_with_snippets(db_session, sandbox_session, world, clock):
    a = _case(db_session, world.trainee)
    sub = _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    snippet = services.save_snippet(db_session, world.helpdesk, element="Enrollment.EntryDate",
                                    text="Use the admission date.", now=clock.now)
    assert services.save_snippet(db_session, world.helpdesk, element="Enrollment.EntryDate",
                                 text="Use the admission date.", now=clock.now).id == snippet.id
    with pytest.raises(PermissionDenied):
        services.save_snippet(db_session, world.trainee, element="overall", text="x", now=clock.now)
    c1 = services.comment(db_session, world.helpdesk, sub.id, field="Enrollment.EntryDate", snippet_id=snippet.id,
                          text="It was 3 March.", now=clock.now)
    c2 = services.comment(db_session, world.helpdesk, sub.id, text="Nearly there.", now=clock.now)
    assert c1.text == "Use the admission date.\n\nIt was 3 March." and c1.field == "Enrollment.EntryDate"
    assert c2.field == ""
    for bad in ({"text": "  "}, {"snippet_id": 999999}, {"text": "x" * 5001}):
        with pytest.raises(InvalidInput):
            services.comment(db_session, world.helpdesk, sub.id, now=clock.now, **bad)
    services.retire_snippet(db_session, world.helpdesk, snippet.id, now=clock.now)
    assert services.snippets(db_session, "Enrollment.EntryDate") == []
    # The trainee reads the feedback on their own submission.
    (mine,) = services.submissions_of(db_session, world.trainee, a.id)
    assert [c.text for c in mine.comments] == [c1.text, c2.text]


def test_trainees_see_only_their_own_cases(db_session, sandbox_session, world, clock):
    mine, theirs = _case(db_session, world.trainee), _case(db_session, world.other)
    with pytest.raises(NotFound):
        services.get_assignment(db_session, world.other, mine.id)
    with pytest.raises(NotFound):
        _submit(db_session, sandbox_session, world.other, mine, "entry", clock)
    sub = _submit(db_session, sandbox_session, world.trainee, mine, "entry", clock)
    with pytest.raises(NotFound):
        services.get_submission(db_session, world.other, sub.id)
    with pytest.raises(NotFound):
        services.submissions_of(db_session, world.other, mine.id)
    assert services.review_queue(db_session, world.other) == []
    assert theirs.user_id == world.other.id


def test_reviewers_see_and_decide_only_within_their_scope(db_session, sandbox_session, world, clock):
    a, b = _case(db_session, world.trainee), _case(db_session, world.other)
    sa_ = _submit(db_session, sandbox_session, world.trainee, a, "entry", clock)
    clock.advance(minutes=1)
    sb = _submit(db_session, sandbox_session, world.other, b, "entry", clock)
    assert [s.id for s in services.review_queue(db_session, world.helpdesk)] == [sa_.id, sb.id]  # oldest first
    assert [s.id for s in services.review_queue(db_session, world.lead)] == [sa_.id, sb.id]
    assert [s.id for s in services.review_queue(db_session, world.manager)] == [sa_.id]
    assert [s.id for s in services.review_queue(db_session, world.other_manager)] == [sb.id]
    assert [s.id for s in services.review_queue(db_session, world.helpdesk, coc_id=world.coc.id)] == [sa_.id]
    assert [s.id for s in services.review_queue(db_session, world.helpdesk, agency_id=world.agency.id)] == [sa_.id]
    with pytest.raises(NotFound):
        services.approve(db_session, world.other_manager, sa_.id, now=clock.now)
    with pytest.raises(NotFound):
        services.get_submission(db_session, world.manager, sb.id)
    # Assignment to a reviewer: only to someone who may review this person.
    with pytest.raises(InvalidInput):
        services.assign_reviewer(db_session, world.helpdesk, sa_.id, world.other_manager.id, now=clock.now)
    with pytest.raises(InvalidInput):
        services.assign_reviewer(db_session, world.helpdesk, sa_.id, world.trainee.id, now=clock.now)
    services.assign_reviewer(db_session, world.helpdesk, sa_.id, world.manager.id, now=clock.now)
    assert [s.id for s in services.review_queue(db_session, world.helpdesk, reviewer_id=world.manager.id)] == [sa_.id]
    assert [s.id for s in services.review_queue(db_session, world.helpdesk, reviewer_id=0)] == [sb.id]
    services.approve(db_session, world.manager, sa_.id, now=clock.now)
    assert [s.id for s in services.review_queue(db_session, world.manager)] == []
    # A reviewer may read the trainee's live workspace; others may not.
    ws = sandbox.workspace_for_user(sandbox_session, world.trainee.id, now=clock.now)
    db_session.commit()
    with _request(world):
        assert sandbox.can_read(ws, world.manager.id) is True
        assert sandbox.can_read(ws, world.other_manager.id) is False
        assert sandbox.can_read(ws, world.other.id) is False


def _request(world):
    return world.app.test_request_context()


def test_nobody_reviews_their_own_case(db_session, sandbox_session, world, clock, make_user, make_workspace):
    reviewer = make_user(roles=[Role.HELPDESK, Role.END_USER], agency=world.agency)
    training.start_plan(db_session, reviewer, practice_groups=["emergency_shelter"], now=clock.now)
    make_workspace(reviewer.id)
    a = _case(db_session, reviewer)
    sub = _submit(db_session, sandbox_session, reviewer, a, "entry", clock)
    assert services.review_queue(db_session, reviewer) == []
    with pytest.raises(PermissionDenied, match="your own"):
        services.approve(db_session, reviewer, sub.id, now=clock.now)
    with pytest.raises(PermissionDenied, match="your own"):
        services.comment(db_session, reviewer, sub.id, text="fine", now=clock.now)
    services.approve(db_session, world.helpdesk, sub.id, now=clock.now)
