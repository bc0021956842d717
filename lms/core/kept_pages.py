"""Kept pages: a trainee's page rendered once and served again, per process, until what it shows changes.

The trainee's home, checklist and sandbox home are opened again and again (every return from a video, a
test, a practice case), and rendering them costs several times the request around them.  A view
decorated with :func:`kept` is rendered once and its HTML kept under a key of everything it was rendered
from:

* the person and their own page version, and the shared page version (:mod:`lms.core.page_versions`: every
  committed change to a row the page may show raises one of them, in the same transaction), read with the
  session in the signed-in request's one statement, so a kept page costs no statement of its own;
* what the view adds (the sandbox home: its workspace's ``data_version``);
* the path with its query string, the HMIS Lead's local date (a page says "due in 3 days"), the session's
  CSRF secret (the page's forms carry a token made from it) and whether the second factor is done.

A kept page is also never older than :data:`SECONDS` (what a page says about the time of day, as a test's
"retake after 2:15 PM", is never more than that late).  Only trainees' pages are kept (staff pages show
other people's work, which neither version of theirs follows), only answers 200 in HTML to a GET, and
never when the session holds a message to show once (the page that shows it is rendered, and not kept).

A list's count can be kept the same way (:func:`kept_count`, per shared version: the people list's).
"""

from __future__ import annotations

import collections
import functools
import threading
import time
from typing import Any, Callable, Hashable

import sqlalchemy as sa
from flask import Flask, current_app, request, session
from sqlalchemy.orm import Session

from lms.core import display
from lms.core.clock import utcnow
from lms.core.web import current_session

#: The longest a kept page is served.
SECONDS = 30.0
#: Kept pages per process (the least recently served go first); a page is some 10-30 KB.
MAX_PAGES = 1000


class PageStore:
    """Pages (and list counts, :func:`kept_count`) kept in this process: key -> (what, when it was made)."""

    def __init__(self, *, seconds: float = SECONDS, max_pages: int = MAX_PAGES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.max_pages, self.clock = seconds, max_pages, clock
        self._pages: collections.OrderedDict[Hashable, tuple[Any, float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            kept = self._pages.get(key)
            if kept is None:
                return None
            if self.clock() - kept[1] >= self.seconds:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return kept[0]

    def put(self, key: Hashable, body: Any) -> None:
        with self._lock:
            self._pages[key] = (body, self.clock())
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)


def store(app: Flask | None = None) -> PageStore:
    """This application's kept pages (each app, and so each test's, has its own)."""
    app = app or current_app
    found = app.extensions.get("lms.kept_pages")
    if found is None:
        found = app.extensions.setdefault("lms.kept_pages", PageStore())
    return found


def kept_count(db_session: Session, statement: sa.Select) -> int:
    """Run a list's count (``statement``: one object per list, as :func:`lms.core.web.paginate` keeps them)
    once per shared page version, kept beside the pages (and, like them, for :data:`SECONDS` at most).

    Only for a list whose count follows data every change of which raises the shared version: the people
    list (people, their names, status, locks and roles; :mod:`lms.core.page_versions`); and only for a
    statement built once (a search's, built anew for each request, would only push pages out)."""
    live = current_session()
    if live is None:
        return db_session.execute(statement).scalar_one()
    key = ("count", statement, live.shared_version)
    kept = store().get(key)
    if kept is None:
        kept = db_session.execute(statement).scalar_one()
        store().put(key, kept)
    return kept


def _key(live: Any, extra: Hashable) -> Hashable:
    today = utcnow().astimezone(display.local_zone()).date()
    return (request.endpoint, request.full_path, live.user_id, live.page_version, live.shared_version,
            live.mfa_passed, today, session.get("csrf_token"), extra)


def kept(extra: Callable[[], Hashable | None] | None = None) -> Callable:
    """Keep the view's page for a signed-in trainee (see the module's docstring).

    ``extra`` returns what else the page was rendered from (it runs before the view, on every request),
    or None to render this request's page afresh and keep nothing."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            live = current_session()
            if live is None or live.is_staff or request.method not in ("GET", "HEAD") or "_flashes" in session:
                return view(*args, **kwargs)
            more = extra() if extra is not None else ()
            if more is None:
                return view(*args, **kwargs)
            pages = store()
            body = pages.get(_key(live, more))
            if body is not None:
                return current_app.response_class(body, mimetype="text/html")
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code == 200 and response.mimetype == "text/html" and not response.direct_passthrough \
                    and "_flashes" not in session:
                # The key again: the page may have made the session's CSRF secret.
                pages.put(_key(live, more), response.get_data())
            return response

        return wrapper

    return decorate
