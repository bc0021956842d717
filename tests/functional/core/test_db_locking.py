"""Reads never wait for another request's work; writers queue for the write lock instead of failing.

On SQLite a transaction begins deferred and takes the write lock only at its first
write (lms.core.db.install_sqlite_write_lock); on PostgreSQL MVCC gives the same.
Both databases of the app (LMS and sandbox) are checked, with real commits and threads.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from lms.core.db import Database, make_engine, write_lock_taken

pytestmark = pytest.mark.committed

#: Long enough never to be reached when nothing blocks; a writer stuck behind a reader would wait
#: the 30-second busy timeout, so it would still be waiting at this deadline.
DEADLINE = 15


@pytest.fixture(params=["lms.db", "sandbox.db"])
def database(request, committed_app):
    database = committed_app.extensions[request.param]  # lms.core.db.Database of either database
    with database.session() as s:
        s.execute(sa.text("CREATE TABLE lock_probe (who VARCHAR(20))"))
        s.commit()
    return database


def _count(session) -> int:
    return session.execute(sa.text("SELECT count(*) FROM lock_probe")).scalar_one()


def test_write_while_slow_reader_holds_transaction_completes_without_waiting(database):
    reading, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def slow_reader():
        with database.session() as s:
            seen.append(_count(s))
            reading.set()
            release.wait(DEADLINE * 2)  # a slow page: rendering, hashing ... with its transaction open
            seen.append(_count(s))

    reader = threading.Thread(target=slow_reader)
    reader.start()
    try:
        assert reading.wait(DEADLINE)
        written = threading.Event()
        errors: list[Exception] = []

        def writer():
            try:
                with database.session() as s:
                    s.execute(sa.text("INSERT INTO lock_probe (who) VALUES ('writer')"))
                    s.commit()
                written.set()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        w = threading.Thread(target=writer)
        w.start()
        assert written.wait(DEADLINE), f"the writer waited for the reader ({errors})"
        w.join()
        assert errors == []
    finally:
        release.set()
        reader.join()
    assert seen[0] == 0


def test_two_writers_that_read_first_both_succeed(database):
    barrier = threading.Barrier(2, timeout=DEADLINE)
    errors: list[Exception] = []

    def read_then_write(who: str):
        try:
            with database.session() as s:
                _count(s)  # both hold a read snapshot before either writes
                barrier.wait()
                s.execute(sa.text("INSERT INTO lock_probe (who) VALUES (:who)"), {"who": who})
                s.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write, args=(who,)) for who in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.session() as s:
        assert sorted(s.execute(sa.text("SELECT who FROM lock_probe")).scalars()) == ["a", "b"]


@pytest.fixture
def sqlite_database(tmp_path):
    """A SQLite database of its own (the write-lock bookkeeping is SQLite's, whatever the backend under test)."""
    database = Database(make_engine(f"sqlite:///{tmp_path / 'locking.sqlite3'}"))
    with database.session() as s:
        s.execute(sa.text("CREATE TABLE lock_probe (who VARCHAR(20))"))
        s.commit()
    yield database
    database.engine.dispose()


def test_read_only_transaction_takes_no_write_lock_until_it_writes(sqlite_database):
    with sqlite_database.session() as s:
        _count(s)
        assert write_lock_taken(s.connection()) is False
        s.execute(sa.text("INSERT INTO lock_probe (who) VALUES ('me')"))
        assert write_lock_taken(s.connection()) is True


def test_select_for_update_takes_write_lock_before_reading(sqlite_database):
    probe = sa.table("lock_probe", sa.column("who"))
    with sqlite_database.session() as s:
        s.execute(sa.select(probe).with_for_update())
        assert write_lock_taken(s.connection()) is True


def test_savepoint_takes_write_lock_first(sqlite_database):
    with sqlite_database.session() as s:
        _count(s)
        with s.begin_nested():
            assert write_lock_taken(s.connection()) is True
            s.execute(sa.text("INSERT INTO lock_probe (who) VALUES ('nested')"))
        s.commit()
        assert _count(s) == 1


# --- PreparedRead: the request path's read outside the ORM ---------------------------------------

def _probe_table():
    from datetime import datetime

    from lms.core.types import UTCDateTime

    metadata = sa.MetaData()
    return sa.Table("prepared_probe", metadata, sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(20)), sa.Column("seen_at", UTCDateTime),
                    sa.Column("ok", sa.Boolean)), datetime


@pytest.fixture(params=["lms.db", "sandbox.db"])
def probe_database(request, committed_app):
    from datetime import timezone

    database = committed_app.extensions[request.param]
    table, datetime = _probe_table()
    table.metadata.create_all(database.engine)
    when = datetime(2026, 10, 1, 8, 30, 15, 123456, tzinfo=timezone.utc)
    with database.session() as s:
        s.execute(table.insert(), [{"id": 1, "name": "one", "seen_at": when, "ok": True},
                                   {"id": 2, "name": "two", "seen_at": when, "ok": False}])
        s.commit()
    return database, table, when


def test_prepared_read_returns_what_the_orm_would_read_and_is_counted(probe_database):
    from bench.harness import count_queries
    from lms.core.driver import PreparedRead

    database, table, when = probe_database
    read = PreparedRead(sa.select(table.c.name, table.c.seen_at, table.c.ok, (table.c.name != "two").label("not_two"))
                        .where(table.c.id == sa.bindparam("id")))
    with count_queries(database.engine) as counter:
        one, two, none = (read.one_or_none(database, id=1), read.one_or_none(database, id=2),
                          read.one_or_none(database, id=3))
    assert (one.name, one.seen_at, one.ok, bool(one.not_two)) == ("one", when, True, True)
    assert one.seen_at.tzinfo is not None and two.ok is False and none is None
    assert counter.count == 3 and all("prepared_probe" in s for s in counter.statements)


def test_prepared_read_leaves_no_transaction_open_on_the_pooled_connection(probe_database):
    """The read runs outside any transaction (one statement is its own snapshot), and the connection goes
    back to the pool as it came: a write through the same pool then commits normally."""
    from lms.core.driver import PreparedRead

    database, table, _ = probe_database
    read = PreparedRead(sa.select(table.c.name).where(table.c.id == sa.bindparam("id")))
    for _ in range(3):
        assert read.one_or_none(database, id=1).name == "one"
    raw = database.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if database.engine.dialect.name == "postgresql":
            assert driver.autocommit is False and driver.info.transaction_status.name == "IDLE"
        else:
            assert driver.in_transaction is False
    finally:
        raw.close()
    with database.session() as s:
        s.execute(table.update().where(table.c.id == 1).values(name="uno"))
        s.commit()
    assert read.one_or_none(database, id=1).name == "uno"


def test_prepared_read_refuses_more_than_one_row_and_converts_bound_values(probe_database):
    from lms.core.driver import PreparedRead

    database, table, when = probe_database
    with pytest.raises(sa.exc.MultipleResultsFound):
        PreparedRead(sa.select(table.c.name)).one_or_none(database)
    by_time = PreparedRead(sa.select(table.c.name).where(table.c.seen_at == sa.bindparam("when"), table.c.ok.is_(True)))
    assert by_time.one_or_none(database, when=when).name == "one"  # an aware datetime, stored as naive UTC


def test_a_driver_transaction_commits_its_writes_or_none_of_them(probe_database):
    from lms.core.driver import PreparedRead, PreparedWrite, driver_transaction

    database, table, when = probe_database
    read = PreparedRead(sa.select(table.c.name).where(table.c.id == sa.bindparam("id")).with_for_update())
    rename = PreparedWrite(table.update().where(table.c.id == sa.bindparam("id")).values(name=sa.bindparam("name")))
    add = PreparedWrite(table.insert().values(id=sa.bindparam("id"), name=sa.bindparam("name"),
                                              seen_at=sa.bindparam("seen_at"), ok=sa.bindparam("ok")))
    s = database.session()  # the request's session (the driver's transaction joins it only in the tests' app)
    with driver_transaction(database, s) as tx:
        assert tx.one_or_none(read, id=1).name == "one"
        assert tx.execute(rename, id=1, name="uno") == 1
        tx.execute(add, id=3, name="three", seen_at=when, ok=True)
    with pytest.raises(Exception) as caught:
        with driver_transaction(database, s) as tx:
            tx.execute(rename, id=2, name="dos")
            tx.execute(add, id=3, name="again", seen_at=when, ok=False)  # the key is taken: all of it undone
    assert isinstance(caught.value, tx.integrity_error)
    s.close()
    with database.session() as s:
        assert dict(s.execute(sa.select(table.c.id, table.c.name).order_by(table.c.id)).all()) == {
            1: "uno", 2: "two", 3: "three"}
        assert s.execute(sa.select(table.c.seen_at).where(table.c.id == 3)).scalar_one() == when


def test_a_driver_transaction_on_sqlite_holds_the_write_lock_from_its_start(sqlite_database):
    """A reader elsewhere is not blocked (WAL), but a second writer waits until the first commits."""
    import threading
    import time

    from lms.core.driver import PreparedRead, driver_transaction

    probe = sa.table("lock_probe", sa.column("who"))
    read = PreparedRead(sa.select(sa.func.count().label("n")).select_from(probe))
    order: list[str] = []
    inside = threading.Event()

    def second_writer():
        inside.wait(5)
        with sqlite_database.session() as s:
            s.execute(sa.text("INSERT INTO lock_probe (who) VALUES ('second')"))
            order.append("second wrote")
            s.commit()

    thread = threading.Thread(target=second_writer)
    thread.start()
    with sqlite_database.session() as s, driver_transaction(sqlite_database, s) as tx:
        tx.one_or_none(read)
        inside.set()
        time.sleep(0.3)
        assert read.one_or_none(sqlite_database)[0] == 0  # a reader outside is not blocked
        order.append("first done")
    thread.join(10)
    assert order == ["first done", "second wrote"]


def test_in_session_writes_in_the_sessions_transaction_taking_the_write_lock_first(sqlite_database):
    """A hot path's statement beside ORM work: on SQLite it takes the write lock as any write of the session
    does (a deferred transaction upgraded in place would fail at once beside another writer), and it is
    committed or undone with the session's work."""
    from lms.core.driver import PreparedWrite, in_session

    add = PreparedWrite(sa.table("lock_probe", sa.column("who")).insert().values(who=sa.bindparam("who")))
    with sqlite_database.session() as s:
        _count(s)
        assert write_lock_taken(s.connection()) is False
        assert in_session(s).execute(add, who="driver") == 1
        assert write_lock_taken(s.connection()) is True
        assert _count(s) == 1  # the session's own transaction sees it
        s.rollback()
        assert _count(s) == 0
        in_session(s).execute(add, who="kept")
        s.commit()
    with sqlite_database.session() as s:
        assert s.execute(sa.text("SELECT who FROM lock_probe")).scalars().all() == ["kept"]


def test_in_session_flushes_pending_changes_first_unless_told_not_to(probe_database):
    from lms.core.driver import PreparedRead, in_session

    database, table, when = probe_database
    mapper_registry = sa.orm.registry()

    class Probe:
        pass

    mapper_registry.map_imperatively(Probe, table)
    count = PreparedRead(sa.select(sa.func.count().label("n")).select_from(table))
    with database.session() as s:
        s.add(Probe(id=3, name="three", seen_at=when, ok=True))
        assert in_session(s, flush=False).one_or_none(count).n == 2 and s.new
        assert in_session(s).one_or_none(count).n == 3 and not s.new
        s.rollback()
    mapper_registry.dispose()


def test_a_write_with_returning_gives_its_row_and_adopt_hands_it_to_the_session(probe_database):
    """The sign-in's new session row: written on the driver, then held by the ORM session as if loaded, so a
    later change is an UPDATE (no INSERT again, no read); an object the session already holds wins."""
    from bench.harness import count_queries
    from lms.core.driver import PreparedWrite, adopt, in_session

    database, table, when = probe_database
    mapper_registry = sa.orm.registry()

    class Probe:
        def __init__(self, **values):
            self.__dict__.update(values)

    mapper_registry.map_imperatively(Probe, table)
    add = PreparedWrite(table.insert().values(id=sa.bindparam("id"), name=sa.bindparam("name"),
                                              seen_at=sa.bindparam("seen_at"), ok=sa.bindparam("ok"))
                        .returning(table.c.id, table.c.seen_at))
    try:
        with database.session() as s:
            row = in_session(s).one_or_none(add, id=7, name="seven", seen_at=when, ok=False)
            assert (row.id, row.seen_at) == (7, when)
            seven = adopt(s, Probe(id=7, name="seven", seen_at=when, ok=False))
            assert sa.inspect(seven).persistent
            held = s.get(Probe, 1)
            assert adopt(s, Probe(id=1, name="stale", seen_at=when, ok=True)) is held and held.name == "one"
            seven.name = "siete"
            with count_queries(database.engine) as counter:
                s.flush()
            assert [q.split()[0] for q in counter.statements] == ["UPDATE"], counter.statements
            s.commit()
        with database.session() as s:
            assert s.execute(sa.select(table.c.name).where(table.c.id == 7)).scalar_one() == "siete"
    finally:
        mapper_registry.dispose()


# --- PostgreSQL: a pooled connection is tested only when it has been idle ----------------------

@pytest.fixture
def postgres_engine():
    from tests.conftest import POSTGRES_ADMIN_URL, _pg_url, postgres_available

    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    engine = make_engine(_pg_url(sa.engine.make_url(POSTGRES_ADMIN_URL).database or "postgres"))
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()


def test_a_connection_back_from_a_request_moments_ago_is_not_pinged_again(postgres_engine, monkeypatch):
    import lms.core.db as db

    pings: list[object] = []
    real = db._ping
    monkeypatch.setattr(db, "_ping", lambda conn: pings.append(conn) or real(conn))
    pids = {_backend_pid(postgres_engine) for _ in range(5)}
    assert len(pids) == 1 and pings == []  # one connection, used five times, never asked "are you there?"
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # now every connection counts as idle
    _backend_pid(postgres_engine)
    assert len(pings) == 1


def test_an_idle_connection_that_died_is_replaced_before_anyone_uses_it(postgres_engine, monkeypatch):
    import lms.core.db as db
    from tests.conftest import _pg_url

    dead = _backend_pid(postgres_engine)
    admin = make_engine(_pg_url("postgres"))
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({dead}, 5000)")  # waits until it is gone
            conn.commit()
    finally:
        admin.dispose()
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    assert _backend_pid(postgres_engine) != dead  # no error: the pool connected afresh
