"""Keep the settings a person may change without a deploy, with an audit row for each change.

Each setting is declared once in :data:`SETTINGS` with its type, default, bounds
and a sentence for the admin page.  A value is stored only once someone changes
it; reading falls back to the default.

Every request reads settings (the idle timeout on each heartbeat), so each process
keeps a copy of the stored ones instead of querying per request.  A change made
in this process empties that copy when its transaction ends; the other workers
(and hosts) read the table again once their copy is :data:`CACHE_SECONDS` old, so
a change reaches every worker within that time, without a query per request.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core import audit
from lms.core.cache import EngineCache
from lms.core.db import Base, Database
from lms.core.display import time_zone_names
from lms.core.errors import InvalidInput
from lms.core.types import UTCDateTime


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    help: str
    default: Any
    #: "int", "str", "words" (a comma-separated list of words) or "time_zone" (a tz database name).
    kind: str = "int"
    minimum: int | None = None
    maximum: int | None = None


SETTINGS: dict[str, SettingSpec] = {}


def declare(spec: SettingSpec) -> SettingSpec:
    """Register a setting (packages call this at import time)."""
    SETTINGS[spec.key] = spec
    return spec


declare(SettingSpec("auth.idle_timeout_minutes", "Idle timeout (minutes)",
                    "A session with no activity for this long is ended.", 15, minimum=1, maximum=240))
declare(SettingSpec("auth.absolute_timeout_hours", "Absolute session timeout (hours)",
                    "A session is ended this long after sign-in, active or not.", 12, minimum=1, maximum=24))
declare(SettingSpec("auth.password_min_length", "Minimum password length",
                    "The manual requires at least eight characters.", 8, minimum=8, maximum=64))
declare(SettingSpec("auth.lockout_threshold", "Failed sign-ins before lock",
                    "After this many failed sign-ins in a row the account is locked until an "
                    "administrator unlocks it.", 10, minimum=3, maximum=100))
declare(SettingSpec("auth.throttle_after", "Failed sign-ins before delays",
                    "After this many failures, each further attempt must wait twice as long.",
                    3, minimum=1, maximum=50))
declare(SettingSpec("auth.reset_link_minutes", "Password reset link lifetime (minutes)",
                    "How long an e-mailed password reset link works.", 60, minimum=5, maximum=1440))
declare(SettingSpec("auth.hmis_names", "HMIS names",
                    "Names of the HMIS a password must not contain (comma-separated).",
                    "Community Services, CommunityServices, ServicePoint, MoHMIS", kind="words"))
declare(SettingSpec("auth.vendor_names", "HMIS vendor names",
                    "Names of the HMIS vendor a password must not contain (comma-separated).",
                    "WellSky, Mediware, Bowman", kind="words"))
declare(SettingSpec("core.time_zone", "Time zone",
                    "Dates and times on every page are shown in this time zone: a name from the time zone "
                    "database, like America/Chicago or America/New_York.", "America/Chicago", kind="time_zone"))

#: A whole number as people type it: ASCII digits only (int() would also read "１５" or "1_5").
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}")


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    #: JSON-encoded value.
    value: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


_CACHE = "lms.settings"
#: Seconds a process trusts its copy of the stored settings.  A change made in this process is seen
#: at once (its commit empties the copy); another worker or host sees it within this many seconds.
CACHE_SECONDS = 5.0
_monotonic = time.monotonic


#: The process's copy of the stored settings (``settings._monotonic`` is its clock, for tests).
_COPY = EngineCache(CACHE_SECONDS, clock=lambda: _monotonic())


def _load(db_session: Session) -> dict[str, Any]:
    return {row.key: json.loads(row.value) for row in db_session.execute(sa.select(Setting)).scalars()}


def _stored(source: Session | Database) -> dict[str, Any]:
    """Return every stored setting: a session's own changes, else the process copy (read again when stale).

    ``source`` may be a :class:`lms.core.db.Database` where no ORM session is open (the request path's
    heartbeats): it sees the process copy only, never a change a session has not committed."""
    local = source.info.get(_CACHE) if isinstance(source, Session) else None
    if local is not None:
        return local
    return _COPY.get(source, "all", _load)


def _forget_after_transaction(db_session: Session) -> None:
    """Empty the process copy now and when this session's transaction ends (committed or not)."""
    _COPY.forget_after_transaction(db_session, lambda session: session.info.pop(_CACHE, None))


def get(source: Session | Database, key: str) -> Any:
    """Return a setting's value (its default until someone changes it); ``source``: a session, or a
    database where no session is open (see :func:`_stored`)."""
    spec = SETTINGS[key]
    return _stored(source).get(key, spec.default)


def get_words(db_session: Session, key: str) -> list[str]:
    """Return a "words" setting split into its words."""
    return [w.strip() for w in str(get(db_session, key)).split(",") if w.strip()]


def parse(spec: SettingSpec, raw: str) -> Any:
    """Turn a form value into a setting value, or raise InvalidInput naming the problem."""
    raw = (raw or "").strip()
    if spec.kind == "int":
        if not _WHOLE_NUMBER.fullmatch(raw):
            raise InvalidInput(f"{spec.label} must be a whole number written with the digits 0 to 9.")
        value = int(raw)
        if spec.minimum is not None and value < spec.minimum:
            raise InvalidInput(f"{spec.label} must be at least {spec.minimum}.")
        if spec.maximum is not None and value > spec.maximum:
            raise InvalidInput(f"{spec.label} must be at most {spec.maximum}.")
        return value
    if not raw:
        raise InvalidInput(f"{spec.label} cannot be empty.")
    if spec.kind == "time_zone":
        if raw not in time_zone_names():
            raise InvalidInput(f"{spec.label} must be a name from the time zone database, like America/Chicago.")
        return raw
    if len(raw) > 1000:
        raise InvalidInput(f"{spec.label} is too long (1000 characters at most).")
    return raw


def change(db_session: Session, key: str, raw: str, *, actor: Any, now: datetime, ip: str | None = None) -> bool:
    """Set a setting from a form value; record an audit row. Return False if unchanged."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise InvalidInput("There is no such setting.")
    value = parse(spec, raw)
    old = get(db_session, key)
    if value == old:
        return False
    row = db_session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=json.dumps(value), updated_at=now, updated_by_id=getattr(actor, "id", None))
        db_session.add(row)
    else:
        row.value = json.dumps(value)
        row.updated_at = now
        row.updated_by_id = getattr(actor, "id", None)
    changed = {**_stored(db_session), key: value}
    _forget_after_transaction(db_session)
    db_session.info[_CACHE] = changed
    audit.record(db_session, action="settings.changed", now=now, actor=actor, target_type="setting",
                 target_id=key, ip=ip, old=old, new=value)
    return True
