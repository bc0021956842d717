"""In headless Chromium: the course video page (captions on, transcript, progress) at 1280 and 390 px; playing
reports progress and the test opens once the video is watched; and the whole course by keyboard alone (play,
unlock, fail, read why, retake, pass, checklist completed), axe on every page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import check_widths, sign_in

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
    problems = check_widths(page, "course-video", shots)

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
    problems.update(check_widths(page, "course-video-unlocked", shots))
    assert not problems, problems


# --- the whole course by keyboard: video, a failed test, a retake that passes, the checklist ------------------

COURSE = "security_privacy"


def _focused(page) -> str:
    """What has the keyboard focus: its id, else its data-testid, else its text."""
    return page.evaluate("(() => { const e = document.activeElement; if (!e) return '';"
                         " return e.id || e.getAttribute('data-testid') || (e.textContent || '').trim(); })()")


def _tab_to(page, wanted, limit: int = 250) -> str:
    """Press Tab until the focused element satisfies ``wanted`` (its id, test id or text); return it."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(_focused(page))
        if wanted(seen[-1]):
            return seen[-1]
    raise AssertionError(f"Tab never reached it; focus went through {seen[-30:]}")


def _choice(item, text: str):
    """The result's list item of one choice: its whole text, not a choice whose text merely contains it
    (choices are shuffled, and one choice's text can be the start of another's)."""
    return item.locator("li").filter(has_text=re.compile(r"^\s*" + re.escape(text) + r"\s*(\(|$)"))


def _drawn(committed_session, page):
    """The attempt open in ``page``: per question (in order), its kind, choices shown and the right places."""
    from quizzes import services

    attempt_id = int(re.search(r"/quizzes/attempts/(\d+)$", page.url).group(1))
    committed_session.rollback()  # end the read snapshot: the attempt was just written by the server
    attempt = services.load_attempt(committed_session, attempt_id)
    return [(aq.position, aq.question, services.shown_choices(aq)) for aq in attempt.questions]


def _until_recorded(committed_session, timeout: float = 15.0) -> None:
    """Wait until the server holds a watch-progress row (the player's first report): time advanced later counts."""
    import time

    import sqlalchemy as sa

    from quizzes.models import VideoProgress

    end = time.monotonic() + timeout
    while True:
        committed_session.rollback()
        if committed_session.execute(sa.select(sa.func.count()).select_from(VideoProgress)).scalar_one():
            return
        assert time.monotonic() < end, "the player sent no progress report"
        time.sleep(0.1)


def _answer_by_keyboard(page, picks: list[tuple[int, bool, int, list[int]]]) -> None:
    """Answer each (position, multiple-select?, number of choices, places to choose) with Tab, arrows and Space."""
    for position, multi, count, numbers in picks:
        first = _tab_to(page, lambda f, p=position: f.startswith(f"q{p}-"))
        assert first == f"q{position}-1", first  # the group is entered at its first choice
        if multi:  # each checkbox is a stop of its own: Space ticks it
            for n in range(1, count + 1):
                if n > 1:
                    page.keyboard.press("Tab")
                    assert _focused(page) == f"q{position}-{n}"
                if n in numbers:
                    page.keyboard.press("Space")
        elif numbers[0] == 1:  # radio buttons: Space picks the focused one, arrows move and pick
            page.keyboard.press("Space")
        else:
            for _ in range(numbers[0] - 1):
                page.keyboard.press("ArrowDown")
        for n in range(1, count + 1):
            box = page.locator(f"#q{position}-{n}")
            expect(box).to_be_checked() if n in numbers else expect(box).not_to_be_checked()


def _plan(drawn, wrong_from: int) -> list[tuple[int, bool, int, list[int]]]:
    """Right answers to the questions before ``wrong_from``, a wrong one (a single wrong choice) from there."""
    plan = []
    for position, question, shown in drawn:
        right = [c.number for c in shown if c.correct]
        wrong = [next(c.number for c in shown if not c.correct)]
        plan.append((position, question.kind == "multiple", len(shown), right if position < wrong_from else wrong))
    return plan


def test_trainee_completes_the_course_by_keyboard_failing_once_then_passing(live_server, page, make_live_user,
                                                                            committed_session, clock, tmp_path):
    from lms.core import settings
    from quizzes import services

    services.load_content(committed_session, now=clock.now)
    # A short run: five questions, the test opens after 10% of the video, and no wait before a retake.
    for key, value in (("quizzes.questions_per_attempt", "5"), ("quizzes.video_unlock_percent", "10"),
                       ("quizzes.retake_cooldown_minutes", "0")):
        settings.change(committed_session, key, value, actor=None, now=clock.now)
    committed_session.commit()
    make_live_user("learner@example.org", roles=[Role.END_USER], full_name="Lee Learner")
    sign_in(page, live_server, "learner@example.org")
    shots = Path(os.environ.get("LMS_TEST_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    title = "Security and Privacy Awareness test"

    # The course page: the test is locked until the video is watched.
    page.goto(f"{live_server}/quizzes/{COURSE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_test_id("video-locked")).to_contain_text("The test opens once you have watched 10%")
    expect(page.get_by_test_id("start")).to_be_hidden()
    problems = check_widths(page, "course-locked", shots)

    # Play the video from the keyboard (Space on the focused player), at twice normal speed: the fastest credited.
    _until(page, "document.querySelector('video').readyState >= 1")
    page.evaluate("(() => { const v = document.querySelector('video'); v.muted = true; v.playbackRate = 2; })()")
    page.locator("body").focus()
    _tab_to(page, lambda f: f == "course-video")
    page.keyboard.press("Space")
    _until(page, "!document.querySelector('video').paused && document.querySelector('video').currentTime > 6",
           timeout=30)
    _until_recorded(committed_session)  # the player's first report (opening the server's clock) has arrived
    clock.advance(seconds=5)  # the server's frozen clock: five seconds at 2x credit up to eleven seconds of video
    page.keyboard.press("Space")
    _until(page, "document.querySelector('video').paused")
    # The player's report unlocks the test on the page itself, without a reload.
    expect(page.get_by_test_id("start")).to_be_visible(timeout=10000)
    expect(page.get_by_test_id("video-locked")).to_be_hidden()
    assert int(page.locator("#video-progress [data-percent]").inner_text()) >= 10

    # First attempt: three right, two wrong, by keyboard alone.
    _tab_to(page, lambda f: f == "start")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("legend").first).to_contain_text("Question 1 of 5.")
    expect(page.get_by_test_id("submit")).to_be_visible()
    problems.update(check_widths(page, "attempt-1", shots))
    drawn = _drawn(committed_session, page)
    _answer_by_keyboard(page, _plan(drawn, wrong_from=4))
    _tab_to(page, lambda f: f == "submit")
    page.keyboard.press("Enter")

    # The result: the score, which answers were wrong, the right answer and why.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{title} result")
    expect(page.get_by_test_id("outcome")).to_have_text("Not passed: 3 of 5 correct (60%)")
    expect(page.get_by_text("The pass mark was 80%.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Answers to review: question 4, question 5.")
    for position, question, shown in drawn:
        item = page.get_by_test_id(f"result-{position}")
        expect(item).to_contain_text(question.prompt)
        if position < 4:
            expect(item.get_by_role("heading")).to_have_text(f"Question {position}: Correct")
            continue
        expect(item.get_by_role("heading")).to_have_text(f"Question {position}: Wrong")
        chosen = next(c for c in shown if not c.correct)
        expect(_choice(item, chosen.text)).to_contain_text("(your answer)")
        for c in shown:
            if c.correct:
                expect(_choice(item, c.text)).to_contain_text("(correct)")
        expect(item).to_contain_text(f"Why: {question.explanation}")
    problems.update(check_widths(page, "result-failed", shots))

    # Take it again (no wait is set): the link in the result, then the start button.
    _tab_to(page, lambda f: f == "take the test again")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("Not passed: 3 of 5 (60%)")
    expect(page.get_by_test_id("start")).to_be_visible()
    problems.update(check_widths(page, "course-retake", shots))
    page.locator("body").focus()
    _tab_to(page, lambda f: f == "start")
    page.keyboard.press("Enter")
    expect(page.locator("legend").first).to_contain_text("Question 1 of 5.")
    expect(page.get_by_test_id("submit")).to_be_visible()
    problems.update(check_widths(page, "attempt-2", shots))
    drawn = _drawn(committed_session, page)
    _answer_by_keyboard(page, _plan(drawn, wrong_from=len(drawn) + 1))
    _tab_to(page, lambda f: f == "submit")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{title} result")
    expect(page.get_by_test_id("outcome")).to_have_text("Passed: 5 of 5 correct (100%)")
    expect(page.locator("main")).to_contain_text("This counts toward your training for this fiscal year.")
    expect(page.locator("main")).to_contain_text("Every answer was correct.")
    problems.update(check_widths(page, "result-passed", shots))

    # The checklist shows the course completed, with the passing result linked.
    _tab_to(page, lambda f: f == "Back to my training")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    expect(page.get_by_test_id(f"status-{COURSE}")).to_have_text("Completed")
    expect(page.locator(f'[data-requirement="{COURSE}"]')).to_contain_text("View the test result")
    problems.update(check_widths(page, "checklist", shots))
    assert not problems, problems
