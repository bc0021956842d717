"""Own the LMS database: declarative base, engine, and the one-session-per-request rule.

Services receive a ``db_session`` and may flush but never commit; the request,
CLI command or job that called them commits once at its edge.  Views get the
request's session with :func:`get_db_session`; it is committed by the view
itself (``db_session.commit()`` just before the redirect) and always closed at
teardown, where anything uncommitted is rolled back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from lms.core.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every LMS model (the sandbox has its own)."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {}


def make_engine(url: str, *, echo: bool = False, **kwargs: Any) -> sa.Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and write-on-demand locking."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {})
        kwargs["connect_args"].setdefault("timeout", 30)
        kwargs["connect_args"].setdefault("check_same_thread", False)
        engine = sa.create_engine(url, echo=echo, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            # Leave transaction control to SQLAlchemy so SAVEPOINTs work (pysqlite quirk).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        install_sqlite_write_lock(engine)
        return engine
    engine = sa.create_engine(url, echo=echo, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        install_idle_ping(engine)
    return engine


# --- PostgreSQL: test a pooled connection only when it has been idle -------------------------------
#
# A connection checked out of the pool may have died while it sat there (the server restarted, a
# firewall dropped it).  SQLAlchemy's ``pool_pre_ping`` asks the server on EVERY checkout, a round
# trip that costs more than the session read it precedes.  A connection returned less than
# ``IDLE_PING_SECONDS`` ago was working then, so it is handed out as it is; an older one is tested
# first and, if dead, replaced (SQLAlchemy's documented custom "pessimistic" check: raising
# DisconnectionError makes the pool discard it and connect again).  Should one die inside that window
# anyway, the statement fails once and SQLAlchemy invalidates the whole pool, so the next request
# gets fresh connections.

IDLE_PING_SECONDS = 10.0
_RETURNED_AT = "lms.returned_at"


def _ping(dbapi_conn: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("SELECT 1")
    finally:
        cursor.close()
    if not getattr(dbapi_conn, "autocommit", True):
        dbapi_conn.rollback()


def install_idle_ping(engine: sa.Engine, *, idle_seconds: float | None = None) -> None:
    """Test a pooled connection at checkout only when it has been idle (see above)."""

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, _proxy):  # noqa: ANN001
        returned = record.info.get(_RETURNED_AT)
        limit = IDLE_PING_SECONDS if idle_seconds is None else idle_seconds
        if returned is not None and time.monotonic() - returned < limit:
            return
        try:
            _ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - any failure means: do not use this connection
            raise sa.exc.DisconnectionError(f"pooled connection unusable: {exc}") from exc

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn, record):  # noqa: ANN001  (a new connection is as good as a returned one)
        if record is not None:
            record.info[_RETURNED_AT] = time.monotonic()


# --- SQLite: take the write lock only to write ----------------------------------------------------
#
# A transaction begins DEFERRED (plain BEGIN): reading takes no lock, and in WAL mode a reader never
# waits for a writer nor makes one wait.  The first statement that writes (INSERT, UPDATE, DELETE,
# DDL) or locks (``SELECT ... FOR UPDATE``, compiled away on SQLite) first ends the read snapshot and
# takes the write lock: ``COMMIT; BEGIN IMMEDIATE``, which waits up to busy_timeout for another
# writer.  Upgrading the read transaction in place is what SQLite refuses: a deferred transaction
# that reads and then writes fails at once with "database is locked" when another connection
# writes at the same time (it cannot wait without risking deadlock).
#
# So the write lock is held from a request's first write to its commit, never while it only reads:
# not across password hashing, template rendering or a long report.  The price is the isolation
# PostgreSQL gives by default (READ COMMITTED): rows read before the first write may have been
# changed by another request before the write.  Code that must not lose a concurrent update writes
# it as one conditional statement (``UPDATE ... SET n = n + 1 WHERE status = 'pending'``, checking
# the row count), or reads with ``with_for_update()``, which here takes the write lock before the
# read (and on PostgreSQL locks the rows).
#
# A SAVEPOINT cannot survive ``COMMIT``, so a connection takes the write lock before its first
# SAVEPOINT (a savepoint means "part of this may be rolled back": the work writes).

_WRITE_LOCKED = "lms.sqlite_write_locked"
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _writes(statement: str, context: Any) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    compiled = getattr(context, "compiled", None)
    if getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None:
        return True
    head = statement.lstrip().upper()
    if head.startswith(_WRITE_VERBS):
        return True
    return head.startswith("WITH") and any(f" {verb} " in f" {head} " for verb in _WRITE_VERBS[:4])


def _take_write_lock(conn: sa.Connection) -> None:
    """End the connection's read snapshot and take the write lock (waits busy_timeout)."""
    dbapi_conn = conn.connection.driver_connection
    dbapi_conn.execute("COMMIT")
    dbapi_conn.execute("BEGIN IMMEDIATE")
    conn.info[_WRITE_LOCKED] = True


def install_sqlite_write_lock(engine: sa.Engine) -> None:
    """Begin SQLite transactions deferred, and take the write lock at the first write (see above)."""

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        # Straight to the driver: every request begins a transaction, and SQLAlchemy's statement machinery
        # (events, compilation cache, result) costs more than SQLite's BEGIN itself.
        conn.connection.driver_connection.execute("BEGIN")
        conn.info[_WRITE_LOCKED] = False

    @event.listens_for(engine, "savepoint")
    def _savepoint(conn, _name):  # noqa: ANN001
        if conn.info.get(_WRITE_LOCKED) is False:
            _take_write_lock(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(conn, _cursor, statement, _parameters, context, _executemany):  # noqa: ANN001
        if conn.info.get(_WRITE_LOCKED) is False and _writes(statement, context):
            _take_write_lock(conn)

    @event.listens_for(engine, "commit")
    def _commit(conn):  # noqa: ANN001
        conn.info.pop(_WRITE_LOCKED, None)

    @event.listens_for(engine, "rollback")
    def _rollback(conn):  # noqa: ANN001
        conn.info.pop(_WRITE_LOCKED, None)


def write_lock_taken(conn: sa.Connection) -> bool:
    """Return True when this SQLite connection holds the write lock (for tests and the benchmark)."""
    return bool(conn.info.get(_WRITE_LOCKED))


# --- Counters raised by a commit ------------------------------------------------------------------
#
# A counter that says "this data changed" (the recertification data version, the page versions) is raised
# in the same transaction as the change, as its last statement (``before_commit``, after the commit's own
# flush): a reader sees the new rows and the new counter together, and on PostgreSQL the counter's row is
# locked for the commit only (a lock taken last waits for no other lock, so it cannot deadlock).

def raise_at_commit(key: str, raise_: Callable[[Session, Any], None]) -> None:
    """For every session: when its transaction has put a mark in ``session.info[key]``, call
    ``raise_(session, mark)`` as the commit's last statements; a rollback of the whole transaction forgets
    the mark (a savepoint's release or rollback keeps it for the real commit)."""

    @event.listens_for(Session, "before_commit")
    def _raise(session: Session) -> None:
        if session.in_nested_transaction():
            return
        if session.new or session.dirty or session.deleted:
            session.flush()  # the commit's own flush, early, so that its changes are marked too
        mark = session.info.pop(key, None)
        if mark:
            raise_(session, mark)

    @event.listens_for(Session, "after_soft_rollback")
    def _forget(session: Session, _previous: Any) -> None:
        if not session.in_transaction():
            session.info.pop(key, None)


@dataclass
class Database:
    """Hold the engine and the session factory of one database (the LMS's, the sandbox's)."""

    engine: sa.Engine
    #: Its key in ``app.extensions`` (and in the request's open sessions).
    name: str = "lms.db"
    session_factory: sessionmaker[Session] = field(init=False)
    #: Callables run after a request's session commits (mail dispatch ...).
    after_commit_hooks: list[Callable[[Session], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """Open a new session (for CLI commands and jobs; they commit and close it)."""
        return self.session_factory()

    def request_session(self) -> Session:
        """Return the current request's session of this database, opening it on first use; it is closed
        (rolling back whatever was not committed) when the request ends."""
        sessions: dict[str, Session] = g.setdefault("lms_db_sessions", {})
        db_session = sessions.get(self.name)
        if db_session is None:
            db_session = sessions[self.name] = self.session()
        return db_session


def register_database(app: Flask, name: str, url: str) -> Database:
    """Create the database ``name`` of ``app`` (``app.extensions[name]``), whose request sessions are closed
    at the end of each request with every other database's (one hook, one rule)."""
    database = Database(make_engine(url, echo=app.config["DATABASE_ECHO"]), name=name)
    app.extensions[name] = database
    if _close_request_sessions not in app.teardown_appcontext_funcs:
        app.teardown_appcontext(_close_request_sessions)
    return database


def _close_request_sessions(exc: BaseException | None) -> None:
    for db_session in g.pop("lms_db_sessions", {}).values():
        db_session.close()  # rolls back whatever was not committed


def get_database(app: Flask | None = None) -> Database:
    """Return the application's LMS :class:`Database`."""
    return (app or current_app).extensions["lms.db"]


def get_db_session() -> Session:
    """Return the current request's LMS session, opening it on first use."""
    return get_database().request_session()


def init_app(app: Flask) -> None:
    """Create the LMS database; each request's sessions are closed at teardown."""
    register_database(app, "lms.db", app.config["DATABASE_URL"])


__all__ = ["Base", "Database", "UTCDateTime", "get_database", "get_db_session", "make_engine", "register_database",
           "write_lock_taken"]
