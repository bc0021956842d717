"""Sessions: renewed at sign-in, one at a time, idle and absolute limits, sign-out."""

import sqlalchemy as sa

from lms.auth.models import UserSession
from lms.core import settings
from lms.core.roles import Role

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
