"""Keep the append-only audit log of security events and decisions.

An :class:`AuditEvent` says who did what, to whom, when and from where.  It never
holds a secret: :func:`record` refuses detail keys that look like one.  Rows are
never updated or deleted: the ORM refuses it here, and on PostgreSQL a trigger
(created by the migration) refuses it in the database too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Callable, Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core.db import Base
from lms.core.display import format_date, humanize
from lms.core.driver import PreparedWrite, in_session
from lms.core.errors import InvalidInput
from lms.core.roles import ROLE_LABELS
from lms.core.types import UTCDateTime

#: Substrings of detail keys that would hold a secret; record() refuses them.
_SECRET_HINTS = ("password", "secret", "token", "totp_code", "recovery_code", "otp")


#: What each action means, in words. A package adds its own with :func:`label_actions` next to the
#: code that records them; these are the actions of the packages that record without a table of their own.
ACTION_LABELS: dict[str, str] = {
    "auth.login": "Signed in",
    "auth.login_failed": "Sign-in failed (wrong password)",
    "auth.login_failed_unknown": "Sign-in failed (unknown e-mail)",
    "auth.login_refused_locked": "Sign-in refused: account locked",
    "auth.logout": "Signed out",
    "auth.account_locked": "Account locked after failed sign-ins",
    "auth.account_unlocked": "Account unlocked",
    "auth.mfa_passed": "Second step passed",
    "auth.mfa_failed": "Second step failed (wrong code)",
    "auth.mfa_refused_locked": "Second step refused: account locked",
    "auth.password_check_failed": "Wrong current password when changing it",
    "auth.reset_link_sent": "Password reset link sent",
    "auth.totp_enrolled": "Authenticator app set up",
    "auth.totp_reset": "Authenticator app reset",
    "auth.password_accepted": "Password accepted",
    "auth.password_changed": "Password changed",
    "auth.password_rehashed": "Password re-protected with stronger settings",
    "auth.password_reset": "Password reset by e-mail link",
    "auth.reset_requested": "Password reset requested",
    "auth.reset_requested_unknown": "Password reset requested for an unknown e-mail",
    "auth.session_superseded": "Signed out elsewhere by a new sign-in",
    "auth.session_expired_idle": "Session ended: no activity",
    "auth.session_expired_absolute": "Session ended: time limit reached",
    "accounts.user_created": "Person added",
    "accounts.user_changed": "Name or e-mail changed",
    "accounts.user_deactivated": "Person deactivated",
    "accounts.user_reactivated": "Person reactivated",
    "accounts.role_granted": "Role granted",
    "accounts.role_revoked": "Role withdrawn",
    "accounts.membership_added": "Added to an agency",
    "accounts.membership_ended": "Agency membership ended",
    "sandbox.workspace_reset": "Sandbox workspace emptied",
    "sandbox.reset_all": "Whole sandbox rebuilt",
    "sandbox.imported": "HMIS CSV imported into a sandbox workspace",
    "settings.changed": "Setting changed",
}

#: Words for the keys of an event's details.
DETAIL_LABELS: dict[str, str] = {
    "role": "Role", "agency_id": "Agency", "coc_id": "CoC", "project_id": "Project", "user_id": "Person",
    "workspace": "Workspace", "kind": "As", "method": "With", "failures": "Failed attempts in a row",
    "ended_sessions": "Sessions ended", "fields": "Changed", "old_email": "Previous e-mail", "old": "Was",
    "new": "Now", "project_type": "HUD project type", "rows": "Rows", "name": "Name", "code": "Code",
    "apa_signed_on": "APA signed", "apa_renewal_due": "APA renewal due", "is_active": "Active",
}

#: Words for the values of some detail keys (key -> code -> label).
DETAIL_VALUE_LABELS: dict[str, dict[str, str]] = {
    "role": {role.value: label for role, label in ROLE_LABELS.items()},
    "method": {"totp": "authenticator app", "recovery_code": "recovery code"},
    "fields": {"full_name": "name", "email": "e-mail", "full_name,email": "name and e-mail"},
}

#: Detail keys that hold the id of a thing, and the kind of thing (see TARGET_NAMERS).
DETAIL_TARGETS = {"agency_id": "agency", "coc_id": "coc", "project_id": "project", "user_id": "user",
                  "workspace": "workspace"}

#: Words for the kinds of things acted on.
TARGET_TYPE_LABELS: dict[str, str] = {"user": "Person", "coc": "CoC", "agency": "Agency", "project": "Project",
                                      "setting": "Setting", "workspace": "Workspace"}

#: How to name things of one kind: (db_session, ids) -> {id: name}. Packages register their kinds.
TargetNamer = Callable[[Session, set[str]], dict[str, str]]
TARGET_NAMERS: dict[str, TargetNamer] = {}


def label_actions(labels: dict[str, str]) -> None:
    """Add words for a package's audit actions."""
    ACTION_LABELS.update(labels)


def label_detail_values(key: str, labels: dict[str, str]) -> None:
    """Add words for the values a detail key takes (e.g. membership kinds under "kind")."""
    DETAIL_VALUE_LABELS.setdefault(key, {}).update(labels)


def name_targets(target_type: str, namer: TargetNamer, label: str | None = None) -> None:
    """Register how to name the things of ``target_type`` the audit log mentions."""
    TARGET_NAMERS[target_type] = namer
    if label:
        TARGET_TYPE_LABELS[target_type] = label


def action_label(action: str) -> str:
    """Return an action in words (a readable fallback for one nobody labelled)."""
    return ACTION_LABELS.get(action) or humanize(action)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: The person who acted; None for the system (jobs) or an anonymous visitor.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Dotted verb, e.g. ``auth.login_failed``, ``accounts.role_granted``.
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    #: Kind and id of the thing acted on, e.g. ("user", "42").
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: Client address (behind nginx: the first X-Forwarded-For hop nginx sets).
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    #: Free-form facts (never secrets), e.g. {"role": "helpdesk"}.
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor = sa.orm.relationship("User", foreign_keys=[actor_id], lazy="joined")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):  # noqa: ANN001
    raise RuntimeError("The audit log is append-only")


#: The one statement of :func:`record`, compiled once (every sign-in records one or two events).
_INSERT = PreparedWrite(sa.insert(AuditEvent).values(
    {name: sa.bindparam(name) for name in ("occurred_at", "actor_id", "action", "target_type", "target_id",
                                           "ip", "details")}))


def record(
    db_session: Session,
    *,
    action: str,
    now: datetime,
    actor: Any = None,
    target: Any = None,
    target_type: str | None = None,
    target_id: Any = None,
    ip: str | None = None,
    **details: Any,
) -> None:
    """Append one audit event; ``target`` may be a model with ``id`` and ``__audit_type__``.

    Written at once, in ``db_session``'s transaction (kept or undone with the rest of its work), by one
    statement on the driver (:func:`lms.core.driver.in_session`): the ORM's unit of work would cost
    several times the INSERT, and nothing reads an event back in the request that records it.  What the
    session has pending is not flushed first (an event names its actor and target by id: both exist).
    On SQLite the write lock is taken at the call, as by any write: record after slow work (a password
    hash, a report), not before it."""
    for key in details:
        low = key.lower()
        if any(h in low for h in _SECRET_HINTS):
            raise ValueError(f"audit details must not hold secrets (key {key!r})")
    if target is not None:
        target_type = target_type or getattr(target, "__audit_type__", type(target).__name__.lower())
        target_id = getattr(target, "id", target_id)
    in_session(db_session, flush=False).execute(
        _INSERT,
        occurred_at=now,
        actor_id=getattr(actor, "id", actor),
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip=ip,
        details={k: (v if isinstance(v, (int, float, bool, type(None))) else str(v)) for k, v in details.items()},
    )


def search(
    db_session: Session,
    *,
    action: str | None = None,
    actor_email: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> sa.Select:
    """Return a SELECT of audit events matching the filters, newest first."""
    q = sa.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        q = q.where(AuditEvent.action.startswith(action))
    if actor_email:
        term = actor_email.lower()
        users = Base.metadata.tables["users"]  # the people's table, by name: the core imports no feature
        q = q.join(users, AuditEvent.actor_id == users.c.id).where(
            sa.or_(users.c.email.contains(term), sa.func.lower(users.c.full_name).contains(term)))
    if target_type:
        q = q.where(AuditEvent.target_type == target_type)
    if target_id:
        q = q.where(AuditEvent.target_id == str(target_id))
    if since:
        q = q.where(AuditEvent.occurred_at >= since)
    if until:
        q = q.where(AuditEvent.occurred_at < until)
    return q


# --- reading the log ---------------------------------------------------------------------------

_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_US_DAY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def parse_day(raw: str | None, what: str = "date") -> date | None:
    """Read a day typed as 12/01/2026 or sent by a date field as 2026-12-01 (ASCII digits only)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    iso, us = _ISO_DAY.fullmatch(raw), _US_DAY.fullmatch(raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if us:
            return date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        pass
    raise InvalidInput(f"The {what} must be a real day, like 12/01/2026.")


def day_bounds(since: date | None, until: date | None, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """Return [start of ``since``, end of ``until``) in UTC for local days; a day beyond the calendar is no bound."""

    def start_of(day: date) -> datetime | None:
        try:
            return datetime.combine(day, time(), tzinfo=zone).astimezone(timezone.utc)
        except (OverflowError, ValueError):
            return None

    lower = start_of(since) if since else None
    upper = None
    if until is not None and until < date.max:
        upper = start_of(until + timedelta(days=1))  # the whole "until" day, to its last microsecond
    return lower, upper


def _user_names(db_session: Session, ids: set[str]) -> dict[str, str]:
    # The person model belongs to a feature package; the actor relationship names it without an import.
    user = sa.inspect(AuditEvent).relationships["actor"].mapper.class_
    numbers = {int(i) for i in map(str, ids) if i.isascii() and i.isdigit() and len(i) < 12}
    if not numbers:
        return {}
    rows = db_session.execute(sa.select(user.id, user.full_name).where(user.id.in_(numbers))).all()
    return {str(r.id): r.full_name for r in rows}


def _workspace_names(db_session: Session, refs: set[str]) -> dict[str, str]:
    # A trainee's workspace is referred to as "user:<id>": name it after its person.
    people = _user_names(db_session, {r.split(":", 1)[1] for r in refs if r.startswith("user:")})
    return {ref: f"{people[ref.split(':', 1)[1]]}'s sandbox" for ref in refs
            if ref.startswith("user:") and ref.split(":", 1)[1] in people}


def _setting_names(db_session: Session, keys: set[str]) -> dict[str, str]:
    from lms.core.settings import SETTINGS

    return {k: SETTINGS[k].label for k in keys if k in SETTINGS}


name_targets("user", _user_names)
name_targets("workspace", _workspace_names)
name_targets("setting", _setting_names)


def names_for(db_session: Session, events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """Return the name of every thing the events mention, as {(kind, id): name}, in one query per kind."""
    wanted: dict[str, set[str]] = {}
    for ev in events:
        if ev.target_type and ev.target_id:
            wanted.setdefault(ev.target_type, set()).add(ev.target_id)
        for key, value in (ev.details or {}).items():
            if key in DETAIL_TARGETS and value is not None:
                wanted.setdefault(DETAIL_TARGETS[key], set()).update(_sides(str(value)))
    names: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        namer = TARGET_NAMERS.get(kind)
        if namer is not None:
            names.update({(kind, i): n for i, n in namer(db_session, ids).items()})
    return names


def describe_target(ev: AuditEvent, names: dict[tuple[str, str], str]) -> str:
    """Return what an event acted on, in words: a person's name, an agency's name, a setting's label."""
    if not ev.target_type:
        return ""
    name = names.get((ev.target_type, ev.target_id or ""))
    if name:
        return name
    kind = TARGET_TYPE_LABELS.get(ev.target_type) or humanize(ev.target_type)
    return f"{kind} no longer on file" if ev.target_id else kind


#: A change is recorded as "old → new" (see the services' change records).
_CHANGE = " → "
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _sides(text: str) -> list[str]:
    return text.split(_CHANGE) if _CHANGE in text else [text]


def _value_in_words(key: str, text: str, names: dict[tuple[str, str], str]) -> str:
    if text in ("None", ""):
        return "none"
    if key in DETAIL_TARGETS:
        return names.get((DETAIL_TARGETS[key], text), text)
    if key == "fields":
        return DETAIL_VALUE_LABELS["fields"].get(text, text.replace("_", " "))
    if _ISO_DATE.fullmatch(text):
        return format_date(text)
    return DETAIL_VALUE_LABELS.get(key, {}).get(text, text)


def describe_details(ev: AuditEvent, names: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """Return the event's details as (label, value) pairs in words, empty values left out.

    Ids become names, codes become labels, dates take the U.S. form, and a change "old → new" is
    put in words on both sides.
    """
    out = []
    for key, value in sorted((ev.details or {}).items()):
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            text = "yes" if value else "no"
        else:
            text = _CHANGE.join(_value_in_words(key, side, names) for side in _sides(str(value)))
        out.append((DETAIL_LABELS.get(key) or humanize(key), text))
    return out


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the labelled actions grouped by area, for the audit log's filter: [(area, [(code, label)])]."""
    areas = {"auth": "Sign-in and security", "accounts": "People", "orgs": "CoCs, agencies and projects",
             "sandbox": "Sandbox", "settings": "Settings"}
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in ACTION_LABELS.items():
        area = code.split(".", 1)[0]
        groups.setdefault(areas.get(area, humanize(area)), []).append((code, label))
    return [(area, sorted(items, key=lambda i: i[1])) for area, items in groups.items()]
