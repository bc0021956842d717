"""Sign-in through the forms: password, second factor, sessions."""

from __future__ import annotations

from lms.accounts.roles import Role
from tests.conftest import DEFAULT_PASSWORD


def test_login_end_user_without_totp_reaches_home(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    resp = client.get("/")
    assert resp.status_code == 200
    assert user.full_name in resp.get_data(as_text=True)


def test_login_staff_must_pass_totp_before_any_page(client, make_user):
    user = make_user(roles=[Role.HELPDESK])
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.headers["Location"].endswith("/auth/mfa")
    resp = client.get("/admin/audit")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/mfa")
