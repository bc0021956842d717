"""The hottest statements: compiled once, run straight on the driver (see the comment below).

Kept apart from :mod:`lms.core.db` (engines, sessions, SQLite's write lock), which it builds on.
"""

from __future__ import annotations

import collections
import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached

if TYPE_CHECKING:
    from lms.core.db import Database

# --- The hottest statements: compiled once, run straight on the driver --------------------------
#
# Every signed-in request reads its session first, and every ten seconds each person watching a video
# reports what they watched.  Through an ORM session these cost a session, a transaction, SQLAlchemy's
# statement machinery and a close: several times the statements themselves.  So these few statements
# are compiled once per engine and run on a driver connection, their values converted by the columns'
# own bind and result processors (a row reads exactly as the ORM would read it: aware UTC datetimes,
# booleans, JSON).  Listeners of the engine's ``before_cursor_execute`` event are told of each statement
# (with, for ``conn``, a stand-in holding only ``engine`` and an empty ``info``, and no execution
# context), so statement counters (query budgets, the benchmark) count them like any other.
#
# Sessions bound to one connection (the tests' rolled-back transaction) run them inside it.

@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None
    fixed: dict[str, Any]
    bind_processors: dict[str, Any]
    result_processors: list[Any]
    row_type: type | None


class _Prepared:
    """A Core statement compiled once per engine, run on a driver cursor."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._compiled: dict[sa.Engine, _Compiled] = {}

    def _compile(self, engine: sa.Engine) -> _Compiled:
        dialect = engine.dialect
        compiled = self.statement.compile(dialect=dialect)
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect) for name, bind in compiled.binds.items()}
        # A SELECT's columns, or what an INSERT, UPDATE or DELETE returns (RETURNING).
        statement = self.statement
        columns = list(getattr(statement, "selected_columns", None) or getattr(statement, "exported_columns", None) or [])
        entry = _Compiled(
            sql=compiled.string,
            positional=tuple(compiled.positiontup) if compiled.positional else None,
            # The values the statement itself holds (``role != 'end_user'``); the caller's fill the rest.
            fixed={name: value for name, value in compiled.construct_params(_check=False).items()
                   if name not in _required_binds(compiled)},
            bind_processors={name: proc for name, proc in binds.items() if proc is not None},
            result_processors=[c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns],
            row_type=collections.namedtuple("Row", [str(c.key) for c in columns], rename=True) if columns else None,
        )
        self._compiled[engine] = entry
        return entry

    def _execute(self, engine: sa.Engine, cursor: Any, params: dict[str, Any],
                 conn: sa.Connection | None = None) -> _Compiled:
        c = self._compiled.get(engine) or self._compile(engine)
        values = {**c.fixed, **params}
        for name, process in c.bind_processors.items():
            if name in values:
                values[name] = process(values[name])
        args: Any = [values[name] for name in c.positional] if c.positional is not None else values
        if engine.dispatch.before_cursor_execute:
            engine.dispatch.before_cursor_execute(conn or _DriverRead(engine), cursor, c.sql, args, None, False)
        cursor.execute(c.sql, args)
        return c

    def _one_or_none(self, engine: sa.Engine, driver: Any, params: dict[str, Any],
                     conn: sa.Connection | None = None) -> Any:
        cursor = driver.cursor()
        try:
            c = self._execute(engine, cursor, params, conn)
            row = cursor.fetchone()
            if row is not None and cursor.fetchone() is not None:
                raise sa.exc.MultipleResultsFound(f"{type(self).__name__} found more than one row")
        finally:
            cursor.close()
        if row is None:
            return None
        return c.row_type(*(p(v) if p is not None else v for p, v in zip(c.result_processors, row)))

    def _run(self, engine: sa.Engine, driver: Any, params: dict[str, Any], conn: sa.Connection | None = None) -> int:
        cursor = driver.cursor()
        try:
            self._execute(engine, cursor, params, conn)
            return cursor.rowcount
        finally:
            cursor.close()


class PreparedRead(_Prepared):
    """One SELECT run outside any transaction (the session read of every request), or inside a
    :func:`driver_transaction`.

    Alone it runs on a connection checked out of the engine's pool and returned at once, in the
    driver's autocommit mode: one statement sees one consistent snapshot by itself, and PostgreSQL
    spends no BEGIN/ROLLBACK round trips on it.
    """

    def one_or_none(self, database: Database, **params: Any) -> Any:
        """Return the one row (a named tuple of processed values) or None."""
        bind = database.session_factory.kw.get("bind")
        if isinstance(bind, sa.Connection):
            return self._one_or_none(bind.engine, bind.connection.driver_connection, params)
        engine = database.engine
        raw = engine.raw_connection()
        driver = raw.driver_connection
        # psycopg would open a transaction (BEGIN, and ROLLBACK at return: two more round trips); SQLite's
        # connections are in autocommit mode already (see make_engine).
        toggle = engine.dialect.name == "postgresql" and not driver.autocommit
        try:
            if toggle:
                driver.autocommit = True
            return self._one_or_none(engine, driver, params)
        finally:
            if toggle:
                driver.autocommit = False
            raw.close()  # back to the pool (whose rollback has nothing to undo)


class PreparedWrite(_Prepared):
    """One INSERT, UPDATE or DELETE, run inside a :func:`driver_transaction`."""


@dataclass
class DriverTransaction:
    """A short write transaction on a driver connection (see :func:`driver_transaction`)."""

    engine: sa.Engine
    driver: Any
    #: The SQLAlchemy connection the driver's belongs to, when the work runs in a session's transaction
    #: (:func:`in_session`): the engine's listeners see it, so a write takes SQLite's write lock there.
    conn: sa.Connection | None = None

    def one_or_none(self, statement: _Prepared, **params: Any) -> Any:
        """Return the one row a read (or a write with RETURNING) gives, as a named tuple, or None."""
        return statement._one_or_none(self.engine, self.driver, params, self.conn)

    def execute(self, write: PreparedWrite, **params: Any) -> int:
        """Run the statement; return the number of rows it changed."""
        return write._run(self.engine, self.driver, params, self.conn)

    @property
    def integrity_error(self) -> type[Exception]:
        """The driver's error for a broken constraint (a unique key taken at the same moment ...)."""
        return self.engine.dialect.dbapi.IntegrityError


def in_session(db_session: Session, *, flush: bool = True) -> DriverTransaction:
    """Run prepared statements in ``db_session``'s own transaction (begun if need be), on its connection: for
    the few statements of a hot path that also does ORM work (a sign-in), at a fraction of the ORM's cost.

    Pending changes are flushed first, as before an ORM query (unless autoflush is off, or ``flush`` is
    False: for a statement no pending change can alter, such as an INSERT into a table nothing else writes).
    A write there is like any write of the session: on SQLite it takes the write lock first (the engine's
    listeners see the session's connection), and it is committed or rolled back with the session.  But the
    ORM knows nothing of it: objects the session holds are not updated (the caller sets what it changed,
    where that matters)."""
    if flush and db_session.autoflush:
        db_session.flush()  # nothing to do (and no cost) when nothing is pending
    conn = db_session.connection()
    return DriverTransaction(conn.engine, conn.connection.driver_connection, conn)


def adopt(db_session: Session, obj: Any) -> Any:
    """Hand ``db_session`` a new object built from a row just read or written on the driver, every column
    set, as if the session had loaded the row: a later change to it is an ordinary UPDATE.  The object the
    session holds for that row already, if any, is returned instead (what the session has seen wins)."""
    held = db_session.identity_map.get(db_session.identity_key(instance=obj))
    if held is not None:
        return held
    make_transient_to_detached(obj)
    db_session.add(obj)
    return obj


@contextlib.contextmanager
def driver_transaction(database: Database, db_session: Session | None = None) -> Iterator[DriverTransaction]:
    """One short write transaction straight on the driver, committed when the block ends (rolled back if
    it raises), for the few writes that run many times a second (the video heartbeat).

    It holds the write from the start: on SQLite it begins IMMEDIATE (the write lock, waiting up to
    busy_timeout for another writer, so what it reads no one changes before it writes); on PostgreSQL
    its reads lock their rows with ``with_for_update()``.  Keep the block to its statements: no
    rendering, no hashing, no other request's work inside.  Like any commit it belongs at the edge: the
    view (or job) opens it and hands the ``DriverTransaction`` to the service, and it should be the whole
    of what its request writes.

    Where sessions are bound to one connection (the tests' rolled-back transaction), the work runs in
    ``db_session``'s transaction (by default the request's) and is committed with it, as it would be alone.
    """
    bind = database.session_factory.kw.get("bind")
    if isinstance(bind, sa.Connection):
        db_session = db_session if db_session is not None else database.request_session()
        conn = db_session.connection()
        yield DriverTransaction(conn.engine, conn.connection.driver_connection)
        db_session.commit()
        return
    engine = database.engine
    raw = engine.raw_connection()
    driver = raw.driver_connection
    try:
        if engine.dialect.name == "sqlite":
            driver.execute("BEGIN IMMEDIATE")  # the connection is in autocommit mode (see make_engine)
        yield DriverTransaction(engine, driver)
        driver.commit()
    except BaseException:
        driver.rollback()
        raise
    finally:
        raw.close()


@dataclass
class _DriverRead:
    """What ``before_cursor_execute`` listeners get as the connection of a :class:`PreparedRead`."""

    engine: sa.Engine
    info: dict = field(default_factory=dict)


def _required_binds(compiled: Any) -> set[str]:
    return {name for name, bind in compiled.binds.items() if bind.required}
