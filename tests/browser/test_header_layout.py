"""The header: the signed-in person's name, roles and sign-out are on screen at desktop and phone widths."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 400])
def test_header_signed_in_name_roles_and_sign_out_visible_in_viewport(live_server, page, make_live_user, clock, width):
    page.set_viewport_size({"width": width, "height": 800})
    secret = pyotp.random_base32()
    make_live_user("hdr@example.org", roles=[Role.SYSADMIN], full_name="Hal Header", totp_secret=secret)
    sign_in(page, live_server, "hdr@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    for locator in (page.get_by_test_id("whoami"), page.get_by_test_id("whoami-roles"),
                    page.get_by_role("button", name="Sign out")):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box is not None and box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= width
    expect(page.get_by_test_id("whoami-roles")).to_have_text("(System administrator)")
