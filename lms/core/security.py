"""Wire request-wide security: who is signed in, the gates before any page, headers, rate limits.

Who is signed in comes only from the server-side session registry
(:class:`lms.auth.models.UserSession`): the signed cookie holds a random token, its
hash finds the row, and the row must be live (not ended, not idle, not past the
absolute limit, person still active).  A session ended because the person signed
in elsewhere tells this browser so at its next request.
"""

from __future__ import annotations

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user

from lms.core.clock import utcnow
from lms.core.db import get_db_session

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
