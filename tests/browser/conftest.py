"""Browser-test helpers: people created in the live server's committed database."""

import re

import pytest

from tests.conftest import DEFAULT_PASSWORD


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
