"""Change, reset and forced change of passwords through the forms."""

import re
from pathlib import Path

from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD

NEW = "Violet-Harbor-2027"


def _mails(app):
    folder = Path(app.config["MAIL_FOLDER"])
    return [p.read_text() for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def test_change_password_needs_the_current_one(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    resp = client.post("/auth/password", data={"current_password": "Wrong-One-11", "new_password": NEW,
                                                "confirm": NEW})
    assert resp.status_code == 400 and "current password is not right" in resp.get_data(as_text=True)


def test_change_password_shows_every_violation_at_once(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    resp = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": "wellsky",
                                                "confirm": "wellsky"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    for fragment in ("at least 8 characters", "at least one number", "vendor"):
        assert fragment in html


def test_change_password_ends_other_sessions(client, make_user, login, clock, db_session):
    from lms.auth.models import UserSession

    user = make_user(roles=[Role.END_USER])
    login(client, user)
    # Another live registry row for this person (say, a session on a second worker's half-finished sign-in).
    other = UserSession(token_hash="x" * 64, user_id=user.id, created_at=clock.now, last_seen_at=clock.now,
                        mfa_passed=True, ip=None, user_agent="other")
    db_session.add(other)
    db_session.commit()
    resp = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW,
                                               "confirm": NEW})
    assert resp.status_code == 303
    assert client.get("/").status_code == 200  # this session goes on
    db_session.refresh(other)
    assert other.end_reason == "password_changed"


def test_forced_change_at_first_sign_in(client, make_user, login):
    user = make_user(roles=[Role.END_USER], must_change_password=True)
    login(client, user)
    resp = client.get("/")
    assert resp.headers["Location"].endswith("/auth/password")
    client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW, "confirm": NEW})
    assert client.get("/").status_code == 200


def test_reset_link_is_mailed_works_once_and_expires(app, client, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    resp = client.post("/auth/forgot", data={"email": user.email})
    assert resp.status_code == 303
    mail = _mails(app)[-1]
    link = re.search(r"http://localhost/auth/reset/(\S+)", mail).group(1)
    assert client.get(f"/auth/reset/{link}").status_code == 200
    assert client.post(f"/auth/reset/{link}", data={"new_password": NEW, "confirm": NEW}).status_code == 303
    assert client.post("/auth/login", data={"email": user.email, "password": NEW}).status_code == 303
    # Used once: the same link no longer works.
    assert client.get(f"/auth/reset/{link}").headers["Location"].endswith("/auth/forgot")


def test_reset_link_expires(app, client, make_user, clock):
    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email})
    link = re.search(r"/auth/reset/(\S+)", _mails(app)[-1]).group(1)
    clock.advance(minutes=61)
    assert client.get(f"/auth/reset/{link}").headers["Location"].endswith("/auth/forgot")


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(app, client):
    resp = client.post("/auth/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If that address belongs to an account" in resp.get_data(as_text=True)
    assert _mails(app) == []


def test_reset_refuses_weak_password_with_every_reason(app, client, make_user):
    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email})
    link = re.search(r"/auth/reset/(\S+)", _mails(app)[-1]).group(1)
    resp = client.post(f"/auth/reset/{link}", data={"new_password": "password", "confirm": "password"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "number" in html and "common" in html
