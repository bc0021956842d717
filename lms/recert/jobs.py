"""Scheduled jobs of recertification: open the cycle, remind, suspend the overdue, lift on completion.

They run hourly and decide by the local date (``core.time_zone``), so the cycle
opens within the hour after midnight on October 1 there.  Each is safe to repeat.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session

from lms.core.jobs import Job, register
from lms.recert import services


def open_cycle(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Open the current fiscal year's cycle (from October 1 until its due date)."""
    fy = services.current_fiscal_year(db_session, now)
    existed = services.get_cycle(db_session, fy) is not None
    cycle = services.open_current_if_due(db_session, now=now)
    if cycle is None:
        return f"fiscal year {fy}: past the due date with no cycle; open it by hand"
    return f"fiscal year {fy}: " + ("already open" if existed else "opened")


def remind(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Mail today's recertification reminder to those still missing it."""
    cycle = services.get_cycle(db_session, services.current_fiscal_year(db_session, now))
    if cycle is None:
        return "no open cycle"
    return f"mailed {services.send_reminders(db_session, cycle, now=now, base_url=config.get('BASE_URL', ''))} reminder(s)"


def enforce(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """From the day after the due date, suspend those still missing recertification."""
    cycle = services.get_cycle(db_session, services.current_fiscal_year(db_session, now))
    if cycle is None:
        return "no open cycle"
    return f"suspended {services.enforce(db_session, cycle, now=now, base_url=config.get('BASE_URL', ''))} person(s)"


def lift_completed(db_session: Session, config: Mapping[str, Any], now: datetime) -> str:
    """Lift the recertification suspensions of those who completed it."""
    return f"lifted {services.lift_completed(db_session, now=now)} suspension(s)"


register(Job("recert.open_cycle", open_cycle, every_seconds=3600, label="Open the recertification cycle",
             description="On October 1 (local time), open the new fiscal year's recertification cycle (hourly)."))
register(Job("recert.remind", remind, every_seconds=3600, label="Mail recertification reminders",
             description="Mail each reminder day's recertification reminder, once per person (hourly)."))
register(Job("recert.enforce", enforce, every_seconds=3600, label="Suspend for missed recertification",
             description="From the day after the due date, suspend active end users without this year's "
                         "recertification (hourly)."))
register(Job("recert.lift_completed", lift_completed, every_seconds=900, label="Lift recertification suspensions",
             description="Lift recertification suspensions of people who completed it (every 15 minutes)."))
