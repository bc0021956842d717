"""The October-rush benchmark's test takers (bench.october): they take real tests from the real pages, each
submission records one attempt, and the seed lets them start every course's test back to back."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from bench import october
from bench.harness import prepare_quizzes, unlock_tests
from bench.load import paced_mix
from lms.core import settings
from quizzes.models import QuizAttempt
from tests.functional.quizzes.conftest import answers, start


def _through(client):
    """bench.load.request's signature, sent through Flask's test client (which keeps its own cookie)."""

    def send(host, method, path, *, body=None, cookie=None, timeout=30):  # noqa: ANN001, ARG001
        resp = client.open(path, method=method, data=MultiDict(list(body.items()) if isinstance(body, dict)
                                                               else body or []))
        return resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, resp.get_data(as_text=True)

    return send


def _submitted(db_session) -> int:
    db_session.expire_all()
    return db_session.execute(sa.select(sa.func.count()).select_from(QuizAttempt)
                              .where(QuizAttempt.submitted_at.is_not(None))).scalar_one()


def test_seed_unlocks_every_course_and_lets_a_failed_test_be_retaken_at_once(trainee_client, trainee, db_session,
                                                                              clock):
    settings.change(db_session, "quizzes.retake_cooldown_minutes", "30", actor=None, now=clock.now)
    db_session.commit()
    prepare_quizzes(db_session, now=clock.now)  # loads the banks and sets the cool-down back to 0
    unlock_tests(db_session, [trainee.id], now=clock.now)
    db_session.commit()
    assert settings.get(db_session, "quizzes.retake_cooldown_minutes") == 0
    for course in ("security_privacy", "data_standards", "cs_basics"):
        attempt_id = start(trainee_client, course)
        resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id, right=0))
        assert resp.status_code == 303 and resp.headers["Location"].endswith("/result")
        assert start(trainee_client, course) != attempt_id  # failed, and a new test starts at once


def test_a_taker_answers_the_test_page_and_every_submission_is_recorded(app, trainee_client, trainee, db_session,
                                                                        clock):
    prepare_quizzes(db_session, now=clock.now)
    unlock_tests(db_session, [trainee.id], now=clock.now)
    db_session.commit()
    takers = october.QuizTakers(["the test client's cookie"], send=_through(trainee_client))
    assert [takers("host") for _ in range(4)] == [303] * 4  # three courses in turn, then the first again
    assert takers.submitted == 4 and takers.problems == {} and _submitted(db_session) == 4
    # Still signed in: the page's other forms (the header's sign-out) are not where the answers go.
    assert trainee_client.get("/training/").status_code == 200


def test_a_mix_entry_may_be_an_action_and_a_redirect_to_sign_in_is_not_a_page(trainee_client):
    calls = []

    def action(host):  # noqa: ANN001
        calls.append(host)
        return 303

    action.label = "action"
    result = paced_mix("host", [(1, action)], rate=40, seconds=1, threads=2)
    assert len(calls) == result.sent == 40 and result.by_kind == {"action": {303: 40}} and result.errors == 0
    takers = october.QuizTakers([], send=_through(trainee_client))
    result.by_kind = {takers.label: {303: 5}, "/training/": {200: 3, 302: 2}}
    assert october.unexpected(result, takers) == 2
