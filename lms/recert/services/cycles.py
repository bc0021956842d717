"""Open cycles, mail reminders, suspend the overdue, lift on completion. Services flush, never commit.

Every step is idempotent: a cycle per fiscal year (unique), a reminder per person
per reminder point (unique), a suspension per person per cycle (unique), and a
lift is a conditional UPDATE.  Running any of them twice, or at once in two
processes, does each thing once.

Suspending the overdue and lifting on completion are in :mod:`lms.recert.services.suspensions`, which
reads where people stand from here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import RoleGrant, User
from lms.core import audit, display, settings
from lms.core.errors import InvalidInput
from lms.core.mail import queue_mail
from lms.core.roles import Role
from lms.recert import rules
from lms.recert.models import RecertCycle, RecertReminder, RecertSuspension
from lms.training import rules as training_rules
from lms.training.models import Evidence, TrainingPlan

settings.declare(settings.SettingSpec(
    "recert.due_month", "Recertification due month",
    "The month (1 to 12) of the recertification due date; with the day below. October is 10.",
    rules.DEFAULT_DUE_MONTH, minimum=1, maximum=12))
settings.declare(settings.SettingSpec(
    "recert.due_day", "Recertification due day",
    "The day of the month of the recertification due date (October 31 by default).",
    rules.DEFAULT_DUE_DAY, minimum=1, maximum=31))
settings.declare(settings.SettingSpec(
    "recert.reminder_days", "Recertification reminder days",
    "Days before the due date on which people who have not recertified are mailed a reminder (comma-separated).",
    ", ".join(str(d) for d in rules.DEFAULT_REMINDER_DAYS), kind="words"))
settings.declare(settings.SettingSpec(
    "recert.overdue_every_days", "Overdue recertification reminder interval (days)",
    "After the due date, people still missing recertification are reminded this often (0: never).",
    rules.DEFAULT_OVERDUE_EVERY_DAYS, minimum=0, maximum=90))
settings.declare(settings.SettingSpec(
    "recert.carry_over_days", "Recertification carry-over window (days)",
    "Training completed this many days before October 1 counts for the new fiscal year too "
    "(people who just finished their new-user training). 0: none.", 0, minimum=0, maximum=180))

audit.label_actions({
    "recert.cycle_opened": "Recertification cycle opened",
    "recert.reminder_sent": "Recertification reminder mailed",
    "recert.suspended": "Suspended: annual recertification not completed",
    "recert.suspension_lifted": "Recertification suspension lifted (recertification completed)",
})


# --- time ---------------------------------------------------------------------------------------

def zone_name(db_session: Session) -> str:
    return str(settings.get(db_session, "core.time_zone"))


def local_today(db_session: Session, now: datetime) -> date:
    return display.to_zone(now, display.zone_named(zone_name(db_session))).date()


def current_fiscal_year(db_session: Session, now: datetime) -> int:
    return training_rules.fiscal_year_of(now, zone_name(db_session))


# --- cycles ---------------------------------------------------------------------------------------

def get_cycle(db_session: Session, fiscal_year: int) -> RecertCycle | None:
    return db_session.execute(sa.select(RecertCycle).where(RecertCycle.fiscal_year == fiscal_year)).scalar_one_or_none()


def cycles(db_session: Session) -> list[RecertCycle]:
    return list(db_session.execute(_queries()["cycles"]).scalars())


def open_cycle(db_session: Session, fiscal_year: int, *, now: datetime, actor: User | None = None,
               via: str = "job") -> tuple[RecertCycle, bool]:
    """Open ``fiscal_year``'s cycle (the current fiscal year only); return it and whether it is new.

    Opening an open cycle returns it unchanged; two processes opening at once open one
    (the fiscal year is unique).  The due date and reminder days are the settings of
    now; a cycle opened by hand after the set due date is due 30 days after it opened.
    """
    current = current_fiscal_year(db_session, now)
    if fiscal_year != current:
        raise InvalidInput(f"Only the current fiscal year's cycle can be opened: fiscal year {current} "
                           f"(October 1, {current - 1} to September 30, {current}).", field="fy")
    found = get_cycle(db_session, fiscal_year)
    if found is not None:
        return found, False
    today = local_today(db_session, now)
    due_on = rules.due_date(fiscal_year, int(settings.get(db_session, "recert.due_month")),
                            int(settings.get(db_session, "recert.due_day")))
    if due_on <= today:
        due_on = today + timedelta(days=30)
    days = rules.parse_days(settings.get_words(db_session, "recert.reminder_days"))
    cycle = RecertCycle(fiscal_year=fiscal_year, opened_at=now, opened_by_id=getattr(actor, "id", None),
                        opened_on=today, due_on=due_on, reminder_days=",".join(str(d) for d in days),
                        overdue_every_days=int(settings.get(db_session, "recert.overdue_every_days")),
                        carry_over_days=int(settings.get(db_session, "recert.carry_over_days")))
    try:
        with db_session.begin_nested():
            db_session.add(cycle)
    except IntegrityError:  # another process opened it first
        found = get_cycle(db_session, fiscal_year)
        if found is None:
            raise
        return found, False
    audit.record(db_session, action="recert.cycle_opened", now=now, actor=actor, target=cycle,
                 fiscal_year=fiscal_year, due_on=due_on.isoformat(), via=via)
    return cycle, True


def open_current_if_due(db_session: Session, *, now: datetime) -> RecertCycle | None:
    """The scheduled job: open the current fiscal year's cycle from October 1 until its due date.

    After the due date the job leaves it to a person (``recert open-cycle``), so a
    system first started mid-year does not suspend everyone the next day.
    """
    fy = current_fiscal_year(db_session, now)
    existing = get_cycle(db_session, fy)
    if existing is not None:
        return existing
    due_on = rules.due_date(fy, int(settings.get(db_session, "recert.due_month")),
                            int(settings.get(db_session, "recert.due_day")))
    if local_today(db_session, now) > due_on:
        return None
    return open_cycle(db_session, fy, now=now)[0]


# --- who, and where they stand ------------------------------------------------------------------

def in_scope(db_session: Session) -> list[User]:
    """Every active person with an end-user role (those who enter client data into the HMIS)."""
    return list(db_session.execute(
        sa.select(User).where(User.is_active.is_(True), User.id.in_(
            sa.select(RoleGrant.user_id).where(RoleGrant.role == Role.END_USER.value, RoleGrant.revoked_at.is_(None))))
        .order_by(User.id)).scalars())


@dataclass(frozen=True)
class _Year:
    """A fiscal year without a cycle, as :func:`standings` reads one."""

    fiscal_year: int
    carry_over_days: int


@dataclass(frozen=True)
class PersonStanding:
    user: User
    standing: rules.Standing
    #: True: new-user training this fiscal year, not recertification.
    exempt: bool


def standings(db_session: Session, cycle: RecertCycle | _Year, users: list[User], *,
              now: datetime) -> list[PersonStanding]:
    """Where each person stands in ``cycle`` (two queries whatever the number of people)."""
    ids = [u.id for u in users]
    if not ids:
        return []
    start = training_rules.fiscal_year_start(cycle.fiscal_year, zone_name(db_session))
    oldest = start - timedelta(days=cycle.carry_over_days)
    evidence: dict[int, list[Evidence]] = {}
    for ev in db_session.execute(sa.select(Evidence).where(
            Evidence.user_id.in_(ids), Evidence.requirement.in_(rules.REQUIREMENTS),
            sa.or_(Evidence.fiscal_year == cycle.fiscal_year, Evidence.achieved_at >= oldest))).scalars():
        evidence.setdefault(ev.user_id, []).append(ev)
    plans = dict(db_session.execute(sa.select(TrainingPlan.user_id, sa.func.max(TrainingPlan.created_at))
                                    .where(TrainingPlan.user_id.in_(ids)).group_by(TrainingPlan.user_id)).all())
    return [PersonStanding(u, rules.standing(evidence.get(u.id, []), fiscal_year=cycle.fiscal_year,
                                             fiscal_year_start=start, carry_over_days=cycle.carry_over_days, now=now),
                           rules.in_new_user_training(plans.get(u.id), start)) for u in users]


# --- reminders ------------------------------------------------------------------------------------

def _long_date(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _reminder_mail(cycle: RecertCycle, reminder: rules.Reminder, missing: list[str], base_url: str) -> tuple[str, str]:
    todo = "\n".join(f"  - {m}" for m in missing)
    link = f"{base_url.rstrip('/')}/training/" if base_url else "the training site"
    if reminder.overdue:
        subject = f"Overdue: HMIS recertification for fiscal year {cycle.fiscal_year}"
        lead = (f"Your annual HMIS recertification was due on {_long_date(cycle.due_on)} and is not complete. "
                "Your HMIS access is suspended until you complete it.")
    else:
        subject = f"Reminder: HMIS recertification for fiscal year {cycle.fiscal_year} is due {_long_date(cycle.due_on)}"
        lead = (f"Every HMIS end user completes the annual recertification at the start of each HUD fiscal year. "
                f"Yours is due on {_long_date(cycle.due_on)}; after that date your HMIS access is suspended "
                "until it is complete.")
    return subject, f"{lead}\n\nStill to do:\n{todo}\n\nComplete it at {link}.\n"


def send_reminders(db_session: Session, cycle: RecertCycle, *, now: datetime, base_url: str = "") -> int:
    """Mail today's reminder to every person still missing recertification (each reminder once)."""
    today = local_today(db_session, now)
    reminder = rules.reminder_due(today, opened_on=cycle.opened_on, due_on=cycle.due_on,
                                  days_before=rules.parse_days(cycle.reminder_days.split(",")),
                                  overdue_every_days=cycle.overdue_every_days)
    if reminder is None:
        return 0
    already = set(db_session.execute(sa.select(RecertReminder.user_id).where(
        RecertReminder.cycle_id == cycle.id, RecertReminder.key == reminder.key)).scalars())
    sent = 0
    for ps in standings(db_session, cycle, in_scope(db_session), now=now):
        if ps.exempt or ps.standing.complete or ps.user.id in already:
            continue
        row = RecertReminder(cycle_id=cycle.id, user_id=ps.user.id, key=reminder.key, sent_at=now)
        try:
            with db_session.begin_nested():
                db_session.add(row)
        except IntegrityError:  # another run mailed this one
            continue
        subject, body = _reminder_mail(cycle, reminder, ps.standing.missing_labels(), base_url)
        row.outbox_message_id = queue_mail(db_session, to=ps.user.email, subject=subject, body=body, now=now).id
        audit.record(db_session, action="recert.reminder_sent", now=now, target=ps.user,
                     fiscal_year=cycle.fiscal_year, reminder=reminder.key)
        sent += 1
    db_session.flush()
    return sent


# --- history and status ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryYear:
    fiscal_year: int
    cycle: RecertCycle | None
    #: (requirement label, when met or None) for each yearly requirement.
    requirements: list[tuple[str, datetime | None]]
    reminders: list[RecertReminder]
    suspension: RecertSuspension | None


@functools.cache
def _queries() -> dict[str, sa.Select]:
    """The list of cycles and the reads of a person's recertification history (an October page), built once
    at first use: a statement keeps its cache key, which SQLAlchemy would otherwise work out again from a new
    one on every call."""
    person = sa.bindparam("user_id")
    return {
        "cycles": sa.select(RecertCycle).order_by(RecertCycle.fiscal_year.desc()),
        "evidence": sa.select(Evidence).where(Evidence.user_id == person, Evidence.requirement.in_(rules.REQUIREMENTS)),
        "reminded_years": sa.select(RecertCycle.fiscal_year).join(
            RecertReminder, RecertReminder.cycle_id == RecertCycle.id).where(RecertReminder.user_id == person),
        "reminders": sa.select(RecertReminder).where(RecertReminder.user_id == person).order_by(RecertReminder.sent_at),
        "suspensions": sa.select(RecertSuspension).where(RecertSuspension.user_id == person),
    }


def history(db_session: Session, user: User, *, now: datetime) -> list[HistoryYear]:
    """Every fiscal year of a person's: each cycle, and each year they have yearly evidence in, newest first."""
    zone = zone_name(db_session)
    queries, person = _queries(), {"user_id": user.id}
    evidence = list(db_session.execute(queries["evidence"], person).scalars())
    all_cycles = {c.fiscal_year: c for c in cycles(db_session)}
    years = {ev.fiscal_year for ev in evidence} | set(db_session.execute(queries["reminded_years"], person).scalars())
    years |= {c.fiscal_year for c in all_cycles.values()
              if c.fiscal_year == training_rules.fiscal_year_of(now, zone)}
    reminders: dict[int, list[RecertReminder]] = {}
    for r in db_session.execute(queries["reminders"], person).scalars():
        reminders.setdefault(r.cycle_id, []).append(r)
    suspensions = {s.cycle_id: s for s in db_session.execute(queries["suspensions"], person).scalars()}
    years |= {c.fiscal_year for c in all_cycles.values() if c.id in suspensions}
    out = []
    for fy in sorted(years, reverse=True):
        cycle = all_cycles.get(fy)
        st = rules.standing(evidence, fiscal_year=fy, fiscal_year_start=training_rules.fiscal_year_start(fy, zone),
                            carry_over_days=cycle.carry_over_days if cycle else 0, now=now)
        out.append(HistoryYear(fy, cycle, [(training_rules.requirement_label(k), v) for k, v in st.met.items()],
                               reminders.get(cycle.id, []) if cycle else [],
                               suspensions.get(cycle.id) if cycle else None))
    return out


@dataclass(frozen=True)
class CycleStatus:
    cycle: RecertCycle
    #: Where today's active end users stand (the current cycle only; None for past cycles).
    in_scope: int | None
    complete: int | None
    exempt: int | None
    outstanding: int | None
    suspended_now: int
    suspended_ever: int
    reminders_sent: int


def cycle_statuses(db_session: Session, *, now: datetime) -> list[CycleStatus]:
    """Counts for the cycle status page, newest cycle first, in a fixed number of queries.

    Suspensions and reminders are counted for every cycle; where people stand is
    computed for the current fiscal year's cycle only (past ones are history).
    """
    all_cycles = cycles(db_session)
    susp = {cid: (total, lifted) for cid, total, lifted in db_session.execute(
        sa.select(RecertSuspension.cycle_id, sa.func.count(), sa.func.count(RecertSuspension.lifted_at))
        .group_by(RecertSuspension.cycle_id)).all()}
    reminders = dict(db_session.execute(sa.select(RecertReminder.cycle_id, sa.func.count())
                                        .group_by(RecertReminder.cycle_id)).all())
    current = current_fiscal_year(db_session, now)
    out = []
    for cycle in all_cycles:
        total, lifted = susp.get(cycle.id, (0, 0))
        counts: tuple[int | None, ...] = (None, None, None, None)
        if cycle.fiscal_year == current:
            rows = standings(db_session, cycle, in_scope(db_session), now=now)
            exempt = sum(r.exempt for r in rows)
            complete = sum(1 for r in rows if not r.exempt and r.standing.complete)
            counts = (len(rows), complete, exempt, len(rows) - exempt - complete)
        out.append(CycleStatus(cycle, *counts, total - lifted, total, reminders.get(cycle.id, 0)))
    return out
