"""The page warns before the server ends an idle session, and "Stay signed in" keeps it."""

import re

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _first_poll_answered(page) -> None:
    """Wait until the page has had the server's first answer: a poll still on its way when the test moves the
    clocks would answer for the old time, and the page (on fake timers) would wait for a poll that never comes."""
    expect(page.locator("body")).to_have_attribute("data-session-polls", re.compile(r"[1-9]"))


def test_idle_warning_appears_and_stay_signed_in_extends_the_session(live_server, page, make_live_user, clock):
    make_live_user("idle@example.org", roles=[Role.END_USER], full_name="Ida Idle")
    page.clock.install()
    sign_in(page, live_server, "idle@example.org")
    expect(page.get_by_test_id("whoami")).to_have_text("Ida Idle")
    _first_poll_answered(page)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()

    clock.advance(minutes=14)  # the server's clock: one minute of idleness left
    page.clock.run_for(31_000)  # the page polls every 30 seconds
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out soon")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()

    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    clock.advance(minutes=10)  # without the extension this would be past the 15-minute limit
    page.goto(f"{live_server}/")
    expect(page.get_by_test_id("whoami")).to_have_text("Ida Idle")


def test_expired_session_sends_the_page_to_sign_in(live_server, page, make_live_user, clock):
    make_live_user("gone@example.org", roles=[Role.END_USER], full_name="Gus Gone")
    page.clock.install()
    sign_in(page, live_server, "gone@example.org")
    expect(page.get_by_test_id("whoami")).to_have_text("Gus Gone")
    _first_poll_answered(page)
    clock.advance(minutes=16)
    page.clock.run_for(31_000)
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.get_by_label("E-mail address")).to_be_visible()


def test_idle_timeout_signs_an_open_tab_out_and_says_why(live_server, page, make_live_user, clock,
                                                         committed_session):
    from lms.core import settings

    settings.change(committed_session, "auth.idle_timeout_minutes", "1", actor=None, now=clock.now)
    committed_session.commit()
    make_live_user("open.tab@example.org", roles=[Role.END_USER], full_name="Otto Tab")
    page.clock.install()
    sign_in(page, live_server, "open.tab@example.org")
    expect(page.get_by_test_id("whoami")).to_have_text("Otto Tab")
    _first_poll_answered(page)

    clock.advance(seconds=59.5)  # the server: half a second left of the one-minute idle limit
    page.clock.run_for(30_000)  # the page polls, and counts down to its zero
    expect(page.locator("#session-warning-seconds")).to_have_text("1 second")
    page.clock.run_for(3_000)  # the page's zero: it asks the server, which has not ended the session yet
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("alertdialog")).to_be_visible()

    clock.advance(seconds=1)  # now the server ends it for idleness
    page.clock.run_for(3_000)
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.get_by_text("You were signed out after a period without activity")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_be_visible()
    # Signed out on the server too: Home asks for sign-in again.
    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
