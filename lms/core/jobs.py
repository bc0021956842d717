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
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.db import Base, Database
from lms.core.types import UTCDateTime

RUNNING, SUCCEEDED, FAILED, SKIPPED = "running", "succeeded", "failed", "skipped"
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


def _claim(db_session: Session, job: Job, key: str, now: datetime) -> JobRun | None:
    run = JobRun(job_id=job.id, run_key=key, started_at=now, status=RUNNING, attempts=1)
    db_session.add(run)
    try:
        db_session.commit()
        return run
    except IntegrityError:
        db_session.rollback()
    # The period is taken: only a failed run may be tried again.
    retaken = db_session.execute(
        sa.update(JobRun)
        .where(JobRun.job_id == job.id, JobRun.run_key == key, JobRun.status == FAILED)
        .values(status=RUNNING, started_at=now, finished_at=None, error=None, attempts=JobRun.attempts + 1)
    ).rowcount
    db_session.commit()
    if not retaken:
        return None
    return db_session.execute(
        sa.select(JobRun).where(JobRun.job_id == job.id, JobRun.run_key == key)
    ).scalar_one()


def run_job(database: Database, config: Mapping[str, Any], job_id: str, *, now: datetime,
            clock: Callable[[], datetime] | None = None) -> str:
    """Run one job for the period of ``now``; return succeeded, failed or skipped."""
    job = JOBS[job_id]
    key = job.run_key(now)
    with database.session() as claim_session:
        run = _claim(claim_session, job, key, now)
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
