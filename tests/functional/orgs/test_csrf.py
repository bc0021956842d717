"""Admin changes need the page's CSRF token: without it nothing changes and no audit row is written."""

import re

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD, totp_now


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def _token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def admin_client(client, make_user, clock):
    admin = make_user(roles=[Role.SYSADMIN])
    client.post("/auth/login", data={"email": admin.email, "password": DEFAULT_PASSWORD,
                                     "csrf_token": _token(client, "/auth/login")})
    clock.advance(seconds=30)
    resp = client.post("/auth/mfa", data={"code": totp_now(admin, clock), "csrf_token": _token(client, "/auth/mfa")})
    assert resp.status_code == 303
    return client


def test_deactivate_coc_without_token_is_refused_and_changes_nothing(admin_client, make_coc, db_session):
    coc = make_coc()
    resp = admin_client.post(f"/admin/cocs/{coc.id}/active", data={"active": "0"})
    assert resp.status_code == 400
    db_session.refresh(coc)
    assert coc.is_active is True
    assert db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "orgs.coc_deactivated")).first() is None


def test_deactivate_coc_with_the_page_token_is_accepted(admin_client, make_coc, db_session):
    coc = make_coc()
    token = _token(admin_client, f"/admin/cocs/{coc.id}/deactivate")
    resp = admin_client.post(f"/admin/cocs/{coc.id}/active", data={"active": "0", "confirm": "yes",
                                                                          "csrf_token": token})
    assert resp.status_code == 303
    db_session.refresh(coc)
    assert coc.is_active is False


def test_create_coc_without_token_is_refused(admin_client, db_session):
    from lms.orgs.models import Coc

    resp = admin_client.post("/admin/cocs/new", data={"code": "MO-604", "name": "Kansas City"})
    assert resp.status_code == 400
    assert db_session.execute(sa.select(Coc).where(Coc.code == "MO-604")).first() is None
