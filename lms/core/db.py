"""Own the LMS database: declarative base, engine, and the one-session-per-request rule.

Services receive a ``db_session`` and may flush but never commit; the request,
CLI command or job that called them commits once at its edge.  Views get the
request's session with :func:`get_db_session`; it is committed by the view
itself (``db_session.commit()`` just before the redirect) and always closed at
teardown, where anything uncommitted is rolled back.
"""

from __future__ import annotations

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
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys."""
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

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
            # writes fails at once with "database is locked" when another writer got in between
            # (SQLite cannot wait there without risking deadlock); IMMEDIATE waits busy_timeout instead.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, echo=echo, **kwargs)


@dataclass
class Database:
    """Hold the engine and the session factory of one application."""

    engine: sa.Engine
    session_factory: sessionmaker[Session] = field(init=False)
    #: Callables run after a request's session commits (mail dispatch ...).
    after_commit_hooks: list[Callable[[Session], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """Open a new session (for CLI commands and jobs; they commit and close it)."""
        return self.session_factory()


def get_database(app: Flask | None = None) -> Database:
    """Return the application's :class:`Database`."""
    return (app or current_app).extensions["lms.db"]


def get_db_session() -> Session:
    """Return the current request's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = get_database().session()
    return g.db_session


def init_app(app: Flask) -> None:
    """Create the engine and close each request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"], echo=app.config["DATABASE_ECHO"])
    app.extensions["lms.db"] = Database(engine)

    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        db_session = g.pop("db_session", None)
        if db_session is not None:
            db_session.rollback()
            db_session.close()


__all__ = ["Base", "Database", "UTCDateTime", "get_database", "get_db_session", "make_engine"]
