"""Wire request-wide security: the input guard, headers and rate limits.

Who is signed in is ``lms.auth``'s business (``lms/auth/web.py`` registers the session hooks and puts the
request's live session in ``g.user_session``, read with :func:`lms.core.web.current_session`).

Input no field may hold is refused here, once for every page: control characters
(NUL, ESC, DEL, the C1 range ...) in the address, the query string, a form or a
file name.  PostgreSQL cannot store NUL at all, and none of them can be typed into
a form.  Tab, line feed and carriage return stay allowed (text areas hold them),
and so do invisible format characters (U+200B ...), which the fields that care
handle themselves.  A JSON body is refused too: every page takes forms, and
Flask-WTF would hand a JSON body's numbers and lists to fields that expect text;
and so is an uploaded file, except by a view marked ``@accepts_files``.

Rate limits apply only where a view declares one (``@limiter.limit``: sign-in, second factor, password
reset, certificate verification, the API): there are no default limits, so Flask-Limiter's own
before-request check, which would look every request up for nothing, is not installed.
"""

from __future__ import annotations

import functools
import re
import time
from collections import OrderedDict
from typing import Iterator

from flask import Flask, Request, abort, g, request
from flask.sessions import SecureCookieSessionInterface
from flask.globals import request_ctx
from itsdangerous import BadSignature
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from lms.core.web import FILES_ATTR, JSON_ATTR, UPLOAD_LIMIT_ATTR

#: Unicode control characters (C0, DEL, C1) except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: What a refused request is told.
CONTROL_CHARACTER_MESSAGE = (
    "What you sent contains an invisible control character (such as NUL) that no field accepts. "
    "Please type the value again instead of pasting it, and try once more."
)
#: What a request with a JSON body is told.
JSON_BODY_MESSAGE = "This page takes form submissions, not JSON. Please use the form on the page."
#: What a request carrying a file to a page that takes none is told.
FILE_MESSAGE = "This page does not take files. Please use the form on the page."


def _submitted_text(req: Request) -> Iterator[str]:
    """Yield every piece of text the request carries: path, query and form names and values, file names."""
    yield req.path
    for multidict in (req.args, req.form):
        for key, values in multidict.lists():
            yield key
            yield from values
    for key, storage in req.files.items(multi=True):
        yield key
        yield storage.filename or ""


def has_control_characters(req: Request) -> bool:
    """Tell whether any text of the request holds a control character no field accepts."""
    return any(CONTROL_CHARACTERS.search(text) for text in _submitted_text(req))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, made cheap for the request path (every request reads the cookie).

    The signing serializer is built once per key, not twice per request; and a cookie already verified by
    this process is not verified and decoded again: a bounded map from the exact cookie text to what it
    held and when it was signed (so its age is still checked) answers the next request from the same
    browser.  Only cookies holding plain values (text, numbers, booleans) are remembered, and each request
    gets its own copy, so nothing a request changes leaks into another's.
    """

    #: Verified cookies remembered per process (a heartbeat every 10 to 60 seconds per signed-in browser).
    REMEMBERED = 20_000

    def __init__(self) -> None:
        self._serializer: tuple[tuple, object] | None = None
        self._verified: OrderedDict[str, tuple[float, dict]] = OrderedDict()

    def get_signing_serializer(self, app: Flask):  # noqa: ANN201
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._serializer is None or self._serializer[0] != keys:
            self._serializer = (keys, super().get_signing_serializer(app))
            self._verified.clear()
        return self._serializer[1]

    def save_session(self, app: Flask, session, response) -> None:  # noqa: ANN001
        # With SESSION_REFRESH_EACH_REQUEST off, an unchanged session sends no cookie: say only that the
        # answer depended on it (what Flask's own method does in that case, after reading five settings).
        if not session.modified and not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    def open_session(self, app: Flask, request: Request):  # noqa: ANN201
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        text = request.cookies.get(self.get_cookie_name(app))
        if not text:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get(text)
        if known is not None and time.time() - known[0] <= max_age:
            return self.session_class(known[1])
        try:
            data, signed_at = serializer.loads(text, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(v, (str, int, float, bool, type(None))) for v in data.values()):
            self._verified[text] = (signed_at.timestamp(), dict(data))
            if len(self._verified) > self.REMEMBERED:
                self._verified.popitem(last=False)
        return self.session_class(data)


limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


#: Answers under this path carry the rate-limit headers (X-RateLimit-Limit, -Remaining, -Reset, Retry-After):
#: API clients are programs that read them.  A person at the sign-in form is told in words instead, and
#: reading the headers' figures costs the limit store two more round trips on every sign-in.
RATE_LIMIT_HEADERS_UNDER = "/api/"


def _only_where_limited(app: Flask) -> None:
    """Run Flask-Limiter's teardown hook only for a request that consulted a limit (the others have nothing
    for it to do, and they are most requests), and its after-request hook (the rate-limit headers) only for
    such a request under :data:`RATE_LIMIT_HEADERS_UNDER`."""

    def used_limiter() -> bool:
        return hasattr(request_ctx._get_current_object(), "_limiter_request_context")

    def wrap(hook, headers: bool):  # noqa: ANN001, ANN202
        @functools.wraps(hook)
        def when_limited(*args):  # noqa: ANN002, ANN202
            if used_limiter() and (not headers or request.path.startswith(RATE_LIMIT_HEADERS_UNDER)):
                return hook(*args)
            return args[0] if args and isinstance(args[0], app.response_class) else None
        return when_limited

    for hooks, headers in ((app.after_request_funcs[None], True), (app.teardown_request_funcs[None], False)):
        hooks[:] = [wrap(h, headers) if getattr(h, "__self__", (getattr(h, "args", None) or [None])[0]) is limiter
                    else h for h in hooks]


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config["RATELIMIT_ENABLED"] = app.config.get("RATELIMIT_ENABLED", True)
    app.session_interface = CookieSessions()
    limiter.init_app(app)
    # Decorated limits are checked by their decorators; the global hook would only look for default limits,
    # of which there are none (see the module's docstring).
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    _only_where_limited(app)

    @app.before_request
    def _refuse_unusable_input():
        """Answer 400 before any view or query sees a JSON body, an unexpected file or a control
        character (after the session loads, so the error page still shows the person's own header)."""
        environ = request.environ
        if environ.get("CONTENT_LENGTH") in (None, "", "0") and "HTTP_TRANSFER_ENCODING" not in environ:
            # No body (every GET, every heartbeat poll): only the address can carry a control character.
            if CONTROL_CHARACTERS.search(request.path) or (environ.get("QUERY_STRING") and any(
                    CONTROL_CHARACTERS.search(text) for pair in request.args.items(multi=True) for text in pair)):
                abort(400, description=CONTROL_CHARACTER_MESSAGE)
            return None
        view = app.view_functions.get(request.endpoint)
        limit = getattr(view, UPLOAD_LIMIT_ATTR, None) if getattr(view, FILES_ATTR, False) else None
        if limit is not None:
            most, what = limit[0](app.config), limit[1]
            if request.content_length is not None and request.content_length > most:
                abort(400, description=f"What you sent is larger than the {most // (1024 * 1024)} MB {what} "
                                       "accepts. Please send a smaller file.")
            request.max_content_length = most
        if request.is_json and not getattr(view, JSON_ATTR, False):
            abort(400, description=JSON_BODY_MESSAGE)
        if request.files and not getattr(view, FILES_ATTR, False):
            abort(400, description=FILE_MESSAGE)
        if has_control_characters(request):
            abort(400, description=CONTROL_CHARACTER_MESSAGE)

    headers = [
        ("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
         "font-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; "
         "form-action 'self'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if app.config["HTTPS"]:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    signed_in_headers = [*headers, ("Cache-Control", "no-store")]  # pages about people: no shared caches

    @app.after_request
    def _headers(response):
        # Each header unless the view set its own (one pass over the response's headers, not one per name).
        present = {name.lower() for name in response.headers.keys()}
        for name, value in signed_in_headers if g.get("user_session") is not None else headers:
            if name.lower() not in present:
                response.headers.add(name, value)
        return response
