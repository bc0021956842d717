"""Each person's status in one cycle, in SQL: the same rule as :func:`lms.recert.rules.person_status`.

One row per person in scope (:func:`standings`) gives their status as a CASE over their yearly
evidence (the latest of each requirement, an index lookup each), their live recertification suspensions
and their new-user plans, so that the
dashboard counts with GROUP BY and loads one page of people only.  Keep it in step with the Python rule:
tests/functional/recert/test_dashboard.py compares the two in every situation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import sqlalchemy as sa

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.core.roles import Role
from lms.orgs.models import Agency
from lms.recert import rules
from lms.recert.dashboard.scope import Scope
from lms.recert.models import RecertCycle, RecertSuspension
from lms.training import rules as training_rules
from lms.training.models import Evidence, TrainingPlan


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; every id is already checked to be in the viewer's scope."""

    status: str | None = None
    coc_id: int | None = None
    agency_id: int | None = None
    q: str = ""


def _current_member() -> sa.Select:
    return (sa.select(AgencyMembership.user_id).join(Agency, Agency.id == AgencyMembership.agency_id)
            .where(AgencyMembership.ended_on.is_(None)))


def in_scope_clause(scope: Scope) -> sa.ColumnElement[bool] | None:
    """The condition on ``agencies`` of an agency in ``scope`` (None: every agency)."""
    if scope.everything:
        return None
    return sa.or_(sa.false(), Agency.coc_id.in_(scope.coc_ids), Agency.id.in_(scope.agency_ids))


def people_where(scope: Scope, filters: Filters) -> list[sa.ColumnElement[bool]]:
    """The conditions on ``users`` of an active end user in scope matching the CoC, agency and search filters."""
    member = _current_member()
    out = [User.is_active.is_(True), User.id.in_(
        sa.select(RoleGrant.user_id).where(RoleGrant.role == Role.END_USER.value, RoleGrant.revoked_at.is_(None)))]
    reach = in_scope_clause(scope)
    if reach is not None:
        out.append(User.id.in_(member.where(reach)))
    if filters.coc_id is not None:
        out.append(User.id.in_(member.where(Agency.coc_id == filters.coc_id)))
    if filters.agency_id is not None:
        out.append(User.id.in_(member.where(AgencyMembership.agency_id == filters.agency_id)))
    if filters.q:
        needle = filters.q.lower()
        out.append(sa.or_(sa.func.lower(User.full_name).contains(needle, autoescape=True),
                          sa.func.lower(User.email).contains(needle, autoescape=True)))
    return out


#: The label of each requirement's "met at" column (``met_0`` for ``rules.REQUIREMENTS[0]``...).
MET = tuple(f"met_{i}" for i in range(len(rules.REQUIREMENTS)))


def standings(scope: Scope, cycle: RecertCycle, filters: Filters, *, zone: str, now: datetime,
              today: date) -> sa.Subquery:
    """:func:`standings_select` as a subquery."""
    return standings_select(scope, cycle, filters, zone=zone, now=now, today=today).subquery("standing")


def standings_select(scope: Scope, cycle: RecertCycle, filters: Filters, *, zone: str, now: datetime,
                     today: date, only: sa.Select | None = None) -> sa.Select:
    """One row per person in ``scope`` matching ``filters`` (the status filter aside): ``user_id``, ``status``,
    ``completed_at`` (None until every requirement is met), ``has_agency`` (1 when they are a current member
    of an agency in scope, else 0) and when each requirement was met (:data:`MET`).  ``only``: a query of
    the ids of the people wanted (one page), when not all of them are.

    The status is :func:`rules.person_status` of :func:`lms.recert.services.standings`: evidence of the
    cycle's fiscal year, or achieved in the carry-over window before it began, and not after ``now``,
    counts; a live suspension of this cycle or an earlier one comes first, then a new-user plan begun
    this fiscal year, then certified, overdue (after the due date), in progress, not started.
    """
    start = training_rules.fiscal_year_start(cycle.fiscal_year, zone)
    counts = Evidence.fiscal_year == cycle.fiscal_year
    if cycle.carry_over_days > 0:
        counts = sa.or_(counts, sa.and_(Evidence.achieved_at >= start - timedelta(days=cycle.carry_over_days),
                                        Evidence.achieved_at < start))
    counted = [Evidence.user_id == User.id, Evidence.achieved_at <= now, counts]

    def latest(*keys: str) -> sa.ScalarSelect:  # an index lookup per person, whatever the table statistics
        return (sa.select(sa.func.max(Evidence.achieved_at)).where(Evidence.requirement.in_(keys), *counted)
                .scalar_subquery())

    suspended = sa.exists(sa.select(RecertSuspension.id).join(RecertCycle, RecertCycle.id == RecertSuspension.cycle_id)
                          .where(RecertSuspension.user_id == User.id, RecertSuspension.lifted_at.is_(None),
                                 RecertCycle.fiscal_year <= cycle.fiscal_year))
    exempt = sa.exists(sa.select(TrainingPlan.id).where(TrainingPlan.user_id == User.id,
                                                        TrainingPlan.created_at >= start))
    member = sa.select(AgencyMembership.id).join(Agency, Agency.id == AgencyMembership.agency_id).where(
        AgencyMembership.user_id == User.id, AgencyMembership.ended_on.is_(None))
    reach = in_scope_clause(scope)
    if reach is not None:
        member = member.where(reach)
    # The facts per person first (OFFSET 0 keeps PostgreSQL from copying each lookup into every use below).
    facts = (sa.select(User.id.label("user_id"), sa.case((suspended, 1), else_=0).label("suspended"),
                       sa.case((exempt, 1), else_=0).label("exempt"), latest(*rules.REQUIREMENTS).label("last"),
                       sa.case((sa.exists(member), 1), else_=0).label("has_agency"),
                       *(latest(key).label(col) for key, col in zip(rules.REQUIREMENTS, MET)))
             .where(*people_where(scope, filters), *([User.id.in_(only)] if only is not None else []))
             .offset(0).subquery("facts"))
    complete = sa.and_(*(facts.c[col].is_not(None) for col in MET))
    some = sa.or_(*(facts.c[col].is_not(None) for col in MET))
    whens = [(facts.c.suspended == 1, rules.SUSPENDED), (facts.c.exempt == 1, rules.EXEMPT),
             (complete, rules.CERTIFIED)]
    if today > cycle.due_on:
        whens.append((sa.true(), rules.OVERDUE))
    whens.append((some, rules.IN_PROGRESS))
    return sa.select(facts.c.user_id, sa.case(*whens, else_=rules.NOT_STARTED).label("status"),
                     sa.case((complete, facts.c.last)).label("completed_at"), facts.c.has_agency,
                     *(facts.c[col] for col in MET))

# --- local days ------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _offsets(zone: str, first: date, last: date) -> tuple[tuple[datetime, int], ...]:
    """``zone``'s UTC offset (seconds) from each instant it changes at between ``first`` and ``last`` (UTC days),
    the first one from the start of ``first``."""
    from lms.core import display

    tz = display.zone_named(zone)

    def offset(moment: datetime) -> int:
        return int(moment.astimezone(tz).utcoffset().total_seconds())

    moment = datetime.combine(first, datetime.min.time(), tzinfo=timezone.utc)
    out = [(moment, offset(moment))]
    while moment.date() < last:
        following = moment + timedelta(days=1)
        if offset(following) != out[-1][1]:
            lo, hi = 0, 24 * 60  # the first minute of the day with the new offset
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(moment + timedelta(minutes=mid)) == out[-1][1] else (lo, mid)
            out.append((moment + timedelta(minutes=hi), offset(following)))
        moment = following
    return tuple(out)


def local_day(column: sa.ColumnElement, dialect: str, zone: str, first: date, last: date) -> sa.ColumnElement:
    """The local date in ``zone`` of the UTC time ``column``, exact between ``first`` and ``last`` (each offset
    change in between is a branch of a CASE; before ``first`` the first offset holds, after ``last`` the last).

    SQLite: ``date(t, '<offset> seconds')``; PostgreSQL: ``CAST(t + <interval> AS DATE)``.  SQLite hands the
    day back as text ("2027-10-05").
    """
    changes = _offsets(zone, first, last)
    if dialect == "sqlite":
        def shift(seconds: int):  # noqa: ANN202
            return sa.literal(f"{seconds:+d} seconds")
    else:
        def shift(seconds: int):  # noqa: ANN202
            return sa.literal(timedelta(seconds=seconds), sa.Interval)
    amount = shift(changes[-1][1])
    if len(changes) > 1:
        amount = sa.case(*((column < changes[i + 1][0], shift(changes[i][1])) for i in range(len(changes) - 1)),
                         else_=amount)
    if dialect == "sqlite":
        return sa.func.date(column, amount)
    return sa.cast(column + amount, sa.Date)
