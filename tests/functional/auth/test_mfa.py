"""Second factor: mandatory for staff, codes accepted once, recovery codes, administrator reset."""

import pyotp
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
