"""In headless Chromium: the course video page (captions on, transcript, progress) at 1280 and 390 px; playing
reports progress and the test opens once the video is watched."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in
from tests.browser.test_training import _check_widths

pytestmark = pytest.mark.browser


def _until(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until ``expression`` is true in the page (wait_for_function would need eval, which the CSP forbids)."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"still false: {expression}"
        page.wait_for_timeout(100)


def test_trainee_watches_the_course_video_and_the_test_opens(live_server, page, make_live_user, committed_session,
                                                            clock, tmp_path):
    from quizzes import services, videos

    services.load_content(committed_session, now=clock.now)
    committed_session.commit()
    make_live_user("viewer@example.org", roles=[Role.END_USER], full_name="Val Viewer")
    sign_in(page, live_server, "viewer@example.org")
    page.goto(f"{live_server}/quizzes/security_privacy")
    shots = Path(os.environ.get("LMS_TEST_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    video = page.locator("video#course-video")
    expect(video).to_be_visible()
    expect(page.get_by_test_id("video-progress")).to_contain_text("0% watched")
    expect(page.get_by_test_id("video-locked")).to_be_visible()
    expect(page.get_by_test_id("start")).to_be_hidden()
    expect(page.get_by_role("region", name="Transcript")).to_contain_text("release of information")
    # Captions are on by default.
    _until(page, "document.querySelector('video').textTracks.length === 1")
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "showing"
    # The player and the transcript are reached by keyboard.
    page.locator("body").focus()
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement && (document.activeElement.id || "
                                     "document.activeElement.getAttribute('data-testid'))"))
    assert "course-video" in focused and "transcript" in focused
    problems = _check_widths(page, "course-video", shots)

    # Play (muted) a little: the report arrives and the page shows the credit.
    page.evaluate("(() => { const v = document.querySelector('video'); v.muted = true; return v.play(); })()")
    _until(page, "document.querySelector('video').currentTime > 1.5")
    clock.advance(seconds=3)
    page.evaluate("document.querySelector('video').pause()")
    expect(page.get_by_test_id("video-progress")).not_to_contain_text("0% watched", timeout=10000)
    assert re.search(r"[1-9]\d*% watched", page.get_by_test_id("video-progress").inner_text())

    # Once the rest is watched, the start button appears (here recorded directly; the rules are tested elsewhere).
    user_id = committed_session.execute(__import__("sqlalchemy").text(
        "select id from users where email = 'viewer@example.org'")).scalar_one()
    videos.mark_watched(committed_session, user_id, "security_privacy", now=clock.now)
    committed_session.commit()
    page.reload()
    expect(page.get_by_test_id("video-progress")).to_contain_text("100% watched")
    expect(page.get_by_test_id("start")).to_be_visible()
    problems.update(_check_widths(page, "course-video-unlocked", shots))
    assert not problems, problems
