"""Sign-in through the forms: password, second factor, sessions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.roles import Role
from tests.conftest import DEFAULT_PASSWORD


def test_login_end_user_without_totp_reaches_home(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    resp = client.get("/")
    assert resp.status_code == 200
    assert user.full_name in resp.get_data(as_text=True)


def test_login_staff_must_pass_totp_before_any_page(client, make_user):
    user = make_user(roles=[Role.HELPDESK])
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.headers["Location"].endswith("/auth/mfa")
    resp = client.get("/admin/audit")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/mfa")


HOSTILE_NEXT = ["/%09/evil.example", "/%0A/x", "//evil.example", "/%5Cevil", "%5C%5Cevil", "https:evil",
                "%09//x", "/%E2%80%8B/evil", "https://evil.example/", "/%2F/evil"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_with_hostile_next_lands_on_home(client, make_user, login, target):
    user = make_user(roles=[Role.END_USER])
    assert client.get(f"/auth/login?next={target}").status_code == 200
    resp = login(client, user)
    assert resp.status_code == 303 and resp.headers["Location"] == "/"


def test_login_with_local_next_goes_there(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    client.get("/auth/login?next=/auth/password%3Fx%3D1")
    assert login(client, user).headers["Location"] == "/auth/password?x=1"


@pytest.mark.parametrize("email, message", [
    ("pat\x00@example.org", "invisible control character"),  # refused for every page by lms.core.security
    ("\x00", "invisible control character"),
    ("pat@exa\x01mple.org", "invisible control character"),
    ("pat\u200b@example.org", "invisible or control characters"),  # refused by the sign-in form itself
])
def test_login_with_control_characters_in_email_is_refused_with_a_message(client, email, message):
    resp = client.post("/auth/login", data={"email": email, "password": "whatever"})
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)


def test_forgot_with_nul_in_email_is_refused_with_a_message(client):
    resp = client.post("/auth/forgot", data={"email": "pat\x00@example.org"})
    assert resp.status_code == 400
    assert "invisible control character" in resp.get_data(as_text=True)
    resp = client.post("/auth/forgot", data={"email": "pat\u200b@example.org"})
    assert resp.status_code == 400
    assert "invisible or control characters" in resp.get_data(as_text=True)


@pytest.mark.parametrize("email", ["pat\x00@example.org", "pat\u200b@example.org"])
def test_authenticate_with_control_characters_fails_without_touching_the_database(app, db_session, clock, email):
    import sqlalchemy as sa

    from lms.auth import services
    from lms.auth.models import LoginThrottle

    with pytest.raises(services.LoginFailed):
        services.authenticate(db_session, app.extensions["lms.passwords"], email=email, password="x",
                              now=clock.now, ip=None, user_agent=None)
    assert db_session.execute(sa.select(sa.func.count()).select_from(LoginThrottle)).scalar_one() == 0


def test_a_sign_in_reads_the_person_with_their_roles_in_one_statement(app, client, make_user):
    """Sign-in is Argon2 plus what it must write: the person and their grants (is this staff?) come together."""
    from bench.harness import count_queries
    from lms.core.db import get_database

    user = make_user(roles=[Role.END_USER])
    with count_queries(get_database(app).engine) as counter:
        resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.status_code in (302, 303) and resp.headers["Location"].endswith("/")
    reads = [s for s in counter.statements if s.lstrip().upper().startswith("SELECT")]
    assert not any(s.lstrip().startswith("SELECT role_grants") for s in reads), reads
    assert sum("FROM users" in s for s in reads) == 1, reads


def test_a_sign_in_reads_all_it_asks_before_the_password_in_one_statement(app, client, make_user):
    """Before the password is checked a sign-in asks: who is this (with their roles), how many failures has the
    address had, and (two packages: sanctions, recertification) is the person suspended?  One statement: the
    failure count and the flags (``signals.sign_in_flags``) ride on the read of the person."""
    from bench.harness import count_queries
    from lms.core.db import get_database

    user = make_user(roles=[Role.END_USER])
    with count_queries(get_database(app).engine) as counter:
        resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.status_code == 303
    reads = [" ".join(s.split()) for s in counter.statements
             if s.lstrip().upper().startswith("SELECT") and "FROM settings" not in s]  # (kept by each process)
    assert len(reads) == 1, "\n".join(reads)
    assert all(f"FROM {table}" in reads[0] for table in ("users", "login_throttles", "suspensions",
                                                          "recert_suspensions")), reads[0]


def test_a_sign_in_writes_its_rows_straight_and_leaves_the_unit_of_work_nothing(app, client, make_user):
    """Argon2 is the floor of a sign-in; what it writes (end the other sessions, open one, mark the person,
    audit) goes as single statements on the driver: the ORM's unit of work would cost several times them."""
    from bench.harness import count_queries
    from lms.core.db import get_database

    user = make_user(roles=[Role.END_USER])
    flushed: list[int] = []

    def before_flush(session, _context, _instances):  # noqa: ANN001
        flushed.append(len(session.new) + len(session.dirty) + len(session.deleted))

    sa.event.listen(Session, "before_flush", before_flush)
    try:
        with count_queries(get_database(app).engine) as counter:
            resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    finally:
        sa.event.remove(Session, "before_flush", before_flush)
    assert resp.status_code == 303
    writes = [" ".join(s.split()[:3]) for s in counter.statements if not s.lstrip().upper().startswith("SELECT")]
    assert writes == ["UPDATE user_sessions SET", "INSERT INTO user_sessions", "UPDATE users SET",
                      "INSERT INTO audit_events"], writes
    assert not any(flushed), flushed
