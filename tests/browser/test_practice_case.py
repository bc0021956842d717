"""In headless Chromium: a whole practice case.  The trainee's sandbox entries go in through the sandbox's
services (the sandbox pages have their own browser tests); submit, review, return, approve and the checklist
go through the pages.  axe on the trainee's page, the intake forms, the queue and the review page; the queue at
phone width."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import axe_violations, check_widths, sign_in
from tests.functional.practice_cases.solver import Solver

pytestmark = pytest.mark.browser

SHOTS = "/tmp"


@pytest.fixture
def case_world(committed_app, committed_session, make_live_user, clock):
    from lms.training import services as training
    from practice_cases import library, services
    from sandbox import services as sandbox

    trainee = make_live_user("tara@example.org", roles=[Role.END_USER], full_name="Tara Trainee")
    reviewer = make_live_user("hal@example.org", roles=[Role.HELPDESK], full_name="Hal Helpdesk",
                              totp_secret=pyotp.random_base32())
    training.load_content(committed_session, now=clock.now)
    training.start_plan(committed_session, trainee, practice_groups=["emergency_shelter"], now=clock.now)
    committed_session.commit()
    (a,) = services.assignments_of(committed_session, trainee)
    sdb = committed_app.extensions["sandbox.db"].session()
    ws = sandbox.workspace_for_user(sdb, trainee.id, now=clock.now)
    sdb.commit()
    yield trainee, reviewer, a, Solver(sdb, ws, library.cases()[a.case_id], clock.now), sdb
    sdb.close()


def _sign_in(browser, base, user, clock):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, user.email)
    if user.totp_secret:
        page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(user.totp_secret).at(clock.now))
        page.get_by_role("button", name=re.compile("Continue", re.I)).click()
    expect(page.get_by_test_id("whoami")).to_be_visible()
    return page


def _submit(page, base, label):
    page.goto(f"{base}/practice/")
    page.get_by_role("button", name=f"Submit the {label} segment for review").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Your {label} segment is submitted for review")


def _open_review(page, base):
    page.goto(f"{base}/practice/review/")
    page.get_by_role("link", name=re.compile("Tara Trainee")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review: Tara Trainee")


def test_a_whole_practice_case_through_the_pages(live_server, browser, case_world, clock):
    trainee, reviewer, a, solver, sdb = case_world
    problems: dict[str, list[str]] = {}
    me = _sign_in(browser, live_server, trainee, clock)
    hal = _sign_in(browser, live_server, reviewer, clock)

    # The trainee's page: the entry segment open, three attempts, the intake forms to print.
    me.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="My practice cases").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("My practice cases")
    expect(me.get_by_test_id("attempts-remaining")).to_contain_text("3 of 3 attempts remain")
    problems.update(check_widths(me, "casesui-mine", _Shots()))
    me.get_by_role("link", name="Read or print the Project Entry intake forms").click()
    expect(me.get_by_role("heading", level=1)).to_contain_text("Project Entry intake forms")
    problems.update(check_widths(me, "casesui-intake", _Shots()))
    me.emulate_media(media="print")
    expect(me.locator("header.usa-header")).to_be_hidden()
    expect(me.get_by_role("heading", level=1)).to_be_visible()
    me.screenshot(path=f"{SHOTS}/casesui-intake-print.png", full_page=True)
    me.emulate_media(media="screen")

    # Entered in the sandbox, submitted.
    solver.entry()
    sdb.commit()
    _submit(me, live_server, "Project Entry")
    expect(me.get_by_test_id("segment-entry")).to_contain_text("Submitted, waiting for review")

    # The reviewer: the queue (at phone width too), the review page; returned once with a comment.
    nav = hal.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Admin").click()
    nav.get_by_role("link", name="Practice case reviews").click()
    expect(hal.get_by_test_id("queue-count")).to_have_text("1 submission waiting.")
    problems.update(check_widths(hal, "casesui-queue", _Shots()))
    _open_review(hal, live_server)
    expect(hal.get_by_test_id("comparison-clean")).to_be_visible()
    # The workspace as frozen and as now, unfolded: each person's records in a labelled, scrollable region.
    for which in ("snapshot", "live"):
        hal.get_by_test_id(which).locator("summary").click()
        expect(hal.get_by_test_id(which).get_by_role("region").first).to_be_visible()
    problems.update(check_widths(hal, "casesui-review", _Shots()))
    hal.get_by_role("button", name="Return for corrections").click()
    expect(hal.get_by_test_id("error")).to_contain_text("add at least one comment")
    problems.setdefault("casesui-review-refused", []).extend(axe_violations(hal))
    hal.get_by_label(re.compile("What to correct")).fill("Check the prior living situation with the client.")
    hal.get_by_role("button", name="Return for corrections").click()
    expect(hal.get_by_role("status").first).to_contain_text("returned for corrections")

    # The trainee sees the comment and the attempts left, and submits again.
    me.goto(f"{live_server}/practice/")
    expect(me.get_by_test_id("feedback")).to_contain_text("Check the prior living situation with the client.")
    expect(me.get_by_test_id("attempts-remaining")).to_contain_text("2 of 3 attempts remain")
    problems.update(check_widths(me, "casesui-mine-returned", _Shots()))
    _submit(me, live_server, "Project Entry")

    # Approved; then the update and the exit, each approved.
    for segment, label in (("entry", None), ("update", "Update"), ("exit", "Project Exit")):
        if label:
            getattr(solver, segment)()
            sdb.commit()
            _submit(me, live_server, label)
        _open_review(hal, live_server)
        hal.get_by_role("button", name=re.compile("^Approve the")).click()
        expect(hal.get_by_role("status").first).to_contain_text("is approved")

    me.goto(f"{live_server}/practice/")
    expect(me.get_by_test_id("attempts-remaining")).to_contain_text("This case is complete")
    me.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="My training").click()
    expect(me.get_by_test_id("status-practice:emergency_shelter")).to_have_text("Completed")
    problems = {k: v for k, v in problems.items() if v}
    assert problems == {}, problems


class _Shots:
    """check_widths saves ``shots / name-label.png``: here, /tmp/casesui-*.png."""

    def __truediv__(self, name: str) -> str:
        return f"{SHOTS}/{name}"
