"""Register scheduled jobs and record every run of them.

Each package registers its jobs with :func:`register` (usually in its ``jobs.py``,
imported by its ``init_app``).  :func:`run_job` runs one job once and records a
:class:`JobRun` row: start, end, result or error.

Idempotence: every run of a job has a *run key*, the period it belongs to (for a
job every 5 minutes, the 5-minute slot; for a daily job, the date).  A unique
constraint on (job, run key) means a second run of the same period, in a row or at
the same moment in another process, finds the row taken and is skipped; a failed
run may be retried in its period.  Job bodies are written to be harmless when
repeated anyway (they act on what is still to do).

No period is lost to a crash: a run left "running" longer than its job's
``stale_after`` (its process died) is *taken over* by the next run of the same
period, or, once its period is over, recorded as failed by the next run of that job.
:func:`catch_up`, which the scheduler calls as it starts, runs each daily job's
latest period if it was missed while no scheduler ran (interval jobs simply run as
the scheduler starts).  The job runs page shows both.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any, Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.db import Base, Database
from lms.core.types import UTCDateTime

RUNNING, SUCCEEDED, FAILED, SKIPPED = "running", "succeeded", "failed", "skipped"
#: A run still "running" after this long is taken to have lost its process (as the mail outbox's STALE_SENDING).
STALE_RUNNING = timedelta(minutes=30)
#: What a run whose process stopped says once a later run finds it.
ABANDONED = "Its process stopped before it finished (no end was recorded); a later run took over."

#: A run's status in words.
STATUS_LABELS = {RUNNING: "Running", SUCCEEDED: "Succeeded", FAILED: "Failed", SKIPPED: "Skipped"}

#: A job body: (db_session, config, now) -> short text describing what it did.
JobFunc = Callable[[Session, Mapping[str, Any], datetime], str]


@dataclass(frozen=True)
class Job:
    id: str
    func: JobFunc
    #: Seconds between runs (interval jobs) ...
    every_seconds: int | None = None
    #: ... or a daily time in UTC "HH:MM" (cron-like jobs).
    daily_at: str | None = None
    description: str = ""
    #: The job's name in words, for the admin pages (the id stays the key in the database).
    label: str = ""
    #: How long a run may stay "running" before it is taken to have lost its process.
    stale_after: timedelta = STALE_RUNNING

    @property
    def title(self) -> str:
        return self.label or self.id.rsplit(".", 1)[-1].replace("_", " ").capitalize()

    def run_key(self, now: datetime) -> str:
        """Return the period ``now`` belongs to: runs sharing a key are one run."""
        if self.every_seconds:
            slot = int(now.timestamp()) // self.every_seconds
            start = datetime.fromtimestamp(slot * self.every_seconds, timezone.utc)
            return start.strftime("%Y-%m-%dT%H:%M:%S")
        return now.strftime("%Y-%m-%d")

    def latest_period(self, now: datetime) -> datetime:
        """Return the start of the latest period due at ``now`` (for a daily job, the last time it was due)."""
        if self.every_seconds:
            slot = int(now.timestamp()) // self.every_seconds
            return datetime.fromtimestamp(slot * self.every_seconds, timezone.utc)
        hour, minute = (int(part) for part in self.daily_at.split(":"))
        due = datetime.combine(now.astimezone(timezone.utc).date(), time(hour, minute), timezone.utc)
        return due if due <= now else due - timedelta(days=1)


JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Add a job to the registry (idempotent for the same id and function)."""
    existing = JOBS.get(job.id)
    if existing is not None and existing.func is not job.func:
        raise ValueError(f"two different jobs are registered as {job.id!r}")
    if not (job.every_seconds or job.daily_at):
        raise ValueError(f"job {job.id!r} needs every_seconds or daily_at")
    JOBS[job.id] = job
    return job


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (sa.UniqueConstraint("job_id", "run_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    #: The period this run covers; a second run of the same period is skipped.
    run_key: Mapped[str] = mapped_column(sa.String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: running, succeeded or failed.
    status: Mapped[str] = mapped_column(sa.String(16))
    #: What the job said it did.
    result: Mapped[str | None] = mapped_column(sa.Text)
    error: Mapped[str | None] = mapped_column(sa.Text)
    #: How many times this period was attempted (a failed run may be retried).
    attempts: Mapped[int] = mapped_column(default=1)
    #: When a later run found this one abandoned by its process (and took it over, or closed it as failed).
    taken_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Run as the scheduler started, for a period missed while no scheduler ran.
    caught_up: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


def _claim(db_session: Session, job: Job, key: str, now: datetime, *, caught_up: bool = False) -> JobRun | None:
    stale = now - job.stale_after
    # Runs of earlier periods whose process died: say so, rather than leave them "running" for ever.
    db_session.execute(
        sa.update(JobRun)
        .where(JobRun.job_id == job.id, JobRun.run_key != key, JobRun.status == RUNNING, JobRun.started_at < stale)
        .values(status=FAILED, finished_at=now, error=ABANDONED, taken_over_at=now)
    )
    db_session.commit()
    run = JobRun(job_id=job.id, run_key=key, started_at=now, status=RUNNING, attempts=1, caught_up=caught_up)
    db_session.add(run)
    try:
        db_session.commit()
        return run
    except IntegrityError:
        db_session.rollback()
    # The period is taken: a failed run may be tried again, and a run whose process died is taken over.
    mine = (JobRun.job_id == job.id, JobRun.run_key == key)
    retaken = db_session.execute(
        sa.update(JobRun)
        .where(*mine, JobRun.status == RUNNING, JobRun.started_at < stale)
        .values(status=RUNNING, started_at=now, finished_at=None, error=None, taken_over_at=now,
                attempts=JobRun.attempts + 1)
    ).rowcount or db_session.execute(
        sa.update(JobRun)
        .where(*mine, JobRun.status == FAILED)
        .values(status=RUNNING, started_at=now, finished_at=None, error=None, attempts=JobRun.attempts + 1)
    ).rowcount
    db_session.commit()
    if not retaken:
        return None
    return db_session.execute(sa.select(JobRun).where(*mine)).scalar_one()


def run_job(database: Database, config: Mapping[str, Any], job_id: str, *, now: datetime,
            clock: Callable[[], datetime] | None = None, period: datetime | None = None,
            caught_up: bool = False) -> str:
    """Run one job for the period of ``now`` (or of ``period``); return succeeded, failed or skipped."""
    job = JOBS[job_id]
    key = job.run_key(period or now)
    with database.session() as claim_session:
        run = _claim(claim_session, job, key, now, caught_up=caught_up)
        if run is None:
            return SKIPPED
        run_id = run.id
    with database.session() as work_session:
        try:
            result = job.func(work_session, config, now)
            work_session.commit()
            status, error = SUCCEEDED, None
        except Exception:  # noqa: BLE001 - the run records any failure
            work_session.rollback()
            status, result, error = FAILED, None, traceback.format_exc(limit=8)[-4000:]
    finished = clock() if clock else now
    with database.session() as done_session:
        run = done_session.get(JobRun, run_id)
        run.status = status
        run.result = result
        run.error = error
        run.finished_at = max(finished, now)
        done_session.commit()
    return status


def catch_up(database: Database, config: Mapping[str, Any], *, now: datetime,
             clock: Callable[[], datetime] | None = None) -> dict[str, str]:
    """Run every daily job's latest period that has no finished run (missed while no scheduler ran).

    Only the latest period is run, however many were missed: job bodies act on what is
    still to do, so one run does the work of all of them.  Interval jobs need no
    catching up: the scheduler runs them as it starts.  Returns {job id: status}.
    """
    return {
        job.id: run_job(database, config, job.id, now=now, clock=clock, period=job.latest_period(now), caught_up=True)
        for job in sorted(JOBS.values(), key=lambda j: j.id) if job.daily_at
    }
