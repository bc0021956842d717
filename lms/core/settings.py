"""Keep the settings a person may change without a deploy, with an audit row for each change.

Each setting is declared once in :data:`SETTINGS` with its type, default, bounds
and a sentence for the admin page.  A value is stored only once someone changes
it; reading falls back to the default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.core import audit
from lms.core.db import Base
from lms.core.errors import InvalidInput
from lms.core.types import UTCDateTime


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    help: str
    default: Any
    #: "int", "str" or "words" (a comma-separated list of words).
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


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    #: JSON-encoded value.
    value: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


_CACHE = "lms.settings"


def _stored(db_session: Session) -> dict[str, Any]:
    """Return every stored setting, read once per session (a request reads them in one query)."""
    cache = db_session.info.get(_CACHE)
    if cache is None:
        cache = {row.key: json.loads(row.value) for row in db_session.execute(sa.select(Setting)).scalars()}
        db_session.info[_CACHE] = cache
    return cache


def get(db_session: Session, key: str) -> Any:
    """Return a setting's value (its default until someone changes it)."""
    spec = SETTINGS[key]
    return _stored(db_session).get(key, spec.default)


def get_words(db_session: Session, key: str) -> list[str]:
    """Return a "words" setting split into its words."""
    return [w.strip() for w in str(get(db_session, key)).split(",") if w.strip()]


def parse(spec: SettingSpec, raw: str) -> Any:
    """Turn a form value into a setting value, or raise InvalidInput naming the problem."""
    raw = (raw or "").strip()
    if spec.kind == "int":
        try:
            value = int(raw)
        except ValueError:
            raise InvalidInput(f"{spec.label} must be a whole number.") from None
        if spec.minimum is not None and value < spec.minimum:
            raise InvalidInput(f"{spec.label} must be at least {spec.minimum}.")
        if spec.maximum is not None and value > spec.maximum:
            raise InvalidInput(f"{spec.label} must be at most {spec.maximum}.")
        return value
    if not raw:
        raise InvalidInput(f"{spec.label} cannot be empty.")
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
    _stored(db_session)[key] = value
    audit.record(db_session, action="settings.changed", now=now, actor=actor, target_type="setting",
                 target_id=key, ip=ip, old=old, new=value)
    return True
