"""Page versions: two counters that say whether a kept page (:mod:`lms.core.kept_pages`) still shows the truth.

* ``users.page_version``, a person's own version: raised by every committed change to a row that is
  theirs, and to their own ``users`` row (but not to the sign-in's bookkeeping, :data:`UNSEEN_USER_COLUMNS`).
  A row is a person's when its ``user_id`` names them (by this schema's convention ``user_id`` is always
  the person the row is about: their evidence, grants, plan, suspensions, tests, practice cases; the
  other references to ``users`` (``created_by_id``, ``decided_by_id`` ...) name who acted, which does not
  make the row theirs), or when its parent row, found through a foreign key among the objects the same
  session holds, is theirs (a test's questions, a plan's requirements, a practice case's submissions).
* ``page_data_version.version``, the shared version: raised by every committed change to any other row
  (settings, agencies, the agreement, course content, recertification cycles), by a change to a person's
  name, e-mail, active flag or lock (other people's pages show them; the people list counts by them), or
  to anyone's roles (the people list counts by them), and by a bulk statement that does not say whose rows
  it changes (``execution_options(page_owners=[...])`` says so).

Tables no kept page shows and that change many times a minute (sessions, the audit log, sign-in
throttles, mail, job runs, video progress, API tokens' last use, the counters themselves) raise nothing:
:data:`UNSEEN`.

As :mod:`lms.recert.changes` does for the dashboard, the session collects what its flushes and bulk
statements changed and raises the counters as the transaction's last statements
(:func:`lms.core.db.raise_at_commit`), in the same transaction as the change: a reader sees the new rows and the new version together, and the
rows are locked for the commit only, in id order (no deadlock).  A rollback forgets it all.

Writes straight on the driver (:mod:`lms.core.driver`, the video heartbeat) bypass the session: each table
they write must be in :data:`UNSEEN` (``tests/functional/core/test_kept_pages.py`` checks), or raise the
version itself.  The sandbox has its own counter per workspace (``sandbox.models.workspace``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.db import Base, raise_at_commit

#: Tables no kept page shows, changed many times a minute (or, as an API token's last use, on every call of
#: a busy integration): changing them raises no version.
UNSEEN = frozenset({"audit_events", "user_sessions", "login_throttles", "outbox_messages", "job_runs",
                    "video_progress", "api_tokens", "recert_data_version", "page_data_version"})
#: Columns of ``users`` that other people's pages show or the people list counts by (its count is kept per
#: shared version: :func:`lms.core.kept_pages.kept_count`): changing them raises the shared version.
SHARED_USER_COLUMNS = frozenset({"full_name", "email", "is_active", "locked_at"})
#: Tables whose rows are a person's but that the people list counts by (roles): a change raises the shared
#: version (rare: an administrator's act).
SHARED_TABLES = frozenset({"role_grants"})
#: Columns of ``users`` no page shows that every sign-in or second factor changes: they raise nothing.
UNSEEN_USER_COLUMNS = frozenset({"password_hash", "last_login_at", "totp_last_step", "totp_pending_secret",
                                 "page_version"})
#: The column naming the person a row is about.
OWNER_COLUMN = "user_id"
#: How many parents up a row's owner is looked for (a review comment, its submission, its assignment).
MAX_DEPTH = 3
#: The ``execution_options`` key by which a bulk statement says whose rows it changes.
OWNERS_OPTION = "page_owners"


class PageDataVersion(Base):
    """One row: the shared page version (see the module's docstring)."""

    __tablename__ = "page_data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


sa.event.listen(PageDataVersion.__table__, "after_create",
                sa.DDL("INSERT INTO page_data_version (id, version) VALUES (1, 0)"))

_users = sa.table("users", sa.column("id"), sa.column("page_version"))
_shared = PageDataVersion.__table__


@functools.cache
def _statements() -> dict[str, Any]:
    """The two raises, built once (see lms.core.web.paginate on why statements are kept)."""
    return {
        "owners": sa.update(_users).where(_users.c.id.in_(sa.bindparam("ids", expanding=True)))
        .values(page_version=_users.c.page_version + 1),
        "shared": sa.update(_shared).where(_shared.c.id == 1).values(version=_shared.c.version + 1),
    }


def shared_version_column() -> sa.ScalarSelect:
    """The shared version as a column of another statement (the signed-in request's one read)."""
    return sa.select(_shared.c.version).where(_shared.c.id == 1).scalar_subquery()


@dataclass
class _Changed:
    owners: set[int] = field(default_factory=set)
    shared: bool = False


_KEY = "lms.page_versions"


def _changed(db_session: Session) -> _Changed:
    changed = db_session.info.get(_KEY)
    if changed is None:
        changed = db_session.info[_KEY] = _Changed()
    return changed


def mark_owners(db_session: Session, user_ids: Iterable[int]) -> None:
    """Say that ``db_session``'s transaction changes what these people's own pages show."""
    _changed(db_session).owners.update(int(i) for i in user_ids if i is not None)


def mark_shared(db_session: Session) -> None:
    """Say that ``db_session``'s transaction changes what anyone's page may show."""
    _changed(db_session).shared = True


# --- whose is a row -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Shape:
    owner_key: str | None  # the attribute holding user_id
    parents: tuple[tuple[str, Any], ...]  # (attribute holding the parent's id, the parent's mapper)


@functools.cache
def _shape(mapper: Any) -> _Shape:
    """Where a row of ``mapper`` names its person: its ``user_id``, or the foreign keys to parents that do
    (directly or further up; :func:`_owners` climbs at most MAX_DEPTH of them).  The schema's foreign keys
    between such tables form no cycle."""
    table = mapper.local_table
    owner = table.c.get(OWNER_COLUMN)
    owner_key = mapper.get_property_by_column(owner).key if owner is not None else None
    by_table = {m.local_table: m for m in Base.registry.mappers}
    parents = []
    for column in table.columns:
        for fk in column.foreign_keys:
            parent = by_table.get(fk.column.table)
            if parent is None or parent is mapper or fk.column.table.name == "users" or len(parent.primary_key) != 1:
                continue
            above = _shape(parent)
            if above.owner_key is not None or above.parents:
                parents.append((mapper.get_property_by_column(column).key, parent))
    return _Shape(owner_key, tuple(parents))


def _values(state: Any, key: str) -> set[Any]:
    """The attribute's value now and, when it changed, before (a row moved from one person to another)."""
    history = state.attrs[key].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _owners(session: Session, state: Any, depth: int = MAX_DEPTH) -> set[int] | None:
    """The people a row is about, or None when it cannot be told (the change is then shared)."""
    shape = _shape(state.mapper)
    if shape.owner_key is not None:
        return {int(v) for v in _values(state, shape.owner_key)} or None
    found: set[int] = set()
    if depth > 0:
        for key, parent in shape.parents:
            for value in _values(state, key):
                parent_obj = session.identity_map.get(parent.identity_key_from_primary_key((value,)))
                owners = _owners(session, sa.inspect(parent_obj), depth - 1) if parent_obj is not None else None
                if owners:
                    found |= owners
    return found or None


def _record(session: Session, obj: Any) -> None:
    if not isinstance(obj, Base):
        return
    state = sa.inspect(obj)
    name = state.mapper.local_table.name
    if name in UNSEEN:
        return
    if name in SHARED_TABLES:
        mark_shared(session)
        return
    if name == "users":
        if state.deleted or state.was_deleted:
            mark_shared(session)
            return
        changed = {a.key for a in state.attrs if a.history.has_changes()}
        if changed & SHARED_USER_COLUMNS:
            mark_shared(session)
        elif changed - UNSEEN_USER_COLUMNS and obj.id is not None:
            mark_owners(session, [obj.id])
        return
    if state.persistent and not state.deleted and not session.is_modified(obj, include_collections=False):
        return
    owners = _owners(session, state)
    if owners is None:
        mark_shared(session)
    else:
        mark_owners(session, owners)


@event.listens_for(Session, "after_flush")
def _track_flush(session: Session, _context) -> None:  # noqa: ANN001
    # After the flush: new rows have their ids and foreign keys (set through relationships) filled in.
    for obj in (*session.new, *session.dirty, *session.deleted):
        _record(session, obj)


@event.listens_for(Session, "do_orm_execute")
def _track_statement(state) -> None:  # noqa: ANN001
    """Bulk INSERT, UPDATE and DELETE run through the session (``session.execute(sa.update(...))``).  SQL
    written out (``sa.text``) is not looked into: the code that writes with it says what it changed
    (:func:`mark_owners`, :func:`mark_shared`); none does today.  (Every session of every database sees
    these hooks, the sandbox's and a test's scratch database among them: only the LMS's tables mark.)"""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "metadata", None) is not Base.metadata or table.name in UNSEEN:
        return
    owners = state.execution_options.get(OWNERS_OPTION)
    if owners is not None and table.name not in SHARED_TABLES:
        mark_owners(state.session, owners)
        return
    rows = state.parameters
    rows = [rows] if isinstance(rows, dict) else list(rows or [])
    owned = table.name != "users" and table.name not in SHARED_TABLES
    if state.is_insert and owned and rows and all(r.get(OWNER_COLUMN) is not None for r in rows):
        mark_owners(state.session, (r[OWNER_COLUMN] for r in rows))
    else:
        mark_shared(state.session)


def _raise_versions(session: Session, changed: _Changed) -> None:
    statements = _statements()
    if changed.owners:
        session.connection().execute(statements["owners"], {"ids": sorted(changed.owners)})
    if changed.shared:
        session.connection().execute(statements["shared"])


raise_at_commit(_KEY, _raise_versions)
