"""The header: the signed-in person's name, roles and sign-out are on screen, and the menu stays on one line."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _sign_in_staff(page, live_server, make_live_user, clock, email, full_name, roles):
    secret = pyotp.random_base32()
    make_live_user(email, roles=roles, full_name=full_name, totp_secret=secret)
    sign_in(page, live_server, email)
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    expect(page.get_by_test_id("whoami")).to_have_text(full_name)


@pytest.mark.parametrize("width", [1280, 390])
def test_header_signed_in_name_roles_and_sign_out_visible_in_viewport(live_server, page, make_live_user, clock, width):
    page.set_viewport_size({"width": width, "height": 800})
    _sign_in_staff(page, live_server, make_live_user, clock, "hdr@example.org", "Hal Header", [Role.SYSADMIN])
    for locator in (page.get_by_test_id("whoami"), page.get_by_test_id("whoami-roles"),
                    page.get_by_role("button", name="Sign out")):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box is not None and box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= width
    expect(page.get_by_test_id("whoami-roles")).to_have_text("(System administrator)")


def test_header_with_every_admin_page_keeps_site_name_and_menu_on_one_line(live_server, page, make_live_user, clock):
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in_staff(page, live_server, make_live_user, clock, "lead@example.org", "Lee Lead", [Role.LEAD_ADMIN])
    assert page.evaluate("document.querySelector('.usa-logo__text a').getClientRects().length") == 1
    tops = page.evaluate("[...document.querySelectorAll('.usa-nav__primary > li')].map(li => li.getBoundingClientRect().top)")
    assert len(tops) <= 4 and len(set(tops)) == 1
    # Every administration page is still one click away, in the Admin submenu.
    labels = page.evaluate("[...document.querySelectorAll('#nav-admin a')].map(a => a.textContent.trim())")
    assert {"People", "CoCs", "Agencies", "Projects", "Audit log", "Scheduled jobs", "Settings"} <= set(labels)


@pytest.mark.parametrize("width", [1280, 390])
def test_header_admin_submenu_opens_and_is_followed_by_keyboard_alone(live_server, page, make_live_user, clock, width):
    page.set_viewport_size({"width": width, "height": 800})
    _sign_in_staff(page, live_server, make_live_user, clock, "kb@example.org", "Kim Keys", [Role.SYSADMIN])
    admin = page.get_by_role("button", name="Admin")
    if width < 1024:
        expect(admin).to_be_hidden()
        page.get_by_role("button", name="Menu").focus()
        page.keyboard.press("Enter")
    expect(admin).to_be_visible()
    admin.focus()
    page.keyboard.press("Enter")
    expect(admin).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#nav-admin")).to_be_visible()
    page.keyboard.press("Tab")
    first = page.locator("#nav-admin a").first
    expect(first).to_be_focused()
    target = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    expect(page.locator("h1")).to_be_visible()
