"""The dashboard kept per process (lms/recert/dashboard/cache.py) and the data version that tells when it is
stale (lms/recert/changes.py): two apps on one database whose commits are real stand for two processes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from bench.harness import count_queries
from lms.accounts.models import User
from lms.core.db import get_database
from lms.recert.dashboard import cache
from tests.conftest import signed_in_client as _client
from tests.functional.recert.test_dashboard import URL, _at, _evidence, _names, _row, _text, world  # noqa: F401


@pytest.fixture
def app(committed_app):
    """Every factory and the ``world`` of the dashboard's tests, on a database whose commits are real."""
    return committed_app


@pytest.fixture
def db_session(committed_session):
    return committed_session


@pytest.fixture
def other(committed_app, tmp_path, clock):
    """A second process on the same database: an app with an engine and a kept copy of its own."""
    from tests.fixtures.apps import _make_app

    other = _make_app(committed_app.config["DATABASE_URL"], committed_app.config["SANDBOX_DATABASE_URL"],
                      tmp_path / "other", clock)
    yield other
    get_database(other).engine.dispose()
    other.extensions["sandbox.db"].engine.dispose()


def _certified(client) -> str:
    return _row(_text(client.get(URL)), "overall-certified")


def _statements(app, client, url: str = URL) -> int:
    with count_queries(get_database(app).engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_evidence_recorded_by_another_process_shows_on_the_next_request(app, other, login, world):
    client = _client(app, login, world.lead)
    assert _certified(client).startswith("Certified 2 ")
    assert _statements(app, client) == 3  # kept: session, user with roles, the data version
    with get_database(other).session() as s:
        _evidence(s, s.get(User, world.a1_prog.id), ["security_privacy", "data_standards"],
                  datetime(2027, 10, 19, 15, tzinfo=timezone.utc), "bob-rest")
    assert _certified(client).startswith("Certified 3 ")
    assert _statements(app, client) == 3


def test_a_bulk_update_in_another_process_shows_on_the_next_request(app, other, login, world):
    client = _client(app, login, world.lead)
    assert "Cy Notyet" in _names(_text(client.get(URL)))
    with get_database(other).session() as s:
        s.execute(sa.update(User).where(User.id == world.a1_none.id).values(is_active=False))
        s.commit()
    assert "Cy Notyet" not in _names(_text(client.get(URL)))


def test_each_viewer_gets_the_page_of_their_own_scope(app, login, world):
    lead, manager, rep = (_client(app, login, who) for who in (world.lead, world.manager, world.rep))
    for _ in range(2):  # the second round is read from the kept copies
        assert _names(_text(lead.get(URL))) == {"Ann Certified", "Bob Progress", "Cy Notyet", "Dee Done", "Eve Idle",
                                                "Fay Newcomer", "Gus Former"}
        assert _names(_text(manager.get(URL))) == {"Ann Certified", "Bob Progress", "Cy Notyet", "Dee Done"}
        assert _names(_text(rep.get(URL))) == {"Ann Certified", "Bob Progress", "Cy Notyet"}
    assert _statements(app, rep) == 3


def test_evidence_dated_ahead_counts_once_its_time_comes(app, clock, db_session, login, world):
    _evidence(db_session, db_session.get(User, world.a1_prog.id), ["security_privacy", "data_standards"],
              datetime(2027, 10, 20, 14, 5, tzinfo=timezone.utc), "bob-later")
    client = _client(app, login, world.lead)
    assert _certified(client).startswith("Certified 2 ")  # 14:00: not yet
    assert _certified(client).startswith("Certified 2 ")
    _at(clock, 2027, 10, 20, 14, 6)  # the same local day
    assert _certified(client).startswith("Certified 3 ")


def test_only_committed_changes_to_what_the_dashboard_reads_raise_the_version(app, clock, db_session, world):
    def version() -> int:
        with app.app_context(), get_database(app).session() as s:
            return cache.version_of(s, clock.now)[0]

    start = version()
    person = db_session.get(User, world.a1_none.id)
    person.must_change_password = not person.must_change_password  # not shown on the dashboard
    db_session.commit()
    assert version() == start
    person.full_name = "Cy Renamed"
    db_session.flush()
    assert cache.version_of(db_session, clock.now) is None  # this session's own change: nothing kept or read
    db_session.rollback()
    assert version() == start
    person = db_session.get(User, world.a1_none.id)
    person.full_name = "Cy Renamed"
    db_session.commit()
    assert version() == start + 1
    with app.app_context():
        assert cache.version_of(db_session, clock.now) is not None


def test_the_version_read_agrees_with_what_the_same_transaction_reads_next(app, clock, other, world):
    """A change committed elsewhere after the page's transaction began: the version it reads and the counts it
    reads next are both from before the change (SQLite's snapshot) or both from after it (PostgreSQL)."""
    from lms.recert import dashboard, services

    with app.app_context(), get_database(app).session() as s:
        s.get(User, world.lead.id)  # the transaction's first read, as a request loads its viewer
        before = cache.version_of(s, clock.now)[0]
        with get_database(other).session() as o:
            _evidence(o, o.get(User, world.a1_prog.id), ["security_privacy", "data_standards"],
                      datetime(2027, 10, 19, 15, tzinfo=timezone.utc), "bob-rest")
        version = cache.version_of(s, clock.now)[0]
        counts = dashboard.tallies(s, dashboard.scope_for(s, everything=True), services.get_cycle(s, 2028),
                                   dashboard.Filters(), now=clock.now).overall.counts
    assert (version, counts["certified"]) in ((before, 2), (before + 1, 3))  # one commit, one step
