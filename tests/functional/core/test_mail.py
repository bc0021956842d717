"""Mail: outbox in the same transaction, delivery over real SMTP after commit, retries.

A reset asked for an unknown address sends nothing and gets the same answer, and delivery resumes once the server
is back.
"""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.core.db import get_database
from lms.core.mail import FAILED, PENDING, SENT, OutboxMessage, dispatch_pending, queue_mail


@pytest.fixture
def app_overrides(request):
    if "smtp_server" in request.fixturenames:
        sink = request.getfixturevalue("smtp_server")
        return {"MAIL_BACKEND": "smtp", "SMTP_HOST": sink.host, "SMTP_PORT": sink.port, "MAIL_MAX_ATTEMPTS": 3,
                "MAIL_RETRY_BASE_SECONDS": 60}
    return {}


def test_queued_mail_is_delivered_to_the_smtp_server(app, db_session, clock, smtp_server):
    queue_mail(db_session, to="pat@example.org", subject="Welcome", body="Hello Pat", now=clock.now)
    db_session.commit()
    counts = dispatch_pending(db_session, app.config, now=clock.now)
    assert counts["sent"] == 1
    assert len(smtp_server.messages) == 1
    msg = smtp_server.messages[0]
    assert msg["To"] == "pat@example.org" and msg["Subject"] == "Welcome"
    assert "Hello Pat" in msg.get_content()
    assert db_session.execute(sa.select(OutboxMessage.status)).scalar_one() == SENT


def test_password_reset_request_sends_mail_after_commit(app, client, make_user, smtp_server):
    from lms.core.roles import Role

    user = make_user(roles=[Role.END_USER])
    client.post("/auth/forgot", data={"email": user.email}).close()  # the link is sent after the response
    assert [m["To"] for m in smtp_server.messages] == [user.email]
    assert "/auth/reset/" in smtp_server.messages[0].get_content()


def test_rolled_back_change_sends_no_mail(app, db_session, clock, smtp_server):
    queue_mail(db_session, to="pat@example.org", subject="Never", body="x", now=clock.now)
    db_session.rollback()
    dispatch_pending(db_session, app.config, now=clock.now)
    assert smtp_server.messages == []


def test_failed_delivery_is_retried_with_backoff_then_given_up(app, db_session, clock):
    config = {**app.config, "MAIL_BACKEND": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": 9, "SMTP_TIMEOUT": 2,
              "MAIL_MAX_ATTEMPTS": 3, "MAIL_RETRY_BASE_SECONDS": 60}
    queue_mail(db_session, to="pat@example.org", subject="Retry", body="x", now=clock.now)
    db_session.commit()
    assert dispatch_pending(db_session, config, now=clock.now)["retry"] == 1
    msg = db_session.execute(sa.select(OutboxMessage)).scalar_one()
    assert msg.status == PENDING and msg.next_attempt_at == clock.now + timedelta(seconds=60)
    assert dispatch_pending(db_session, config, now=clock.now)["retry"] == 0  # not due yet
    assert dispatch_pending(db_session, config, now=clock.now + timedelta(seconds=60))["retry"] == 1
    assert dispatch_pending(db_session, config, now=clock.now + timedelta(seconds=300))["gave_up"] == 1
    db_session.refresh(msg)
    assert msg.status == FAILED and msg.attempts == 3 and "Error" in msg.last_error


@pytest.mark.committed
def test_two_dispatchers_at_once_send_each_message_once(committed_app, clock, smtp_server):
    import threading

    config = {**committed_app.config, "MAIL_BACKEND": "smtp", "SMTP_HOST": smtp_server.host,
              "SMTP_PORT": smtp_server.port}
    database = get_database(committed_app)
    with database.session() as s:
        for i in range(20):
            queue_mail(s, to=f"p{i}@example.org", subject=f"M{i}", body="x", now=clock.now)
        s.commit()

    def work():
        with database.session() as s:
            dispatch_pending(s, config, now=clock.now)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(m["Subject"] for m in smtp_server.messages) == sorted(f"M{i}" for i in range(20))


def _session(committed_app):
    return get_database(committed_app).session()


def test_password_reset_mail_reaches_smtp_server_after_commit(committed_app, smtp_server, clock):
    from lms.accounts import services

    s = _session(committed_app)
    user, _ = services.create_user(s, committed_app.extensions["lms.passwords"], email="rae@example.org",
                                   full_name="Rae Example", password="Tangerine-Kettle-42", now=clock.now)
    s.commit()
    s.close()
    client = committed_app.test_client()
    resp = client.post("/auth/forgot", data={"email": "rae@example.org"})
    resp.close()  # the link is sent once the response is done
    assert resp.status_code in (302, 303)
    assert len(smtp_server.messages) == 1
    msg = smtp_server.messages[0]
    assert msg["To"] == "rae@example.org"
    assert "/auth/reset/" in msg.get_content()
    s = _session(committed_app)
    assert s.execute(sa.select(OutboxMessage.status)).scalar_one() == SENT
    s.close()


def test_forgot_for_unknown_address_sends_nothing_and_says_the_same(committed_app, smtp_server):
    client = committed_app.test_client()
    resp = client.post("/auth/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If that address belongs to an account" in resp.get_data(as_text=True)
    assert smtp_server.messages == []


def test_queue_mail_rolled_back_sends_nothing(committed_app, smtp_server, clock):
    s = _session(committed_app)
    queue_mail(s, to="x@example.org", subject="Hello", body="Body", now=clock.now)
    s.rollback()
    counts = dispatch_pending(s, committed_app.config, now=clock.now)
    s.close()
    assert counts["sent"] == 0
    assert smtp_server.messages == []


def test_queue_mail_committed_then_dispatched_is_delivered_once(committed_app, smtp_server, clock):
    s = _session(committed_app)
    queue_mail(s, to="x@example.org", subject="Hello", body="Body", now=clock.now)
    s.commit()
    dispatch_pending(s, committed_app.config, now=clock.now)
    dispatch_pending(s, committed_app.config, now=clock.now)
    s.close()
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Hello"


def test_dispatch_failure_retries_with_backoff_then_gives_up(committed_app, smtp_server, clock):
    config = dict(committed_app.config)
    config["SMTP_PORT"] = 1  # nothing listens there: every send fails
    s = _session(committed_app)
    msg = queue_mail(s, to="x@example.org", subject="Hello", body="Body", now=clock.now)
    s.commit()
    assert dispatch_pending(s, config, now=clock.now)["retry"] == 1
    s.refresh(msg)
    assert msg.status == PENDING and msg.attempts == 1 and msg.last_error
    assert msg.next_attempt_at == clock.now + timedelta(seconds=60)
    # Not due yet: nothing happens.
    assert dispatch_pending(s, config, now=clock.now + timedelta(seconds=59))["retry"] == 0
    second = clock.now + timedelta(seconds=60)
    assert dispatch_pending(s, config, now=second)["retry"] == 1
    s.refresh(msg)
    assert msg.next_attempt_at == second + timedelta(seconds=120)  # doubled
    assert dispatch_pending(s, config, now=second + timedelta(seconds=120))["gave_up"] == 1
    s.refresh(msg)
    assert msg.status == FAILED and msg.attempts == 3
    s.close()


def test_dispatch_after_failure_delivers_when_server_is_back(committed_app, smtp_server, clock):
    config = dict(committed_app.config)
    config["SMTP_PORT"] = 1
    s = _session(committed_app)
    queue_mail(s, to="x@example.org", subject="Later", body="Body", now=clock.now)
    s.commit()
    dispatch_pending(s, config, now=clock.now)
    assert smtp_server.messages == []
    dispatch_pending(s, committed_app.config, now=clock.now + timedelta(minutes=5))
    s.close()
    assert [m["Subject"] for m in smtp_server.messages] == ["Later"]


def test_two_dispatchers_at_once_do_not_double_send(committed_app, smtp_server, clock):
    s = _session(committed_app)
    for n in range(12):
        queue_mail(s, to=f"p{n}@example.org", subject=f"Message {n}", body="Body", now=clock.now)
    s.commit()
    s.close()
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        session = _session(committed_app)
        try:
            barrier.wait()
            dispatch_pending(session, committed_app.config, now=clock.now)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == sorted(f"Message {n}" for n in range(12))
