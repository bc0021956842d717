"""Send mail through a transactional outbox.

:func:`queue_mail` adds an :class:`OutboxMessage` in the caller's transaction, so
a mail exists exactly when the change that caused it is committed.  After the
commit, :func:`dispatch_pending` hands due messages to the backend: a folder of
``.eml`` files (the embedded default) or SMTP.  A failed send is retried with
exponential back-off by the ``mail.send_outbox`` job until ``MAIL_MAX_ATTEMPTS``.

Concurrency: a sender claims a message by moving it from ``pending`` to
``sending`` with a conditional UPDATE; only the sender whose UPDATE hit the row
sends it, so two dispatchers (two web workers, or a worker and the job) never
send one message twice.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.db import Base
from lms.core.types import UTCDateTime

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
#: A message stuck in "sending" this long (a worker died mid-send) is pending again.
STALE_SENDING = timedelta(minutes=10)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    to_addr: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255))
    body_text: Mapped[str] = mapped_column(sa.Text)
    #: pending, sending, sent or failed (gave up after MAIL_MAX_ATTEMPTS).
    status: Mapped[str] = mapped_column(sa.String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not sent before this time (back-off after a failure).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


def queue_mail(db_session: Session, *, to: str, subject: str, body: str, now: datetime) -> OutboxMessage:
    """Add a message to the outbox in the current transaction."""
    if "\n" in subject or "\r" in subject:
        raise ValueError("a mail subject is one line")
    msg = OutboxMessage(
        created_at=now, to_addr=to, subject=subject, body_text=body, status=PENDING, next_attempt_at=now
    )
    db_session.add(msg)
    db_session.flush()
    db_session.info.setdefault("lms.outbox_queued", []).append(msg.id)
    return msg


def build_message(msg: OutboxMessage, sender: str) -> EmailMessage:
    """Turn an outbox row into a MIME message."""
    em = EmailMessage()
    em["From"] = sender
    em["To"] = msg.to_addr
    em["Subject"] = msg.subject
    em["Date"] = formatdate(msg.created_at.timestamp(), usegmt=True)
    em["Message-ID"] = make_msgid(idstring=f"outbox{msg.id}")
    em.set_content(msg.body_text)
    return em


class FolderBackend:
    """Write each message as an .eml file (the embedded default: read them in instance/mail)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def send(self, em: EmailMessage, msg_id: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{msg_id:08d}.eml"
        path.write_bytes(bytes(em))


class SmtpBackend:
    """Send through an SMTP server."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    def send(self, em: EmailMessage, msg_id: int) -> None:
        c = self.config
        with smtplib.SMTP(c["SMTP_HOST"], int(c["SMTP_PORT"]), timeout=c["SMTP_TIMEOUT"]) as smtp:
            if c["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if c["SMTP_USERNAME"]:
                smtp.login(c["SMTP_USERNAME"], c["SMTP_PASSWORD"] or "")
            smtp.send_message(em)


def make_backend(config: Mapping[str, Any]) -> FolderBackend | SmtpBackend:
    if config["MAIL_BACKEND"] == "smtp":
        return SmtpBackend(config)
    return FolderBackend(config["MAIL_FOLDER"])


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    """Return how long to wait after the ``attempts``-th failure (1, 2, 4, 8 ... times base)."""
    return timedelta(seconds=base_seconds * 2 ** max(0, attempts - 1))


def dispatch_pending(
    db_session: Session, config: Mapping[str, Any], *, now: datetime, ids: list[int] | None = None
) -> dict[str, int]:
    """Send due messages (only ``ids`` when given), committing after each one.

    Returns counts of sent, failed (will retry) and given-up messages.  This is an
    edge operation (it commits), called after a request's commit and by the job.
    """
    backend = make_backend(config)
    counts = {"sent": 0, "retry": 0, "gave_up": 0}
    # Messages left "sending" by a worker that died are put back.
    db_session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - STALE_SENDING)
        .values(status=PENDING)
    )
    db_session.commit()
    q = sa.select(OutboxMessage.id).where(
        OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now
    )
    if ids is not None:
        if not ids:
            return counts
        q = q.where(OutboxMessage.id.in_(ids))
    due = [msg_id for (msg_id,) in db_session.execute(q.order_by(OutboxMessage.id)).all()]
    # Every transaction below starts with a write: on SQLite a read transaction that later
    # writes fails at once ("database is locked") when another dispatcher wrote in between.
    db_session.commit()
    for msg_id in due:
        claimed = db_session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == msg_id, OutboxMessage.status == PENDING)
            .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        ).rowcount
        if not claimed:
            db_session.commit()
            continue  # another dispatcher took it
        msg = db_session.get(OutboxMessage, msg_id, populate_existing=True)
        em, attempts = build_message(msg, config["MAIL_FROM"]), msg.attempts
        db_session.commit()
        try:
            backend.send(em, msg_id)
        except Exception as exc:  # noqa: BLE001 - any transport error means "try later"
            values: dict[str, Any] = {"last_error": f"{type(exc).__name__}: {exc}"[:2000]}
            if attempts >= config["MAIL_MAX_ATTEMPTS"]:
                values["status"] = FAILED
                counts["gave_up"] += 1
            else:
                values["status"] = PENDING
                values["next_attempt_at"] = now + retry_delay(attempts, config["MAIL_RETRY_BASE_SECONDS"])
                counts["retry"] += 1
        else:
            values = {"status": SENT, "sent_at": now, "last_error": None}
            counts["sent"] += 1
        db_session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == msg_id).values(**values))
        db_session.commit()
    return counts
