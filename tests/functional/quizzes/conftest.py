"""Fixtures of the quiz tests: loaded banks, a trainee signed in, helpers to answer."""

from __future__ import annotations

import re

import pytest

from lms.core.roles import Role


@pytest.fixture
def banks(db_session, clock):
    from quizzes import services

    services.load_content(db_session, now=clock.now)
    db_session.commit()


@pytest.fixture
def trainee(make_user, make_agency):
    return make_user(roles=[Role.END_USER], agency=make_agency())


@pytest.fixture
def trainee_client(app, trainee, login):
    client = app.test_client()
    login(client, trainee)
    return client


def watch_videos(db_session, user, now) -> None:
    """Record every course video as watched by ``user`` (a test starts only after its video)."""
    from quizzes import rules, videos

    for course in rules.COURSES:
        videos.mark_watched(db_session, user.id, course, now=now)
    db_session.commit()


@pytest.fixture
def watched(trainee, db_session, clock):
    """The trainee has watched every course video."""
    watch_videos(db_session, trainee, clock.now)


def start(client, course="security_privacy") -> int:
    resp = client.post(f"/quizzes/{course}/start")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    return int(re.search(r"/quizzes/attempts/(\d+)$", resp.headers["Location"]).group(1))


def answers(db_session, attempt_id: int, *, right: int | None = None) -> dict[str, list[str]]:
    """Return the form that answers the first ``right`` questions correctly (all when None), the rest wrongly."""
    from quizzes import services

    db_session.expire_all()
    attempt = services.load_attempt(db_session, attempt_id)
    form = {}
    for i, aq in enumerate(attempt.questions):
        shown = services.shown_choices(aq)
        good = [str(c.number) for c in shown if c.correct]
        bad = [str(c.number) for c in shown if not c.correct][:1] or good[:0] + [str(shown[0].number)]
        form[f"q{aq.position}"] = good if right is None or i < right else bad
    return form
