"""What administrators read of the tests: per-question results of a bank, and attempts per person.

Read only, a fixed number of queries whatever the number of attempts.  Split from
:mod:`quizzes.services.attempts`, which writes what these count.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from quizzes.models import AttemptQuestion, QuizAttempt, QuizBank, QuizChoice, QuizQuestion

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
