"""Scheduled jobs: runs recorded, and running one twice (in a row or at once) has the effect of one run.

A failed period succeeds when tried again, the command line refuses an unknown job, and the runs page is closed to
end users.
"""

import threading
import time
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


def test_job_runs_page_shows_names_intervals_and_local_times_in_words(app, clock, make_user, login):
    from lms.core.roles import Role

    jobs.register(Job("test.tidy_things", _count, every_seconds=300, label="Tidy the things"))
    run_job(get_database(app), app.config, "test.tidy_things", now=clock.now)  # 15:00 UTC = 9:00 AM CST
    c = app.test_client()
    login(c, make_user(roles=[Role.SYSADMIN]))
    html = c.get("/admin/jobs").get_data(as_text=True)
    assert "Tidy the things" in html and "Every 5 minutes" in html and "Every 1 hour" in html
    assert "every 300 s" not in html and "<code>" not in html
    assert "11/02/2026 9:00 AM CST" in html and "2026-11-02" not in html
    assert "Daily at 8:00 PM CST" in html  # test.boom runs at 02:00 UTC
    assert "Succeeded" in html


def _counting(db_session, config, now):
    CALLS.append(now.isoformat())
    time.sleep(0.2)  # long enough for a concurrent run to overlap
    return "counted"


FAILS = {"left": 0}


def _flaky(db_session, config, now):
    if FAILS["left"] > 0:
        FAILS["left"] -= 1
        raise RuntimeError("the upstream service is down")
    return "recovered"


jobs.register(Job("test.counting", _counting, every_seconds=300, description="test job"))
jobs.register(Job("test.flaky", _flaky, daily_at="02:00", description="test job"))


def _runs(app, job_id):
    with get_database(app).session() as s:
        return list(s.execute(sa.select(JobRun).where(JobRun.job_id == job_id)).scalars())


def test_run_job_twice_in_a_row_runs_once(committed_app, clock):
    CALLS.clear()
    db = get_database(committed_app)
    assert run_job(db, committed_app.config, "test.counting", now=clock.now) == SUCCEEDED
    assert run_job(db, committed_app.config, "test.counting", now=clock.now + timedelta(seconds=10)) == SKIPPED
    assert len(CALLS) == 1
    [run] = _runs(committed_app, "test.counting")
    assert run.status == SUCCEEDED and run.result == "counted" and run.finished_at is not None


def test_run_job_next_period_runs_again(committed_app, clock):
    CALLS.clear()
    db = get_database(committed_app)
    run_job(db, committed_app.config, "test.counting", now=clock.now)
    assert run_job(db, committed_app.config, "test.counting", now=clock.now + timedelta(minutes=5)) == SUCCEEDED
    assert len(CALLS) == 2


def test_run_job_concurrently_in_two_threads_runs_once(committed_app, clock):
    CALLS.clear()
    db = get_database(committed_app)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(run_job(db, committed_app.config, "test.counting", now=clock.now))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(results) == [SKIPPED, SUCCEEDED]
    assert len(CALLS) == 1
    assert len(_runs(committed_app, "test.counting")) == 1


def test_run_job_failure_recorded_with_error_then_retry_succeeds(committed_app, clock):
    FAILS["left"] = 1
    db = get_database(committed_app)
    assert run_job(db, committed_app.config, "test.flaky", now=clock.now) == FAILED
    [run] = _runs(committed_app, "test.flaky")
    assert run.status == FAILED and "the upstream service is down" in run.error
    assert run.finished_at is not None
    # A failed period may be tried again, and then it counts as done.
    assert run_job(db, committed_app.config, "test.flaky", now=clock.now + timedelta(hours=1)) == SUCCEEDED
    [run] = _runs(committed_app, "test.flaky")
    assert run.status == SUCCEEDED and run.attempts == 2 and run.error is None
    assert run_job(db, committed_app.config, "test.flaky", now=clock.now + timedelta(hours=2)) == SKIPPED


def test_cli_scheduler_run_job_runs_and_reports(committed_app):
    result = committed_app.test_cli_runner().invoke(args=["scheduler", "run-job", "auth.expire_sessions"])
    assert result.exit_code == 0, result.output
    assert "auth.expire_sessions: succeeded" in result.output
    again = committed_app.test_cli_runner().invoke(args=["scheduler", "run-job", "auth.expire_sessions"])
    assert "auth.expire_sessions: skipped" in again.output


def test_cli_scheduler_run_job_unknown_job_refused_with_message(committed_app):
    result = committed_app.test_cli_runner().invoke(args=["scheduler", "run-job", "no.such.job"])
    assert result.exit_code != 0
    assert "no job 'no.such.job'" in result.output


def test_job_runs_page_lists_runs_with_errors_for_sysadmin(client, db_session, make_user, login, clock):
    from lms.accounts.roles import Role

    db_session.add(JobRun(job_id="test.flaky", run_key="2026-11-02", started_at=clock.now, finished_at=clock.now,
                          status=FAILED, error="RuntimeError: the upstream service is down", attempts=1))
    db_session.commit()
    login(client, make_user(roles=[Role.SYSADMIN]))
    resp = client.get("/admin/jobs")
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert "test.flaky" in text and "the upstream service is down" in text


def test_job_runs_page_refused_to_end_user(client, make_user, login):
    from lms.accounts.roles import Role

    login(client, make_user(roles=[Role.END_USER]))
    assert client.get("/admin/jobs").status_code in (403, 404)


# --- no period lost to a crash: stale runs taken over, missed daily runs caught up ----------------

@pytest.fixture
def daily_job():
    jobs.register(Job("test.daily", _count, daily_at="02:00", label="Daily count"))
    yield "test.daily"
    jobs.JOBS.pop("test.daily", None)


def _crashed_run(db_session, job_id, key, started_at):
    """A run whose process died: "running", with no end."""
    run = JobRun(job_id=job_id, run_key=key, started_at=started_at, status=jobs.RUNNING, attempts=1)
    db_session.add(run)
    db_session.commit()
    return run


def test_run_left_running_by_a_dead_process_is_taken_over_after_the_stale_timeout(app, clock, db_session,
                                                                                   daily_job):
    database = get_database(app)
    run = _crashed_run(db_session, daily_job, "2026-11-02", clock.now)
    # Still within the timeout: it may be alive, so the period is left to it.
    assert run_job(database, app.config, daily_job, now=clock.now + timedelta(minutes=29)) == SKIPPED
    assert CALLS == []
    later = clock.now + jobs.STALE_RUNNING + timedelta(minutes=1)
    assert run_job(database, app.config, daily_job, now=later) == SUCCEEDED
    assert len(CALLS) == 1
    db_session.refresh(run)
    assert (run.status, run.attempts, run.result) == (SUCCEEDED, 2, "counted")
    assert run.taken_over_at == later and run.started_at == later
    # Taken over once: the period is done now.
    assert run_job(database, app.config, daily_job, now=later + timedelta(hours=1)) == SKIPPED


def test_stale_run_of_an_earlier_period_is_closed_as_failed_by_the_next_run(app, clock, db_session):
    jobs.register(Job("test.ten_minutes", _count, every_seconds=600))
    try:
        database = get_database(app)
        job = jobs.JOBS["test.ten_minutes"]
        old = _crashed_run(db_session, job.id, job.run_key(clock.now), clock.now)
        # The next period runs at once, but a run that may still be alive is not called dead.
        assert run_job(database, app.config, job.id, now=clock.now + timedelta(minutes=10)) == SUCCEEDED
        db_session.refresh(old)
        assert old.status == jobs.RUNNING and old.taken_over_at is None
        later = clock.now + timedelta(minutes=40)
        assert run_job(database, app.config, job.id, now=later) == SUCCEEDED
        db_session.refresh(old)
        assert (old.status, old.error, old.finished_at, old.taken_over_at) == (FAILED, jobs.ABANDONED, later, later)
    finally:
        jobs.JOBS.pop("test.ten_minutes", None)


@pytest.mark.committed
def test_stale_run_taken_over_by_two_schedulers_at_once_runs_once(committed_app, clock, daily_job):
    database = get_database(committed_app)
    with database.session() as s:
        _crashed_run(s, daily_job, "2026-11-02", clock.now - timedelta(hours=1))
    results = []

    def go():
        results.append(run_job(database, committed_app.config, daily_job, now=clock.now))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [SKIPPED, SKIPPED, SKIPPED, SUCCEEDED]
    assert len(CALLS) == 1


def test_catch_up_runs_a_missed_daily_period_once(app, clock, db_session, daily_job):
    database = get_database(app)
    # 15:00 UTC: today's 02:00 run was missed (no scheduler ran).
    assert jobs.catch_up(database, app.config, now=clock.now)[daily_job] == SUCCEEDED
    run = db_session.execute(sa.select(JobRun).where(JobRun.job_id == daily_job)).scalar_one()
    assert (run.run_key, run.caught_up, run.status) == ("2026-11-02", True, SUCCEEDED)
    # A second start (or a second scheduler) finds the period done.
    assert jobs.catch_up(database, app.config, now=clock.now + timedelta(minutes=5))[daily_job] == SKIPPED
    # Tomorrow's run at its time is an ordinary run of its own period.
    tomorrow = clock.now + timedelta(days=1)
    assert run_job(database, app.config, daily_job, now=tomorrow.replace(hour=2)) == SUCCEEDED
    assert len(CALLS) == 2


def test_catch_up_before_todays_time_runs_yesterdays_missed_period(app, clock, db_session, daily_job):
    early = clock.now.replace(hour=1)  # 01:00 UTC: today's 02:00 is still to come
    assert jobs.catch_up(get_database(app), app.config, now=early)[daily_job] == SUCCEEDED
    run = db_session.execute(sa.select(JobRun).where(JobRun.job_id == daily_job)).scalar_one()
    assert run.run_key == "2026-11-01" and run.caught_up


def test_catch_up_leaves_a_period_that_ran_on_time_alone(app, clock, db_session, daily_job):
    database = get_database(app)
    assert run_job(database, app.config, daily_job, now=clock.now.replace(hour=2)) == SUCCEEDED
    assert jobs.catch_up(database, app.config, now=clock.now)[daily_job] == SKIPPED
    assert len(CALLS) == 1
    run = db_session.execute(sa.select(JobRun).where(JobRun.job_id == daily_job)).scalar_one()
    assert not run.caught_up


def test_catch_up_takes_over_a_daily_run_that_crashed(app, clock, db_session, daily_job):
    run = _crashed_run(db_session, daily_job, "2026-11-02", clock.now.replace(hour=2))
    assert jobs.catch_up(get_database(app), app.config, now=clock.now)[daily_job] == SUCCEEDED
    db_session.refresh(run)
    assert run.status == SUCCEEDED and run.taken_over_at == clock.now and run.attempts == 2


def test_job_runs_page_shows_runs_caught_up_taken_over_and_abandoned(app, clock, db_session, daily_job,
                                                                      make_user, login):
    from lms.core.roles import Role

    database = get_database(app)
    jobs.register(Job("test.ten_minutes", _count, every_seconds=600))
    try:
        _crashed_run(db_session, daily_job, "2026-11-01", clock.now - timedelta(days=1))
        _crashed_run(db_session, "test.ten_minutes", jobs.JOBS["test.ten_minutes"].run_key(clock.now),
                     clock.now - timedelta(hours=2))
        jobs.catch_up(database, app.config, now=clock.now)
        run_job(database, app.config, "test.ten_minutes", now=clock.now)
        c = app.test_client()
        login(c, make_user(roles=[Role.SYSADMIN]))
        html = c.get("/admin/jobs").get_data(as_text=True)
    finally:
        jobs.JOBS.pop("test.ten_minutes", None)
    assert "Caught up" in html and "its time passed while no scheduler ran" in html
    # Yesterday's daily run died: closed as failed, in words rather than a traceback.
    assert "Its process stopped; found 11/02/2026 9:00 AM CST." in html
    assert jobs.ABANDONED in html
    # The ten-minute job's current period was taken over from its dead run.
    assert "Taken over 11/02/2026 9:00 AM CST from a run whose process stopped." in html


def test_cli_catch_up_reports_each_daily_job(runner, daily_job):
    result = runner.invoke(args=["scheduler", "catch-up"])
    assert result.exit_code == 0, result.output
    assert f"{daily_job}: succeeded" in result.output
    assert "test.count" not in result.output  # interval jobs run as the scheduler starts instead
    again = runner.invoke(args=["scheduler", "catch-up"])
    assert f"{daily_job}: skipped" in again.output
