"""``flask --app wsgi recert open-cycle --fy YEAR`` (and ``recert status``)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.core.clock import utcnow
from lms.core.db import get_database
from lms.core.errors import DomainError
from lms.recert import services

recert_cli = AppGroup("recert", help="Annual recertification cycles.")


@recert_cli.command("open-cycle")
@click.option("--fy", "fiscal_year", type=int, required=True, help="The fiscal year (FY N starts October 1 of N-1).")
def open_cycle(fiscal_year: int) -> None:
    """Open a fiscal year's recertification cycle (does nothing if it is open already)."""
    now = utcnow()
    with get_database().session() as db_session:
        try:
            cycle, created = services.open_cycle(db_session, fiscal_year, now=now, via="cli")
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        db_session.commit()
        due = cycle.due_on.isoformat()
    if created:
        click.echo(f"Opened the recertification cycle for fiscal year {fiscal_year}; due {due}.")
    else:
        click.echo(f"The recertification cycle for fiscal year {fiscal_year} is already open; due {due}.")


@recert_cli.command("status")
def status() -> None:
    """Print each cycle's counts."""
    now = utcnow()
    with get_database().session() as db_session:
        for s in services.cycle_statuses(db_session, now=now):
            line = f"FY{s.cycle.fiscal_year} due {s.cycle.due_on.isoformat()}: "
            if s.in_scope is not None:
                line += (f"{s.complete} complete, {s.outstanding} not yet, {s.exempt} in new-user training, ")
            click.echo(line + f"{s.suspended_now} suspended now, {s.suspended_ever} suspended in all, "
                              f"{s.reminders_sent} reminders mailed")
