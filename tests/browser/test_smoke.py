"""The app answers over real HTTP in headless Chromium."""

import pytest

pytestmark = pytest.mark.browser


def test_open_sign_in_page_in_chromium_shows_form(live_server, page):
    page.goto(f"{live_server}/auth/login")
    assert page.get_by_label("E-mail").is_visible()


def test_every_page_asset_loads_without_console_errors(live_server, page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server}/auth/login")
    page.wait_for_load_state("networkidle")
    assert failed == [] and errors == [], (failed, errors)
    # USWDS's stylesheet is applied (the design system is vendored, not fetched from a CDN).
    assert page.evaluate("getComputedStyle(document.querySelector('.usa-button')).backgroundColor") != "rgba(0, 0, 0, 0)"
