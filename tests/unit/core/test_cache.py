"""The per-process copy of rarely changed rows: read once, read again when stale, emptied by a change."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.cache import EngineCache


def _setup():
    now = [0.0]
    cache = EngineCache(5.0, clock=lambda: now[0])
    engine = sa.create_engine("sqlite://")
    reads = []

    def load(_session):
        reads.append(now[0])
        return len(reads)

    return now, cache, engine, reads, load


def test_a_copy_is_read_once_then_again_when_stale():
    now, cache, engine, reads, load = _setup()
    with Session(engine) as s:
        assert cache.get(s, "k", load) == 1 and cache.get(s, "k", load) == 1
        now[0] = 4.9
        assert cache.get(s, "k", load) == 1
        now[0] = 5.0
        assert cache.get(s, "k", load) == 2
    assert reads == [0.0, 5.0]


def test_keys_and_engines_have_their_own_copies():
    now, cache, engine, reads, load = _setup()
    other = sa.create_engine("sqlite://")
    with Session(engine) as s, Session(other) as t:
        assert [cache.get(s, "a", load), cache.get(s, "b", load), cache.get(t, "a", load)] == [1, 2, 3]


def test_a_change_empties_the_copy_now_and_when_its_transaction_ends():
    now, cache, engine, reads, load = _setup()
    forgotten = []
    with Session(engine) as s:
        cache.get(s, "k", load)
        s.execute(sa.text("select 1"))
        cache.forget_after_transaction(s, forgotten.append)
        assert cache.get(s, "k", load) == 2  # read again at once
        s.commit()  # and once more after the change commits (a read in between may predate it)
        assert cache.get(s, "k", load) == 3
    assert len(forgotten) == 2


def test_a_database_without_an_open_session_shares_the_copy_and_reads_a_miss_in_its_own_session():
    from lms.core.db import Database

    now, cache, engine, reads, load = _setup()
    database = Database(engine, name="test")
    sessions = []

    def load_noting(session):
        sessions.append(session)
        return load(session)

    assert cache.get(database, "k", load_noting) == 1  # a miss: read in a short session of the database's
    assert isinstance(sessions[0], Session) and sessions[0].get_bind() is engine
    with Session(engine) as s:
        assert cache.get(s, "k", load_noting) == 1  # the same engine: the same copy
    now[0] = 5.0
    assert cache.get(database, "k", load_noting) == 2 and len(sessions) == 2
