"""Sign in, enrol TOTP and sign out in a real headless Chromium (Debian's, driven by Playwright)."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_staff_without_totp_signs_in_enrols_and_signs_out(live_server, page, make_live_user, clock):
    make_live_user("sam.admin@example.org", roles=[Role.SYSADMIN], full_name="Sam Admin")
    sign_in(page, live_server, "sam.admin@example.org")

    # Staff may open nothing until an authenticator is enrolled.
    page.wait_for_url(re.compile(r"/auth/enrol"))
    secret = page.get_by_test_id("totp-secret").inner_text().strip().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    page.get_by_label("6-digit code from your authenticator app").fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name="Confirm").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name=re.compile("I have saved them")).click()

    expect(page.get_by_test_id("whoami")).to_have_text("Sam Admin")
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Admin").click()  # the administration pages share one submenu
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/auth/login|/$"))
    page.goto(f"{live_server}/admin/audit")
    page.wait_for_url(re.compile(r"/auth/login"))


def test_end_user_signs_in_and_sees_only_their_navigation(live_server, page, make_live_user):
    make_live_user("erin@example.org", roles=[Role.END_USER], full_name="Erin User")
    sign_in(page, live_server, "erin@example.org")
    expect(page.get_by_test_id("whoami")).to_have_text("Erin User")
    nav = page.get_by_role("navigation", name="Primary navigation")
    assert nav.get_by_role("link", name="Audit log").count() == 0


def test_wrong_password_shows_the_same_message_as_an_unknown_email(live_server, page, make_live_user):
    make_live_user("pat@example.org", roles=[Role.END_USER])
    sign_in(page, live_server, "pat@example.org", "Wrong-Password-99")
    page.wait_for_load_state()
    wrong = page.locator("[role=alert]").first.inner_text()
    sign_in(page, live_server, "nobody@example.org", "Wrong-Password-99")
    page.wait_for_load_state()
    unknown = page.locator("[role=alert]").first.inner_text()
    assert wrong == unknown
    assert "e-mail" in wrong.lower() or "password" in wrong.lower()


def test_sign_in_form_works_from_the_keyboard_alone(live_server, page, make_live_user):
    make_live_user("kim@example.org", roles=[Role.END_USER], full_name="Kim Keys")
    page.goto(f"{live_server}/auth/login")
    # The first Tab reaches the skip link; following Tabs reach the fields in order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    else:
        pytest.fail("Tab never reached the e-mail field")
    page.keyboard.type("kim@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_test_id("whoami").wait_for()
    assert page.get_by_test_id("whoami").inner_text() == "Kim Keys"


@pytest.mark.parametrize("hostile", ["/%09/evil.example", "/%5Cevil.example", "%09//evil.example"])
def test_sign_in_with_hostile_next_stays_on_this_site(live_server, page, make_live_user, hostile):
    make_live_user("nora.next@example.org", roles=[Role.END_USER], full_name="Nora Next")
    page.goto(f"{live_server}/auth/login?next={hostile}")
    page.get_by_label("E-mail address").fill("nora.next@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_test_id("whoami")).to_have_text("Nora Next")
    assert page.url == f"{live_server}/"
