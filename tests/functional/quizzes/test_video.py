"""The course video: the player page, watch reports and their credit, the files (Range, access), the test's lock."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from quizzes import videos
from quizzes.models import QuizAttempt, VideoProgress
from tests.functional.quizzes.conftest import start

COURSE = "security_privacy"
URL = f"/quizzes/{COURSE}/video/progress"


@pytest.fixture
def video():
    return videos.video_for(COURSE)


def beat(client, start_at, end_at):
    return client.post(URL, data={"start": str(start_at), "end": str(end_at)})


def watch_through(client, clock, video, *, step=10.0):
    """Play the whole video at normal speed, reporting every ``step`` seconds."""
    assert beat(client, 0, 0).status_code == 200
    position = 0.0
    while position < video.duration:
        clock.advance(seconds=step)
        end = min(position + step, video.duration)
        resp = beat(client, position, end)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        position = end
    return resp.get_json()


def test_every_course_has_a_small_video_with_captions_and_transcript():
    total = 0
    for course in ("security_privacy", "data_standards", "cs_basics"):
        v = videos.video_for(course)
        assert v is not None and 30 <= v.duration <= 60
        path = videos.MEDIA_DIR / v.video
        total += path.stat().st_size
        vtt = (videos.MEDIA_DIR / v.captions).read_text()
        assert vtt.startswith("WEBVTT")
        cues = re.findall(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n(.+)", vtt)
        # The captions are the narration, sentence by sentence, and the transcript holds every one of them.
        assert len(cues) >= 8 and all(c in v.transcript_text() for c in cues)
    assert total < 3 * 1024 * 1024


def test_player_page_has_captions_on_transcript_and_progress(banks, trainee_client, video):
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert re.search(r'<video id="course-video"[^>]* controls', html)
    assert re.search(r'<track kind="captions"[^>]*default', html)
    assert 'data-testid="transcript"' in html and "release of information" in html
    assert "0</span>% watched" in html
    assert "/quizzes/static/video.js" in html and "<script>" not in html


def test_a_watched_video_credits_its_length_unlocks_and_page_shows_it(banks, trainee_client, trainee, clock,
                                                                     video, db_session):
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert 'data-testid="video-locked"' in html and re.search(r'<form[^>]*id="start-test" hidden', html)
    data = watch_through(trainee_client, clock, video)
    assert data == {"percent": 100, "unlocked": True}
    row = db_session.execute(sa.select(VideoProgress)).scalar_one()
    assert (row.user_id, row.video_hash, row.intervals) == (trainee.id, video.sha256, [[0, video.duration]])
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert "100</span>% watched" in html and 'data-testid="video-locked"' not in html
    assert re.search(r'<form[^>]*id="start-test">', html)


def test_resumes_at_the_last_position(banks, trainee_client, clock):
    beat(trainee_client, 0, 0)
    clock.advance(seconds=10)
    assert beat(trainee_client, 0, 10).get_json() == {"percent": 21, "unlocked": False}
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert 'data-resume="10.00"' in html and "21</span>% watched" in html


def test_fast_heartbeats_and_forged_durations_earn_nothing_extra(banks, trainee_client, clock, video):
    assert beat(trainee_client, 0, 0).status_code == 200
    # Fifty reports within one second, each claiming the next ten seconds.
    for i in range(50):
        clock.advance(seconds=0.02)
        beat(trainee_client, i * 10 % video.duration, min(i * 10 % video.duration + 10, video.duration))
    clock.advance(seconds=1)
    data = beat(trainee_client, 0, video.duration).get_json()  # and the whole video, forged
    assert data["percent"] <= 10 and not data["unlocked"]


def test_seeking_ahead_does_not_count_as_watched(banks, trainee_client, clock, video):
    beat(trainee_client, 0, 0)
    clock.advance(seconds=5)
    beat(trainee_client, 0, 5)
    clock.advance(seconds=5)
    data = beat(trainee_client, 40, 45).get_json()  # seeked to 40, played five seconds
    assert data["percent"] == int(10 * 100 / video.duration) and not data["unlocked"]


@pytest.mark.parametrize("form", [{"start": "nan", "end": "5"}, {"start": "-1", "end": "5"},
                                  {"start": "0", "end": "1e12"}, {"start": "9", "end": "3"}, {"start": "0"},
                                  {"start": "inf", "end": "inf"}, {"start": "0", "end": "x" * 500}, {}])
def test_bad_reports_are_refused_with_json_and_change_nothing(banks, trainee_client, db_session, form):
    resp = trainee_client.post(URL, data=form)
    assert resp.status_code == 400 and resp.is_json and "error" in resp.get_json()
    assert db_session.execute(sa.select(sa.func.count()).select_from(VideoProgress)).scalar_one() == 0


def test_heartbeat_uses_at_most_two_statements_beyond_the_session(app, banks, trainee_client, clock, monkeypatch):
    from bench.harness import count_queries
    from lms.core import settings
    from lms.core.db import get_database

    # The process's copies (settings, each course's video) last CACHE_SECONDS of real time: hold it still, so
    # a slow run does not read them again mid-test.
    frozen = settings._monotonic()
    monkeypatch.setattr(settings, "_monotonic", lambda: frozen)
    engine = get_database(app).engine
    beat(trainee_client, 0, 0)  # the row exists, and the settings and the video are read once per process
    with get_database(app).session() as s:
        videos.video_for("cs_basics", s)  # the other course's video too
    with count_queries(engine) as base:
        assert trainee_client.post(URL, data={"start": "nan", "end": "1"}).status_code == 400
    clock.advance(seconds=10)
    from lms.core.db import Database

    opened = []
    real = Database.request_session
    monkeypatch.setattr(Database, "request_session", lambda self: opened.append(self.name) or real(self))
    with count_queries(engine) as counter:
        assert beat(trainee_client, 0, 10).status_code == 200
    assert counter.count - base.count <= 2, counter.statements
    # No ORM session is opened for a report: the one asked for here is the tests' (on their one connection the
    # driver transaction joins the request's session, to be rolled back with the test).
    assert opened == ["lms.db"], opened
    assert base.count >= 1 and counter.count - base.count == 2  # the row (locked), then its update
    # Which video the course has now is the process's copy (it changes only by an upload), not a query a report.
    assert not any("course_videos" in sql for sql in base.statements + counter.statements), counter.statements
    # The first report (an insert) costs no more.
    clock.advance(seconds=10)
    with count_queries(engine) as counter:
        assert trainee_client.post("/quizzes/cs_basics/video/progress", data={"start": 0, "end": 0}).status_code == 200
    assert counter.count - base.count <= 2, counter.statements


def test_signed_out_reports_and_files_go_to_sign_in(app, banks):
    client = app.test_client()
    for resp in (client.post(URL, data={"start": 0, "end": 1}), client.get(f"/quizzes/{COURSE}/media/video")):
        assert resp.status_code in (302, 303) and "/auth/login" in resp.headers["Location"]


def test_range_request_returns_206_with_the_right_bytes(banks, trainee_client, video):
    data = (videos.MEDIA_DIR / video.video).read_bytes()
    resp = trainee_client.get(f"/quizzes/{COURSE}/media/video", headers={"Range": "bytes=100-1099"})
    assert resp.status_code == 206 and resp.data == data[100:1100]
    assert resp.headers["Content-Range"] == f"bytes 100-1099/{len(data)}"
    assert resp.headers["Accept-Ranges"] == "bytes" and resp.mimetype == "video/mp4"
    assert resp.headers["Cache-Control"] == "private, max-age=3600"
    whole = trainee_client.get(f"/quizzes/{COURSE}/media/video")
    assert whole.status_code == 200 and whole.data == data
    captions = trainee_client.get(f"/quizzes/{COURSE}/media/captions")
    assert captions.mimetype == "text/vtt" and captions.data.startswith(b"WEBVTT")


def test_only_the_manifest_files_are_reachable(banks, trainee_client):
    for url in (f"/quizzes/{COURSE}/media/make_videos.py", f"/quizzes/{COURSE}/media/..%2Fmodels.py",
                f"/quizzes/{COURSE}/media/../models.py", "/quizzes/other_course/media/video",
                f"/quizzes/{COURSE}/media/videos.json"):
        assert trainee_client.get(url).status_code == 404, url


def test_production_hands_the_file_to_nginx(app, banks, trainee_client, video):
    app.config["VIDEO_ACCEL_REDIRECT"] = "/protected-media/"
    resp = trainee_client.get(f"/quizzes/{COURSE}/media/video", headers={"Range": "bytes=0-9"})
    assert resp.headers["X-Accel-Redirect"] == f"/protected-media/{video.video}"
    assert resp.data == b"" and resp.mimetype == "video/mp4"


def test_test_is_locked_until_the_video_is_watched(banks, trainee_client, clock, video, db_session):
    resp = trainee_client.post(f"/quizzes/{COURSE}/start")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/quizzes/{COURSE}")
    page = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert "Watch the course video first" in page
    assert db_session.execute(sa.select(sa.func.count()).select_from(QuizAttempt)).scalar_one() == 0
    # 94% is not enough.
    beat(trainee_client, 0, 0)
    clock.advance(seconds=60)
    assert beat(trainee_client, 0, video.duration * 0.94).get_json()["unlocked"] is False
    assert trainee_client.post(f"/quizzes/{COURSE}/start").status_code == 303
    assert db_session.execute(sa.select(sa.func.count()).select_from(QuizAttempt)).scalar_one() == 0
    clock.advance(seconds=10)
    assert beat(trainee_client, video.duration * 0.94, video.duration).get_json()["unlocked"] is True
    assert start(trainee_client) > 0


def test_unlock_threshold_is_a_setting(banks, trainee_client, clock, db_session, video):
    from lms.core import settings

    settings.change(db_session, "quizzes.video_unlock_percent", "50", actor=None, now=clock.now)
    db_session.commit()
    beat(trainee_client, 0, 0)
    clock.advance(seconds=30)
    assert beat(trainee_client, 0, video.duration * 0.5).get_json()["unlocked"] is True
    assert start(trainee_client) > 0


def test_a_changed_video_starts_afresh(banks, trainee_client, clock, video, monkeypatch):
    watch_through(trainee_client, clock, video)
    changed = videos.Video(**{**video.__dict__, "sha256": "0" * 64})
    monkeypatch.setattr(videos, "video_for", lambda course, db_session=None: changed if course == COURSE else None)
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert "0</span>% watched" in html and 'data-testid="video-locked"' in html
