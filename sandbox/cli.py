"""``flask --app wsgi sandbox reset | reset-workspace | export | import``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.core import audit, migrate
from lms.core.clock import utcnow
from lms.core.db import get_database
from lms.core.errors import DomainError
from sandbox import services
from sandbox.db import get_sandbox_database

sandbox_cli = AppGroup("sandbox", help="The training HMIS: reset, export and import.")


def _audit(action: str, **details) -> None:
    with get_database().session() as db_session:
        audit.record(db_session, action=action, now=utcnow(), ip="cli", **details)
        db_session.commit()


@sandbox_cli.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask to confirm.")
def reset(yes: bool) -> None:
    """Rebuild the whole sandbox database: every workspace of every trainee is emptied."""
    if not yes:
        click.confirm("This deletes every trainee's sandbox work. Continue?", abort=True)
    url = current_app.config["SANDBOX_DATABASE_URL"]
    get_sandbox_database().engine.dispose()
    migrate.downgrade(url, "sandbox", "base")
    migrate.upgrade(url, "sandbox")
    _audit("sandbox.reset_all")
    click.echo("The sandbox database was rebuilt; workspaces are created again at each trainee's next visit.")


@sandbox_cli.command("reset-workspace")
@click.argument("workspace")
@click.option("--yes", is_flag=True, help="Do not ask to confirm.")
def reset_workspace(workspace: str, yes: bool) -> None:
    """Empty one workspace (by reference such as user:42, or number) and give it its projects again."""
    with get_sandbox_database().session() as sdb:
        try:
            ws = services.get_workspace(sdb, workspace)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        if not yes:
            click.confirm(f"Delete everything in workspace {ws.ref}?", abort=True)
        services.reset_workspace(sdb, ws, now=utcnow())
        sdb.commit()
        ref = ws.ref
    _audit("sandbox.workspace_reset", workspace=ref)
    click.echo(f"Workspace {ref} is empty again.")


@sandbox_cli.command("export")
@click.argument("workspace")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export(workspace: str, directory: Path) -> None:
    """Write WORKSPACE as an HMIS CSV FY2026 set into DIRECTORY."""
    from sandbox.csv.export import export_workspace

    with get_sandbox_database().session() as sdb:
        try:
            ws = services.get_workspace(sdb, workspace)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        try:
            counts = export_workspace(sdb, ws.id, directory, now=utcnow())
        except OSError as exc:
            raise click.ClickException(f"Cannot write the files into {directory}: {exc.strerror or exc}") from None
    for name, n in counts.items():
        click.echo(f"{name:<28} {n:>8} rows")
    click.echo(f"Exported workspace {ws.ref} to {directory}.")


@sandbox_cli.command("import")
@click.argument("workspace")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--create", is_flag=True, help="Create the workspace if it does not exist.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the CSV report (default: beside DIRECTORY).")
def import_(workspace: str, directory: Path, create: bool, report: Path | None) -> None:
    """Import an HMIS CSV FY2026 set from DIRECTORY into an empty WORKSPACE (all or nothing, with a report)."""
    from sandbox.csv.importer import ImportRefused, WorkspaceNotEmpty, import_directory, record_run

    now = utcnow()
    with get_sandbox_database().session() as sdb:
        try:
            ws = services.get_workspace(sdb, workspace)
        except DomainError as exc:
            if not create:
                raise click.ClickException(exc.message + " (use --create to make it)") from None
            try:
                ws = services.create_workspace(sdb, workspace, user_label=workspace[:32], now=now, seed=False)
            except DomainError as exc:
                raise click.ClickException(exc.message) from None
        ref = ws.ref
        with click.progressbar(length=1000, label="Importing", show_percent=True) as bar:
            done = [0]

            def progress(fraction: float) -> None:
                step = int(fraction * 1000) - done[0]
                if step > 0:
                    bar.update(step)
                    done[0] += step

            try:
                result = import_directory(sdb, ws.id, directory, now=now, progress=progress, report_path=report)
            except ImportRefused as exc:
                sdb.rollback()
                click.echo("")
                for line in exc.report_lines():
                    click.echo(line, err=True)
                if not isinstance(exc, WorkspaceNotEmpty):
                    record_run(sdb, workspace_ref=ref, source=str(directory), now=now, findings=exc.findings,
                               rows=0, outcome="refused")
                    sdb.commit()
                    if exc.findings is not None and exc.findings.report_path:
                        click.echo(f"Report: {exc.findings.report_path}", err=True)
                raise click.ClickException(f"The set was refused: {len(exc.problems)} problem(s); nothing was imported.")
        record_run(sdb, workspace_ref=ref, source=str(directory), now=now, findings=result.findings,
                   rows=sum(result.values()), outcome="imported")
        sdb.commit()
    _audit("sandbox.imported", workspace=ref, rows=sum(result.values()))
    for line in result.summary_lines():
        click.echo(line)
    click.echo(f"Report: {result.report_path}")
    click.echo(f"Imported into workspace {ref}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(sandbox_cli)
