"""Second factor: mandatory for staff, codes accepted once, recovery codes, administrator reset.

Enrolment is audited, a wrong enrolment code keeps every staff page closed, and recovery codes are accepted in any case.
"""

import re

import pyotp
import pytest
import sqlalchemy as sa

from lms.auth import services
from lms.core.audit import AuditEvent
from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD, totp_now


def _password(client, user):
    return client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})


def test_staff_without_totp_is_sent_to_enrolment_before_any_page(client, make_user):
    user = make_user(roles=[Role.SYSADMIN], totp=False)
    assert _password(client, user).headers["Location"].endswith("/auth/enrol")
    assert client.get("/admin/audit").headers["Location"].endswith("/auth/enrol")


def test_enrolment_page_shows_qr_code_and_key_and_confirms_with_a_code(client, make_user, clock, db_session):
    user = make_user(roles=[Role.HELPDESK], totp=False)
    _password(client, user)
    html = client.get("/auth/enrol").get_data(as_text=True)
    assert "data:image/svg+xml" in html
    db_session.refresh(user)
    secret = user.totp_pending_secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in html
    resp = client.post("/auth/enrol", data={"code": "000000"})
    assert resp.status_code == 400 and "not right" in resp.get_data(as_text=True)
    resp = client.post("/auth/enrol", data={"code": pyotp.TOTP(secret).at(clock.now)})
    assert resp.status_code == 200 and "recovery codes" in resp.get_data(as_text=True).lower()
    assert client.get("/admin/audit").status_code == 403  # signed in fully; helpdesk may not see the audit log
    assert client.get("/").status_code == 200


def test_totp_code_is_never_accepted_twice(app, make_user, clock):
    user = make_user(roles=[Role.HELPDESK])
    first = app.test_client()
    _password(first, user)
    code = totp_now(user, clock)
    assert first.post("/auth/mfa", data={"code": code}).status_code == 303
    second = app.test_client()  # an eavesdropper replays the same code within its 30 seconds
    _password(second, user)
    resp = second.post("/auth/mfa", data={"code": code})
    assert resp.status_code == 400 and "used already" in resp.get_data(as_text=True)


def test_granted_staff_role_mid_session_must_enrol_before_next_page(client, make_user, login, db_session, clock):
    from lms.accounts import services as accounts

    user = make_user(roles=[Role.END_USER])
    login(client, user)
    accounts.grant_role(db_session, db_session.merge(user), Role.HELPDESK, now=clock.now)
    db_session.commit()
    assert client.get("/").headers["Location"].endswith("/auth/enrol")


def test_recovery_code_works_once(app, make_user, clock, db_session):
    user = make_user(roles=[Role.HELPDESK], totp=False)
    client = app.test_client()
    _password(client, user)
    client.get("/auth/enrol")
    db_session.refresh(user)
    html = client.post("/auth/enrol", data={"code": pyotp.TOTP(user.totp_pending_secret).at(clock.now)}).get_data(
        as_text=True)
    import re

    codes = re.findall(r"<li>([a-z0-9-]{10,12})</li>", html)
    assert len(codes) == 10
    client.post("/auth/logout")
    _password(client, user)
    assert client.post("/auth/mfa", data={"code": codes[0]}).status_code == 303
    client.post("/auth/logout")
    _password(client, user)
    assert client.post("/auth/mfa", data={"code": codes[0]}).status_code == 400


def test_admin_resets_lost_device_and_it_is_audited(make_user, db_session, clock, client):
    user = make_user(roles=[Role.HELPDESK])
    admin = make_user(roles=[Role.LEAD_ADMIN])
    services.reset_totp(db_session, user, actor=admin, now=clock.now, ip="10.0.0.1")
    db_session.commit()
    assert user.totp_secret is None
    event = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "auth.totp_reset")).scalar_one()
    assert event.actor_id == admin.id and event.ip == "10.0.0.1"
    assert _password(client, user).headers["Location"].endswith("/auth/enrol")


@pytest.mark.parametrize("code", ["１２３４５６", "٠١٢٣٤٥", "۱۲۳۴۵۶", "12345", "12\u200b3456", "abc"])
def test_mfa_with_non_ascii_digits_asks_for_the_six_digits(client, make_user, code):
    user = make_user(roles=[Role.HELPDESK])
    _password(client, user)
    resp = client.post("/auth/mfa", data={"code": code})
    assert resp.status_code == 400
    assert "Enter the 6 digits (0 to 9)" in resp.get_data(as_text=True)


@pytest.mark.parametrize("code", ["１２３４５６", "٠١٢٣٤٥", "abcde-23456"])
def test_enrol_with_non_ascii_digits_asks_for_the_six_digits(client, make_user, code):
    user = make_user(roles=[Role.HELPDESK], totp=False)
    _password(client, user)
    resp = client.post("/auth/enrol", data={"code": code})
    assert resp.status_code == 400
    assert "Enter the 6 digits (0 to 9)" in resp.get_data(as_text=True)


def test_mfa_code_with_spaces_is_accepted(client, make_user, clock):
    user = make_user(roles=[Role.HELPDESK])
    _password(client, user)
    code = totp_now(user, clock)
    assert client.post("/auth/mfa", data={"code": f"{code[:3]} {code[3:]}"}).status_code == 303


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


@pytest.mark.parametrize("totp", [True, False])
def test_page_of_the_second_step_shows_no_navigation_of_the_roles(client, make_user, totp):
    """Someone who knows only the password is not shown what the account may do."""
    user = make_user(roles=[Role.LEAD_ADMIN], totp=totp)
    _password(client, user)
    html = client.get("/auth/mfa" if totp else "/auth/enrol").get_data(as_text=True)
    assert "Second" in html or "authenticator" in html.lower()
    assert "/admin/people" not in html and "Primary navigation" not in html
