"""Error pages in the site's look, and the scheduler every package registers its jobs with."""

import pytest

from lms.core.roles import Role


def test_403_page_in_the_site_look(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    resp = client.get("/admin/audit")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403 and "You can&#39;t open this page" in html and "usa-header" in html


def test_500_page_hides_the_error_and_keeps_the_look(app):
    @app.route("/boom-for-test")
    def boom():  # noqa: ANN202
        raise RuntimeError("secret internals")

    boom._lms_access = "public"
    resp = app.test_client().get("/boom-for-test")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "Something went wrong on our side" in html
    assert "secret internals" not in html and "usa-header" in html


def test_405_and_json_errors(client):
    assert client.get("/auth/logout").status_code == 405
    resp = client.get("/no/such/thing", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.get_json()["error"] == "Page not found"


def test_password_hashed_with_old_parameters_is_rehashed_at_sign_in(app, client, make_user, db_session):
    from lms.auth.passwords import PasswordHashing
    from tests.conftest import DEFAULT_PASSWORD

    user = make_user(roles=[Role.END_USER])
    user.password_hash = PasswordHashing(memory_cost=32, time_cost=1, parallelism=1).hash(DEFAULT_PASSWORD)
    db_session.commit()
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    db_session.refresh(user)
    assert f"m={app.config['ARGON2_MEMORY_COST']}" in user.password_hash
    assert not app.extensions["lms.passwords"].needs_rehash(user.password_hash)


def test_scheduler_carries_every_registered_job(app):
    import lms.jobs  # noqa: F401
    from lms.core.jobs import JOBS
    from lms.scheduler import build_scheduler

    scheduler = build_scheduler(app)
    assert {j.id for j in scheduler.get_jobs()} >= {"mail.send_outbox", "auth.expire_sessions"}
    from lms.scheduler import CATCH_UP_ID

    # Every job, and the one-off catch-up of missed daily runs as it starts.
    assert {j.id for j in scheduler.get_jobs()} == set(JOBS) | {CATCH_UP_ID}


@pytest.mark.committed
def test_scheduler_catches_up_missed_daily_runs_as_it_starts(committed_app, clock):
    import lms.jobs  # noqa: F401
    import sqlalchemy as sa

    from lms.core.db import get_database
    from lms.core.jobs import JobRun
    from lms.scheduler import CATCH_UP_ID, build_scheduler

    scheduler = build_scheduler(committed_app)
    scheduler.get_job(CATCH_UP_ID).func()  # what APScheduler calls once, at start
    with get_database(committed_app).session() as s:
        run = s.execute(sa.select(JobRun).where(JobRun.job_id == "revocations.mail_overdue")).scalar_one()
        assert run.caught_up and run.status == "succeeded" and run.run_key == "2026-11-02"


@pytest.mark.committed
def test_scheduled_run_records_the_run(committed_app, clock):
    import lms.jobs  # noqa: F401
    import sqlalchemy as sa

    from lms.core.db import get_database
    from lms.core.jobs import JobRun
    from lms.scheduler import build_scheduler

    scheduler = build_scheduler(committed_app)
    job = scheduler.get_job("mail.send_outbox")
    job.func()  # what APScheduler calls at each tick
    with get_database(committed_app).session() as s:
        run = s.execute(sa.select(JobRun).where(JobRun.job_id == "mail.send_outbox")).scalar_one()
        assert run.status == "succeeded" and run.result.startswith("sent 0")


@pytest.mark.committed
def test_scheduler_runs_as_its_own_process(databases, tmp_path):
    """``flask --app wsgi scheduler run`` starts, runs the due jobs and records their runs."""
    import os
    import subprocess
    import sys
    import time

    import sqlalchemy as sa

    from lms.core.db import make_engine
    from lms.core.jobs import JobRun

    url = databases.migrated("lms")
    env = {**os.environ, "LMS_DATABASE_URL": url, "LMS_SANDBOX_DATABASE_URL": databases.migrated("sandbox"),
           "LMS_INSTANCE_PATH": str(tmp_path), "LMS_SECRET_KEY": "test"}
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    engine = make_engine(url)
    try:
        ids: set[str] = set()
        for _ in range(60):
            time.sleep(0.5)
            with engine.connect() as conn:
                ids = set(conn.execute(sa.select(JobRun.job_id).where(JobRun.status == "succeeded")).scalars())
            if {"mail.send_outbox", "auth.expire_sessions"} <= ids:
                break
        assert {"mail.send_outbox", "auth.expire_sessions"} <= ids
        assert proc.poll() is None  # still running, as a scheduler should
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        engine.dispose()
