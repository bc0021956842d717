"""The app answers over real HTTP in headless Chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_open_sign_in_page_in_chromium_shows_form(live_server, page):
    page.goto(f"{live_server}/auth/login")
    assert page.get_by_label("E-mail").is_visible()
