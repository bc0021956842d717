"""Settings are read once per process, not once per request, and a change is never missed.

A change committed in this process is seen by the next request at once; a change
made by another process (worker, host) is seen once the copy is CACHE_SECONDS old.
"""

import sqlalchemy as sa

from bench.harness import count_queries
from lms.core import settings
from lms.core.db import get_database

KEY = "auth.idle_timeout_minutes"


def _read(app, key: str = KEY):
    database = get_database(app)
    with database.session() as s:
        with count_queries(database.engine) as counter:
            value = settings.get(s, key)
    return value, counter.count


def test_read_settings_in_two_requests_queries_once(app):
    assert _read(app) == (15, 1)
    assert _read(app) == (15, 0)
    assert _read(app, "auth.lockout_threshold") == (10, 0)


def test_change_committed_in_this_process_is_read_by_next_request(app, clock):
    _read(app)
    with get_database(app).session() as s:
        settings.change(s, KEY, "30", actor=None, now=clock.now)
        assert settings.get(s, KEY) == 30
        s.commit()
    assert _read(app) == (30, 1)


def test_change_rolled_back_leaves_stored_value(app, clock):
    _read(app)
    with get_database(app).session() as s:
        settings.change(s, KEY, "30", actor=None, now=clock.now)
        s.rollback()
    assert _read(app)[0] == 15


def test_change_by_another_process_is_read_once_cache_is_stale(app, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(settings, "_monotonic", lambda: now[0])
    _read(app)
    with get_database(app).session() as s:  # another worker: a plain write, nothing in this process is told
        s.execute(sa.insert(settings.Setting).values(key=KEY, value="45", updated_at=sa.func.current_timestamp()))
        s.commit()
    now[0] += settings.CACHE_SECONDS - 1
    assert _read(app) == (15, 0)
    now[0] += 1
    assert _read(app) == (45, 1)
