"""Load question banks, start and submit attempts, report a pass as evidence. Flush, never commit.

The counts administrators read (per-question results, attempts per person) are in
:mod:`quizzes.services.reports`: they only read what this module writes.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.core import audit, page_versions, settings
from lms.core.errors import Conflict, InvalidInput, NotFound
from lms.core.settings import SettingSpec
from lms.training import rules as training_rules
from lms.training.services import record_evidence
from quizzes import rules, videos
from quizzes.services.snapshots import bank_snapshot
from quizzes.models import AttemptQuestion, QuizAttempt, QuizBank, QuizChoice, QuizQuestion

DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # quizzes/data
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
    return db_session.execute(_queries()["current_bank"], {"course": course}).scalar_one_or_none()


@functools.cache
def _queries() -> dict[str, Any]:
    """The statements of a test's start, page and submission (October's busiest writes), built once at first
    use (not at import: loader options need every model mapped): a statement object keeps its cache key,
    which SQLAlchemy would otherwise work out again from a new one on every call.  (Parameters of the
    UPDATE are not named after columns: an UPDATE keeps those names for its SET clause.)"""
    return {
        "current_bank": sa.select(QuizBank).where(QuizBank.course == sa.bindparam("course"))
        .order_by(QuizBank.version.desc()).limit(1),
        "lock_person": sa.select(User.id).where(User.id == sa.bindparam("user_id")).with_for_update(),
        "attempts_of": sa.select(QuizAttempt).where(QuizAttempt.user_id == sa.bindparam("user_id"),
                                                    QuizAttempt.course == sa.bindparam("course"))
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()).limit(sa.bindparam("limit")),
        "load_attempt": sa.select(QuizAttempt).where(QuizAttempt.id == sa.bindparam("attempt_id"))
        .options(joinedload(QuizAttempt.bank), selectinload(QuizAttempt.questions)),
        "score": sa.update(QuizAttempt).where(QuizAttempt.id == sa.bindparam("attempt"),
                                              QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=sa.bindparam("at"), correct_count=sa.bindparam("correct"),
                passed=sa.bindparam("did_pass")).execution_options(synchronize_session=False),
    }


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
    return list(db_session.execute(_queries()["attempts_of"],
                                   {"user_id": user.id, "course": course, "limit": limit}).scalars())


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
    db_session.execute(_queries()["lock_person"], {"user_id": user.id})
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
    bank = current_bank(db_session, course)
    snapshot = bank_snapshot(db_session, bank) if bank is not None else None
    if snapshot is None or not snapshot.questions:
        raise NotFound("This test is not available yet. Please ask your HMIS lead administrator.")
    rng = rng or random.SystemRandom()
    drawn = rules.draw(list(snapshot.questions), settings.get(db_session, "quizzes.questions_per_attempt"), rng)
    attempt = QuizAttempt(user_id=user.id, course=course, bank_id=bank.id, started_at=now,
                          expires_at=rules.expires_at(now, settings.get(db_session, "quizzes.time_limit_minutes")),
                          question_count=len(drawn), pass_mark=pass_mark(db_session, course))
    db_session.add(attempt)
    db_session.flush()
    # The drawn questions in one statement (the unit of work would send one INSERT ... RETURNING per row on
    # SQLite); the attempt's ``questions`` are read when asked for (load_attempt, for the page).
    db_session.execute(sa.insert(AttemptQuestion), [
        {"attempt_id": attempt.id, "position": i, "question_id": q.id,
         "choice_order": [q.choices[k].id for k in rules.choice_order(q.kind, len(q.choices), rng)]}
        for i, q in enumerate(drawn, 1)], execution_options={page_versions.OWNERS_OPTION: [user.id]})
    db_session.expire(attempt, ["questions"])
    audit.record(db_session, action="quizzes.attempt_started", now=now, actor=user, target=attempt, ip=ip,
                 course=course, version=bank.version, questions=len(drawn))
    return attempt, True


def load_attempt(db_session: Session, attempt_id: int) -> QuizAttempt | None:
    """Return an attempt with its questions (two queries), or None; each question's text and choices come
    from the process's copy of the bank version (:func:`question_of`)."""
    attempt = db_session.execute(_queries()["load_attempt"], {"attempt_id": attempt_id}).unique().scalar_one_or_none()
    if attempt is not None:
        snapshot = bank_snapshot(db_session, attempt.bank, needs=frozenset(aq.question_id for aq in attempt.questions))
        for aq in attempt.questions:
            aq.shown_question = snapshot.by_id[aq.question_id]
    return attempt


def question_of(aq: AttemptQuestion) -> Any:
    """The drawn question (kind, prompt, explanation, choices in the bank's order): the bank copy
    :func:`load_attempt` and :func:`start_attempt` attach, else the ORM row."""
    return aq.__dict__.get("shown_question") or aq.question


@dataclass(frozen=True)
class ShownChoice:
    #: 1-based place in the order shown: the value the form sends.
    number: int
    text: str
    correct: bool


def shown_choices(aq: AttemptQuestion) -> list[ShownChoice]:
    """Return the question's choices in the order the attempt shows them."""
    by_id = {c.id: c for c in question_of(aq).choices}
    return [ShownChoice(n, by_id[cid].text, by_id[cid].correct) for n, cid in enumerate(aq.choice_order, 1)]


def shown_questions(attempt: QuizAttempt) -> list[tuple[AttemptQuestion, Any, list[ShownChoice]]]:
    """Each drawn question of ``attempt`` as its pages show it: (its attempt row, the question, its choices in
    the order shown)."""
    return [(aq, question_of(aq), shown_choices(aq)) for aq in attempt.questions]


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
    drawn = [rules.DrawnQuestion(aq.position, question_of(aq).kind, len(aq.choice_order)) for aq in attempt.questions]
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
    won = db_session.execute(_queries()["score"], {"attempt": attempt.id, "at": now, "correct": result.correct,
                                                    "did_pass": result.passed},
                             execution_options={page_versions.OWNERS_OPTION: [user.id]}).rowcount
    if won != 1:
        db_session.refresh(attempt)
        return attempt, False
    for aq in attempt.questions:
        aq.chosen = read.chosen[aq.position]
        aq.correct = results[aq.position]
    # What the conditional update above wrote, without a second UPDATE.
    for name, value in (("submitted_at", now), ("correct_count", result.correct), ("passed", result.passed)):
        set_committed_value(attempt, name, value)
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
