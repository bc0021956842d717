"""Where the people in a viewer's scope stand in one cycle: counts, the chart, one page of people.

Everything is counted in SQL (:mod:`.status`), in a fixed number of statements whatever the number of
people: the counts by status (overall, by CoC, by agency) and the completions per day in one statement,
one page of people in one, and their agencies in one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Hashable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import AgencyMembership, User
from lms.recert import rules, services
from lms.recert.dashboard.scope import AgencyRef, Scope
from lms.recert.dashboard.status import MET, Filters, local_day, people_where, standings_select
from lms.recert.models import RecertCycle
from lms.orgs.models import Agency


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str
    email: str


@dataclass(frozen=True)
class Row:
    user: Person
    status: str
    standing: rules.Standing
    #: The person's current agencies, those in the viewer's scope only.
    agencies: tuple[AgencyRef, ...]

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Tally:
    """Counts by status of one group of people (all of them, one CoC, one agency)."""

    label: str
    counts: dict[str, int]
    key: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def percent(self, status: str) -> float | None:
        return rules.percent(self.counts.get(status, 0), self.total)

    def cells(self) -> list[tuple[str, int, str]]:
        """(label, count, share as "12.5%" or "—") of each status in order: the table's cells, made here
        rather than by a template macro per cell."""
        out = []
        for status in rules.STATUSES:
            share = self.percent(status)
            out.append((rules.STATUS_LABELS[status], self.counts.get(status, 0),
                        "—" if share is None else f"{share:.1f}%"))
        return out


@dataclass(frozen=True)
class Tallies:
    overall: Tally
    by_coc: list[Tally]
    by_agency: list[Tally]


@dataclass
class Dashboard:
    cycle: RecertCycle
    today: date
    filters: Filters
    overall: Tally
    by_coc: list[Tally]
    by_agency: list[Tally]
    #: (local day, completions that day) from the cycle's opening.
    per_day: list[tuple[date, int]]
    #: One page of the people matching every filter, by name.
    rows: list[Row] = field(default_factory=list)
    #: How many people match every filter (the status filter too), and the page shown (from 1).
    matching: int = 0
    page: int = 1

    @property
    def completed(self) -> int:
        return sum(n for _, n in self.per_day)


@dataclass(frozen=True)
class _Context:
    scope: Scope
    cycle: RecertCycle
    filters: Filters
    zone: str
    now: datetime
    today: date

    def standings_select(self, only: sa.Select | None = None) -> sa.Select:
        return standings_select(self.scope, self.cycle, self.filters, zone=self.zone, now=self.now, today=self.today,
                                only=only)

    def standings(self, only: sa.Select | None = None) -> sa.Subquery:
        return self.standings_select(only).subquery("standing")


def _context(db_session: Session, scope: Scope, cycle: RecertCycle, filters: Filters, now: datetime) -> _Context:
    return _Context(scope, cycle, filters, services.zone_name(db_session), now, services.local_today(db_session, now))


def _empty(scope: Scope) -> bool:
    return not scope.everything and not scope.agencies


_ALL, _COC, _AGENCY, _DAY = 0, 1, 2, 3


def _counts(db_session: Session, ctx: _Context, *, days: bool) -> tuple[dict, list[date]]:
    """Count the people by status: all of them, each CoC's and each agency's and, when ``days``, the
    completions on each local day (everyone who completed but the exempt).  One statement: the people's
    standings computed once (a materialized common table expression), grouped four ways."""
    counts: dict[tuple[int, int | None], dict[str, int]] = {}
    done: list[date] = []
    if _empty(ctx.scope):
        return counts, done
    st = ctx.standings_select().cte("standing").prefix_with("MATERIALIZED")
    no_day = sa.cast(sa.null(), sa.Date)
    overall = sa.select(sa.literal_column(str(_ALL)).label("kind"), st.c.has_agency.label("key"),
                        st.c.status.label("status"), no_day.label("day"), sa.func.count().label("n")) \
        .group_by(st.c.has_agency, st.c.status)
    member = st.join(AgencyMembership, sa.and_(AgencyMembership.user_id == st.c.user_id,
                                               AgencyMembership.ended_on.is_(None))) \
        .join(Agency, Agency.id == AgencyMembership.agency_id)
    reach = [Agency.id.in_([a.id for a in ctx.scope.agencies])] if not ctx.scope.everything else []
    parts = [overall] + [
        sa.select(sa.literal_column(str(kind)), column, st.c.status, no_day, sa.func.count(sa.distinct(st.c.user_id)))
        .select_from(member).where(*reach).group_by(column, st.c.status)
        for kind, column in ((_COC, Agency.coc_id), (_AGENCY, Agency.id))]
    if days:
        # Exact from well before the cycle's first day (and its carry-over window) to today.
        first = min(ctx.cycle.opened_on, rules.cycle_start(ctx.cycle.fiscal_year)) - timedelta(
            days=ctx.cycle.carry_over_days + 2)
        day = local_day(st.c.completed_at, db_session.get_bind().dialect.name, ctx.zone, first,
                        ctx.today + timedelta(days=2))
        per_day = sa.select(day.label("day")).where(st.c.completed_at.is_not(None), st.c.status != rules.EXEMPT) \
            .subquery("days")
        parts.append(sa.select(sa.literal_column(str(_DAY)), sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.String),
                               per_day.c.day, sa.func.count()).group_by(per_day.c.day))
    for kind, key, status, day, n in db_session.execute(sa.union_all(*parts)):
        if kind == _DAY:
            done.extend([day if isinstance(day, date) else date.fromisoformat(day)] * n)
        else:
            counts.setdefault((kind, key), dict.fromkeys(rules.STATUSES, 0))[status] += n
    return counts, done


def _tallies(counts: dict, ctx: _Context) -> Tallies:
    total = dict.fromkeys(rules.STATUSES, 0)
    for (kind, _), group in counts.items():
        if kind == _ALL:
            for s, n in group.items():
                total[s] += n
    f, scope = ctx.filters, ctx.scope

    def tally(label: str, kind: int, key: int | None) -> Tally:
        return Tally(label, counts.get((kind, key), dict.fromkeys(rules.STATUSES, 0)), key)

    # Narrowed to a CoC or an agency, the breakdowns show that one only (not the other places its people work).
    by_coc = [tally(f"{code} {name}", _COC, coc_id) for coc_id, code, name in scope.cocs
              if f.coc_id in (None, coc_id) and ((_COC, coc_id) in counts or coc_id == f.coc_id)]
    by_agency = [tally(a.name, _AGENCY, a.id) for a in scope.agencies
                 if f.coc_id in (None, a.coc_id) and f.agency_id in (None, a.id)
                 and ((_AGENCY, a.id) in counts or a.id == f.agency_id)]
    if (_ALL, 0) in counts:  # administrators see active end users who belong to no agency now
        by_agency.append(Tally("No current agency", counts[(_ALL, 0)]))
    return Tallies(Tally("All", total), by_coc, by_agency)


def tallies(db_session: Session, scope: Scope, cycle: RecertCycle, filters: Filters, *, now: datetime) -> Tallies:
    """Count the people in ``scope`` matching ``filters`` by status in ``cycle``: overall, by CoC, by agency
    (a person counts once in each of theirs).  One statement."""
    ctx = _context(db_session, scope, cycle, filters, now)
    return _tallies(_counts(db_session, ctx, days=False)[0], ctx)


_BY_NAME = (sa.func.lower(User.full_name), User.id)


def _people(st: sa.Subquery, status: str | None) -> sa.Select:
    q = (sa.select(User.id, User.full_name, User.email, st.c.status, *(st.c[c] for c in MET))
         .join(st, st.c.user_id == User.id).order_by(*_BY_NAME))
    return q.where(st.c.status == status) if status else q


def _agencies(db_session: Session, scope: Scope, user_ids) -> dict[int, list[AgencyRef]]:  # noqa: ANN001
    """Each person's current agencies in scope (``user_ids``: ids, or a query of them; one query)."""
    visible = {a.id: a for a in scope.agencies}
    agencies: dict[int, list[AgencyRef]] = {}
    for user_id, agency_id in db_session.execute(
            sa.select(AgencyMembership.user_id, AgencyMembership.agency_id).distinct()
            .where(AgencyMembership.ended_on.is_(None), AgencyMembership.user_id.in_(user_ids))):
        if agency_id in visible:
            agencies.setdefault(user_id, []).append(visible[agency_id])
    return agencies


def _rows(found: list, agencies: dict[int, list[AgencyRef]]) -> list[Row]:  # noqa: ANN001
    """Make rows of (id, name, e-mail, status, met...) with each person's current agencies in scope."""
    return [Row(Person(user_id, name, email), status, rules.Standing(dict(zip(rules.REQUIREMENTS, met))),
                tuple(sorted(agencies.get(user_id, []), key=lambda a: (a.name.lower(), a.id))))
            for user_id, name, email, status, *met in found]


def build(db_session: Session, scope: Scope, cycle: RecertCycle, filters: Filters, *, now: datetime,
          page: int = 1, per_page: int = 50,
          keep: Callable[[Hashable, Callable[[], Any]], Any] | None = None) -> Dashboard:
    """Return the counts, the chart and page ``page`` of the people in ``scope`` matching ``filters``
    (three statements, whatever the number of people; a page past the last is the last).  ``keep(key, load)``:
    where the counts are kept (:func:`lms.recert.dashboard.cache.kept` at one data version), else counted."""
    ctx = _context(db_session, scope, cycle, filters, now)

    def load() -> tuple[dict, list[date]]:
        return _counts(db_session, ctx, days=True)

    # The counts ignore the status filter and the page (the caller's ``keep`` knows the data version and time).
    key = ("counts", cycle.id, scope.everything, scope.coc_ids, scope.agency_ids, filters.coc_id, filters.agency_id,
           filters.q, ctx.zone, ctx.today)
    counts, done = keep(key, load) if keep is not None else load()
    t = _tallies(counts, ctx)
    per_day = rules.completions_per_day(done, cycle.opened_on, max([cycle.due_on, *done]))
    matching = t.overall.counts[filters.status] if filters.status else t.overall.total
    page = min(max(page, 1), max(1, -(-matching // per_page)))
    rows: list[Row] = []
    if matching:
        if filters.status:  # every person's status decides who is on the page
            q = _people(ctx.standings(), filters.status).limit(per_page).offset((page - 1) * per_page)
        else:  # the page's people by name first, then where those only stand
            q = _people(ctx.standings(sa.select(User.id).where(*people_where(scope, filters)).order_by(
                *_BY_NAME).limit(per_page).offset((page - 1) * per_page)), None)
        found = db_session.execute(q).all()
        rows = _rows(found, _agencies(db_session, scope, [r[0] for r in found]))
    return Dashboard(cycle, ctx.today, filters, t.overall, t.by_coc, t.by_agency, per_day, rows, matching, page)


def every_row(db_session: Session, scope: Scope, cycle: RecertCycle, filters: Filters, *, now: datetime,
              batch: int = 500) -> Iterator[Row]:
    """Yield every person in ``scope`` matching ``filters``, by name, read ``batch`` at a time (the exports; two
    statements: everyone's current agencies first, then the people)."""
    if _empty(scope):
        return
    ctx = _context(db_session, scope, cycle, filters, now)
    agencies = _agencies(db_session, scope, sa.select(User.id).where(*people_where(scope, filters)))
    result = db_session.execute(_people(ctx.standings(), filters.status).execution_options(yield_per=batch))
    for found in result.partitions():
        yield from _rows(list(found), agencies)

