"""Per-account throttling (rising delays) and lockout, and the administrator's unlock."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.roles import Role
from lms.auth import rules, services
from lms.core import settings
from lms.core.audit import AuditEvent
from tests.conftest import DEFAULT_PASSWORD


def test_throttle_delay_rises_after_threshold_and_is_capped():
    delays = [rules.throttle_delay(n, 3) for n in range(0, 20)]
    assert delays[:3] == [timedelta(0)] * 3
    assert delays[3] < delays[4] < delays[5]
    assert max(delays) == rules.MAX_DELAY


def test_may_attempt_refused_inside_delay_allowed_after():
    from datetime import datetime, timezone
    now = datetime(2026, 11, 2, tzinfo=timezone.utc)
    wait = rules.throttle_delay(5, 3)
    assert not rules.may_attempt(5, now, throttle_after=3, now=now + wait - timedelta(seconds=1)).allowed
    assert rules.may_attempt(5, now, throttle_after=3, now=now + wait).allowed


def _fail(app, db_session, email, clock):
    hashing = app.extensions["lms.passwords"]
    with pytest.raises((services.LoginFailed, services.Throttled, services.AccountLocked)) as exc:
        services.authenticate(db_session, hashing, email=email, password="Wrong-Password-1",
                              now=clock.now, ip="127.0.0.1", user_agent="t")
    return exc.value


def test_authenticate_throttles_after_repeated_failures(app, db_session, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    after = settings.get(db_session, "auth.throttle_after")
    for _ in range(after):
        assert isinstance(_fail(app, db_session, user.email, clock), services.LoginFailed)
    err = _fail(app, db_session, user.email, clock)
    assert isinstance(err, services.Throttled)
    # Even the right password waits: the delay is per account.
    with pytest.raises(services.Throttled):
        services.authenticate(db_session, app.extensions["lms.passwords"], email=user.email,
                              password=DEFAULT_PASSWORD, now=clock.now, ip=None, user_agent=None)


def test_an_unknown_address_is_throttled_as_a_known_one(app, db_session, clock):
    """A known address's failures come with the read of the person; an unknown one's are read apart."""
    after = settings.get(db_session, "auth.throttle_after")
    for _ in range(after):
        assert isinstance(_fail(app, db_session, "nobody@example.org", clock), services.LoginFailed)
    assert isinstance(_fail(app, db_session, "Nobody@Example.org ", clock), services.Throttled)


def test_authenticate_locks_account_at_threshold_and_unlock_lifts_it(app, db_session, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    admin = make_user(roles=[Role.SYSADMIN])
    hashing = app.extensions["lms.passwords"]
    threshold = settings.get(db_session, "auth.lockout_threshold")
    for _ in range(threshold):
        _fail(app, db_session, user.email, clock)
        clock.advance(seconds=int(rules.MAX_DELAY.total_seconds()) + 1)
    assert user.locked_at is not None
    with pytest.raises(services.AccountLocked):
        services.authenticate(db_session, hashing, email=user.email, password=DEFAULT_PASSWORD,
                              now=clock.now, ip=None, user_agent=None)
    services.unlock(db_session, user, actor=admin, now=clock.now, ip="10.0.0.1")
    assert user.locked_at is None
    sign_in = services.authenticate(db_session, hashing, email=user.email, password=DEFAULT_PASSWORD,
                                    now=clock.now, ip=None, user_agent=None)
    assert sign_in.token
    actions = set(db_session.execute(sa.select(AuditEvent.action)).scalars())
    assert {"auth.account_locked", "auth.account_unlocked"} <= actions


def test_authenticate_below_threshold_does_not_lock(app, db_session, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    threshold = settings.get(db_session, "auth.lockout_threshold")
    for _ in range(threshold - 1):
        _fail(app, db_session, user.email, clock)
        clock.advance(seconds=int(rules.MAX_DELAY.total_seconds()) + 1)
    assert user.locked_at is None


def test_authenticate_unknown_email_same_error_as_wrong_password(app, db_session, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    a = _fail(app, db_session, "nobody@example.org", clock)
    b = _fail(app, db_session, user.email, clock)
    assert type(a) is type(b) is services.LoginFailed
    assert a.message == b.message == services.BAD_CREDENTIALS


def test_password_hash_is_checked_with_nothing_waiting_to_be_written(app, db_session, make_user, clock, monkeypatch):
    """On SQLite a pending row would be flushed before the check and hold the write lock through it."""
    from lms.auth.models import LoginThrottle

    user = make_user(roles=[Role.END_USER])
    db_session.commit()
    hashing = app.extensions["lms.passwords"]
    writes, seen = [], []
    verify = hashing.verify

    def note(conn, cursor, statement, *args):  # noqa: ANN001
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement.split("(")[0])

    def watching(stored, password):
        seen.append(list(writes) + [repr(o) for o in [*db_session.new, *db_session.dirty]])
        return verify(stored, password)

    monkeypatch.setattr(hashing, "verify", watching)
    engine = db_session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        services.authenticate(db_session, hashing, email=user.email, password=DEFAULT_PASSWORD, now=clock.now,
                              ip="127.0.0.1", user_agent="t")
        db_session.commit()
        writes.clear()
        _fail(app, db_session, "nobody@example.org", clock)
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert seen == [[], []]
    # The failure is still counted.
    assert db_session.execute(sa.select(LoginThrottle.failures)).scalars().all() == [1]
