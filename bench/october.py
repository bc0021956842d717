"""The October rush: the yearly recertification month's load, from many people at once.

A pool of distinct people among the seeded thousands signs in (sequentially, before the timed
load: sign-in is Argon2-expensive) and their cookies drive the mix:

* 70% session heartbeats (``/session/status``, every open tab, every minute);
* 15% video heartbeats (the player's watch-progress POST, three courses);
* 5% test submissions, each one *action* of three requests: start a test
  (``POST /quizzes/<course>/start``), read its page, answer every question (any choice) and send
  the answers; a person takes one test at a time, so every submission records one attempt;
* 10% checklist pages: the training checklist (``/training/``), the yearly recertification page
  (``/recertification``) and the trainee home (``/``).

The sandbox home (10,000 clients) and the people list are not October pages: they are measured
apart, page by page.  Afterwards the submitted attempts are counted in the database, so a
submission the app silently refused shows up as a shortfall.
"""

from __future__ import annotations

import itertools
import queue
import random
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Callable

from bench.load import MixedResult, request, sign_in

#: What the printed line and the results call the mix.
DESCRIPTION = ("70% session heartbeats, 15% video heartbeats, 5% test submissions (start, read, answer: three "
               "requests each), 10% checklist pages (training checklist, recertification, home)")
COURSES = ("security_privacy", "data_standards", "cs_basics")
VIDEO_PROGRESS = "/quizzes/%s/video/progress"
HEARTBEAT = {"start": "0", "end": "10"}
#: Pages of the checklist share and their weights (together 10%).
CHECKLIST_PAGES = (("/training/", 0.04), ("/recertification", 0.03), ("/", 0.03))
#: Status reported for a test action whose requests all answered but did not record a submission (for
#: example a start sent back to the course page): counted as an error, explained in ``QuizTakers.problems``.
BROKEN = 599


def pool_emails(people: int, size: int) -> list[str]:
    """``size`` people spread over person0..person{people-1}."""
    step = max(1, people // size)
    return [f"person{i * step}@bench.invalid" for i in range(min(size, people))]


def sign_in_pool(host: str, emails: list[str], password: str) -> list[str]:
    return [sign_in(host, email, password) for email in emails]


class _Answers(HTMLParser):
    """The answer fields of a test page: question field name → its choice values (the page also holds other
    forms, the header's sign-out among them: the answers go to the test's own address)."""

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and (a.get("name") or "").startswith("q") and a.get("value"):
            self.choices.setdefault(a["name"], []).append(a["value"])


@dataclass
class QuizTakers:
    """The test-submission action: each call takes one free person of the pool through one test."""

    cookies: list[str]
    seed: int = 2026
    label: str = "test submission (start, read, answer)"
    #: How a request is sent (``bench.load.request``; the tests pass one through Flask's test client).
    send: Callable[..., tuple[int, dict[str, str], str]] = request
    submitted: int = 0
    problems: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._free: queue.Queue[str] = queue.Queue()
        for cookie in self.cookies:
            self._free.put(cookie)
        self._courses = itertools.cycle(COURSES)
        self._lock = threading.Lock()
        self._rnd = random.Random(self.seed)

    def _problem(self, text: str) -> int:
        with self._lock:
            self.problems[text] = self.problems.get(text, 0) + 1
        return BROKEN

    def __call__(self, host: str) -> int:
        cookie = self._free.get()  # one test at a time per person: a second would reuse the open attempt
        try:
            with self._lock:
                course = next(self._courses)
            return self._take(host, cookie, course)
        finally:
            self._free.put(cookie)

    def _take(self, host: str, cookie: str, course: str) -> int:
        status, headers, _ = self.send(host, "POST", f"/quizzes/{course}/start", body={}, cookie=cookie)
        if status != 303:
            return status
        page = urllib.parse.urlsplit(headers.get("location") or "").path
        if "/quizzes/attempts/" not in page:
            return self._problem(f"start sent to {page!r}, not a test")
        status, _, body = self.send(host, "GET", page, cookie=cookie)
        if status != 200:
            return status
        parsed = _Answers()
        parsed.feed(body)
        if not parsed.choices:
            return self._problem("test page without questions")
        with self._lock:
            answers = [(name, self._rnd.choice(values)) for name, values in parsed.choices.items()]
        status, headers, body = self.send(host, "POST", page, body=answers, cookie=cookie)
        if status != 303:
            return status
        if not (headers.get("location") or "").endswith("/result"):
            return self._problem("answers not scored")
        with self._lock:
            self.submitted += 1
        return status


def mix(cookies: list[str], takers: QuizTakers) -> list[tuple]:
    """The October plan entries for ``paced_mix``: each share spread evenly over the pool."""
    n = len(cookies)
    entries: list[tuple] = [(0.70 / n, "/session/status", c) for c in cookies]
    entries += [(0.15 / (n * len(COURSES)), VIDEO_PROGRESS % course, c, HEARTBEAT) for c in cookies
                for course in COURSES]
    entries.append((0.05, takers))
    entries += [(share / n, path, c) for path, share in CHECKLIST_PAGES for c in cookies]
    return entries


def prepare(app, emails: list[str]) -> list[int]:
    """Unlock every course's test for the pool (their videos recorded as watched); return their ids."""
    import sqlalchemy as sa

    from bench.harness import unlock_tests
    from lms.accounts.models import User
    from lms.core.db import get_database

    with get_database(app).session() as s:
        ids = list(s.execute(sa.select(User.id).where(User.email.in_(emails))).scalars())
        assert len(ids) == len(emails), (len(ids), len(emails))
        unlock_tests(s, ids, now=datetime.now(timezone.utc))
        s.commit()
    return ids


def recorded_attempts(app, user_ids: list[int]) -> int:
    """Submitted test attempts of ``user_ids`` in the database."""
    import sqlalchemy as sa

    from lms.core.db import get_database
    from quizzes.models import QuizAttempt

    with get_database(app).session() as s:
        return s.execute(sa.select(sa.func.count()).select_from(QuizAttempt).where(
            QuizAttempt.user_id.in_(user_ids), QuizAttempt.submitted_at.is_not(None))).scalar_one()


def unexpected(result: MixedResult, takers: QuizTakers) -> int:
    """Answers other than a page's 200 and a submission's 303: a 302 to the sign-in page counts as a success
    for the load driver, but here it means a person was signed out."""
    return sum(n for kind, statuses in result.by_kind.items() for status, n in statuses.items()
               if status != (303 if kind == takers.label else 200))


def summary(result: MixedResult) -> str:
    """Statuses and p50/p99 per kind of request, e.g. ``/session/status 200×1750 (p50 4 ms, p99 30 ms)``."""
    parts = []
    for kind, statuses in sorted(result.by_kind.items()):
        counts = ", ".join(f"{'broken' if s == BROKEN else s or 'no answer'}×{n}" for s, n in sorted(statuses.items()))
        p50, p99 = result.kind_ms.get(kind, (float("nan"), float("nan")))
        parts.append(f"{kind} {counts} (p50 {p50:.0f} ms, p99 {p99:.0f} ms)")
    return "; ".join(parts)
