"""A per-process copy of rarely changed rows, per database, trusted for a few seconds.

Settings and the courses' current videos are read on every request (the video heartbeat
among them) but change a few times a year.  :class:`EngineCache` keeps what a loader read,
per engine (an app, and each test's app, has its own) and per key, for ``seconds``: a
change made in this process is seen at once (:meth:`forget_after_transaction` empties the
copy now and when the changing transaction ends), another worker or host sees it within
``seconds``.  Keep plain values in it (dicts, frozen dataclasses), never ORM objects.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import TYPE_CHECKING, Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from lms.core.db import Database


def engine_of(source: "Session | Database") -> sa.Engine:
    """The engine a session (bound to it, or to one of its connections, as in the tests) or a database uses:
    what per-process copies are kept by."""
    if isinstance(source, Session):
        bind = source.get_bind()
        return bind.engine if isinstance(bind, sa.Connection) else bind
    return source.engine


class _Copy:
    def __init__(self) -> None:
        #: key -> (value, when it was read)
        self.values: dict[Any, tuple[Any, float]] = {}
        #: Bumped by every change, so a read that began before it cannot store what it read.
        self.generation = 0
        self.lock = threading.Lock()


class EngineCache:
    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._copies: weakref.WeakKeyDictionary[sa.Engine, _Copy] = weakref.WeakKeyDictionary()

    def _copy(self, source: "Session | Database") -> _Copy:
        engine = engine_of(source)
        copy = self._copies.get(engine)
        if copy is None:
            copy = self._copies.setdefault(engine, _Copy())
        return copy

    def get(self, source: "Session | Database", key: Any, load: Callable[[Session], Any]) -> Any:
        """Return the copy of ``key``, or what ``load`` reads when there is none or it is stale.

        ``source`` is a session, or a :class:`lms.core.db.Database` for callers with no ORM session open
        (the heartbeats: opening and closing one only to find this copy cost them a tenth of their time);
        a miss then reads in a short session of the database's own."""
        copy, now = self._copy(source), self.clock()
        generation, hit = copy.generation, copy.values.get(key)
        if hit is not None and now - hit[1] < self.seconds:
            return hit[0]
        if isinstance(source, Session):
            value = load(source)
        else:
            with source.session() as db_session:
                value = load(db_session)
        with copy.lock:
            if copy.generation == generation:
                copy.values[key] = (value, now)
        return value

    def forget_after_transaction(self, db_session: Session, on_forget: Callable[[Session], None] | None = None) -> None:
        """Empty this database's copy now and when ``db_session``'s transaction ends (committed or not)."""
        copy = self._copy(db_session)

        def forget(session: Session, *_args: Any) -> None:
            with copy.lock:
                copy.values.clear()
                copy.generation += 1
            if on_forget is not None:
                on_forget(session)

        forget(db_session)
        sa.event.listen(db_session, "after_commit", forget, once=True)
        sa.event.listen(db_session, "after_soft_rollback", forget, once=True)
