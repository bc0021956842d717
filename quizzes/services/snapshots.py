"""The process's copy of a question bank version: its questions and choices as plain frozen values.

A bank version never changes once stored (a changed bank is the next version, see
:func:`quizzes.services.attempts.store_bank`), and every test start, test page and answer
reads one: keeping the version here spares each of them the two queries and the ~150 ORM
objects of its questions and choices.  The copy is keyed by the bank's id *and* content hash
(an id reused after a rolled-back load cannot serve another content), per database engine
(:class:`lms.core.cache.EngineCache`); a copy that lacks a question an attempt names is read
again.  The snapshot reads like the ORM rows it copies (``q.kind``, ``q.prompt``,
``q.choices[i].correct`` ...), so pages and scoring use either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.cache import EngineCache
from quizzes.models import QuizBank, QuizChoice, QuizQuestion


@dataclass(frozen=True)
class BankChoice:
    id: int
    position: int
    text: str
    correct: bool


@dataclass(frozen=True)
class BankQuestion:
    id: int
    key: str
    position: int
    topic: str
    kind: str
    prompt: str
    explanation: str
    source: str
    #: In the bank file's order (``QuizChoice.position``).
    choices: tuple[BankChoice, ...]


@dataclass(frozen=True)
class BankSnapshot:
    id: int
    content_hash: str
    #: In the bank file's order (``QuizQuestion.position``).
    questions: tuple[BankQuestion, ...]
    by_id: dict[int, BankQuestion] = field(compare=False, repr=False)


#: Bank versions are immutable: an hour is only there so the copy of a retired version is dropped some day.
_COPY = EngineCache(3600.0)


def _read(db_session: Session, bank_id: int, content_hash: str) -> BankSnapshot:
    choices: dict[int, list[BankChoice]] = {}
    for row in db_session.execute(
            sa.select(QuizChoice.id, QuizChoice.question_id, QuizChoice.position, QuizChoice.text, QuizChoice.correct)
            .join(QuizQuestion, QuizQuestion.id == QuizChoice.question_id).where(QuizQuestion.bank_id == bank_id)
            .order_by(QuizChoice.question_id, QuizChoice.position)):
        choices.setdefault(row.question_id, []).append(BankChoice(row.id, row.position, row.text, bool(row.correct)))
    questions = tuple(
        BankQuestion(q.id, q.key, q.position, q.topic, q.kind, q.prompt, q.explanation, q.source,
                     tuple(choices.get(q.id, ())))
        for q in db_session.execute(
            sa.select(QuizQuestion.id, QuizQuestion.key, QuizQuestion.position, QuizQuestion.topic, QuizQuestion.kind,
                      QuizQuestion.prompt, QuizQuestion.explanation, QuizQuestion.source)
            .where(QuizQuestion.bank_id == bank_id).order_by(QuizQuestion.position)))
    return BankSnapshot(bank_id, content_hash, questions, {q.id: q for q in questions})


def bank_snapshot(db_session: Session, bank: QuizBank, *, needs: frozenset[int] = frozenset()) -> BankSnapshot:
    """Return ``bank``'s questions and choices (two queries the first time in this process, none after).

    ``needs``: question ids the caller is about to look up (an attempt's); a copy without one of them is
    read again rather than trusted."""
    key = (bank.id, bank.content_hash)
    snapshot = _COPY.get(db_session, key, lambda s: _read(s, bank.id, bank.content_hash))
    if needs - snapshot.by_id.keys():
        snapshot = _read(db_session, bank.id, bank.content_hash)
    return snapshot
