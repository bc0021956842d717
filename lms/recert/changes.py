"""The recertification data version: one counter that every committed change to what the dashboard shows raises.

The dashboard keeps what it rendered per process (:mod:`lms.recert.dashboard.cache`), keyed by this
counter, so another process's change must be seen on the next request.  Any session (the application's,
a job's, the command line's, a test's) that adds, changes or deletes a row of a table the dashboard reads
(:data:`TRACKED`; of ``users`` only the columns it shows or filters on) is marked (:func:`mark_changed`;
flushed ORM changes and DML run through ``Session.execute`` mark by themselves), and its commit raises
the counter in the same transaction as the change.

The counter is raised as the transaction's last statement (:func:`lms.core.db.raise_at_commit`), not at
the first flush: on PostgreSQL the updated row stays locked until the commit, and a lock taken last
waits for no other lock, so it can never deadlock and holds writers back for the commit only.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.core.db import raise_at_commit

#: The tables the dashboard's counts, chart, list and filters are read from.
TRACKED = frozenset({"evidence", "recert_suspensions", "recert_cycles", "agency_memberships", "role_grants",
                     "training_plans", "users", "agencies", "cocs"})
#: The columns of ``users`` the dashboard reads (sign-ins and "last seen" change others every minute).
USER_COLUMNS = ("is_active", "full_name", "email")

#: The one-row table holding the counter (its model: :class:`lms.recert.models.RecertDataVersion`).
version_table = sa.table("recert_data_version", sa.column("id"), sa.column("version"))

_KEY = "lms.recert.changed"


def mark_changed(db_session: Session) -> None:
    """Say that ``db_session``'s transaction changes what the dashboard shows (its commit raises the version)."""
    db_session.info[_KEY] = True


def has_pending_changes(db_session: Session) -> bool:
    """Whether ``db_session``'s open transaction changed dashboard data not yet committed (the dashboard
    then reads everything afresh and keeps nothing)."""
    return bool(db_session.info.get(_KEY)) or any(_relevant(o) for o in (*db_session.new, *db_session.dirty,
                                                                          *db_session.deleted))


def _relevant(obj: Any) -> bool:
    table = getattr(obj, "__table__", None)
    if table is None or table.name not in TRACKED:
        return False
    if table.name != "users":
        return True
    state = sa.inspect(obj)
    if state.pending or state.deleted or not state.persistent:
        return True
    return any(state.attrs[c].history.has_changes() for c in USER_COLUMNS)


@event.listens_for(Session, "before_flush")
def _track_flush(session: Session, _context, _instances) -> None:  # noqa: ANN001
    if _KEY not in session.info and any(_relevant(o) for o in (*session.new, *session.dirty, *session.deleted)):
        mark_changed(session)


@event.listens_for(Session, "do_orm_execute")
def _track_statement(state) -> None:  # noqa: ANN001
    """Bulk INSERT, UPDATE and DELETE run through the session (``session.execute(sa.update(...))``)."""
    if (state.is_insert or state.is_update or state.is_delete) and _KEY not in state.session.info:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in TRACKED:
            mark_changed(state.session)


def _raise_version(session: Session, _mark: bool) -> None:
    session.connection().execute(sa.update(version_table).values(version=version_table.c.version + 1))


raise_at_commit(_KEY, _raise_version)
