"""Throttling with rising delays, lockout, administrator unlock, one answer for every failure."""

import sqlalchemy as sa

from lms.auth import services
from lms.core.audit import AuditEvent
from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD


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
