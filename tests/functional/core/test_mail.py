"""Mail: outbox in the same transaction, delivery over real SMTP after commit, retries."""

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
    client.post("/auth/forgot", data={"email": user.email})
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
