"""``flask --app wsgi credentials issue EMAIL --username NAME`` (and ``credentials queue``)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from lms.accounts.services import find_by_email
from lms.core.clock import utcnow
from lms.core.db import get_database
from lms.core.errors import DomainError
from lms.credentials import services
from lms.training import rules as training_rules

credentials_cli = AppGroup("credentials", help="Issue live HMIS credentials.")


def _zone() -> str:
    return current_app.config.get("TIME_ZONE") or training_rules.DEFAULT_ZONE


@credentials_cli.command("issue")
@click.argument("email")
@click.option("--username", required=True, help="The person's user name in the live HMIS.")
def issue(email: str, username: str) -> None:
    """Issue live credentials to an eligible person and print the temporary password once."""
    now = utcnow()
    with get_database().session() as db_session:
        person = find_by_email(db_session, email)
        if person is None:
            raise click.ClickException(f"No one has the e-mail address {email.strip().lower()}.")
        try:
            credential, password = services.issue(db_session, person, username=username, now=now, zone=_zone())
        except DomainError as exc:
            lines = exc.reasons if exc.reasons else [exc.message]
            if isinstance(exc, services.NotEligible):
                lines = [f"Live credentials cannot be issued to {person.full_name} yet:"] + [f"  - {r}" for r in lines]
            raise click.ClickException("\n".join(lines)) from None
        db_session.commit()
    click.echo(f"Issued live credentials to {person.full_name}: HMIS user name {credential.username}.")
    click.echo(f"Temporary password (shown once; enter it in the live HMIS now): {password}")


@credentials_cli.command("queue")
def queue() -> None:
    """Print how many people are eligible, and each person not yet eligible with the reasons."""
    with get_database().session() as db_session:
        data = services.queue(db_session, now=utcnow(), zone=_zone())
        click.echo(f"Eligible for live credentials: {len(data.eligible)}")
        for row in data.eligible:
            click.echo(f"  {row.person.email}")
        click.echo(f"Not yet eligible: {len(data.waiting)}")
        for row in data.waiting:
            click.echo(f"  {row.person.email}")
            for reason in row.eligibility.reasons:
                click.echo(f"    - {reason}")
