"""Show dates, times and codes the way people read them.

One U.S. form for every page: dates as ``12/01/2026``, times as ``12/01/2026 4:05 PM CST``, in the
HMIS Lead's time zone (the ``core.time_zone`` setting).  Exports and CSV files keep ISO dates; they
do not go through these filters.  Codes (audit actions, job ids, membership kinds) are shown through
label tables kept next to where each code is defined; :func:`humanize` is only the fallback for a
code nobody has labelled yet.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import Flask, current_app, g, has_app_context, request, url_for
from markupsafe import Markup

DEFAULT_TIME_ZONE = "America/Chicago"


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """Return every zone name the time zone database knows (read once)."""
    return frozenset(available_timezones())


@lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    """Return the zone called ``name``, or the default zone when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_zone() -> ZoneInfo:
    """Return the HMIS Lead's time zone (read from the settings once per request)."""
    if not has_app_context():
        return zone_named(DEFAULT_TIME_ZONE)
    zone = g.get("lms_time_zone")
    if zone is None:
        from lms.core import settings
        from lms.core.db import get_db_session

        zone = zone_named(str(settings.get(get_db_session(), "core.time_zone")))
        g.lms_time_zone = zone
    return zone


def _coerce(value: Any) -> date | datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value
    text = str(value).strip()
    # A bare date first: datetime.fromisoformat would read "2026-07-04" as midnight UTC.
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def to_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """Return ``value`` in ``zone`` (a naive time is taken to be UTC, as every stored time is)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone)


def format_date(value: Any, zone: ZoneInfo | None = None) -> str:
    """Return ``12/01/2026`` for a date (a datetime is first moved into ``zone``); '' for nothing."""
    parsed = _coerce(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if isinstance(parsed, datetime):
        parsed = to_zone(parsed, zone or zone_named(DEFAULT_TIME_ZONE)).date()
    return f"{parsed.month:02d}/{parsed.day:02d}/{parsed.year:04d}"


def format_clock(value: datetime) -> str:
    """Return ``4:05 PM`` (12-hour clock, as people in the U.S. read it)."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def format_datetime(value: Any, zone: ZoneInfo | None = None) -> str:
    """Return ``12/01/2026 4:05 PM CST`` in ``zone``; a bare date is shown as a date; '' for nothing."""
    parsed = _coerce(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(parsed, datetime):
        return format_date(parsed)
    local = to_zone(parsed, zone or zone_named(DEFAULT_TIME_ZONE))
    return f"{format_date(local.date())} {format_clock(local)} {local.tzname()}"


def format_daily_time(hhmm_utc: str, zone: ZoneInfo, on: date) -> str:
    """Return a daily UTC time ("03:00") as the local clock time it falls at on day ``on``."""
    hours, minutes = (int(p) for p in hhmm_utc.split(":"))
    local = datetime.combine(on, time(hours, minutes), tzinfo=timezone.utc).astimezone(zone)
    return f"{format_clock(local)} {local.tzname()}"


def format_duration(seconds: int) -> str:
    """Return ``5 minutes``, ``1 hour``, ``90 seconds``... for an interval in seconds."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


#: Words for codes, by kind of code: {"membership_kind": {"employee": "Paid employee", ...}}. Each package
#: registers its table with :func:`label_codes` next to where the codes are defined.
LABELS: dict[str, dict[str, str]] = {}


def label_codes(kind: str, labels: dict[str, str]) -> dict[str, str]:
    """Register the words for one kind of code; return the table (so it can be kept under a name)."""
    LABELS.setdefault(kind, {}).update(labels)
    return labels


def label(code: Any, kind: str) -> str:
    """Jinja filter ``label``: a code in words, e.g. ``{{ m.kind|label('membership_kind') }}``."""
    if code is None or code == "":
        return ""
    return LABELS.get(kind, {}).get(str(code)) or humanize(str(code))


def humanize(code: str) -> str:
    """Return a readable fallback for a code nobody labelled: ``auth.session_superseded`` → "Session superseded"."""
    last = str(code).rsplit(".", 1)[-1].replace("_", " ").strip()
    return last[:1].upper() + last[1:]


def local_date(value: Any) -> str:
    """Jinja filter ``local_date``: the U.S. date in the HMIS Lead's time zone."""
    return format_date(value, local_zone())


def local_datetime(value: Any) -> str:
    """Jinja filter ``local_datetime``: U.S. date and 12-hour time with the zone's abbreviation."""
    return format_datetime(value, local_zone())


def local_today(now: datetime) -> date:
    """Return the HMIS Lead's calendar day at ``now``."""
    return to_zone(now, local_zone()).date()


def daily_time(hhmm_utc: str) -> str:
    """Jinja filter ``daily_time``: a job's daily UTC time ("03:00") as today's local clock time."""
    from lms.core.clock import utcnow

    return format_daily_time(hhmm_utc, local_zone(), utcnow().date())


def unique_id(wanted: str) -> str:
    """Return ``wanted``, or ``wanted-2``, ``wanted-3``... when this page already has an element with that id.

    Two forms on one page may both have a field called ``agency_id``; their inputs must still have ids of
    their own, or the second label points at the first form's field.
    """
    if not has_app_context():
        return wanted
    used: dict[str, int] = g.setdefault("lms_element_ids", {})
    n = used.get(wanted, 0) + 1
    used[wanted] = n
    return wanted if n == 1 else f"{wanted}-{n}"


@dataclass(frozen=True)
class NavGroup:
    """A submenu of the header: the administration pages, grouped so the header stays on one line."""

    label: str
    id: str
    items: list[Any]


def group_navigation(items: list[Any]) -> list[Any]:
    """Return the header's entries: pages under an ``/admin`` path and items marked ``admin`` share one "Admin" submenu.

    The submenu takes the place of the first administration page, so the order of the rest stays.
    """
    admin: list[Any] = []
    out: list[Any] = []
    for item in items:
        path = url_for(item.endpoint)
        if getattr(item, "admin", False) or "admin" in path.strip("/").split("/"):
            if not admin:
                out.append(NavGroup("Admin", "nav-admin", admin))
            admin.append(item)
        else:
            out.append(item)
    return out


#: Renderings of the header's navigation each application keeps (entries x page x script root); past it, all go.
NAVIGATION_COPIES = 2048


def primary_navigation(items: list[Any]) -> Markup:
    """Return the header's navigation (``_navigation.html``) for ``items``, the entries the person's roles
    allow, on the current page.

    Its sixty-odd ``url_for`` calls and loops cost more than many pages' own content, and what it shows
    depends only on the entries, the current endpoint and the script root: each rendering is kept per
    application (bounded), rendered without the context processors, which it does not need."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    copies: dict = app.extensions.setdefault("lms.navigation", {})
    key = (request.script_root, request.endpoint, tuple(items))
    html = copies.get(key)
    if html is None:
        html = Markup(app.jinja_env.get_template("_navigation.html").render(nav_items=items, request=request))
        if len(copies) >= NAVIGATION_COPIES:
            copies.clear()
        copies[key] = html
    return html


def init_app(app: Flask) -> None:
    """Register the shared filters every template uses."""
    app.jinja_env.filters.update(local_date=local_date, label=label, local_datetime=local_datetime, humanize=humanize,
                                 duration=format_duration, daily_time=daily_time)
    app.jinja_env.globals.update(local_zone=local_zone, group_navigation=group_navigation, unique_id=unique_id,
                                 primary_navigation=primary_navigation)

