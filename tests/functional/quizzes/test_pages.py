"""The test pages: start, answer, submit once, results; evidence on a pass; refusals change nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.core.roles import Role
from lms.training.models import Evidence
from quizzes import rules, services
from quizzes.models import AttemptQuestion, QuizAttempt, QuizBank
from tests.functional.quizzes.conftest import answers, start, watch_videos

#: Every test here starts after the trainee has watched the course videos (tests/functional/quizzes/test_video.py
#: checks the lock itself).
pytestmark = pytest.mark.usefixtures("watched")


def _state(db_session):
    from lms.core.audit import AuditEvent

    db_session.expire_all()
    rows = db_session.execute(sa.select(QuizAttempt.id, QuizAttempt.submitted_at, QuizAttempt.correct_count,
                                        QuizAttempt.passed)).all()
    chosen = db_session.execute(sa.select(AttemptQuestion.id, AttemptQuestion.chosen)).all()
    counts = [db_session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in (Evidence, AuditEvent)]
    return rows, chosen, counts


def test_start_draws_questions_and_the_page_never_shows_correct_answers(banks, trainee_client, db_session):
    attempt_id = start(trainee_client)
    html = trainee_client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    attempt = services.load_attempt(db_session, attempt_id)
    assert attempt.question_count == rules.DEFAULT_QUESTIONS_PER_ATTEMPT == len(attempt.questions)
    assert html.count("<fieldset") == attempt.question_count and html.count("<legend") == attempt.question_count
    import re

    # Each input says only its question and its place in the order shown: nothing marks the right one.
    inputs = re.findall(r"<input[^>]*name=\"q\d+\"[^>]*>", html)
    assert len(inputs) == sum(len(aq.choice_order) for aq in attempt.questions)
    for tag in inputs:
        attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))
        assert set(attrs) == {"class", "id", "type", "name", "value"} and 1 <= int(attrs["value"]) <= 8
    assert "(correct)" not in html
    assert not any(aq.question.explanation in html for aq in attempt.questions)


def test_start_twice_returns_the_open_attempt(banks, trainee_client, db_session):
    first = start(trainee_client)
    assert start(trainee_client) == first
    assert db_session.execute(sa.select(sa.func.count()).select_from(QuizAttempt)).scalar_one() == 1


def test_submit_all_correct_passes_records_evidence_and_checklist_shows_met(banks, trainee_client, trainee,
                                                                              db_session, clock):
    attempt_id = start(trainee_client)
    resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id))
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}/result")
    page = trainee_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Passed: 20 of 20 correct (100%)" in page
    ev = db_session.execute(sa.select(Evidence).where(Evidence.user_id == trainee.id)).scalar_one()
    assert (ev.requirement, ev.fiscal_year, ev.source, ev.source_id) == ("security_privacy", 2027, "quiz_attempt",
                                                                          str(attempt_id))
    checklist = trainee_client.get("/training/").get_data(as_text=True)
    row = checklist.split('data-requirement="security_privacy"')[1].split("</li>")[0]
    assert "Completed" in row and f"/quizzes/attempts/{attempt_id}/result" in row
    other = checklist.split('data-requirement="data_standards"')[1].split("</li>")[0]
    assert "Not yet completed" in other and "/quizzes/data_standards" in other


def test_submit_below_pass_mark_fails_without_evidence_and_shows_wrong_answers(banks, trainee_client, db_session):
    attempt_id = start(trainee_client)
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id, right=15))
    page = trainee_client.get(f"/quizzes/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Not passed: 15 of 20 correct (75%)" in page
    assert page.count("usa-tag lms-tag--wrong") == 5 and "Why:" in page
    assert db_session.execute(sa.select(sa.func.count()).select_from(Evidence)).scalar_one() == 0


def test_pass_mark_setting_changes_the_outcome(banks, trainee_client, db_session, clock):
    from lms.core import settings

    settings.change(db_session, "quizzes.pass_mark.security_privacy", "75", actor=None, now=clock.now)
    db_session.commit()
    attempt_id = start(trainee_client)
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id, right=15))
    db_session.expire_all()
    assert db_session.get(QuizAttempt, attempt_id).passed is True


def test_multiple_select_partly_right_counts_wrong(banks, trainee_client, db_session):
    attempt_id = start(trainee_client)
    form = answers(db_session, attempt_id)
    attempt = services.load_attempt(db_session, attempt_id)
    multi = next(aq for aq in attempt.questions if aq.question.kind == "multiple"
                 and sum(c.correct for c in aq.question.choices) > 1)
    form[f"q{multi.position}"] = form[f"q{multi.position}"][:1]
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=form)
    db_session.expire_all()
    assert db_session.get(AttemptQuestion, multi.id).correct is False
    assert db_session.get(QuizAttempt, attempt_id).correct_count == 19


def test_double_submission_records_one_attempt(banks, trainee_client, db_session):
    attempt_id = start(trainee_client)
    first = answers(db_session, attempt_id, right=10)
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=first)
    before = _state(db_session)
    resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id))
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/result")
    assert _state(db_session) == before
    assert db_session.get(QuizAttempt, attempt_id).correct_count == 10


@pytest.fixture
def short_limit(db_session, clock):
    """A five-minute time limit, so the test runs out before the 15-minute idle timeout signs the person out."""
    from lms.core import settings

    settings.change(db_session, "quizzes.time_limit_minutes", "5", actor=None, now=clock.now)
    db_session.commit()


def test_submit_after_time_limit_is_refused_and_nothing_changes(short_limit, banks, trainee_client, db_session, clock):
    attempt_id = start(trainee_client)
    form = answers(db_session, attempt_id)
    clock.advance(seconds=60 * 5 + 31)
    before = _state(db_session)
    resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=form)
    assert resp.status_code == 409 and "time for this test ran out" in resp.get_data(as_text=True)
    assert _state(db_session) == before


def test_submit_within_grace_is_scored(short_limit, banks, trainee_client, db_session, clock):
    attempt_id = start(trainee_client)
    form = answers(db_session, attempt_id)
    clock.advance(seconds=60 * 5 + 29)
    assert trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=form).status_code == 303


def test_expired_attempt_lets_a_new_one_start(short_limit, banks, trainee_client, db_session, clock):
    first = start(trainee_client)
    clock.advance(seconds=60 * 5 + 31)
    assert "time for this test has run out" in trainee_client.get(f"/quizzes/attempts/{first}").get_data(as_text=True)
    assert start(trainee_client) != first


def test_unanswered_question_is_refused_with_the_answers_kept(banks, trainee_client, db_session):
    attempt_id = start(trainee_client)
    form = answers(db_session, attempt_id)
    del form["q3"]
    before = _state(db_session)
    resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "question 3 is still unanswered" in html and 'href="#question-3"' in html
    assert html.count(" checked") >= 19
    assert _state(db_session) == before


def test_tampered_answers_are_refused_and_nothing_changes(banks, trainee_client, db_session):
    attempt_id = start(trainee_client)
    good = answers(db_session, attempt_id)
    # Two answers to a question that takes one (a multiple-select one may rightly take "1" and "2").
    single = next(f"q{aq.position}" for aq in services.load_attempt(db_session, attempt_id).questions
                  if aq.question.kind != rules.MULTIPLE)
    before = _state(db_session)
    for tampered in ({**good, "q21": ["1"]}, {**good, "q1": ["9"]}, {**good, single: ["1", "2"]},
                     {**good, "q2": ["0"]}, {**good, "q5": ["x"]}):
        resp = trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=tampered)
        assert resp.status_code == 400, tampered
    assert _state(db_session) == before


def test_another_persons_attempt_is_404_and_unchanged(banks, trainee_client, db_session, app, make_user, login):
    attempt_id = start(trainee_client)
    form = answers(db_session, attempt_id)
    other = app.test_client()
    login(other, make_user(roles=[Role.END_USER]))
    before = _state(db_session)
    assert other.get(f"/quizzes/attempts/{attempt_id}").status_code == 404
    assert other.post(f"/quizzes/attempts/{attempt_id}", data=form).status_code == 404
    assert _state(db_session) == before
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=form)
    assert other.get(f"/quizzes/attempts/{attempt_id}/result").status_code == 404


def test_cooldown_setting_blocks_a_retake_after_a_fail(banks, trainee_client, db_session, clock):
    from lms.core import settings

    settings.change(db_session, "quizzes.retake_cooldown_minutes", "10", actor=None, now=clock.now)
    db_session.commit()
    attempt_id = start(trainee_client)
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id, right=0))
    resp = trainee_client.post("/quizzes/security_privacy/start")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/quizzes/security_privacy")
    assert "You can take the test again from" in trainee_client.get("/quizzes/security_privacy").get_data(as_text=True)
    clock.advance(seconds=601)
    assert start(trainee_client) != attempt_id


def test_course_page_without_a_bank_says_so(trainee_client):
    html = trainee_client.get("/quizzes/cs_basics").get_data(as_text=True)
    assert "This test is not available yet" in html and 'data-testid="start"' not in html


def test_changed_bank_becomes_a_new_version_and_attempts_keep_theirs(banks, trainee_client, db_session, clock,
                                                                    tmp_path):
    attempt_id = start(trainee_client)
    data = json.loads((services.DATA_DIR / "security_privacy.json").read_text(encoding="utf-8"))
    data["questions"][0]["explanation"] += " (revised)"
    path = tmp_path / "security_privacy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    bank, created = services.load_bank(db_session, path, now=clock.now)
    assert created and bank.version == 2
    assert services.load_bank(db_session, path, now=clock.now) == (bank, False)
    db_session.commit()
    assert db_session.get(QuizAttempt, attempt_id).bank.version == 1
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id))
    assert "version 1 of the question bank" in trainee_client.get(
        f"/quizzes/attempts/{attempt_id}/result").get_data(as_text=True)


def test_content_load_cli_is_idempotent_and_reports_invalid_questions(runner, db_session, tmp_path, monkeypatch):
    result = runner.invoke(args=["lms", "content", "load"])
    assert result.exit_code == 0, result.output
    assert "security_privacy.json: Security and Privacy Awareness question bank version 1 loaded" in result.output
    again = runner.invoke(args=["lms", "content", "load"])
    assert "version 1 already loaded, unchanged" in again.output
    bad = json.loads((services.DATA_DIR / "cs_basics.json").read_text(encoding="utf-8"))
    bad["questions"][2]["type"] = "essay"
    (tmp_path / "cs_basics.json").write_text(json.dumps(bad, indent=2), encoding="utf-8")
    monkeypatch.setattr(services, "DATA_DIR", tmp_path)
    with runner.app.app_context():
        import pytest

        with pytest.raises(services.BankInvalid) as exc:
            services.load_content(db_session, now=__import__("datetime").datetime.now(
                __import__("datetime").timezone.utc), directory=tmp_path)
    assert "question 3 (cs-search-duplicate): type must be one of" in exc.value.message
    assert exc.value.message.splitlines()[1].strip().startswith("line ")


def test_admin_pages_count_per_question_and_per_person(banks, trainee_client, trainee, db_session, app, make_user,
                                                       login):
    attempt_id = start(trainee_client)
    trainee_client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id, right=10))
    admin = app.test_client()
    login(admin, make_user(roles=[Role.LEAD_ADMIN]))
    html = admin.get("/quizzes/admin/security_privacy/questions").get_data(as_text=True)
    assert html.count("100%") == 10 and html.count(">0%<") == 10 and html.count("no answers yet") == 8
    people = admin.get("/quizzes/admin/people").get_data(as_text=True)
    assert trainee.full_name in people and "1 person found" in people
    assert admin.get(f"/quizzes/admin/people/{trainee.id}").status_code == 200
    assert admin.get(f"/quizzes/attempts/{attempt_id}/result").status_code == 200
    assert trainee_client.get("/quizzes/admin/people").status_code == 403


def test_banks_shipped_have_enough_questions_and_every_kind():
    for course in rules.COURSES:
        spec, problems = rules.parse_bank((services.DATA_DIR / f"{course}.json").read_text(encoding="utf-8"),
                                          course=course)
        assert problems == [] and len(spec.questions) >= 25
        assert {q.kind for q in spec.questions} == {"single", "multiple", "true_false"}
        assert len({q.topic for q in spec.questions}) >= 5


def test_bank_table_holds_one_version_per_content(banks, db_session, clock):
    services.load_content(db_session, now=clock.now + timedelta(days=1))
    versions = db_session.execute(sa.select(QuizBank.course, QuizBank.version)).all()
    assert sorted(versions) == sorted((c, 1) for c in rules.COURSES)


# --- which questions people fail most, and what they answer instead ------------------------------------------

#: Five people's answers to four questions of security_privacy (every other question answered correctly).
PW_RULES_RIGHT = ("It uses at least one number", "It does not contain the username", "It is not entirely a dictionary")
KNOWN_ANSWERS = [
    {"sp-pw-length": ["Six characters"], "sp-pw-rules": PW_RULES_RIGHT[:2], "sp-pw-note": ["True"],
     "sp-ret-years": ["One year"]},
    {"sp-pw-length": ["Six characters"], "sp-pw-rules": PW_RULES_RIGHT[:2], "sp-pw-note": ["True"],
     "sp-ret-years": ["Three years"]},
    {"sp-pw-length": ["Ten characters"], "sp-pw-rules": PW_RULES_RIGHT + ("It must be changed every week",)},
    {"sp-pw-length": ["Eight characters"], "sp-pw-rules": PW_RULES_RIGHT},
    {"sp-pw-length": ["Six characters"], "sp-pw-rules": ("It must be changed every week",)},
]


def _answer_by_text(db_session, attempt_id: int, picks: dict[str, tuple[str, ...] | list[str]]) -> list[tuple]:
    """Return form pairs answering the questions in ``picks`` with the choices whose text starts so, the rest right."""
    attempt = services.load_attempt(db_session, attempt_id)
    pairs = []
    for aq in attempt.questions:
        shown = services.shown_choices(aq)
        wanted = picks.get(aq.question.key)
        numbers = ([c.number for c in shown if any(c.text.startswith(w) for w in wanted)] if wanted
                   else [c.number for c in shown if c.correct])
        assert numbers and (not wanted or len(numbers) == len(wanted)), (aq.question.key, wanted)
        pairs += [(f"q{aq.position}", str(n)) for n in numbers]
    return pairs


@pytest.fixture
def known_attempts(banks, db_session, make_user, clock):
    """Five people each sat the whole security_privacy bank (28 questions) once, answering KNOWN_ANSWERS."""
    import random

    from lms.core import settings

    settings.change(db_session, "quizzes.questions_per_attempt", "28", actor=None, now=clock.now)
    db_session.commit()
    for i, picks in enumerate(KNOWN_ANSWERS):
        user = make_user(roles=[Role.END_USER])
        watch_videos(db_session, user, clock.now)
        attempt, _ = services.start_attempt(db_session, user, "security_privacy", now=clock.now,
                                            rng=random.Random(i))
        assert attempt.question_count == 28
        services.submit_attempt(db_session, attempt, user, _answer_by_text(db_session, attempt.id, picks),
                                now=clock.now)
    db_session.commit()
    return services.current_bank(db_session, "security_privacy")


def test_question_stats_count_answers_and_the_most_common_wrong_answer(known_attempts, db_session):
    stats = {s.question.key: s for s in services.question_stats(db_session, known_attempts)}
    assert len(stats) == 28 and all(s.answered == 5 for s in stats.values())

    length = stats["sp-pw-length"]
    assert (length.answered, length.correct, length.wrong, length.percent) == (5, 1, 4, 20)
    assert length.top_wrong == services.WrongAnswer(("Six characters",), 3)

    # Multiple-select: the wrong answer is the whole set selected; two of four wrong answers left one right choice out.
    rules_ = stats["sp-pw-rules"]
    assert (rules_.answered, rules_.correct, rules_.percent) == (5, 1, 20)
    assert len(rules_.top_wrong.texts) == 2
    assert [t.startswith(w) for t, w in zip(rules_.top_wrong.texts, PW_RULES_RIGHT)] == [True, True]
    assert rules_.top_wrong.count == 2

    note = stats["sp-pw-note"]
    assert (note.correct, note.percent, note.top_wrong) == (3, 60, services.WrongAnswer(("True",), 2))

    # A tie (one person each) goes to the choice written first in the bank.
    years = stats["sp-ret-years"]
    assert (years.correct, years.top_wrong) == (3, services.WrongAnswer(("One year",), 1))

    right = stats["sp-roi-before"]
    assert (right.correct, right.percent, right.top_wrong) == (5, 100, None)

    order = [s.question.key for s in services.sort_stats(list(stats.values()), "failed")]
    assert order[:4] == ["sp-pw-length", "sp-pw-rules", "sp-pw-note", "sp-ret-years"]
    assert [s.question.key for s in services.sort_stats(list(stats.values()), "bank")][:3] == [
        "sp-pw-length", "sp-pw-rules", "sp-pw-note"]


def test_admin_question_page_shows_failed_most_first_with_the_wrong_answer(known_attempts, app, make_user, login):
    import re

    admin = app.test_client()
    login(admin, make_user(roles=[Role.LEAD_ADMIN]))
    html = admin.get("/quizzes/admin/security_privacy/questions").get_data(as_text=True)
    rows = re.findall(r'<tr data-testid="question-([a-z0-9.-]+)">(.*?)</tr>', html, re.S)
    assert [key for key, _ in rows[:4]] == ["sp-pw-length", "sp-pw-rules", "sp-pw-note", "sp-ret-years"]
    text = {key: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for key, row in rows}
    assert "5 20%" in text["sp-pw-length"]
    assert "“Six characters”: chosen by 3 of 4 wrong answers" in text["sp-pw-length"]
    assert re.search(r"“It uses at least one number[^”]*” and “It does not contain the username[^”]*”: "
                     r"chosen by 2 of 4 wrong answers", text["sp-pw-rules"])
    assert "“True”: chosen by 2 of 2 wrong answers" in text["sp-pw-note"]
    assert "“One year”: chosen by 1 of 2 wrong answers" in text["sp-ret-years"]
    assert "100%" in text["sp-roi-before"] and "no wrong answers" in text["sp-roi-before"]
    # In bank order on request.
    html = admin.get("/quizzes/admin/security_privacy/questions?order=bank").get_data(as_text=True)
    keys = re.findall(r'<tr data-testid="question-([a-z0-9.-]+)">', html)
    assert keys[:4] == ["sp-pw-length", "sp-pw-rules", "sp-pw-note", "sp-pw-one-workstation"]


def test_admin_question_page_issues_the_same_statements_with_more_attempts(known_attempts, app, db_session,
                                                                           make_user, login, clock):
    import random

    from bench.harness import count_queries

    admin = app.test_client()
    login(admin, make_user(roles=[Role.LEAD_ADMIN]))
    engine = db_session.get_bind().engine
    url = "/quizzes/admin/security_privacy/questions"
    with count_queries(engine) as before:
        assert admin.get(url).status_code == 200
    for i in range(3):
        user = make_user(roles=[Role.END_USER])
        watch_videos(db_session, user, clock.now)
        attempt, _ = services.start_attempt(db_session, user, "security_privacy", now=clock.now,
                                            rng=random.Random(10 + i))
        services.submit_attempt(db_session, attempt, user, _answer_by_text(db_session, attempt.id, KNOWN_ANSWERS[0]),
                                now=clock.now)
    db_session.commit()
    with count_queries(engine) as after:
        html = admin.get(url).get_data(as_text=True)
    assert "“Six characters”: chosen by 6 of 7 wrong answers" in html
    assert after.count == before.count, after.statements
