"""Opening a cycle at the same moment in several processes (threads here, with real commits) opens one."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from lms.core.db import get_database
from lms.core.jobs import FAILED, run_job
from lms.recert import services
from lms.recert.models import RecertCycle

OCT_1 = datetime(2027, 10, 1, 5, 30, tzinfo=timezone.utc)  # 12:30 am in Chicago


def _together(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def _cycles(app) -> list[RecertCycle]:
    with get_database(app).session() as s:
        return list(s.execute(sa.select(RecertCycle)).scalars())


def test_opening_at_once_in_four_sessions_opens_one_cycle(committed_app):
    db = get_database(committed_app)

    def open_one(_i):
        with db.session() as s:
            _, created = services.open_cycle(s, 2028, now=OCT_1)
            s.commit()
            return created

    results, errors = _together(4, open_one)
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert len(_cycles(committed_app)) == 1


def test_the_job_running_at_once_in_two_periods_opens_one_cycle(committed_app):
    db = get_database(committed_app)
    moments = [OCT_1, OCT_1 + timedelta(hours=1)]  # two different run keys: both really run

    results, errors = _together(2, lambda i: run_job(db, committed_app.config, "recert.open_cycle", now=moments[i]))
    assert errors == [] and FAILED not in results
    assert [c.fiscal_year for c in _cycles(committed_app)] == [2028]
