"""Browser-test helpers: people created in the live server's committed database."""

import re

import pytest

from tests.conftest import DEFAULT_PASSWORD

#: The widths every page is checked at: a desktop and a phone.
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; return one line per violation (empty: none).

    The signed-in bar above the header (base.html, outside any landmark: axe's
    best-practice "region") belongs to the shared layout, not to these pages, so it
    is left out here, as in the sandbox walk.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"exclude": [[".lms-userbar"]]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


def check_widths(page, name: str, shots) -> dict[str, list[str]]:
    """At each width: axe finds nothing and nothing scrolls sideways; save a full-page screenshot in ``shots``.

    Check a page only once its own content is there (an ``expect`` on it after a click),
    never the previous page mid-navigation.
    """
    problems = {}
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        found = axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            found.append(f"scrolls sideways by {overflow}px")
        if found:
            problems[f"{name}@{width}"] = found
        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def sign_in(page, base_url, email, password=DEFAULT_PASSWORD):
    """Fill the sign-in form and send it with the button, as a person does."""
    page.goto(f"{base_url}/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()


@pytest.fixture
def make_live_user(committed_app, committed_session, clock):
    """Create a person (committed) the live server can sign in; ``roles`` are Role values."""

    def make(email, *, roles=(), full_name="Casey Browser", must_change_password=False, totp_secret=None):
        from lms.accounts import services

        user, _ = services.create_user(committed_session, committed_app.extensions["lms.passwords"], email=email,
                                       full_name=full_name, password=DEFAULT_PASSWORD, now=clock.now)
        user.must_change_password = must_change_password
        if totp_secret:
            user.totp_secret, user.totp_enrolled_at = totp_secret, clock.now
        for role in roles:
            services.grant_role(committed_session, user, role, now=clock.now)
        committed_session.commit()
        return user

    return make
