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
    resp.close()  # the link is sent once the response is done
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
    client.post("/auth/forgot", data={"email": user.email}).close()  # the link is sent after the response
    link = re.search(r"/auth/reset/(\S+)", _mails(app)[-1]).group(1)
    clock.advance(minutes=61)
    assert client.get(f"/auth/reset/{link}").headers["Location"].endswith("/auth/forgot")


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(app, client):
    resp = client.post("/auth/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If that address belongs to an account" in resp.get_data(as_text=True)
    assert _mails(app) == []


def test_reset_refuses_weak_password_with_every_reason(app, client, make_user):
    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email}).close()  # the link is sent after the response
    link = re.search(r"/auth/reset/(\S+)", _mails(app)[-1]).group(1)
    resp = client.post(f"/auth/reset/{link}", data={"new_password": "password", "confirm": "password"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "number" in html and "common" in html


def _forgot_statements(app, client, email):
    """POST the forgot form; return the SQL it ran inside the request (savepoint names blanked) and the response."""
    import sqlalchemy as sa

    from lms.core.db import get_database

    engine = get_database(app).engine
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        seen.append(re.sub(r"sa_savepoint_\d+", "sp", statement))

    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        resp = client.post("/auth/forgot", data={"email": email})
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return seen, resp


def test_forgot_does_the_same_work_for_known_and_unknown_addresses(app, make_user):
    user = make_user(roles=[Role.END_USER])
    known_sql, known = _forgot_statements(app, app.test_client(), user.email)
    assert _mails(app) == []  # nothing looked up, rendered or written inside the request
    unknown_sql, unknown = _forgot_statements(app, app.test_client(), "nobody@example.org")
    assert known_sql == unknown_sql and any("INSERT INTO outbox_messages" in s for s in known_sql)
    assert not any("FROM users" in s or "password_reset_tokens" in s for s in known_sql)
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    # After the responses: a link for the known address, nothing for the unknown one.
    known.close()
    unknown.close()
    mails = _mails(app)
    assert len(mails) == 1 and user.email in mails[0] and "/auth/reset/" in mails[0]


def test_reset_request_left_waiting_is_sent_by_the_job(app, client, make_user, db_session, clock):
    from lms.auth import jobs

    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email})  # the response is never closed: the worker stopped
    client.post("/auth/forgot", data={"email": "nobody@example.org"})
    assert _mails(app) == []
    assert jobs.send_reset_links(db_session, app.config, clock.now) == "1 reset link(s) queued, 1 sent"
    assert len(_mails(app)) == 1 and user.email in _mails(app)[0]
    assert jobs.send_reset_links(db_session, app.config, clock.now) == "0 reset link(s) queued, 0 sent"


def test_change_password_errors_are_shown_beside_their_fields(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    html = client.post("/auth/password", data={"current_password": "Wrong-One-11", "new_password": NEW,
                                                "confirm": NEW}).get_data(as_text=True)
    assert re.search(r'id="current_password-error"[^>]*>Your current password is not right', html)
    html = client.post("/auth/password", data={"current_password": DEFAULT_PASSWORD, "new_password": "Sum-mer2024",
                                                "confirm": "Sum-mer2024"}).get_data(as_text=True)
    assert re.search(r'id="new_password-error"[^>]*>Do not make it a dictionary word', html)


def test_reset_request_older_than_a_link_lifetime_is_dropped_unsent(app, client, make_user, db_session, clock):
    from lms.auth import jobs

    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email})  # never closed: left waiting
    clock.advance(minutes=61)
    assert jobs.send_reset_links(db_session, app.config, clock.now) == "0 reset link(s) queued, 0 sent"
    assert _mails(app) == []
