"""``flask --app wsgi users create`` and ``flask --app wsgi lms demo``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from lms.accounts import services
from lms.accounts.roles import Role
from lms.core.clock import utcnow
from lms.core.db import get_database
from lms.core.errors import DomainError
from lms.orgs.models import Agency, Coc

users_cli = AppGroup("users", help="Manage people.")
lms_cli = AppGroup("lms", help="Seed and manage the LMS.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", "role_name", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "full_name", default=None, help="Full name (defaults to the e-mail's local part).")
@click.option("--agency", "agency_id", type=int, default=None, help="Agency id (agency roles, end users).")
@click.option("--coc", "coc_id", type=int, default=None, help="CoC id (HMIS managers).")
def create_user(email: str, role_name: str, full_name: str | None, agency_id: int | None, coc_id: int | None) -> None:
    """Create a person with one role and print their one-time password."""
    role = Role(role_name)
    now = utcnow()
    with get_database().session() as db_session:
        agency = db_session.get(Agency, agency_id) if agency_id else None
        coc = db_session.get(Coc, coc_id) if coc_id else None
        if agency_id and agency is None:
            raise click.BadParameter(f"there is no agency {agency_id}", param_hint="--agency")
        if coc_id and coc is None:
            raise click.BadParameter(f"there is no CoC {coc_id}", param_hint="--coc")
        try:
            user, password = services.create_user(db_session, current_app.extensions["lms.passwords"], email=email,
                                                  full_name=full_name or email.split("@")[0], now=now)
            services.grant_role(db_session, user, role, now=now, agency=agency, coc=coc)
            if agency is not None:
                services.add_membership(db_session, user, agency, started_on=now.date(), now=now)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        db_session.commit()
    click.echo(f"Created {email} as {role.label}.")
    click.echo(f"One-time password (shown once; it must be changed at first sign-in): {password}")


@lms_cli.command("demo")
@click.option("--reset-passwords", is_flag=True, help="Give every demo person a new one-time password.")
def demo(reset_passwords: bool) -> None:
    """Seed the demo world (idempotent) and print each new one-time password once."""
    from lms import demo as demo_world

    now = utcnow()
    with get_database().session() as db_session:
        result = demo_world.seed(db_session, current_app.extensions["lms.passwords"], now=now,
                                 issuer=current_app.config["TOTP_ISSUER"], reset_passwords=reset_passwords)
        db_session.commit()
    if not result.created_anything:
        click.echo("The demo world already exists; nothing was changed. "
                   "Run `flask --app wsgi lms demo --reset-passwords` to print new passwords.")
        return
    click.echo(f"Demo world ready ({result.created_orgs} CoCs, agencies and projects created).")
    click.echo("One-time passwords (shown only now; each must be changed at first sign-in):\n")
    width = max(len(p.email) for p in result.people)
    for p in result.people:
        if not p.password:
            click.echo(f"  {p.email:<{width}}  {p.role.label:<34}  (exists; password unchanged)")
            continue
        click.echo(f"  {p.email:<{width}}  {p.role.label:<34}  {p.password}")
        if p.totp_secret:
            click.echo(f"  {'':<{width}}  TOTP key (add it to an authenticator app): {p.totp_secret}")
            click.echo(f"  {'':<{width}}  {p.totp_uri}")
        if p.recovery_codes:
            click.echo(f"  {'':<{width}}  Recovery codes (each works once): {' '.join(p.recovery_codes)}")
    click.echo("")
