"""Sessions: renewed at sign-in, one at a time, idle and absolute limits, sign-out.

A session id planted by an attacker is replaced at sign-in, the absolute limit is a setting too, and an unknown
e-mail address gets the same answer as a wrong password.
"""

import sqlalchemy as sa

from lms.auth.models import UserSession
from lms.core import settings
from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD

COOKIE = "lms_session"


def _cookie(client):
    c = client.get_cookie(COOKIE)
    return c.value if c else None


def test_sign_in_renews_the_session_cookie(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    client.get("/auth/login?next=/")  # an anonymous session exists before sign-in
    before = _cookie(client)
    assert before is not None
    login(client, user)
    after = _cookie(client)
    assert after and after != before
    # A session cookie planted before sign-in carries no identity afterwards.
    other = client.application.test_client()
    other.set_cookie(COOKIE, before)
    assert other.get("/session/status").get_json()["signed_in"] is False


def test_second_sign_in_ends_first_session_and_tells_that_browser(app, make_user, login):
    user = make_user(roles=[Role.END_USER])
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    resp = first.get("/", follow_redirects=True)
    assert "signed in on another computer" in resp.get_data(as_text=True)
    assert first.get("/session/status").get_json()["signed_in"] is False
    assert second.get("/session/status").get_json()["signed_in"] is True


def test_idle_timeout_ends_session_on_the_server(client, make_user, login, clock, db_session):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    clock.advance(minutes=14)
    assert client.get("/").status_code == 200
    clock.advance(minutes=15)
    resp = client.get("/", follow_redirects=True)
    assert "without activity" in resp.get_data(as_text=True)
    us = db_session.execute(sa.select(UserSession).where(UserSession.user_id == user.id)).scalar_one()
    db_session.refresh(us)
    assert us.end_reason == "idle"


def test_idle_timeout_follows_the_setting(client, make_user, login, clock, db_session):
    settings.change(db_session, "auth.idle_timeout_minutes", "30", actor=None, now=clock.now)
    db_session.commit()
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    clock.advance(minutes=20)
    assert client.get("/").status_code == 200


def test_absolute_timeout_ends_an_active_session(client, make_user, login, clock):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    for _ in range(12 * 6):  # active every 10 minutes for 12 hours
        clock.advance(minutes=10)
        resp = client.get("/")
        if resp.status_code != 200:
            break
    assert resp.status_code == 302
    assert "time limit" in client.get("/auth/login").get_data(as_text=True)


def test_status_endpoint_warns_and_does_not_count_as_activity(client, make_user, login, clock):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    clock.advance(minutes=10)
    left = client.get("/session/status").get_json()["seconds_left"]
    assert 290 <= left <= 300
    clock.advance(minutes=4)
    assert 50 <= client.get("/session/status").get_json()["seconds_left"] <= 60  # polling didn't extend it
    client.post("/session/extend")
    assert client.get("/session/status").get_json()["seconds_left"] >= 14 * 60


def test_sign_out_ends_the_server_session(client, make_user, login, db_session):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    cookie = _cookie(client)
    client.post("/auth/logout")
    replay = client.application.test_client()
    replay.set_cookie(COOKIE, cookie)  # the old cookie is worthless: the server session ended
    assert replay.get("/session/status").get_json()["signed_in"] is False
    us = db_session.execute(sa.select(UserSession).where(UserSession.user_id == user.id)).scalar_one()
    db_session.refresh(us)
    assert us.end_reason == "logout"


def test_sign_in_page_offers_no_remember_me(client):
    html = client.get("/auth/login").get_data(as_text=True).lower()
    assert "remember" not in html


def test_deactivated_person_is_signed_out_at_next_request(client, make_user, login, db_session, clock):
    from lms.accounts import services

    user = make_user(roles=[Role.END_USER])
    login(client, user)
    services.deactivate(db_session, db_session.merge(user), now=clock.now, actor=None)
    db_session.commit()
    assert client.get("/").status_code == 302


def _replay(client, cookie):
    other = client.application.test_client()
    other.set_cookie(COOKIE, cookie)
    return other.get("/session/status").get_json()["signed_in"]


def test_second_factor_renews_the_session_id(client, make_user, clock):
    from tests.conftest import DEFAULT_PASSWORD, totp_now

    user = make_user(roles=[Role.HELPDESK])
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    after_password = _cookie(client)
    assert _replay(client, after_password) is True  # the halfway session is live
    clock.advance(seconds=30)
    assert client.post("/auth/mfa", data={"code": totp_now(user, clock)}).status_code == 303
    assert _cookie(client) != after_password
    assert _replay(client, after_password) is False  # captured after the password step: worthless now
    assert client.get("/").status_code == 200


def test_enrolment_renews_the_session_id(client, make_user, clock, db_session):
    import pyotp

    from tests.conftest import DEFAULT_PASSWORD

    user = make_user(roles=[Role.HELPDESK], totp=False)
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    client.get("/auth/enrol")
    before = _cookie(client)
    db_session.refresh(user)
    assert client.post("/auth/enrol", data={"code": pyotp.TOTP(user.totp_pending_secret).at(clock.now)}).status_code == 200
    assert _cookie(client) != before
    assert _replay(client, before) is False
    assert client.get("/").status_code == 200


def test_password_change_renews_the_session_id(client, make_user, login):
    from tests.conftest import DEFAULT_PASSWORD

    user = make_user(roles=[Role.END_USER])
    login(client, user)
    before = _cookie(client)
    new = "Marigold-Canoe-73"
    resp = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": new,
                                               "confirm": new})
    assert resp.status_code == 303
    assert _replay(client, before) is False
    assert client.get("/session/status").get_json()["signed_in"] is True


def _sid(client):
    with client.session_transaction() as sess:
        return sess.get("sid")


def test_login_renews_session_id_against_fixation(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    client.get("/auth/login")
    with client.session_transaction() as sess:
        sess["sid"] = "attacker-chosen-token"
    before = _cookie(client)
    login(client, user)
    assert _cookie(client) != before
    assert _sid(client) not in (None, "attacker-chosen-token")
    assert client.get("/").status_code == 200


def test_login_second_browser_ends_first_session_and_first_is_told(app, make_user, login):
    user = make_user(roles=[Role.END_USER])
    first, second = app.test_client(), app.test_client()
    login(first, user)
    assert first.get("/session/status").get_json()["signed_in"] is True
    login(second, user)
    resp = first.get("/", follow_redirects=True)
    assert "another computer" in resp.get_data(as_text=True)
    assert first.get("/session/status").get_json()["signed_in"] is False
    assert second.get("/session/status").get_json()["signed_in"] is True


def test_session_idle_timeout_ends_session(client, make_user, login, clock):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    clock.advance(seconds=14 * 60)
    assert client.get("/session/status").get_json()["signed_in"] is True
    clock.advance(seconds=15 * 60 + 1)
    resp = client.get("/", follow_redirects=True)
    assert "without activity" in resp.get_data(as_text=True)
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_session_activity_within_idle_limit_keeps_it_alive(client, make_user, login, clock):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    for _ in range(6):
        clock.advance(seconds=10 * 60)
        assert client.get("/").status_code == 200


def test_session_idle_timeout_is_a_setting(client, db_session, make_user, login, clock):
    admin = make_user(roles=[Role.SYSADMIN])
    settings.change(db_session, "auth.idle_timeout_minutes", "30", actor=admin, now=clock.now)
    db_session.commit()
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    clock.advance(seconds=20 * 60)
    assert client.get("/session/status").get_json()["signed_in"] is True


def test_session_absolute_timeout_ends_active_session(client, make_user, login, clock):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    for _ in range(12 * 6):
        clock.advance(seconds=10 * 60)
        client.get("/")
    resp = client.get("/", follow_redirects=True)
    assert "time limit" in resp.get_data(as_text=True)
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_session_status_reports_seconds_left_for_warning(client, make_user, login, clock):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    clock.advance(seconds=5 * 60)
    left = client.get("/session/status").get_json()["seconds_left"]
    assert 9 * 60 <= left <= 10 * 60 + 1


def test_logout_ends_server_session_even_if_cookie_is_replayed(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    with client.session_transaction() as sess:
        saved = dict(sess)
    client.post("/auth/logout")
    with client.session_transaction() as sess:
        sess.update(saved)  # replay the old cookie contents
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_login_page_offers_no_remember_me(client):
    html = client.get("/auth/login").get_data(as_text=True).lower()
    assert "remember" not in html


def test_login_unknown_email_and_wrong_password_same_answer(client, make_user):
    user = make_user(roles=[Role.END_USER])
    a = client.post("/auth/login", data={"email": "nobody@example.org", "password": DEFAULT_PASSWORD})
    b = client.post("/auth/login", data={"email": user.email, "password": "Wrong-Password-99"})
    assert a.status_code == b.status_code
    assert "The e-mail address or password is not right." in a.get_data(as_text=True)
    assert "The e-mail address or password is not right." in b.get_data(as_text=True)


def test_session_absolute_timeout_is_a_setting(client, db_session, make_user, login, clock):
    admin = make_user(roles=[Role.SYSADMIN])
    settings.change(db_session, "auth.absolute_timeout_hours", "1", actor=admin, now=clock.now)
    db_session.commit()
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    for _ in range(6):
        clock.advance(seconds=10 * 60)
        client.get("/")
    assert client.get("/session/status").get_json()["signed_in"] is False


def _statements(app, client, method, url):
    from bench.harness import count_queries
    from lms.core.db import get_database

    with count_queries(get_database(app).engine) as counter:
        resp = getattr(client, method)(url)
    return resp, counter.statements


def test_session_status_costs_one_statement_and_loads_no_person(app, client, make_user, login, clock, monkeypatch):
    """The expiry poll (and the pattern of every heartbeat): the session and its person's gates in one read,
    and no ORM session opened (the settings come from the process's copy)."""
    from lms.core.db import Database

    login(client, make_user(roles=[Role.END_USER]))
    client.get("/session/status")  # the process's copy of the settings
    opened = []
    real = Database.request_session
    monkeypatch.setattr(Database, "request_session", lambda self: opened.append(self.name) or real(self))
    resp, statements = _statements(app, client, "get", "/session/status")
    assert resp.get_json()["signed_in"] is True
    assert len(statements) == 1 and "user_sessions" in statements[0], statements
    assert opened == []


def test_last_seen_is_written_at_most_once_a_minute(app, client, make_user, login, clock, db_session):
    login(client, make_user(roles=[Role.END_USER]))
    clock.advance(seconds=59)
    _, statements = _statements(app, client, "get", "/")
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in statements), statements
    clock.advance(seconds=1)
    _, statements = _statements(app, client, "get", "/")
    assert sum(s.lstrip().upper().startswith("UPDATE user_sessions".upper()) for s in statements) == 1, statements
    seen = db_session.execute(sa.select(UserSession.last_seen_at)).scalar_one()
    assert seen == clock.now
    # The idle limit counts from that write: 15 minutes later the session has ended.
    clock.advance(minutes=15)
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_a_request_that_changes_nothing_sends_no_cookie(client, make_user, login, clock):
    """The cookie is written when its content changes (sign-in, a message to show), not re-signed each time."""
    login(client, make_user(roles=[Role.END_USER]))
    clock.advance(minutes=2)
    resp = client.get("/session/status")
    assert resp.get_json()["signed_in"] is True and "Set-Cookie" not in resp.headers


def test_ending_a_persons_sessions_tells_the_sessions_this_session_holds(app, db_session, make_user, clock):
    """The end is written by one statement on the driver (every sign-in runs it): the rows this ORM session
    holds read as ended, as the ORM's own update would leave them; the one kept, and other people's, do not."""
    from lms.auth import services

    user, other = make_user(roles=[Role.END_USER]), make_user(roles=[Role.END_USER])
    hashing = app.extensions["lms.passwords"]
    opened = [services.authenticate(db_session, hashing, email=u.email, password=DEFAULT_PASSWORD, now=clock.now,
                                    ip=None, user_agent="t").session for u in (user, user, other)]
    kept = services.start_session(db_session, user, now=clock.now, ip=None, user_agent="t", mfa_passed=True).session
    assert [s.end_reason for s in opened] == ["superseded", "superseded", None]
    third = UserSession(token_hash="x" * 64, user_id=user.id, created_at=clock.now, last_seen_at=clock.now)
    db_session.add(third)  # pending: flushed first, so ended with the rest
    clock.advance(minutes=1)
    assert services.end_all_sessions(db_session, user, reason="password_changed", now=clock.now,
                                     except_session=kept) == 1
    assert (third.ended_at, third.end_reason) == (clock.now, "password_changed")
    assert kept.ended_at is None and opened[2].ended_at is None and opened[0].end_reason == "superseded"
    db_session.expire_all()
    assert (third.end_reason, kept.ended_at, opened[2].ended_at) == ("password_changed", None, None)


def test_ending_a_persons_live_sessions_reads_no_ended_one(db_session, make_user):
    """A person signs in most working days and every sign-in ends their live sessions: the statement finds
    the live ones by (user_id, ended_at), never by reading every session the person ever had."""
    from lms.auth.services.sessions import _END_SESSIONS

    statement = _END_SESSIONS[False].statement
    bind = db_session.connection()
    sql = str(statement.compile(dialect=bind.dialect))
    params = {"person": 1, "now": None, "reason": "x"}
    if bind.dialect.name == "postgresql":
        db_session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(db_session.connection().exec_driver_sql(
            "EXPLAIN " + sql, params).scalars())
        assert "ix_user_sessions_user_id_ended_at" in plan and "Index Cond" in plan, plan
        assert "ended_at IS NULL" in plan.split("Index Cond")[1], plan
    else:
        plan = " ".join(str(r[-1]) for r in bind.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, (None, "x", 1)))
        assert "ix_user_sessions_user_id_ended_at (user_id=? AND ended_at=?)" in plan, plan
