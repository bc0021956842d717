"""Wire request-wide security: who is signed in, the gates before any page, headers, rate limits.

Who is signed in comes only from the server-side session registry
(:class:`lms.auth.models.UserSession`): the signed cookie holds a random token, its
hash finds the row, and the row must be live (not ended, not idle, not past the
absolute limit, person still active).  A session ended because the person signed
in elsewhere tells this browser so at its next request.

Input no field may hold is refused here, once for every page: control characters
(NUL, ESC, DEL, the C1 range ...) in the address, the query string, a form or a
file name.  PostgreSQL cannot store NUL at all, and none of them can be typed into
a form.  Tab, line feed and carriage return stay allowed (text areas hold them),
and so do invisible format characters (U+200B ...), which the fields that care
handle themselves.  A JSON body is refused too: every page takes forms, and
Flask-WTF would hand a JSON body's numbers and lists to fields that expect text;
and so is an uploaded file, except by a view marked ``@accepts_files``.
"""

from __future__ import annotations

import re
from typing import Iterator

from flask import Flask, Request, abort, flash, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user

from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.web import COOKIELESS_ATTR, FILES_ATTR, JSON_ATTR, UPLOAD_LIMIT_ATTR

#: Endpoints reachable while the second factor or a forced password change is outstanding.
_HALFWAY_ENDPOINTS = {"auth.mfa", "auth.enrol_totp", "auth.logout", "auth.change_password", "static",
                      "core.session_status", "core.health"}

#: Endpoints that must not count as activity (the page's own expiry poll).
_PASSIVE_ENDPOINTS = {"core.session_status", "static"}

#: Messages for the browser whose session was ended elsewhere or by time.
END_MESSAGES = {
    "superseded": "You were signed out because your account signed in on another computer. "
                  "HMIS policy allows one workstation at a time.",
    "idle": "You were signed out after a period without activity. Please sign in again.",
    "absolute": "Your session reached its time limit. Please sign in again.",
    "password_changed": "Your password was changed, so every other session was ended. Please sign in again.",
    "deactivated": "Your account is no longer active.",
    "admin": "An administrator ended your session. Please sign in again.",
}

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


limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def init_app(app: Flask, login_manager: LoginManager) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config["RATELIMIT_ENABLED"] = app.config.get("RATELIMIT_ENABLED", True)
    limiter.init_app(app)

    @login_manager.request_loader
    def _load_user(_request):  # noqa: ANN001
        return g.get("session_user")

    @app.before_request
    def _load_session():
        g.user_session = None
        g.session_user = None
        token = session.get("sid")
        if not token or request.endpoint == "static":
            return None  # static files need no session (and must not be redirected to sign-in)
        if getattr(app.view_functions.get(request.endpoint), COOKIELESS_ATTR, False):
            return None  # API calls carry their own token; a browser's cookie opens nothing there
        from lms.auth import services

        db_session = get_db_session()
        us = services.find_session(db_session, token)
        if us is None:
            session.clear()
            return None
        reason = services.check_session(db_session, us, now=utcnow(),
                                        touch=request.endpoint not in _PASSIVE_ENDPOINTS)
        if reason is not None:
            db_session.commit()
            session.clear()
            flash(END_MESSAGES.get(reason, "Please sign in again."), "warning")
            if request.endpoint in {"core.session_status"}:
                return None
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        if db_session.dirty:
            db_session.commit()
        g.user_session = us
        g.session_user = us.user
        return None

    @app.before_request
    def _refuse_unusable_input():
        """Answer 400 before any view or query sees a JSON body, an unexpected file or a control
        character (after the session loads, so the error page still shows the person's own header)."""
        view = app.view_functions.get(request.endpoint)
        limit = getattr(view, UPLOAD_LIMIT_ATTR, None) if getattr(view, FILES_ATTR, False) else None
        if limit is not None:
            most, what = limit[0](app.config), limit[1]
            if request.content_length is not None and request.content_length > most:
                abort(400, description=f"What you sent is larger than the {most // (1024 * 1024)} MB {what} "
                                       "accepts. Please send a smaller file.")
            request.max_content_length = most
        if request.is_json and not getattr(app.view_functions.get(request.endpoint), JSON_ATTR, False):
            abort(400, description=JSON_BODY_MESSAGE)
        if request.files and not getattr(app.view_functions.get(request.endpoint), FILES_ATTR, False):
            abort(400, description=FILE_MESSAGE)
        if has_control_characters(request):
            abort(400, description=CONTROL_CHARACTER_MESSAGE)

    @app.before_request
    def _gate_halfway():
        """Keep a half-signed-in person on the second-factor or password-change page."""
        us = g.get("user_session")
        if us is None or request.endpoint in _HALFWAY_ENDPOINTS:
            return None
        user = us.user
        if not us.mfa_passed or (user.is_staff and not user.totp_enrolled):
            # A person granted a staff role mid-session must enrol before any page opens.
            return redirect(url_for("auth.enrol_totp" if not user.totp_enrolled else "auth.mfa"))
        if user.must_change_password:
            flash("Please choose your own password before you continue.", "info")
            return redirect(url_for("auth.change_password"))
        return None

    @app.after_request
    def _headers(response):
        csp = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "font-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'"
        )
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["HTTPS"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user.is_authenticated:
            # Pages about people must not linger in shared browser caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
