"""Server-side sessions: fixation, one live session, idle and absolute timeouts, sign-out."""

from __future__ import annotations

from lms.accounts.roles import Role
from lms.core import settings
from tests.conftest import DEFAULT_PASSWORD


def _sid(client):
    with client.session_transaction() as sess:
        return sess.get("sid")


def _cookie(client):
    cookie = client.get_cookie("lms_session")
    return cookie.value if cookie else None


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
