"""Load question banks, start and submit attempts, report a pass as evidence, count results. Flush, never commit."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.core import audit, settings
from lms.core.errors import Conflict, DomainError, InvalidInput, NotFound
from lms.core.settings import SettingSpec
from lms.training import rules as training_rules
from lms.training.services import record_evidence
from quizzes import rules, videos
from quizzes.models import AttemptQuestion, QuizAttempt, QuizBank, QuizChoice, QuizQuestion

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The ``source`` of the evidence a passing attempt writes.
EVIDENCE_SOURCE = "quiz_attempt"

COURSE_TITLES = {
    "security_privacy": "Security and Privacy Awareness",
    "data_standards": "HMIS Data Standards",
    "cs_basics": "Community Services® Basics",
}

audit.label_actions({
    "quizzes.bank_loaded": "Question bank version loaded",
    "quizzes.attempt_started": "Test started",
    "quizzes.attempt_submitted": "Test submitted",
    "quizzes.attempt_passed": "Test passed",
})

for _course, _title in COURSE_TITLES.items():
    settings.declare(SettingSpec(f"quizzes.pass_mark.{_course}", f"Pass mark: {_title} test (percent)",
                                 "The share of questions a person must answer correctly to pass.",
                                 rules.DEFAULT_PASS_MARK, minimum=50, maximum=100))
settings.declare(SettingSpec("quizzes.questions_per_attempt", "Questions per test",
                             "How many questions each test draws from its bank, spread across its topics.",
                             rules.DEFAULT_QUESTIONS_PER_ATTEMPT, minimum=5, maximum=100))
settings.declare(SettingSpec("quizzes.time_limit_minutes", "Test time limit (minutes)",
                             "Answers sent after this long are refused; the person starts a new test.",
                             rules.DEFAULT_TIME_LIMIT_MINUTES, minimum=5, maximum=480))
settings.declare(SettingSpec("quizzes.retake_cooldown_minutes", "Wait before retaking a failed test (minutes)",
                             "After a failed test, or one that ran out of time, a new one may start after this "
                             "long (0: at once).", rules.DEFAULT_COOLDOWN_MINUTES, minimum=0, maximum=10080))


class BankInvalid(InvalidInput):
    """A bank file is not valid; ``reasons`` holds every problem, each naming its line and question."""


class AnswersRefused(InvalidInput):
    """The answers cannot be scored: some questions are unanswered (``unanswered``) or the form was forged."""

    def __init__(self, message: str, *, unanswered: list[int], forged: list[str]) -> None:
        super().__init__(message, reasons=forged)
        self.unanswered = unanswered
        self.forged = forged


class VideoNotWatched(Conflict):
    """Not enough of the course's video is watched to start its test."""


class AttemptExpired(Conflict):
    """The time limit has passed; the answers are not scored."""


# --- banks ------------------------------------------------------------------------------------------

def current_bank(db_session: Session, course: str) -> QuizBank | None:
    """Return the newest version of ``course``'s bank, or None before any is loaded."""
    return db_session.execute(sa.select(QuizBank).where(QuizBank.course == course)
                              .order_by(QuizBank.version.desc()).limit(1)).scalar_one_or_none()


def load_bank(db_session: Session, path: Path, *, now: datetime, actor: Any = None) -> tuple[QuizBank, bool]:
    """Load the bank in ``path`` (``<course>.json``); return (version, created).

    The same content as the newest version loads nothing; changed content becomes the next version.  A file
    whose content was already loaded as an earlier version loads nothing either: the newer version an HMIS lead
    published in the browser (:mod:`quizzes.content`) stays current through ``lms content load``.
    """
    course = Path(path).stem
    if course not in rules.COURSES:
        raise BankInvalid(f"{Path(path).name}: there is no course called {course!r}.")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BankInvalid(f"{Path(path).name}: the file is not UTF-8 text.") from None
    spec, problems = rules.parse_bank(text, course=course)
    if spec is None:
        raise BankInvalid(f"{Path(path).name} is not a valid question bank:\n" +
                          "\n".join(f"  {p}" for p in problems), reasons=problems)
    digest = hashlib.sha256(spec.canonical().encode("utf-8")).hexdigest()
    newest = current_bank(db_session, course)
    if newest is not None and newest.content_hash != digest and db_session.execute(
            sa.select(QuizBank.id).where(QuizBank.course == course, QuizBank.content_hash == digest)).first():
        # This file was loaded before and a lead has published a newer version in the browser since: keep theirs.
        return newest, False
    return store_bank(db_session, spec, now=now, actor=actor)


def store_bank(db_session: Session, spec: rules.BankSpec, *, now: datetime, actor: Any = None,
               action: str = "quizzes.bank_loaded", ip: str | None = None) -> tuple[QuizBank, bool]:
    """Store a checked bank as the course's next version; return (version, created).

    The same content as the newest version stores nothing.
    """
    course = spec.course
    digest = hashlib.sha256(spec.canonical().encode("utf-8")).hexdigest()
    newest = current_bank(db_session, course)
    if newest is not None and newest.content_hash == digest:
        return newest, False
    bank = QuizBank(course=course, version=(newest.version + 1) if newest else 1, title=spec.title,
                    content_hash=digest, loaded_at=now)
    bank.questions = [
        QuizQuestion(key=q.key, position=i, topic=q.topic, kind=q.kind, prompt=q.prompt, explanation=q.explanation,
                     source=q.source, choices=[QuizChoice(position=j, text=c.text, correct=c.correct)
                                               for j, c in enumerate(q.choices)])
        for i, q in enumerate(spec.questions)]
    db_session.add(bank)
    db_session.flush()
    audit.record(db_session, action=action, now=now, actor=actor, target=bank, ip=ip, course=course,
                 version=bank.version, questions=len(bank.questions))
    return bank, True


def load_content(db_session: Session, *, now: datetime, directory: Path = DATA_DIR) -> list[str]:
    """Load every course's bank shipped with the package (idempotent); return a line per file.

    Every file is checked before any is loaded, and all problems of all files are reported together.
    """
    lines, problems = [], []
    for course in rules.COURSES:
        path = Path(directory) / f"{course}.json"
        if not path.exists():
            lines.append(f"{path.name}: no question bank for {COURSE_TITLES[course]} yet.")
            continue
        try:
            with db_session.begin_nested():
                bank, created = load_bank(db_session, path, now=now)
        except BankInvalid as exc:
            problems.append(exc.message)
            continue
        lines.append(f"{path.name}: {COURSE_TITLES[course]} question bank version {bank.version} "
                     f"{'loaded' if created else 'already loaded, unchanged'} ({len(bank.questions)} questions).")
    if problems:
        raise BankInvalid("\n".join(problems))
    return lines


# --- attempts --------------------------------------------------------------------------------------

def pass_mark(db_session: Session, course: str) -> int:
    return settings.get(db_session, f"quizzes.pass_mark.{course}")


def attempts_of(db_session: Session, user: User, course: str, *, limit: int = 50) -> list[QuizAttempt]:
    """Return ``user``'s latest attempts at ``course``, newest first."""
    return list(db_session.execute(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.course == course)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()).limit(limit)).scalars())


def open_attempt(attempts: Iterable[QuizAttempt], now: datetime) -> QuizAttempt | None:
    """Return the attempt still to be answered (not submitted, not out of time), if any."""
    return next((a for a in attempts if a.submitted_at is None and not rules.is_expired(a.expires_at, now)), None)


def next_start(db_session: Session, attempts: Iterable[QuizAttempt], now: datetime) -> datetime | None:
    facts = [rules.AttemptFacts(a.started_at, a.expires_at, a.submitted_at, a.passed) for a in attempts]
    return rules.next_start(facts, cooldown_minutes=settings.get(db_session, "quizzes.retake_cooldown_minutes"),
                            now=now)


def start_attempt(db_session: Session, user: User, course: str, *, now: datetime, rng: random.Random | None = None,
                  ip: str | None = None) -> tuple[QuizAttempt, bool]:
    """Start a test of ``course`` for ``user``; return (attempt, created).

    An attempt still open is returned instead of a new one (a double click, two tabs).
    """
    if course not in rules.COURSES:
        raise NotFound("There is no such course.")
    # One start at a time per person (SQLite's write lock already serialises; PostgreSQL needs the row lock).
    db_session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    attempts = attempts_of(db_session, user, course)
    running = open_attempt(attempts, now)
    if running is not None:
        return running, False
    if not videos.may_start_test(db_session, user.id, course):
        raise VideoNotWatched("Watch the course video first: the test opens once you have watched "
                              f"{settings.get(db_session, 'quizzes.video_unlock_percent')}% of it.")
    wait_until = next_start(db_session, attempts, now)
    if wait_until is not None:
        raise Conflict("You can take this test again after the waiting time set by your HMIS lead.")
    bank = db_session.execute(sa.select(QuizBank).where(QuizBank.course == course)
                              .order_by(QuizBank.version.desc()).limit(1)
                              .options(selectinload(QuizBank.questions).selectinload(QuizQuestion.choices))
                              ).scalar_one_or_none()
    if bank is None or not bank.questions:
        raise NotFound("This test is not available yet. Please ask your HMIS lead administrator.")
    rng = rng or random.SystemRandom()
    drawn = rules.draw(list(bank.questions), settings.get(db_session, "quizzes.questions_per_attempt"), rng)
    attempt = QuizAttempt(user_id=user.id, course=course, bank_id=bank.id, started_at=now,
                          expires_at=rules.expires_at(now, settings.get(db_session, "quizzes.time_limit_minutes")),
                          question_count=len(drawn), pass_mark=pass_mark(db_session, course))
    attempt.questions = [
        AttemptQuestion(position=i, question_id=q.id,
                        choice_order=[q.choices[k].id for k in rules.choice_order(q.kind, len(q.choices), rng)])
        for i, q in enumerate(drawn, 1)]
    db_session.add(attempt)
    db_session.flush()
    audit.record(db_session, action="quizzes.attempt_started", now=now, actor=user, target=attempt, ip=ip,
                 course=course, version=bank.version, questions=len(drawn))
    return attempt, True


def load_attempt(db_session: Session, attempt_id: int) -> QuizAttempt | None:
    """Return an attempt with its questions and their choices (four queries), or None."""
    return db_session.execute(
        sa.select(QuizAttempt).where(QuizAttempt.id == attempt_id).options(
            selectinload(QuizAttempt.questions).selectinload(AttemptQuestion.question)
            .selectinload(QuizQuestion.choices), selectinload(QuizAttempt.bank))).scalar_one_or_none()


@dataclass(frozen=True)
class ShownChoice:
    #: 1-based place in the order shown: the value the form sends.
    number: int
    text: str
    correct: bool


def shown_choices(aq: AttemptQuestion) -> list[ShownChoice]:
    """Return the question's choices in the order the attempt shows them."""
    by_id = {c.id: c for c in aq.question.choices}
    return [ShownChoice(n, by_id[cid].text, by_id[cid].correct) for n, cid in enumerate(aq.choice_order, 1)]


def submit_attempt(db_session: Session, attempt: QuizAttempt, user: User, form: Iterable[tuple[str, str]], *,
                   now: datetime, zone: str = training_rules.DEFAULT_ZONE,
                   ip: str | None = None) -> tuple[QuizAttempt, bool]:
    """Score ``attempt``'s answers; return (attempt, scored). Already submitted: (attempt, False), unchanged.

    Refused, changing nothing, when the attempt is another person's (NotFound), out of time
    (AttemptExpired), or the answers are incomplete or not from the page (AnswersRefused).
    A pass records evidence for the course's requirement in the fiscal year of ``now``.
    """
    if attempt.user_id != user.id:
        raise NotFound("There is no such test.")
    if attempt.submitted_at is not None:
        return attempt, False
    if rules.is_expired(attempt.expires_at, now):
        raise AttemptExpired("The time for this test ran out before your answers arrived, so they were not "
                             "scored. Please start the test again.")
    drawn = [rules.DrawnQuestion(aq.position, aq.question.kind, len(aq.choice_order)) for aq in attempt.questions]
    read = rules.read_answers(drawn, form)
    if read.forged:
        raise AnswersRefused("These answers do not match the questions of this test.", unanswered=[],
                             forged=read.forged)
    if read.unanswered:
        raise AnswersRefused("Please answer every question: " + ", ".join(f"question {p}" for p in read.unanswered)
                             + (" is" if len(read.unanswered) == 1 else " are") + " still unanswered.",
                             unanswered=read.unanswered, forged=[])
    results = {}
    for aq in attempt.questions:
        right = [c.number for c in shown_choices(aq) if c.correct]
        results[aq.position] = rules.is_correct(right, read.chosen[aq.position])
    result = rules.score(list(results.values()), attempt.pass_mark)
    # Only the first submission scores: two tabs or a double click race to this one conditional update.
    won = db_session.execute(
        sa.update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now, correct_count=result.correct, passed=result.passed)
        .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        db_session.refresh(attempt)
        return attempt, False
    for aq in attempt.questions:
        aq.chosen = read.chosen[aq.position]
        aq.correct = results[aq.position]
    attempt.submitted_at, attempt.correct_count, attempt.passed = now, result.correct, result.passed
    db_session.flush()
    audit.record(db_session, action="quizzes.attempt_submitted", now=now, actor=user, target=attempt, ip=ip,
                 course=attempt.course, correct=result.correct, total=result.total, passed=result.passed)
    if result.passed:
        fiscal_year = training_rules.fiscal_year_of(now, zone)
        record_evidence(db_session, user, attempt.course, fiscal_year=fiscal_year, achieved_at=now,
                        source=EVIDENCE_SOURCE, source_id=attempt.id, now=now)
        audit.record(db_session, action="quizzes.attempt_passed", now=now, actor=user, target=attempt, ip=ip,
                     course=attempt.course, fiscal_year=fiscal_year)
    return attempt, True


# --- reports for administrators ----------------------------------------------------------------------

@dataclass(frozen=True)
class WrongAnswer:
    """The wrong answer given most often to a question: the choices selected together, and by how many."""

    #: The choice texts selected (file order); one for one-answer questions, the whole set for multiple-select.
    texts: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class QuestionStat:
    question: QuizQuestion
    answered: int
    correct: int
    #: The most common wrong answer (for multiple-select, the most common wrong *set* of choices), if any.
    top_wrong: WrongAnswer | None = None

    @property
    def wrong(self) -> int:
        return self.answered - self.correct

    @property
    def percent(self) -> int | None:
        return self.correct * 100 // self.answered if self.answered else None


#: Orders of the per-question results: "failed" puts the lowest share correct first.
STAT_ORDERS = {"failed": "Failed most first", "bank": "Order in the question bank"}


def sort_stats(stats: list[QuestionStat], order: str) -> list[QuestionStat]:
    """Sort per-question results; "failed": lowest share correct first (then most wrong answers), unanswered last."""
    if order != "failed":
        return sorted(stats, key=lambda s: s.question.position)
    return sorted(stats, key=lambda s: (s.answered == 0, s.correct / s.answered if s.answered else 1.0,
                                        -s.wrong, s.question.position))


def banks_of(db_session: Session, course: str) -> list[QuizBank]:
    return list(db_session.execute(sa.select(QuizBank).where(QuizBank.course == course)
                                   .order_by(QuizBank.version.desc())).scalars())


def _chosen_choice_ids(dialect: str):
    """Return (the rows of one answer's chosen places, the QuizChoice id shown at each place), for ``dialect``.

    An answer stores the places chosen (1-based, as shown) and the ids in the order shown, both as JSON arrays:
    unnesting them is the one thing SQLite and PostgreSQL spell differently.
    """
    if dialect == "postgresql":
        chosen = sa.func.json_array_elements_text(AttemptQuestion.chosen).table_valued("value").alias("chosen_place")
        place = sa.cast(chosen.c.value, sa.Integer)
        choice_id = sa.cast(AttemptQuestion.choice_order.op("->>")(place - 1), sa.Integer)
    else:
        chosen = sa.func.json_each(AttemptQuestion.chosen).table_valued("value").alias("chosen_place")
        choice_id = sa.func.json_extract(AttemptQuestion.choice_order,
                                         sa.literal("$[") + sa.cast(chosen.c.value - 1, sa.String) + sa.literal("]"))
    return chosen, choice_id


def question_stats(db_session: Session, bank: QuizBank) -> list[QuestionStat]:
    """Return, per question of ``bank`` (bank order), how often submitted attempts answered it, how often
    correctly, and the wrong answer given most often.

    Four queries whatever the number of attempts: the questions, their choices, one grouped count, and one
    grouped tally of the wrong answers.  A wrong answer is tallied as the *set* of choices selected, written as
    a bit mask of the choices' places in the file (``sum(1 << position)``, the same whatever order they were
    shown in); for one-answer questions that set is the one choice.  Ties go to the lowest mask (first in file).
    """
    questions = list(db_session.execute(
        sa.select(QuizQuestion).where(QuizQuestion.bank_id == bank.id).order_by(QuizQuestion.position)
        .options(selectinload(QuizQuestion.choices))).scalars())
    submitted = sa.and_(QuizAttempt.id == AttemptQuestion.attempt_id, QuizAttempt.bank_id == bank.id,
                        QuizAttempt.submitted_at.is_not(None))
    counts = dict((qid, (n, c)) for qid, n, c in db_session.execute(
        sa.select(AttemptQuestion.question_id, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(sa.case((AttemptQuestion.correct.is_(True), 1), else_=0)), 0))
        .join(QuizAttempt, submitted)
        .group_by(AttemptQuestion.question_id)))
    chosen, choice_id = _chosen_choice_ids(db_session.get_bind().dialect.name)
    masks = (sa.select(AttemptQuestion.id.label("answer_id"), AttemptQuestion.question_id.label("question_id"),
                       sa.func.sum(sa.literal(1).op("<<")(QuizChoice.position)).label("mask"))
             .select_from(AttemptQuestion).join(QuizAttempt, submitted).join(chosen, sa.true())
             .join(QuizChoice, QuizChoice.id == choice_id)
             .where(AttemptQuestion.correct.is_(False))
             .group_by(AttemptQuestion.id, AttemptQuestion.question_id)).subquery("masks")
    tallies = sa.select(masks.c.question_id, masks.c.mask, sa.func.count().label("n"),
                        sa.func.row_number().over(partition_by=masks.c.question_id,
                                                  order_by=(sa.func.count().desc(), masks.c.mask)).label("rank")
                        ).group_by(masks.c.question_id, masks.c.mask).subquery("tallies")
    top = {qid: (int(mask), n) for qid, mask, n in db_session.execute(
        sa.select(tallies.c.question_id, tallies.c.mask, tallies.c.n).where(tallies.c.rank == 1))}
    stats = []
    for q in questions:
        wrong = None
        if q.id in top:
            mask, n = top[q.id]
            wrong = WrongAnswer(tuple(c.text for c in q.choices if mask >> c.position & 1), n)
        stats.append(QuestionStat(q, *counts.get(q.id, (0, 0)), top_wrong=wrong))
    return stats


def attempts_by_person_query(search: str = "", course: str | None = None) -> sa.Select:
    """Return a query of (user, attempts, submitted, passed, last started) per person who started a test."""
    counted = sa.select(QuizAttempt.user_id.label("user_id"), sa.func.count().label("attempts"),
                        sa.func.count(QuizAttempt.submitted_at).label("submitted"),
                        sa.func.coalesce(sa.func.sum(sa.case((QuizAttempt.passed.is_(True), 1), else_=0)), 0)
                        .label("passed"),
                        sa.func.max(QuizAttempt.started_at).label("last_started"))
    if course:
        counted = counted.where(QuizAttempt.course == course)
    counted = counted.group_by(QuizAttempt.user_id).subquery()
    q = (sa.select(User, counted.c.attempts, counted.c.submitted, counted.c.passed, counted.c.last_started)
         .join(counted, counted.c.user_id == User.id)
         .order_by(counted.c.last_started.desc(), User.id))
    if search:
        like = f"%{search.lower()}%"
        q = q.where(sa.or_(sa.func.lower(User.full_name).like(like), sa.func.lower(User.email).like(like)))
    return q


def person_attempts(db_session: Session, user: User, *, limit: int = 200) -> list[QuizAttempt]:
    """Return ``user``'s attempts at every course, newest first, with their bank versions."""
    return list(db_session.execute(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()).limit(limit)
        .options(selectinload(QuizAttempt.bank))).scalars())


__all__ = ["AnswersRefused", "AttemptExpired", "BankInvalid", "DomainError", "load_content", "start_attempt",
           "submit_attempt"]
