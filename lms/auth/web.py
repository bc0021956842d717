"""Who is signed in, for every request, at the cost of one indexed query.

Who is signed in comes only from the server-side session registry
(:class:`lms.auth.models.UserSession`): the signed cookie holds a random token, its
hash finds the row, and the row must be live (not ended, not idle, not past the
absolute limit, person still active).  A session ended because the person signed
in elsewhere tells this browser so at its next request.

The request path is the most frequent code in the application (every page, every
expiry poll, every video heartbeat), so it reads the session and the facts of its
person that the gates need in ONE Core statement (no ORM objects: building them
costs more than the query), and writes nothing unless "last seen" is a minute old.
The ORM ``User`` (``current_user``) and ``UserSession`` (:func:`session_row`) load
only when a view asks for them.  ``lms.auth.init_app`` registers these hooks; the
core knows nothing of sessions beyond :func:`lms.core.web.current_session`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask import Blueprint, Flask, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager

from lms.accounts.models import RoleGrant, User
from lms.auth import rules, services
from lms.auth.models import UserSession
from lms.core import page_versions
from lms.core.clock import utcnow
from lms.core.db import get_database, get_db_session
from lms.core.driver import PreparedRead
from lms.core.roles import Role
from lms.core.web import COOKIELESS_ATTR, commit, current_session, public, signed_in

#: Endpoints reachable while the second factor or a forced password change is outstanding.
HALFWAY_ENDPOINTS = {"auth.mfa", "auth.enrol_totp", "auth.logout", "auth.change_password", "static",
                     "session.status", "core.health"}

#: Endpoints that must not count as activity (the page's own expiry poll).
PASSIVE_ENDPOINTS = {"session.status", "static"}

#: "Last seen" is written at most this often: one UPDATE a minute per person, not one per request.
TOUCH_EVERY = timedelta(seconds=60)

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


@dataclass(slots=True)
class LiveSession:
    """A live session and the facts of its person every request's gates need (not an ORM object)."""

    id: int
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    mfa_passed: bool
    must_change_password: bool
    totp_enrolled: bool
    is_staff: bool
    #: The person's own and the shared page versions (lms.core.page_versions): a kept page's key.
    page_version: int
    shared_version: int


_sessions, _users, _grants = UserSession.__table__, User.__table__, RoleGrant.__table__

#: The one statement of a signed-in request (compiled once, run on the driver: see PreparedRead).
_FIND = PreparedRead(
    sa.select(_sessions.c.id, _sessions.c.user_id, _sessions.c.created_at, _sessions.c.last_seen_at,
              _sessions.c.mfa_passed, _sessions.c.ended_at, _users.c.is_active, _users.c.must_change_password,
              _users.c.totp_secret.is_not(None).label("totp_enrolled"),
              sa.exists().where(_grants.c.user_id == _users.c.id, _grants.c.revoked_at.is_(None),
                                _grants.c.role != Role.END_USER.value).label("is_staff"),
              _users.c.page_version, page_versions.shared_version_column().label("shared_version"))
    .join_from(_sessions, _users, _users.c.id == _sessions.c.user_id)
    .where(_sessions.c.token_hash == sa.bindparam("token_hash"))
)


@functools.cache
def _person() -> sa.Select:
    """The signed-in person with their grants, for ``current_user``, built once at first use (not at import:
    loader options need every model mapped): a statement object keeps its cache key, so SQLAlchemy does not
    work it out again on every request as it does for ``Session.get``."""
    return sa.select(User).options(joinedload(User.grants)).where(User.id == sa.bindparam("user_id"))


def find_live_session(token: str | None, *, now: datetime, touch: bool) -> LiveSession | str | None:
    """Return the live session the cookie's token names, why it ended (ending it now if time or the
    person's deactivation ended it), or None when the token names no session."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    row = _FIND.one_or_none(get_database(), token_hash=rules.token_hash(token))
    if row is None:
        return None
    # The limits from the settings' process copy, without opening an ORM session (most requests need none).
    idle, absolute = g.session_limits = services.session_limits(get_database())
    state = rules.session_state(created_at=row.created_at, last_seen_at=row.last_seen_at, now=now,
                                idle=idle, absolute=absolute)
    if row.ended_at is not None or not row.is_active or not state.alive:
        db_session = get_db_session()
        # Rare: end it (with its audit row) through the ORM, as every other session change.
        reason = services.check_session(db_session, db_session.get(UserSession, row.id), now=now)
        return reason or "ended"
    last_seen = row.last_seen_at
    if touch and now - last_seen >= TOUCH_EVERY:
        db_session = get_db_session()
        db_session.execute(sa.update(_sessions).where(_sessions.c.id == row.id).values(last_seen_at=now))
        db_session.commit()
        last_seen = now
    return LiveSession(row.id, row.user_id, row.created_at, last_seen, bool(row.mfa_passed),
                       bool(row.must_change_password), bool(row.totp_enrolled), bool(row.is_staff),
                       int(row.page_version), int(row.shared_version or 0))


def session_row() -> UserSession | None:
    """Return the request's session as an ORM row (for the views that change it), or None."""
    live = current_session()
    return get_db_session().get(UserSession, live.id) if live is not None else None


def _load_session():
    g.user_session = None
    token = session.get("sid")
    if not token or request.endpoint == "static":
        return None  # static files need no session (and must not be redirected to sign-in)
    if getattr(current_app.view_functions.get(request.endpoint), COOKIELESS_ATTR, False):
        return None  # API calls carry their own token; a browser's cookie opens nothing there
    found = find_live_session(token, now=utcnow(), touch=request.endpoint not in PASSIVE_ENDPOINTS)
    if isinstance(found, LiveSession):
        g.user_session = found
        return None
    session.clear()
    if found is None:
        return None
    commit()
    flash(END_MESSAGES.get(found, "Please sign in again."), "warning")
    if request.endpoint == "session.status":
        return None
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _gate_halfway():
    """Keep a half-signed-in person on the second-factor or password-change page."""
    us = current_session()
    if us is None or request.endpoint in HALFWAY_ENDPOINTS:
        return None
    if not us.mfa_passed or (us.is_staff and not us.totp_enrolled):
        # A person granted a staff role mid-session must enrol before any page opens.
        return redirect(url_for("auth.enrol_totp" if not us.totp_enrolled else "auth.mfa"))
    if us.must_change_password:
        flash("Please choose your own password before you continue.", "info")
        return redirect(url_for("auth.change_password"))
    return None


bp = Blueprint("session", __name__)


@bp.route("/session/status")
@public
def status():
    """Tell the page how long its session has left (this request does not count as activity)."""
    us = current_session()
    if us is None:
        return jsonify(signed_in=False, seconds_left=0)
    idle, absolute = g.get("session_limits") or services.session_limits(get_db_session())
    # Rounded up: the page acts at zero, which must never come before the server's end.
    left = rules.seconds_left(created_at=us.created_at, last_seen_at=us.last_seen_at, now=utcnow(),
                              idle=idle, absolute=absolute)
    return jsonify(signed_in=True, seconds_left=left)


@bp.route("/session/extend", methods=["POST"])
@signed_in
def extend():
    """Count as activity (the "stay signed in" button of the expiry warning)."""
    row = session_row()
    row.last_seen_at = utcnow()
    commit()
    return jsonify(ok=True)


def init_app(app: Flask) -> None:
    """Register the session hooks (first of all before-request hooks) and the session endpoints."""
    login_manager: LoginManager = app.login_manager

    @login_manager.request_loader
    def _load_user(_request):  # noqa: ANN001
        us = g.get("user_session")
        # With the grants in the same statement: every page that asks who this is asks for their roles.
        if us is None:
            return None
        return get_db_session().execute(_person(), {"user_id": us.user_id}).unique().scalar_one_or_none()

    # Who is signed in must be known before any other hook runs (the input guard's error page shows the
    # person's own header); the half-signed-in gate runs after the core's guards.
    app.before_request_funcs.setdefault(None, []).insert(0, _load_session)
    app.before_request(_gate_halfway)
    app.register_blueprint(bp)
