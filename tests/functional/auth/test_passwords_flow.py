"""Password change, reset by e-mailed link, forced change, and showing every rule broken at once."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.accounts.roles import Role
from lms.core.mail import OutboxMessage
from tests.conftest import DEFAULT_PASSWORD

NEW = "Marigold-Canoe-73"


def test_change_password_with_current_succeeds_and_new_one_signs_in(app, make_user, login):
    user = make_user(roles=[Role.END_USER])
    other, mine = app.test_client(), app.test_client()
    login(other, user)
    resp = other.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW,
                                              "confirm": NEW})
    assert resp.status_code == 303
    assert other.get("/session/status").get_json()["signed_in"] is True
    login(mine, user, NEW)
    assert mine.get("/session/status").get_json()["signed_in"] is True


def test_change_password_ends_other_sessions(app, db_session, make_user, login, clock):
    from lms.auth.models import UserSession
    from lms.auth.rules import token_hash

    user = make_user(roles=[Role.END_USER])
    browser = app.test_client()
    login(browser, user)
    # A second live session of the same person (say, one that slipped past the one-session rule).
    extra = UserSession(token_hash=token_hash("other-workstation"), user_id=user.id, created_at=clock.now,
                        last_seen_at=clock.now, mfa_passed=True)
    db_session.add(extra)
    db_session.commit()
    resp = browser.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW,
                                                "confirm": NEW})
    assert resp.status_code == 303
    db_session.refresh(extra)
    assert extra.ended_at is not None and extra.end_reason == "password_changed"
    assert browser.get("/session/status").get_json()["signed_in"] is True


def test_change_password_wrong_current_refused(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    resp = client.post("/auth/password", data={"current_password": "Not-The-One-11", "new_password": NEW,
                                               "confirm": NEW})
    assert resp.status_code == 400
    assert "current password is not right" in resp.get_data(as_text=True)


def test_change_password_form_shows_every_violation_at_once(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    resp = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": "wellsky",
                                               "confirm": "wellsky"})
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "at least 8" in text and "at least one number" in text and "vendor" in text


def test_change_password_requires_second_factor_first(client, make_user):
    user = make_user(roles=[Role.HELPDESK])  # staff: TOTP enrolled
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    resp = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW,
                                               "confirm": NEW})
    assert resp.status_code in (302, 303) and "/auth/mfa" in resp.headers["Location"]
    fresh = client.application.test_client()
    assert fresh.post("/auth/login", data={"email": user.email, "password": NEW}).status_code == 401


def test_forced_change_at_first_sign_in_blocks_other_pages(client, make_user, login):
    user = make_user(roles=[Role.END_USER], must_change_password=True)
    login(client, user)
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/password")
    resp = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW,
                                               "confirm": NEW})
    assert resp.status_code == 303
    assert client.get("/").status_code == 200


def _reset_link(db_session) -> str:
    body = db_session.execute(sa.select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc())).scalars().first()
    return re.search(r"/auth/reset/(\S+)", body).group(0)


def test_reset_link_sets_password_once(client, db_session, make_user, login):
    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email}).close()  # the link is sent after the response
    link = _reset_link(db_session)
    assert client.get(link).status_code == 200
    resp = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert resp.status_code == 303
    login(client, user, NEW)
    again = client.application.test_client().get(link)
    assert again.status_code == 303 and again.headers["Location"].endswith("/auth/forgot")


def test_reset_link_expires(client, db_session, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email}).close()  # the link is sent after the response
    link = _reset_link(db_session)
    clock.advance(seconds=24 * 3600)
    resp = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/auth/forgot")
    assert client.post("/auth/login", data={"email": user.email, "password": NEW}).status_code == 401


def test_reset_form_shows_every_violation_at_once(client, db_session, make_user):
    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email}).close()  # the link is sent after the response
    link = _reset_link(db_session)
    resp = client.post(link, data={"new_password": "password", "confirm": "password"})
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "at least one number" in text and "most common" in text


def test_rehash_at_login_when_params_change(app, client, db_session, make_user, login):
    from argon2 import PasswordHasher

    user = make_user(roles=[Role.END_USER])
    user.password_hash = PasswordHasher(memory_cost=8, time_cost=1, parallelism=1).hash(DEFAULT_PASSWORD)
    db_session.commit()
    old = user.password_hash
    login(client, user)
    db_session.refresh(user)
    assert user.password_hash != old
    assert not app.extensions["lms.passwords"].needs_rehash(user.password_hash)
