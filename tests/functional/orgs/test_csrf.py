"""With CSRF protection on (as in production), an admin change without the form's token is refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.accounts.roles import Role
from lms.orgs.models import Coc
from tests.conftest import DEFAULT_PASSWORD, totp_now


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _sign_in(client, user, clock):
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                            "csrf_token": _token(client.get("/auth/login").get_data(as_text=True))})
    assert resp.status_code in (302, 303)
    clock.advance(seconds=30)
    page = client.get("/auth/mfa").get_data(as_text=True)
    resp = client.post("/auth/mfa", data={"code": totp_now(user, clock), "csrf_token": _token(page)})
    assert resp.status_code in (302, 303)


def test_create_coc_without_csrf_token_refused_400(client, make_user, clock, db_session):
    _sign_in(client, make_user(roles=[Role.SYSADMIN]), clock)
    resp = client.post("/admin/cocs/new", data={"code": "MO-888", "name": "No Token"})
    assert resp.status_code == 400
    assert db_session.execute(sa.select(Coc).where(Coc.code == "MO-888")).first() is None


def test_create_coc_with_csrf_token_saved(client, make_user, clock, db_session):
    _sign_in(client, make_user(roles=[Role.SYSADMIN]), clock)
    token = _token(client.get("/admin/cocs/new").get_data(as_text=True))
    resp = client.post("/admin/cocs/new", data={"code": "MO-889", "name": "With Token", "csrf_token": token})
    assert resp.status_code == 303
    assert db_session.execute(sa.select(Coc).where(Coc.code == "MO-889")).first() is not None
