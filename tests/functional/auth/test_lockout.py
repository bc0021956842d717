"""Throttling with rising delays, lockout, administrator unlock, one answer for every failure."""

import pytest
import sqlalchemy as sa

from lms.auth import services
from lms.core.audit import AuditEvent
from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD, totp_now


def _try(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make_user):
    user = make_user(roles=[Role.END_USER])
    wrong = _try(client, user.email, "Wrong-Password-1")
    unknown = _try(client, "nobody@example.org", "Wrong-Password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert services.BAD_CREDENTIALS in wrong.get_data(as_text=True)
    assert services.BAD_CREDENTIALS in unknown.get_data(as_text=True)


def test_failures_bring_rising_delays(client, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    for _ in range(3):
        assert _try(client, user.email, "Wrong-Password-1").status_code == 401
    # After the third failure the next attempt must wait, even with the right password.
    resp = _try(client, user.email, DEFAULT_PASSWORD)
    assert resp.status_code == 429 and "wait" in resp.get_data(as_text=True).lower()
    clock.advance(seconds=3)
    assert _try(client, user.email, DEFAULT_PASSWORD).status_code == 303


def _fail_until_locked(client, user, clock, threshold=10):
    for _ in range(threshold):
        clock.advance(minutes=16)  # past any delay
        _try(client, user.email, "Wrong-Password-1")


def test_account_locks_at_threshold_and_admin_unlock_is_audited(client, make_user, clock, db_session):
    user = make_user(roles=[Role.END_USER])
    admin = make_user(roles=[Role.SYSADMIN])
    _fail_until_locked(client, user, clock)
    db_session.refresh(user)
    assert user.locked_at is not None
    clock.advance(minutes=16)
    resp = _try(client, user.email, DEFAULT_PASSWORD)
    assert resp.status_code == 423 and "locked" in resp.get_data(as_text=True)

    services.unlock(db_session, user, actor=admin, now=clock.now, ip="127.0.0.1")
    db_session.commit()
    assert user.locked_at is None
    assert _try(client, user.email, DEFAULT_PASSWORD).status_code == 303
    actions = set(db_session.execute(sa.select(AuditEvent.action)).scalars())
    assert {"auth.account_locked", "auth.account_unlocked"} <= actions


def test_locked_account_with_wrong_password_still_gets_the_generic_answer(client, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    _fail_until_locked(client, user, clock)
    clock.advance(minutes=16)
    resp = _try(client, user.email, "Wrong-Password-1")
    assert resp.status_code == 401 and "locked" not in resp.get_data(as_text=True)


def test_lockout_threshold_follows_the_setting(client, make_user, clock, db_session):
    from lms.core import settings

    settings.change(db_session, "auth.lockout_threshold", "5", actor=None, now=clock.now)
    db_session.commit()
    user = make_user(roles=[Role.END_USER])
    _fail_until_locked(client, user, clock, threshold=5)
    db_session.refresh(user)
    assert user.locked_at is not None


def _wrong_code(user, clock):
    code = totp_now(user, clock)
    return f"{(int(code) + 500000) % 1000000:06d}"


def test_wrong_second_factor_codes_bring_rising_delays_per_account(app, make_user, clock):
    user = make_user(roles=[Role.HELPDESK])
    for _ in range(3):
        browser = app.test_client()  # a fresh sign-in each time: a right password must not reset the count
        assert _try(browser, user.email, DEFAULT_PASSWORD).status_code == 303
        assert browser.post("/auth/mfa", data={"code": _wrong_code(user, clock)}).status_code == 400
    resp = browser.post("/auth/mfa", data={"code": totp_now(user, clock)})
    assert resp.status_code == 429 and "wait" in resp.get_data(as_text=True).lower()
    clock.advance(seconds=3)
    assert browser.post("/auth/mfa", data={"code": totp_now(user, clock)}).status_code == 303


def test_wrong_codes_lock_the_account_and_a_right_code_is_then_refused(app, make_user, clock, db_session):
    user = make_user(roles=[Role.HELPDESK])
    for _ in range(10):
        clock.advance(minutes=16)  # past any delay
        browser = app.test_client()
        _try(browser, user.email, DEFAULT_PASSWORD)
        last = browser.post("/auth/mfa", data={"code": "abcde-23456"})  # a wrong recovery code counts too
    assert last.status_code == 303 and last.headers["Location"].endswith("/auth/login")
    assert "locked" in browser.get("/auth/login").get_data(as_text=True)
    db_session.refresh(user)
    assert user.locked_at is not None
    # A halfway session (password accepted) cannot finish with the right code once locked.
    us = services.start_session(db_session, user, now=clock.now, ip=None, user_agent=None, mfa_passed=False).session
    clock.advance(seconds=30)
    with pytest.raises(services.AccountLocked):
        services.verify_second_factor(db_session, us, totp_now(user, clock), now=clock.now, ip=None)
    assert us.mfa_passed is False
    db_session.rollback()
    # The sign-in form says so to whoever knows the password.
    assert _try(app.test_client(), user.email, DEFAULT_PASSWORD).status_code == 423
    actions = list(db_session.execute(sa.select(AuditEvent.action)).scalars())
    assert actions.count("auth.mfa_failed") == 10 and "auth.account_locked" in actions


def test_admin_unlock_clears_the_second_factor_count(app, make_user, clock, db_session):
    user = make_user(roles=[Role.HELPDESK])
    admin = make_user(roles=[Role.SYSADMIN])
    for _ in range(9):
        clock.advance(minutes=16)
        browser = app.test_client()
        _try(browser, user.email, DEFAULT_PASSWORD)
        browser.post("/auth/mfa", data={"code": _wrong_code(user, clock)})
    services.unlock(db_session, user, actor=admin, now=clock.now, ip=None)
    db_session.commit()
    clock.advance(minutes=16)
    browser = app.test_client()
    _try(browser, user.email, DEFAULT_PASSWORD)
    assert browser.post("/auth/mfa", data={"code": _wrong_code(user, clock)}).status_code == 400  # not locked


def test_wrong_current_password_on_change_page_brings_delays_then_lock(app, make_user, login, clock, db_session):
    user = make_user(roles=[Role.END_USER])
    browser = app.test_client()
    login(browser, user)
    new = "Marigold-Canoe-73"
    wrong = {"current_password": "Wrong-Password-1", "new_password": new, "confirm": new}
    for _ in range(3):
        assert browser.post("/auth/password", data=wrong).status_code == 400
    resp = browser.post("/auth/password", data={**wrong, "current_password": DEFAULT_PASSWORD})
    assert resp.status_code == 429 and "wait" in resp.get_data(as_text=True).lower()
    for _ in range(7):
        clock.advance(minutes=3)  # past each delay (at most 2 minutes here), within the idle limit
        last = browser.post("/auth/password", data=wrong)
    assert last.status_code == 303 and last.headers["Location"].endswith("/auth/login")
    assert "locked" in browser.get("/auth/login").get_data(as_text=True)
    assert browser.get("/session/status").get_json()["signed_in"] is False
    db_session.refresh(user)
    assert user.locked_at is not None
    clock.advance(minutes=16)
    assert _try(app.test_client(), user.email, DEFAULT_PASSWORD).status_code == 423
