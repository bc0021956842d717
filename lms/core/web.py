"""Helpers every view uses: the edge commit, access checks, client address, pagination.

Access: each view declares who may reach it with :func:`require` (roles) and, for
objects, checks ownership itself before acting.  ``tests/functional/test_role_matrix.py``
walks the URL map and proves every route refuses the roles it must.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Iterable, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import Session

from lms.core.roles import Role
from lms.core.clock import utcnow
from lms.core.converters import MAX_ID
from lms.core.db import get_db_session
from lms.core.mail import dispatch_pending

F = TypeVar("F", bound=Callable[..., Any])

#: Attribute set on a view function by the access decorators, read by the role-matrix test.
ACCESS_ATTR = "_lms_access"
#: Attribute set by :func:`accepts_files`; the request guard refuses uploads to every other view.
FILES_ATTR = "_lms_accepts_files"
#: Attribute set by :func:`upload_limit`: the largest request body (bytes) the view takes, from the config.
UPLOAD_LIMIT_ATTR = "_lms_upload_limit"
#: Attribute of views that authenticate each call themselves (API tokens): the cookie session is not read.
COOKIELESS_ATTR = "_lms_cookieless"
#: Attribute of views that take a JSON body (the request guard refuses JSON to every other view).
JSON_ATTR = "_lms_accepts_json"


class Application(Flask):
    """Flask, minus a check repeated on every request.

    Flask asks of every hook and view, on every call, whether it is a coroutine function
    (``ensure_sync``): a dozen ``inspect`` calls per request for an answer that never changes
    (this application has no async views).  The answer is kept per function.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._synced: dict[Any, Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._synced[func]
        except KeyError:
            synced = self._synced[func] = super().ensure_sync(func)
            return synced
        except TypeError:  # not hashable
            return super().ensure_sync(func)


def commit(db_session: Session | None = None) -> None:
    """Commit the request's work, then send the mail it queued (the transactional outbox)."""
    db_session = db_session or get_db_session()
    queued = db_session.info.pop("lms.outbox_queued", [])
    db_session.commit()
    if queued:
        try:
            dispatch_pending(db_session, current_app.config, now=utcnow(), ids=queued)
        except Exception:  # noqa: BLE001 - the mail job retries; the user's change is safe
            current_app.logger.exception("mail dispatch after commit failed; the job will retry")
            db_session.rollback()


def client_ip() -> str | None:
    """Return the client's address (ProxyFix has already applied X-Forwarded-For in production)."""
    return request.remote_addr


def public(view: F) -> F:
    """Mark a view as open to anyone, signed in or not."""
    setattr(view, ACCESS_ATTR, "public")
    return view


def signed_in(view: F) -> F:
    """Let any signed-in person reach the view."""
    setattr(view, ACCESS_ATTR, "signed_in")

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # The live session is enough: the person's row loads only if the view asks for current_user.
        if g.get("user_session") is None:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require(*roles: Role) -> Callable[[F], F]:
    """Let only people holding one of ``roles`` reach the view (403 for others, sign-in for anonymous)."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.roles.intersection(allowed):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, allowed)
        return wrapper  # type: ignore[return-value]

    return decorator


def accepts_files(view: F) -> F:
    """Mark a view as taking uploaded files (every other view answers 400 to a request carrying one,
    since its form fields would otherwise receive file objects instead of text)."""
    setattr(view, FILES_ATTR, True)
    return view


def upload_limit(limit: Callable[[Any], int], what: str) -> Callable[[F], F]:
    """Let a file-taking view receive up to ``limit(app.config)`` bytes (instead of MAX_CONTENT_LENGTH);
    a larger request is refused with 400 naming ``what`` before any of it is read."""

    def decorator(view: F) -> F:
        setattr(view, UPLOAD_LIMIT_ATTR, (limit, what))
        return view

    return decorator


def get_or_404(db_session: Session, model: type, ident: Any) -> Any:
    """Load a row by primary key, or answer 404 (ids from URLs are validated by converters)."""
    obj = db_session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def int_arg(name: str, *, maximum: int = MAX_ID) -> int | None:
    """Read a whole number from the query string, or None when it is missing, not plain ASCII digits
    (``isdigit`` alone lets "²" through, which ``int`` refuses), or above ``maximum``."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)):
        return None
    value = int(raw)
    return value if value <= maximum else None


def page_arg() -> int:
    """Read ?page= as a positive number (bad values mean page 1)."""
    page = int_arg("page", maximum=99999)
    return page if page else 1


def paginate(db_session: Session, query: sa.Select, *, per_page: int = 25,
             rows: Callable[[list[Any]], list[Any]] | None = None,
             count: Callable[[Session, sa.Select], int] | None = None) -> Page:
    """Run ``query`` for the requested page only, and count the whole.  Items are the first column's
    values (the entities); with ``rows``, what it makes of the page's whole rows (for a query of the
    columns a list shows, cheaper than entities); with ``count``, how the count statement is run (the
    people list keeps it: :func:`lms.core.kept_pages.kept_count`)."""
    page = page_arg()
    counting, paged = _paging_statements(query)
    total = count(db_session, counting) if count is not None else db_session.execute(counting).scalar_one()
    result = db_session.execute(paged, {"page_limit": per_page, "page_offset": (page - 1) * per_page})
    items = rows(result.all()) if rows is not None else list(result.unique().scalars())
    return Page(items=items, page=page, per_page=per_page, total=total)


@functools.lru_cache(maxsize=64)
def _paging_statements(query: sa.Select) -> tuple[sa.Select, sa.Select]:
    """The count of ``query`` and one page of it (limit and offset given when run), built once per query
    object: a list whose query is built once (see ``lms.accounts.services.people_query``) then reuses
    both statements and their cache keys, which SQLAlchemy would otherwise work out on every request."""
    return (sa.select(sa.func.count()).select_from(query.order_by(None).subquery()),
            query.limit(sa.bindparam("page_limit")).offset(sa.bindparam("page_offset")))


def search_arg(name: str = "q", max_len: int = 100) -> str:
    """Return a trimmed search term from the query string (over-long input is cut)."""
    return (request.args.get(name) or "").strip()[:max_len]


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[Role] | None = None  # None: every signed-in person
    admin: bool = False  # staff work outside /admin (lists, queues, reports): shown in the header's Admin submenu


#: Navigation, in order; each person sees the entries their roles allow. Packages append to it.
NAVIGATION: list[NavItem] = []


def add_navigation(items: Iterable[NavItem]) -> None:
    for item in items:
        if item not in NAVIGATION:
            NAVIGATION.append(item)


def navigation_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user.roles
    return [
        i for i in NAVIGATION
        if (i.roles is None or roles.intersection(i.roles)) and i.endpoint in current_app.view_functions
    ]


def current_session():
    """Return the request's live session (``lms.auth.web.LiveSession``: its ``id``, ``user_id``,
    ``mfa_passed`` ...; set by the auth before-request hook), or None when nobody is signed in."""
    return g.get("user_session")


def current_user_id() -> int | None:
    """Return the signed-in person's id without loading their row (for the most frequent requests)."""
    us = g.get("user_session")
    return us.user_id if us is not None else None
