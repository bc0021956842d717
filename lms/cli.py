"""Command-line entry points: ``flask --app wsgi db|users|lms|scheduler ...``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.core import migrate
from lms.core.clock import utcnow
from lms.core.db import get_database

db_cli = AppGroup("db", help="Migrate the LMS and sandbox databases.")
scheduler_cli = AppGroup("scheduler", help="Run scheduled jobs.")
content_cli = AppGroup("content", help="Load the course content shipped with the code (idempotent).")


def _databases(which: str) -> list[tuple[str, str]]:
    targets = []
    if which in ("all", "lms"):
        targets.append(("lms", current_app.config["DATABASE_URL"]))
    if which in ("all", "sandbox") and migrate.available("sandbox"):
        targets.append(("sandbox", current_app.config["SANDBOX_DATABASE_URL"]))
    return targets


@db_cli.command("upgrade")
@click.option("--database", "which", type=click.Choice(["all", "lms", "sandbox"]), default="all")
@click.argument("revision", default="head")
def db_upgrade(which: str, revision: str) -> None:
    """Upgrade the databases to the newest schema (or REVISION)."""
    for name, url in _databases(which):
        migrate.upgrade(url, name, revision)
        click.echo(f"{name} database upgraded to {revision}.")


@db_cli.command("downgrade")
@click.option("--database", "which", type=click.Choice(["lms", "sandbox"]), required=True)
@click.argument("revision")
def db_downgrade(which: str, revision: str) -> None:
    """Downgrade one database to REVISION (e.g. -1 or base)."""
    for name, url in _databases(which):
        migrate.downgrade(url, name, revision)
        click.echo(f"{name} database downgraded to {revision}.")


@db_cli.command("check")
def db_check() -> None:
    """Fail if the models and the migrated schema differ."""
    for name, url in _databases("all"):
        migrate.check(url, name)
        click.echo(f"{name}: models and schema agree.")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the scheduler in the foreground (one process per deployment is enough; more are safe)."""
    from lms.scheduler import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)  # type: ignore[attr-defined]
    click.echo("Scheduler running; jobs: " + ", ".join(j.id for j in scheduler.get_jobs()))
    scheduler.start()


@scheduler_cli.command("run-job")
@click.argument("job_id")
def scheduler_run_job(job_id: str) -> None:
    """Run one job now, once for its current period."""
    from lms.core.jobs import JOBS, run_job

    if job_id not in JOBS:
        raise click.BadParameter(f"no job {job_id!r}; known: {', '.join(sorted(JOBS))}")
    status = run_job(get_database(), current_app.config, job_id, now=utcnow())
    click.echo(f"{job_id}: {status}")


@scheduler_cli.command("catch-up")
def scheduler_catch_up() -> None:
    """Run each daily job's latest period if it was missed (the scheduler does this as it starts)."""
    from lms.core.jobs import catch_up

    for job_id, status in catch_up(get_database(), current_app.config, now=utcnow()).items():
        click.echo(f"{job_id}: {status}")


@content_cli.command("load")
def content_load() -> None:
    """Load every package's content (the User Policy and Responsibility Agreement ...); safe to run again."""
    from lms.core.errors import DomainError

    lines: list[str] = []
    with get_database().session() as db_session:
        try:
            for loader in current_app.extensions.get("lms.content_loaders", []):
                lines += loader(db_session, now=utcnow())
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        db_session.commit()
    for line in lines or ["No content to load."]:
        click.echo(line)


def init_app(app: Flask) -> None:
    import lms.jobs  # noqa: F401 - registers the core jobs
    from lms.accounts.cli import lms_cli, users_cli

    for group in (db_cli, scheduler_cli, users_cli, lms_cli):
        app.cli.add_command(group)
    lms_cli.add_command(content_cli)
