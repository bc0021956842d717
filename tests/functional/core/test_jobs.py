"""Scheduled jobs: runs recorded, and running one twice (in a row or at once) has the effect of one run."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.core import jobs
from lms.core.db import get_database
from lms.core.jobs import FAILED, SKIPPED, SUCCEEDED, Job, JobRun, run_job

CALLS: list[str] = []


def _count(db_session, config, now):
    CALLS.append(now.isoformat())
    return "counted"


def _boom(db_session, config, now):
    raise RuntimeError("the job broke")


@pytest.fixture(autouse=True)
def test_jobs():
    CALLS.clear()
    jobs.register(Job("test.count", _count, every_seconds=3600))
    jobs.register(Job("test.boom", _boom, daily_at="02:00"))
    yield
    jobs.JOBS.pop("test.count", None)
    jobs.JOBS.pop("test.boom", None)


def test_job_run_twice_in_a_row_runs_once(app, clock, db_session):
    database = get_database(app)
    assert run_job(database, app.config, "test.count", now=clock.now) == SUCCEEDED
    assert run_job(database, app.config, "test.count", now=clock.now + timedelta(minutes=5)) == SKIPPED
    assert len(CALLS) == 1
    run = db_session.execute(sa.select(JobRun).where(JobRun.job_id == "test.count")).scalar_one()
    assert run.status == SUCCEEDED and run.result == "counted" and run.finished_at is not None
    # The next period is a new run.
    assert run_job(database, app.config, "test.count", now=clock.now + timedelta(hours=1)) == SUCCEEDED


def test_failed_run_records_the_error_and_may_be_retried(app, clock, db_session):
    database = get_database(app)
    assert run_job(database, app.config, "test.boom", now=clock.now) == FAILED
    run = db_session.execute(sa.select(JobRun).where(JobRun.job_id == "test.boom")).scalar_one()
    assert "the job broke" in run.error
    assert run_job(database, app.config, "test.boom", now=clock.now) == FAILED
    db_session.refresh(run)
    assert run.attempts == 2


@pytest.mark.committed
def test_job_started_twice_at_once_runs_once(committed_app, clock):
    database = get_database(committed_app)
    results = []

    def go():
        results.append(run_job(database, committed_app.config, "test.count", now=clock.now))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count(SUCCEEDED) == 1 and results.count(SKIPPED) == 3
    assert len(CALLS) == 1


def test_cli_runs_one_job(runner):
    result = runner.invoke(args=["scheduler", "run-job", "test.count"])
    assert result.exit_code == 0, result.output
    assert len(CALLS) == 1


def test_job_runs_page_shows_runs_to_oversight_only(app, clock, make_user, login):
    from lms.core.roles import Role

    run_job(get_database(app), app.config, "test.boom", now=clock.now)
    admin, helpdesk = make_user(roles=[Role.SYSADMIN]), make_user(roles=[Role.HELPDESK])
    c = app.test_client()
    login(c, admin)
    html = c.get("/admin/jobs").get_data(as_text=True)
    assert "test.boom" in html and "failed" in html.lower()
    c2 = app.test_client()
    login(c2, helpdesk)
    assert c2.get("/admin/jobs").status_code == 403


def test_expire_sessions_job_ends_idle_sessions(app, clock, make_user, login, db_session):
    from lms.auth.models import UserSession
    from lms.core.roles import Role
    import lms.jobs  # noqa: F401 - registers the core jobs

    user = make_user(roles=[Role.END_USER])
    login(app.test_client(), user)
    clock.advance(minutes=20)
    assert run_job(get_database(app), app.config, "auth.expire_sessions", now=clock.now) == SUCCEEDED
    us = db_session.execute(sa.select(UserSession).where(UserSession.user_id == user.id)).scalar_one()
    db_session.refresh(us)
    assert us.end_reason == "idle"
