"""The dashboard as it was rendered, kept per process until the recertification data changes.

Counting 5,000 people's status and rendering their counts, chart and page costs some 50 ms; most
requests ask for what was rendered a moment ago.  Each process keeps the rendered page body of the
last few requests per database (an LRU of :data:`SIZE`), keyed by everything it is made of:

- the recertification data version (:mod:`lms.recert.changes`; any committed change to the evidence,
  suspensions, cycles, memberships, grants, plans, people, agencies or CoCs raises it, in whichever
  process) and when the next evidence dated ahead of now falls (it starts counting then), both read in
  one small statement on every request (:func:`version_of`);
- the local date and the time zone (statuses turn overdue after the due date, the default cycle is the
  current fiscal year's);
- the viewer's scope (everyone, or which CoCs and agencies: :func:`lms.recert.dashboard.scope.scope_key`);
- the query string, as given (the filters, the page and the pager's links are all made from it).

A session that has changed dashboard data in its open transaction neither reads nor keeps a copy.

The counts and the chart are kept on their own too (:func:`kept`, by cycle, scope and the CoC, agency and
search filters): the status filter and the page change the list only, so the other pages of one version
read one page of people, not everyone's status again.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from datetime import datetime
from typing import Any, Callable, Hashable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.cache import engine_of
from lms.core.driver import PreparedRead, in_session
from lms.recert import changes
from lms.recert.models import RecertDataVersion
from lms.training.models import Evidence

#: Rendered bodies kept per database (about 60 KB each for a 50-row page).
SIZE = 64


#: The data version and the first evidence dated after ``now``: compiled once and run straight on the driver
#: (:mod:`lms.core.driver`), skipping the ORM's statement machinery.
_VERSION = PreparedRead(
    sa.select(RecertDataVersion.version,
              sa.select(sa.func.min(Evidence.achieved_at)).where(Evidence.achieved_at > sa.bindparam("now"))
              .scalar_subquery().label("ahead"))
    .where(RecertDataVersion.id == 1))


def version_of(db_session: Session, now: datetime) -> tuple[int, datetime | None] | None:
    """The data version and the time of the first evidence after ``now`` (one statement), or None when
    nothing may be kept (this session has uncommitted changes, or the counter's row is missing).

    Read in ``db_session``'s own transaction, before the page reads anything else there: what the page then
    reads is of that version or a later one (PostgreSQL, READ COMMITTED), or of exactly that version
    (SQLite's snapshot, taken at the transaction's first read).  Not on a connection of its own: a SQLite
    transaction that began earlier (loading the viewer) would read data older than that version."""
    if changes.has_pending_changes(db_session):
        return None
    row = in_session(db_session).one_or_none(_VERSION, now=now)
    return None if row is None else (int(row.version), row.ahead)


class _Copy:
    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.version: Any = None
        self.lock = threading.Lock()


_copies: weakref.WeakKeyDictionary[sa.Engine, _Copy] = weakref.WeakKeyDictionary()


def _copy(db_session: Session) -> _Copy:
    engine = engine_of(db_session)
    copy = _copies.get(engine)
    if copy is None:
        copy = _copies.setdefault(engine, _Copy())
    return copy


def get(db_session: Session, version: Any, key: Hashable) -> Any:
    """What was kept for ``key`` at ``version``, or None."""
    copy = _copy(db_session)
    with copy.lock:
        if copy.version != version:
            return None
        value = copy.entries.get(key)
        if value is not None:
            copy.entries.move_to_end(key)
        return value


def put(db_session: Session, version: Any, key: Hashable, value: Any) -> None:
    """Keep ``value`` for ``key`` at ``version`` (a new version drops everything kept for the old one)."""
    copy = _copy(db_session)
    with copy.lock:
        if copy.version != version:
            copy.entries.clear()
            copy.version = version
        copy.entries[key] = value
        copy.entries.move_to_end(key)
        while len(copy.entries) > SIZE:
            copy.entries.popitem(last=False)


def kept(db_session: Session, version: Any, key: Hashable, load: Callable[[], Any]) -> Any:
    """What was kept for ``key`` at ``version``, or what ``load()`` returns (then kept)."""
    value = get(db_session, version, key)
    if value is None:
        value = load()
        put(db_session, version, key, value)
    return value
