"""What a test costs in SQL statements: starting one, reading its page and sending the answers each issue a
fixed number, whatever the bank, and the bank version (never changed once stored) is read once per process."""

from __future__ import annotations


import pytest

from bench.harness import count_queries
from lms.core.roles import Role
from quizzes import services
from quizzes.services import snapshots
from tests.functional.quizzes.conftest import answers, start, watch_videos

pytestmark = pytest.mark.usefixtures("watched")

BANK_TABLES = ("quiz_questions", "quiz_choices")


def _reads_bank(counter) -> bool:  # noqa: ANN001
    return any(table in sql for sql in counter.statements for table in BANK_TABLES)


def test_a_test_start_page_and_answers_issue_fixed_statements_without_reading_the_bank(banks, trainee_client,
                                                                                       db_session, clock):
    engine = db_session.get_bind().engine
    first = start(trainee_client)  # the first test in this process reads the bank version once
    assert trainee_client.post(f"/quizzes/attempts/{first}", data=answers(db_session, first, right=0)).status_code == 303
    with count_queries(engine) as started:
        attempt_id = start(trainee_client)
    with count_queries(engine) as read:
        page = trainee_client.get(f"/quizzes/attempts/{attempt_id}")
    assert page.status_code == 200 and "Question 1 of" in page.get_data(as_text=True)
    form = answers(db_session, attempt_id)
    with count_queries(engine) as sent:
        resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=form)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/result")
    for counter in (started, read, sent):
        assert not _reads_bank(counter), counter.statements
    # Start: the session, the person, their row lock, their attempts, the video watched, the bank version,
    # the attempt, its questions (one statement), the audit row.  Page: session, person, attempt, its
    # questions, the course's title.  Answers: session, attempt, its questions, person, the scoring update, the
    # answers (one statement), audit, the evidence (look, insert) and its audit row, and the recertification
    # data version the evidence raises (lms.recert.changes: the dashboard's copies).  Start and answers each
    # end by raising the person's page version (lms.core.page_versions: their kept pages).
    assert (started.count, read.count, sent.count) == (10, 5, 12), (started.statements, read.statements,
                                                                    sent.statements)


def test_a_copy_without_the_attempts_questions_is_read_again(banks, trainee_client, db_session):
    """An id reused after a rolled-back load, say: the attempt's questions decide, never the stale copy."""
    attempt_id = start(trainee_client)
    bank = services.current_bank(db_session, "security_privacy")
    empty = snapshots.BankSnapshot(bank.id, bank.content_hash, (), {})
    snapshots._COPY.forget_after_transaction(db_session)
    assert snapshots._COPY.get(db_session, (bank.id, bank.content_hash), lambda s: empty) is empty
    attempt = services.load_attempt(db_session, attempt_id)
    assert all(services.question_of(aq).id == aq.question_id for aq in attempt.questions)
    assert [c.number for c in services.shown_choices(attempt.questions[0])] == list(
        range(1, len(attempt.questions[0].choice_order) + 1))


def test_question_stats_use_four_queries_whatever_the_attempts(banks, db_session, make_user, clock):
    import random

    bank = services.current_bank(db_session, "security_privacy")
    for i in range(6):
        user = make_user(roles=[Role.END_USER])
        watch_videos(db_session, user, clock.now)
        attempt, _ = services.start_attempt(db_session, user, "security_privacy", now=clock.now, rng=random.Random(i))
        services.submit_attempt(db_session, attempt, user, [
            (k, v) for k, vs in answers(db_session, attempt.id).items() for v in vs], now=clock.now)
    db_session.commit()
    with count_queries(db_session.get_bind().engine) as counter:
        stats = services.question_stats(db_session, bank)
    assert counter.count == 4, counter.statements
    assert sum(s.answered for s in stats) == 6 * 20
