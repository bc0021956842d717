"""TOTP in the browser flow: enrolment, replay, recovery codes, admin reset, staff forced to enrol."""

from __future__ import annotations

import re

import pyotp
import sqlalchemy as sa

from lms.accounts.roles import Role
from lms.core.audit import AuditEvent
from tests.conftest import DEFAULT_PASSWORD, totp_now


def _enrol(client, clock):
    page = client.get("/auth/enrol")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    key = re.search(r"\b((?:[A-Z2-7]{4} ){3,}[A-Z2-7]{1,4})\b", text).group(1).replace(" ", "")
    resp = client.post("/auth/enrol", data={"code": pyotp.TOTP(key).at(clock.now)})
    return key, resp


def test_staff_without_totp_must_enrol_before_any_staff_page(client, make_user):
    user = make_user(roles=[Role.SYSADMIN], totp=False)
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.headers["Location"].endswith("/auth/enrol")
    for url in ("/", "/admin/audit", "/admin/jobs", "/admin/settings"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/enrol"), url


def test_enrol_page_shows_qr_code_and_key_text(client, make_user):
    user = make_user(roles=[Role.HELPDESK], totp=False)
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    text = client.get("/auth/enrol").get_data(as_text=True)
    assert "data:image/svg+xml" in text
    assert re.search(r"(?:[A-Z2-7]{4} ){3,}", text)


def test_enrol_with_right_code_shows_recovery_codes_and_opens_staff_pages(client, db_session, make_user, clock):
    user = make_user(roles=[Role.SYSADMIN], totp=False)
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    _key, resp = _enrol(client, clock)
    assert resp.status_code == 200
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", resp.get_data(as_text=True))
    assert len(set(codes)) == 10
    assert client.get("/admin/audit").status_code == 200
    assert db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "auth.totp_enrolled")).first()


def test_enrol_with_wrong_code_refused(client, make_user):
    user = make_user(roles=[Role.SYSADMIN], totp=False)
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    client.get("/auth/enrol")
    resp = client.post("/auth/enrol", data={"code": "000000"})
    assert resp.status_code == 400
    assert client.get("/admin/audit").status_code == 302


def test_mfa_code_replayed_in_new_sign_in_refused(app, make_user, clock):
    user = make_user(roles=[Role.HELPDESK])
    first = app.test_client()
    first.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    code = totp_now(user, clock)
    assert first.post("/auth/mfa", data={"code": code}).status_code in (302, 303)
    second = app.test_client()
    second.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    resp = second.post("/auth/mfa", data={"code": code})
    assert resp.status_code == 400
    assert "used already" in resp.get_data(as_text=True)


def _recovery_codes(client, make_user, clock):
    user = make_user(roles=[Role.HELPDESK], totp=False)
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    _key, resp = _enrol(client, clock)
    client.post("/auth/logout")
    return user, re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", resp.get_data(as_text=True))


def test_recovery_code_signs_in_once(app, client, make_user, clock):
    user, codes = _recovery_codes(client, make_user, clock)
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert other.post("/auth/mfa", data={"code": codes[0]}).status_code in (302, 303)
    other.post("/auth/logout")
    third = app.test_client()
    third.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert third.post("/auth/mfa", data={"code": codes[0]}).status_code == 400
    assert third.post("/auth/mfa", data={"code": codes[1].upper()}).status_code in (302, 303)


def test_admin_totp_reset_audited_and_forces_enrolment(app, db_session, make_user, clock):
    from lms.auth import services

    user = make_user(roles=[Role.HELPDESK])
    admin = make_user(roles=[Role.SYSADMIN])
    services.reset_totp(db_session, user, actor=admin, now=clock.now, ip="10.0.0.9")
    db_session.commit()
    ev = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "auth.totp_reset")).scalar_one()
    assert ev.actor_id == admin.id and ev.target_id == str(user.id) and ev.ip == "10.0.0.9"
    assert "secret" not in str(ev.details).lower()
    client = app.test_client()
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.headers["Location"].endswith("/auth/enrol")
