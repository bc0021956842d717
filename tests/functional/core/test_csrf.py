"""CSRF: with protection on, a state change without a token is refused with a clear 400 page."""

from __future__ import annotations

import re

import pytest

from lms.accounts.roles import Role
from tests.conftest import DEFAULT_PASSWORD


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def test_post_without_csrf_token_refused_400_with_clear_page(client, make_user):
    user = make_user(roles=[Role.END_USER])
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "<html" in text.lower()
    assert re.search(r"(?i)(form|page) (has )?expired|security|token|try again", text)
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_post_with_csrf_token_accepted(client, make_user):
    user = make_user(roles=[Role.END_USER])
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert token, "login form carries a CSRF token"
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                            "csrf_token": token.group(1)})
    assert resp.status_code in (302, 303)


def test_logout_without_csrf_token_refused(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/session/status").get_json()["signed_in"] is True
