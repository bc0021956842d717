"""What every sandbox page shares: the signed-in person's own workspace, and a refused form's problems."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lms.core.clock import utcnow
from lms.core.driver import PreparedRead
from lms.core.errors import DomainError
from lms.core.web import current_user_id
from sandbox import services
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_database, get_sandbox_session
from sandbox.models import Workspace
from sandbox.validation import ValidationFailed


def own_workspace() -> Workspace:
    """Return the signed-in person's own workspace, creating (and committing) it on first use."""
    sdb = get_sandbox_session()
    ws = services.workspace_for_user(sdb, current_user_id(), now=utcnow(), create=False)
    if ws is None:
        ws = services.workspace_for_user(sdb, current_user_id(), now=utcnow())
        commit_sandbox()
    return ws


_workspaces = Workspace.__table__
#: A kept page's one sandbox read (compiled once, run on the driver: no ORM session opens for a kept page).
_VERSION = PreparedRead(sa.select(_workspaces.c.id, _workspaces.c.data_version, _workspaces.c.reset_at)
                        .where(_workspaces.c.ref == sa.bindparam("ref")))


def workspace_version() -> tuple | None:
    """What a kept sandbox page (lms.core.kept_pages) was rendered from: the person's workspace and its data
    version (read before the page's own reads, so a page is never newer than its key says); None before the
    workspace exists (the page makes it)."""
    row = _VERSION.one_or_none(get_sandbox_database(), ref=services.user_ref(current_user_id()))
    return None if row is None else (row.id, row.data_version, row.reset_at)


def show_problems(form, exc: ValidationFailed) -> None:
    """Put each rule problem beside its field (or in the summary when the form has no such field)."""
    form.rule_problems = []
    for p in exc.problems:
        field = getattr(form, p.field, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [p.message]
        else:
            form.rule_problems.append(p.message)


def form_status(form) -> int:
    """400 when the form came back with problems, so a refused POST is never a 200."""
    return 400 if (form.errors or getattr(form, "rule_problems", None)) else 200


def fail(form, exc: DomainError) -> None:
    get_sandbox_session().rollback()
    if isinstance(exc, ValidationFailed):
        show_problems(form, exc)
    else:
        form.rule_problems = [exc.message]


def no_entry_reason(sdb, ws_id: int, c, today: date) -> str | None:
    """Return why the client cannot be entered into a project today (no current consent), or None."""
    try:
        services.require_roi(sdb, ws_id, c, on=today)
    except services.NoConsent as exc:
        return exc.message
    return None
