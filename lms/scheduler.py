"""Build the APScheduler scheduler from the jobs every package registers.

Production runs one ``flask --app wsgi scheduler run`` process; the development
server started by ``manage.py demo`` runs the same jobs in a background thread.
Several schedulers running at once are safe: :func:`lms.core.jobs.run_job` lets
only one run per period through.  As it starts, the scheduler catches up on any
daily job's period missed while no scheduler ran (:func:`lms.core.jobs.catch_up`).
"""

from __future__ import annotations

from flask import Flask

from lms.core.clock import system_clock
from lms.core.db import get_database
from lms.core.jobs import JOBS, catch_up, run_job


#: The scheduler's own one-off job, run as it starts.
CATCH_UP_ID = "core.catch_up"


def build_scheduler(app: Flask, *, blocking: bool = False):
    """Return an (unstarted) APScheduler scheduler with every registered job."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    database = get_database(app)
    clock = app.extensions.get("lms.clock", system_clock)

    for job in JOBS.values():
        if job.every_seconds:
            trigger = IntervalTrigger(seconds=job.every_seconds, timezone="UTC")
        else:
            hour, minute = job.daily_at.split(":")
            trigger = CronTrigger(hour=int(hour), minute=int(minute), timezone="UTC")

        def _run(job_id: str = job.id) -> None:
            with app.app_context():
                run_job(database, app.config, job_id, now=clock(), clock=clock)

        # Interval jobs also run as the scheduler starts (catching up on anything queued while it was down).
        first = {"next_run_time": system_clock()} if job.every_seconds else {}
        scheduler.add_job(_run, trigger, id=job.id, name=job.description or job.id, replace_existing=True, **first)

    def _catch_up() -> None:
        with app.app_context():
            catch_up(database, app.config, now=clock(), clock=clock)

    # Once, as the scheduler starts: daily periods missed while it was down.
    scheduler.add_job(_catch_up, id=CATCH_UP_ID, name="Catch up on missed daily runs", next_run_time=system_clock())
    return scheduler
