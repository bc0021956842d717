"""Pure quiz rules: read a question bank, draw questions, shuffle choices, score, time limits and retakes.

Facts, ``now`` and a random generator in, a result out; no Flask, no SQLAlchemy.  The checks of the
course's media (video, captions, transcript, links) are in :mod:`quizzes.rules.media`: they read
uploaded bytes, not questions, and change for different reasons.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

#: The three courses of the new-user series (the requirement keys of lms.training.rules).
COURSES = ("security_privacy", "data_standards", "cs_basics")

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
#: Question kinds, and how each is shown: one answer (radio buttons) or several (checkboxes).
KINDS = {SINGLE: "Choose one answer.", MULTIPLE: "Choose every correct answer.", TRUE_FALSE: "True or false?"}

#: A bank must hold at least this many questions, so that attempts differ.
MIN_QUESTIONS = 25
MAX_QUESTIONS = 500
MAX_CHOICES = 8
#: Defaults of the settings (lms.core.settings) that change them.
DEFAULT_PASS_MARK = 80
DEFAULT_QUESTIONS_PER_ATTEMPT = 20
DEFAULT_TIME_LIMIT_MINUTES = 60
DEFAULT_COOLDOWN_MINUTES = 0
#: Answers that arrive this long after the time limit still count (the page was sent in time).
GRACE = timedelta(seconds=30)

_KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_FIELD = re.compile(r"^q([1-9][0-9]{0,3})$")


# --- the bank file -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    topic: str
    kind: str
    prompt: str
    choices: tuple[ChoiceSpec, ...]
    explanation: str
    #: Where the answer can be checked, e.g. "Policies and Procedures Manual, Data Breach".
    source: str


@dataclass(frozen=True)
class BankSpec:
    course: str
    title: str
    questions: tuple[QuestionSpec, ...]

    def canonical(self) -> str:
        """Return the bank as canonical JSON: a changed bank gives a changed text (and a new version)."""
        return json.dumps({"course": self.course, "title": self.title, "questions": [
            {"key": q.key, "topic": q.topic, "kind": q.kind, "prompt": q.prompt, "explanation": q.explanation,
             "source": q.source, "choices": [[c.text, c.correct] for c in q.choices]} for q in self.questions]},
            sort_keys=True, ensure_ascii=False)


def _line_of(text: str, key: str) -> int | None:
    """Return the line where question ``key`` is written (its ``"id"``), to point a person at it."""
    m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(key)), text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _text(value: Any, limit: int) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() and len(value) <= limit else None


def parse_bank(text: str, *, course: str) -> tuple[BankSpec | None, list[str]]:
    """Read a bank file's text; return (bank, []) or (None, every problem, each naming its line and question)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
    except RecursionError:
        return None, ["line 1: the JSON is nested too deeply to be a question bank"]
    if not isinstance(data, dict):
        return None, ["line 1: the file must hold one JSON object"]
    problems: list[str] = []
    if data.get("course") != course:
        problems.append(f"line {_line_of_field(text, 'course')}: course must be {course!r} (the file's name)")
    title = _text(data.get("title"), 200)
    if title is None:
        problems.append(f"line {_line_of_field(text, 'title')}: title must be text of at most 200 characters")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list):
        return None, problems + ["questions must be a list"]
    questions: list[QuestionSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_questions, 1):
        where = f"question {i}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be an object")
            continue
        key = raw.get("id")
        if isinstance(key, str):
            line = _line_of(text, key)
            where = f"line {line}, question {i} ({key})" if line else f"question {i} ({key})"
        own = _question_problems(raw, key, seen)
        problems += [f"{where}: {p}" for p in own]
        if not own:
            seen.add(key)
            questions.append(_question(raw))
    if len(raw_questions) < MIN_QUESTIONS or len(raw_questions) > MAX_QUESTIONS:
        problems.append(f"the bank holds {len(raw_questions)} questions; it needs {MIN_QUESTIONS} to {MAX_QUESTIONS}")
    if problems:
        return None, problems
    return BankSpec(course=course, title=title or course, questions=tuple(questions)), []


def _line_of_field(text: str, name: str) -> int:
    m = re.search(r'"' + re.escape(name) + r'"\s*:', text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _question_problems(raw: Mapping[str, Any], key: Any, seen: set[str]) -> list[str]:
    problems = []
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append("id must be lower-case letters, digits, '.', '_' or '-' (at most 64)")
    elif key in seen:
        problems.append("this id is used by an earlier question")
    kind = raw.get("type")
    if kind not in KINDS:
        problems.append(f"type must be one of {', '.join(KINDS)}")
    for name, limit in (("topic", 100), ("prompt", 2000), ("explanation", 2000), ("source", 300)):
        if _text(raw.get(name), limit) is None:
            problems.append(f"{name} must be text of at most {limit} characters")
    if kind == TRUE_FALSE:
        if not isinstance(raw.get("answer"), bool):
            problems.append("a true/false question needs \"answer\": true or false")
        if "choices" in raw:
            problems.append("a true/false question has no choices (its choices are True and False)")
    elif kind in (SINGLE, MULTIPLE):
        choices = raw.get("choices")
        if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES:
            problems.append(f"choices must be a list of 2 to {MAX_CHOICES}")
            return problems
        texts = []
        for j, c in enumerate(choices, 1):
            if not isinstance(c, dict) or _text(c.get("text"), 500) is None or not isinstance(c.get("correct"), bool):
                problems.append(f"choice {j} needs text (at most 500 characters) and \"correct\": true or false")
            else:
                texts.append(c["text"].strip().lower())
        if len(set(texts)) != len(texts):
            problems.append("two choices have the same text")
        right = sum(1 for c in choices if isinstance(c, dict) and c.get("correct") is True)
        if kind == SINGLE and right != 1:
            problems.append(f"a single-choice question needs exactly one correct choice (it has {right})")
        if kind == MULTIPLE and right < 1:
            problems.append("a multiple-select question needs at least one correct choice")
    return problems


def _question(raw: Mapping[str, Any]) -> QuestionSpec:
    if raw["type"] == TRUE_FALSE:
        choices = (ChoiceSpec("True", raw["answer"] is True), ChoiceSpec("False", raw["answer"] is False))
    else:
        choices = tuple(ChoiceSpec(c["text"].strip(), c["correct"]) for c in raw["choices"])
    return QuestionSpec(key=raw["id"], topic=raw["topic"].strip(), kind=raw["type"], prompt=raw["prompt"].strip(),
                        choices=choices, explanation=raw["explanation"].strip(), source=raw["source"].strip())


# --- drawing and shuffling ----------------------------------------------------------------------

def draw(questions: Sequence[Any], count: int, rng: random.Random, *, topic=lambda q: q.topic) -> list[Any]:
    """Draw ``count`` questions at random, spread across topics, in random order.

    Topics take turns (in a random order), each giving one question at a time, so
    the numbers drawn from any two topics differ by at most one unless a topic runs out.
    """
    by_topic: dict[str, list[Any]] = {}
    for q in questions:
        by_topic.setdefault(topic(q), []).append(q)
    pools = list(by_topic.values())
    for pool in pools:
        rng.shuffle(pool)
    rng.shuffle(pools)
    picked: list[Any] = []
    count = max(0, min(count, len(questions)))
    while len(picked) < count:
        for pool in pools:
            if pool and len(picked) < count:
                picked.append(pool.pop())
    rng.shuffle(picked)
    return picked


def choice_order(kind: str, count: int, rng: random.Random) -> list[int]:
    """Return the order to show ``count`` choices in (indexes); True/False always reads True, then False."""
    order = list(range(count))
    if kind != TRUE_FALSE:
        rng.shuffle(order)
    return order


# --- answers and scores -------------------------------------------------------------------------

@dataclass(frozen=True)
class DrawnQuestion:
    """What the answer form may hold for one drawn question: its position, kind and number of choices."""

    position: int
    kind: str
    choices: int


@dataclass
class ReadAnswers:
    """The answers read from a submitted form: chosen choice numbers (1-based, as shown) by position."""

    chosen: dict[int, list[int]] = field(default_factory=dict)
    #: Positions left without an answer (the form is shown again).
    unanswered: list[int] = field(default_factory=list)
    #: Why the form cannot have come from the page (answers to questions not drawn, choices that do not exist).
    forged: list[str] = field(default_factory=list)


def read_answers(drawn: Sequence[DrawnQuestion], form: Iterable[tuple[str, str]]) -> ReadAnswers:
    """Read the answer fields (``q<position>`` = a choice number as shown) of a submitted form.

    Other fields (the CSRF token, the button) are ignored.
    """
    by_position = {d.position: d for d in drawn}
    out = ReadAnswers()
    raw: dict[int, list[str]] = {}
    for name, value in form:
        if not isinstance(name, str) or not name.startswith("q"):
            continue
        m = _FIELD.match(name)
        if not m or int(m.group(1)) not in by_position:
            out.forged.append(f"an answer to a question that is not part of this test ({name[:20]!r})")
            continue
        raw.setdefault(int(m.group(1)), []).append(value)
    for position, d in sorted(by_position.items()):
        values = raw.get(position, [])
        numbers = []
        for v in values:
            if not (isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 2 and 1 <= int(v) <= d.choices):
                out.forged.append(f"question {position}: a choice that does not exist")
                break
            numbers.append(int(v))
        else:
            if len(set(numbers)) != len(numbers):
                out.forged.append(f"question {position}: the same choice sent twice")
            elif not numbers:
                out.unanswered.append(position)
            elif d.kind != MULTIPLE and len(numbers) > 1:
                out.forged.append(f"question {position}: more than one answer to a one-answer question")
            else:
                out.chosen[position] = sorted(numbers)
    return out


def is_correct(correct: Iterable[int], chosen: Iterable[int]) -> bool:
    """All or nothing: the chosen set must be exactly the correct set (one-answer questions included)."""
    return set(correct) == set(chosen)


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    pass_mark: int

    @property
    def percent(self) -> int:
        """The score in whole percent, rounded down (79.9 % is not 80 %)."""
        return self.correct * 100 // self.total if self.total else 0

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.correct * 100 >= self.pass_mark * self.total


def score(results: Sequence[bool], pass_mark: int = DEFAULT_PASS_MARK) -> Score:
    """Score an attempt: how many were right, out of how many, against the pass mark (percent)."""
    return Score(correct=sum(1 for r in results if r), total=len(results), pass_mark=pass_mark)


# --- time limits and retakes --------------------------------------------------------------------

def expires_at(started_at: datetime, time_limit_minutes: int) -> datetime:
    return started_at + timedelta(minutes=time_limit_minutes)


def is_expired(expires: datetime, now: datetime) -> bool:
    """Tell whether answers sent at ``now`` come too late (a short grace covers the sending)."""
    return now > expires + GRACE


@dataclass(frozen=True)
class AttemptFacts:
    started_at: datetime
    expires_at: datetime
    submitted_at: datetime | None
    passed: bool | None


def next_start(attempts: Iterable[AttemptFacts], *, cooldown_minutes: int, now: datetime) -> datetime | None:
    """Return when a new attempt may start, or None when it may start now.

    After a failed attempt (or one left to run out of time) the person waits
    ``cooldown_minutes``, counted from when it ended; a pass asks no wait.
    """
    if cooldown_minutes <= 0:
        return None
    ends = []
    for a in attempts:
        if a.submitted_at is not None and not a.passed:
            ends.append(a.submitted_at)
        elif a.submitted_at is None and is_expired(a.expires_at, now):
            ends.append(a.expires_at)
    if not ends:
        return None
    allowed = max(ends) + timedelta(minutes=cooldown_minutes)
    return allowed if allowed > now else None


# --- the bank written back (what the editor starts from) ---------------------------------------

def bank_file_text(course: str, title: str, questions: Iterable[Any]) -> str:
    """Write a stored bank back in the file format of ``quizzes/data/*.json`` (what the editor starts from)."""
    out = []
    for q in questions:
        item: dict[str, Any] = {"id": q.key, "topic": q.topic, "type": q.kind, "prompt": q.prompt}
        if q.kind == TRUE_FALSE:
            item["answer"] = next(c.text == "True" for c in q.choices if c.correct)
        else:
            item["choices"] = [{"text": c.text, "correct": c.correct} for c in q.choices]
        item["explanation"], item["source"] = q.explanation, q.source
        out.append(item)
    return json.dumps({"course": course, "title": title, "questions": out}, indent=2, ensure_ascii=False) + "\n"
