"""The practice-case pages: who sees what, submit / comment / return / approve through the pages, blocked cases,
snippets; bad input is a 4xx with the service's sentence, never a 500."""

import re

import pytest
import sqlalchemy as sa

from lms.core.roles import Role
from practice_cases import library, services
from practice_cases.models import Assignment, ReviewComment, Submission
from sandbox import services as sandbox

from .solver import Solver


@pytest.fixture
def pages(world, app, db_session, sandbox_session, login, clock):
    """Signed-in browsers for the world's people, and the trainee's case with its solver."""
    browsers = {}
    for name in ("trainee", "other", "helpdesk", "manager", "other_manager", "lead"):
        c = app.test_client()
        login(c, getattr(world, name))
        browsers[name] = c
    (a,) = services.assignments_of(db_session, world.trainee)
    ws = sandbox.workspace_for_user(sandbox_session, world.trainee.id, now=clock.now)
    solver = Solver(sandbox_session, ws, library.cases()[a.case_id], clock.now)
    world.browsers, world.assignment, world.solver = browsers, a, solver
    return world


def _html(resp) -> str:
    return resp.get_data(as_text=True)


def _submit(w, segment="entry"):
    return w.browsers["trainee"].post(f"/practice/cases/{w.assignment.id}/{segment}/submit")


def _solve_and_submit(w, sandbox_session, segment="entry"):
    getattr(w.solver, segment)()
    sandbox_session.commit()
    resp = _submit(w, segment)
    assert resp.status_code == 303
    return _latest(w)


def _latest(w):
    from lms.core.db import get_db_session  # noqa: F401 - the test's session is enough

    return w.db.execute(sa.select(Submission).order_by(Submission.id.desc())).scalars().first()


@pytest.fixture
def w(pages, db_session):
    pages.db = db_session
    return pages


def test_the_trainee_sees_their_cases_segments_attempts_and_the_forms_of_the_open_segment_only(w):
    html = _html(w.browsers["trainee"].get("/practice/"))
    assert "3 of 3 attempts remain" in html
    assert "Submit the Project Entry segment for review" in html and "Submit the Update segment" not in html
    assert f"/practice/cases/{w.assignment.id}/forms/entry" in html and "/forms/update" not in html
    case = library.cases()[w.assignment.case_id]
    forms = _html(w.browsers["trainee"].get(f"/practice/cases/{w.assignment.id}/forms/entry"))
    assert case["segments"]["entry"]["intake_forms"][0]["title"] in forms and "practice.css" in forms
    assert "<style" not in forms and "style=" not in forms  # the print stylesheet is a file (CSP)
    # A locked segment's forms are not shown to the trainee yet; a reviewer may read them.
    assert w.browsers["trainee"].get(f"/practice/cases/{w.assignment.id}/forms/update").status_code == 404
    assert w.browsers["helpdesk"].get(f"/practice/cases/{w.assignment.id}/forms/update").status_code == 200


def test_the_checklist_links_the_practice_requirement_to_the_cases(w):
    html = _html(w.browsers["trainee"].get("/training/"))
    assert 'href="/practice/"' in html


def test_nobody_else_sees_a_trainees_case(w, sandbox_session):
    sub = _solve_and_submit(w, sandbox_session)
    a = w.assignment.id
    assert w.browsers["other"].get(f"/practice/cases/{a}/forms/entry").status_code == 404
    assert w.browsers["other_manager"].get(f"/practice/cases/{a}/forms/entry").status_code == 404
    assert w.browsers["other"].post(f"/practice/cases/{a}/entry/submit").status_code == 404
    assert "no practice case yet" not in _html(w.browsers["other"].get("/practice/"))  # their own case only
    assert w.browsers["trainee"].get(f"/practice/review/{sub.id}").status_code == 403  # not a reviewer
    assert w.browsers["other_manager"].get(f"/practice/review/{sub.id}").status_code == 404  # outside scope
    assert w.browsers["other_manager"].post(f"/practice/review/{sub.id}/approve").status_code == 404
    queue = _html(w.browsers["other_manager"].get("/practice/review/"))
    assert "Tara Trainee" not in queue and "0 submissions waiting" in queue
    assert "Tara Trainee" in _html(w.browsers["manager"].get("/practice/review/"))


def test_submitting_twice_records_one_submission_and_says_why(w, sandbox_session, db_session):
    _solve_and_submit(w, sandbox_session)
    resp = _submit(w)
    assert resp.status_code == 303
    page = _html(w.browsers["trainee"].get("/practice/"))
    assert "already submitted and waiting for review" in page
    assert db_session.execute(sa.select(sa.func.count()).select_from(Submission)).scalar() == 1
    # A locked segment is refused in words too.
    _submit(w, "update")
    assert "is not open yet" in _html(w.browsers["trainee"].get("/practice/"))


def test_review_return_with_comments_then_approve_through_the_pages(w, sandbox_session, db_session, clock):
    sub = _solve_and_submit(w, sandbox_session)
    hd = w.browsers["helpdesk"]
    queue = _html(hd.get("/practice/review/"))
    assert "Tara Trainee" in queue and "1 submission waiting" in queue
    page = _html(hd.get(f"/practice/review/{sub.id}"))
    assert "No difference" in page and "as submitted" in page and "workspace now" in page
    # Returning without a word is refused with the service's sentence, on the page, with 400.
    resp = hd.post(f"/practice/review/{sub.id}/return", data={"text": ""})
    assert resp.status_code == 400 and "add at least one comment" in _html(resp)
    # A comment on a field, then the return with an overall comment.
    snippet = services.save_snippet(db_session, w.helpdesk, element="Enrollment.EntryDate",
                                    text="The project start date is the day of entry.", now=clock.now)
    db_session.commit()
    assert hd.post(f"/practice/review/{sub.id}/comment", data={"field": "Enrollment.EntryDate",
                                                                "snippet_id": str(snippet.id), "text": "Check it."}
                   ).status_code == 303
    assert hd.post(f"/practice/review/{sub.id}/comment", data={"snippet_id": "x", "text": ""}).status_code == 400
    assert hd.post(f"/practice/review/{sub.id}/return", data={"text": "Please fix the date."}).status_code == 303
    mine = _html(w.browsers["trainee"].get("/practice/"))
    assert "Please fix the date." in mine and "The project start date is the day of entry." in mine
    assert "2 of 3 attempts remain" in mine
    # A decided submission cannot be decided again.
    resp = hd.post(f"/practice/review/{sub.id}/approve")
    assert resp.status_code == 400 and "already returned" in _html(resp)
    # Resubmitted, approved: the update opens.
    assert _submit(w).status_code == 303
    again = _latest(w)
    assert again.id != sub.id
    assert hd.post(f"/practice/review/{again.id}/approve").status_code == 303
    assert "Submit the Update segment for review" in _html(w.browsers["trainee"].get("/practice/"))


def test_feedback_shows_expected_and_entered_beside_the_field_comment(w, sandbox_session, db_session):
    case = library.cases()[w.assignment.case_id]
    import copy

    key = copy.deepcopy(case["segments"]["entry"]["answer_key"])
    head = next(m for m in key["members"] if m["Enrollment"]["RelationshipToHoH"] == 1)
    head["Client"]["VeteranStatus"] = 1 if head["Client"].get("VeteranStatus") != 1 else 0
    w.solver.entry(key)
    sandbox_session.commit()
    _submit(w)
    sub = _latest(w)
    assert sub.comparison
    field = sub.comparison[0]["field"]
    hd = w.browsers["helpdesk"]
    assert hd.post(f"/practice/review/{sub.id}/comment", data={"field": field, "text": "Ask again."}).status_code == 303
    assert hd.post(f"/practice/review/{sub.id}/return", data={}).status_code == 303
    mine = _html(w.browsers["trainee"].get("/practice/"))
    d = sub.comparison[0]
    assert d["expected"] in mine and d["entered"] in mine and "Ask again." in mine


def test_a_helpdesk_trainee_cannot_review_their_own_case(app, db_session, make_user, make_agency, login, clock,
                                                          make_workspace, sandbox_session):
    from lms.training import services as training

    helper = make_user(roles=[Role.HELPDESK, Role.END_USER], agency=make_agency())
    training.start_plan(db_session, helper, practice_groups=["emergency_shelter"], now=clock.now)
    ws = make_workspace(helper.id)
    db_session.commit()
    (a,) = services.assignments_of(db_session, helper)
    Solver(sandbox_session, ws, library.cases()[a.case_id], clock.now).entry()
    sandbox_session.commit()
    c = app.test_client()
    login(c, helper)
    assert c.post(f"/practice/cases/{a.id}/entry/submit").status_code == 303
    sub = db_session.execute(sa.select(Submission)).scalars().one()
    assert "0 submissions waiting" in _html(c.get("/practice/review/"))
    resp = c.get(f"/practice/review/{sub.id}")
    assert resp.status_code == 403 and "your own practice case" in _html(resp)
    assert c.post(f"/practice/review/{sub.id}/approve").status_code == 403
    assert db_session.execute(sa.select(Submission.outcome)).scalar() is None


def test_queue_filters_assignment_and_bad_input(w, sandbox_session, db_session):
    sub = _solve_and_submit(w, sandbox_session)
    hd = w.browsers["helpdesk"]
    assert "1 submission waiting" in _html(hd.get("/practice/review/?reviewer=none"))
    assert "0 submissions waiting" in _html(hd.get(f"/practice/review/?reviewer={w.helpdesk.id}"))
    assert "0 submissions waiting" in _html(hd.get(f"/practice/review/?coc={w.coc.id + 999}"))
    assert "1 submission waiting" in _html(hd.get(f"/practice/review/?agency={w.agency.id}&case=nope&page=x"))
    assert hd.post(f"/practice/review/{sub.id}/assign", data={"reviewer_id": str(w.helpdesk.id)}).status_code == 303
    assert "1 submission waiting" in _html(hd.get(f"/practice/review/?reviewer={w.helpdesk.id}"))
    # The trainee cannot be their own reviewer; a made-up id is refused in words.
    for bad in (str(w.trainee.id), "NaN", "99999999999", ""):
        resp = hd.post(f"/practice/review/{sub.id}/assign", data={"reviewer_id": bad})
        assert resp.status_code == 400 and 'data-testid="error"' in _html(resp), bad
    assert hd.post("/practice/review/2147483000/assign", data={"reviewer_id": "1"}).status_code == 404


def _block(w, sandbox_session, db_session, clock):
    getattr(w.solver, "entry")()
    sandbox_session.commit()
    for _ in range(services.attempt_limit(db_session)):
        assert _submit(w).status_code == 303
        sub = _latest(w)
        services.return_submission(db_session, w.helpdesk, sub.id, text="Again.", now=clock.now)
        db_session.commit()
    db_session.refresh(w.assignment)
    assert w.assignment.status == "blocked"


def test_blocked_case_one_on_one_then_the_leads_decision(w, sandbox_session, db_session, clock):
    _block(w, sandbox_session, db_session, clock)
    a = w.assignment.id
    assert "blocked after 3 returned attempts" in _html(w.browsers["trainee"].get("/practice/"))
    assert f"/practice/blocked/{a}" in _html(w.browsers["helpdesk"].get("/practice/review/"))
    page = _html(w.browsers["helpdesk"].get(f"/practice/blocked/{a}"))
    assert "Record one-on-one training" in page and 'data-testid="decide-form"' not in page
    # Who must see nothing: the trainee (not a reviewer), another CoC's manager.
    assert w.browsers["trainee"].get(f"/practice/blocked/{a}").status_code == 403
    assert w.browsers["other_manager"].get(f"/practice/blocked/{a}").status_code == 404
    assert w.browsers["helpdesk"].post(f"/practice/blocked/{a}/decide", data={"outcome": "retry"}).status_code == 403
    # The decision needs the training first; bad dates are refused in words.
    resp = w.browsers["lead"].post(f"/practice/blocked/{a}/decide", data={"outcome": "retry"})
    assert resp.status_code == 400 and "one-on-one training first" in _html(resp)
    for bad in ("", "2026-13-01T10:00", "9999-12-31T10:00", "yesterday"):
        resp = w.browsers["helpdesk"].post(f"/practice/blocked/{a}/one-on-one", data={"held_at": bad, "trainer": "Hal"})
        assert resp.status_code == 400, bad
    held = (clock.now.replace(tzinfo=None) - __import__("datetime").timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert w.browsers["helpdesk"].post(f"/practice/blocked/{a}/one-on-one",
                                       data={"held_at": held, "trainer": "Hal Helpdesk", "notes": "Went over dates."}
                                       ).status_code == 303
    assert "Hal Helpdesk" in _html(w.browsers["helpdesk"].get(f"/practice/blocked/{a}"))
    resp = w.browsers["lead"].post(f"/practice/blocked/{a}/decide", data={"outcome": "refuse", "reason": ""})
    assert resp.status_code == 400 and "reason" in _html(resp)
    assert w.browsers["lead"].post(f"/practice/blocked/{a}/decide", data={"outcome": "sideways"}).status_code == 400
    assert w.browsers["lead"].post(f"/practice/blocked/{a}/decide", data={"outcome": "retry"}).status_code == 303
    # Twice: one decision.
    resp = w.browsers["lead"].post(f"/practice/blocked/{a}/decide", data={"outcome": "retry"})
    assert resp.status_code == 400
    db_session.expire_all()
    assert db_session.get(Assignment, a).status == "open"
    assert "3 of 3 attempts remain" in _html(w.browsers["trainee"].get("/practice/"))


def test_snippets_are_managed_by_helpdesk_and_lead_only(w, db_session):
    hd = w.browsers["helpdesk"]
    assert w.browsers["trainee"].get("/practice/snippets").status_code == 403
    assert w.browsers["manager"].get("/practice/snippets").status_code == 403
    resp = hd.post("/practice/snippets", data={"element": "", "text": "x"})
    assert resp.status_code == 400 and "Name the data element" in _html(resp)
    assert hd.post("/practice/snippets", data={"element": "Client.DOB", "text": "Check the birth date."}
                   ).status_code == 303
    (s,) = services.snippets(db_session)
    assert "Check the birth date." in _html(hd.get("/practice/snippets"))
    assert hd.post(f"/practice/snippets/{s.id}/retire").status_code == 303
    assert services.snippets(db_session) == []
    assert hd.post("/practice/snippets/2147483000/retire").status_code == 404


def test_a_reviewer_sees_the_comparison_and_the_workspace_as_frozen_and_now(w, sandbox_session, db_session):
    sub = _solve_and_submit(w, sandbox_session)
    head = sub.snapshot[0]["Client"]
    page = _html(w.browsers["manager"].get(f"/practice/review/{sub.id}"))
    assert head["FirstName"] in page and page.count(head["LastName"]) >= 2
    assert 'id="snap-1"' in page and 'id="live-1"' in page
    assert db_session.execute(sa.select(ReviewComment)).first() is None
    assert re.search(r"Data-quality findings", page)
    # The story's dates are months before today's entry: the sandbox would call every record late, which
    # says nothing about a practice case, so the review leaves timeliness out.
    late = [f for f in sandbox.quality_findings(sandbox_session, w.solver.ws.id) if f["kind"] == "late"]
    assert late and not any(f["message"] in page for f in late)


def test_the_queue_costs_the_same_queries_for_one_submission_or_two(w, sandbox_session, db_session, clock):
    from bench.harness import count_queries
    from lms.core.db import get_database

    _solve_and_submit(w, sandbox_session)
    engine = get_database(w.app).engine
    w.browsers["helpdesk"].get("/practice/review/")  # warm: settings, navigation
    with count_queries(engine) as one:
        assert "1 submission waiting" in _html(w.browsers["helpdesk"].get("/practice/review/"))
    (other_case,) = services.assignments_of(db_session, w.other)
    ws = sandbox.workspace_for_user(sandbox_session, w.other.id, now=clock.now)
    Solver(sandbox_session, ws, library.cases()[other_case.case_id], clock.now).entry()
    sandbox_session.commit()
    c = w.browsers["other"]
    assert c.post(f"/practice/cases/{other_case.id}/entry/submit").status_code == 303
    with count_queries(engine) as two:
        assert "2 submissions waiting" in _html(w.browsers["helpdesk"].get("/practice/review/"))
    assert two.count == one.count, two.statements
