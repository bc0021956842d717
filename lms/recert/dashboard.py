"""The recertification compliance dashboard: where each person in a viewer's scope stands in one cycle.

Who sees whom follows :func:`lms.training.services.may_view_training_of`: HMIS lead and system
administrators see every active end user; an HMIS manager the current members of the agencies of
their CoCs; an agency's authorized representative the current members of the agencies they represent.

Everything is read in a fixed number of bulk queries, whatever the number of people: the agencies in
scope, the people, their current memberships, their live suspensions, and :func:`services.standings`
(their yearly evidence and their plans).  Statuses, counts and the chart are computed from those rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.core import display
from lms.core.roles import ADMIN_ROLES, Role
from lms.orgs.models import Agency, Coc
from lms.recert import rules, services
from lms.recert.models import RecertCycle, RecertSuspension
from lms.training import rules as training_rules

#: Who may open the dashboard (each sees only their own scope).
READERS = frozenset({Role.LEAD_ADMIN, Role.SYSADMIN, Role.HMIS_MANAGER, Role.AGENCY_REP})


# --- scope -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyRef:
    id: int
    name: str
    coc_id: int
    coc_code: str
    coc_name: str


@dataclass(frozen=True)
class Scope:
    """The agencies (and so the CoCs) a viewer may see people of; ``everything``: every person."""

    everything: bool
    agencies: list[AgencyRef]
    #: The HMIS manager's CoCs and the representative's agencies (empty for administrators).
    coc_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()

    @property
    def cocs(self) -> list[tuple[int, str, str]]:
        """(id, code, name) of every CoC with an agency in scope, by code."""
        return sorted({(a.coc_id, a.coc_code, a.coc_name) for a in self.agencies}, key=lambda c: (c[1], c[0]))

    def agency(self, agency_id: int | None) -> AgencyRef | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def has_coc(self, coc_id: int | None) -> bool:
        return any(a.coc_id == coc_id for a in self.agencies)

    def note(self) -> str:
        """Say whose people the dashboard holds, for someone who may not see everyone's."""
        if self.everything:
            return ""
        parts = []
        if self.coc_ids:
            parts.append("the people of the agencies in your CoCs")
        if self.agency_ids:
            parts.append("the current members of the agencies you represent")
        return " and ".join(parts)


def scope_of(db_session: Session, viewer: User) -> Scope:
    """Return ``viewer``'s scope (one query: the agencies in it, with their CoCs)."""
    if viewer.roles & ADMIN_ROLES:
        return scope_for(db_session, everything=True)
    return scope_for(db_session, coc_ids=viewer.coc_ids_for(Role.HMIS_MANAGER),
                     agency_ids=viewer.agency_ids_for(Role.AGENCY_REP))


def scope_for(db_session: Session, *, everything: bool = False, coc_ids: Iterable[int] = (),
              agency_ids: Iterable[int] = ()) -> Scope:
    """Return the scope of every person, or of these CoCs' and agencies' people (an API token's reach too)."""
    q = (sa.select(Agency.id, Agency.name, Coc.id, Coc.code, Coc.name).join(Coc, Coc.id == Agency.coc_id)
         .order_by(Coc.code, sa.func.lower(Agency.name), Agency.id))
    if everything:
        return Scope(True, [AgencyRef(*row) for row in db_session.execute(q)])
    managed, represented = frozenset(coc_ids), frozenset(agency_ids)
    if not managed and not represented:
        return Scope(False, [])
    q = q.where(sa.or_(Agency.coc_id.in_(managed), Agency.id.in_(represented)))
    return Scope(False, [AgencyRef(*row) for row in db_session.execute(q)], managed, represented)


# --- the people and where they stand --------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; every id is already checked to be in the viewer's scope."""

    status: str | None = None
    coc_id: int | None = None
    agency_id: int | None = None
    q: str = ""


@dataclass(frozen=True)
class Row:
    user: User
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


@dataclass
class Dashboard:
    cycle: RecertCycle
    today: date
    filters: Filters
    #: Every person matching the CoC, agency and search filters (the status filter not applied).
    everyone: list[Row]
    overall: Tally
    by_coc: list[Tally]
    by_agency: list[Tally]
    #: (local day, completions that day) from the cycle's opening.
    per_day: list[tuple[date, int]]
    rows: list[Row] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(n for _, n in self.per_day)


def _tally(label: str, rows: Iterable[Row], key: int | None = None) -> Tally:
    counts = dict.fromkeys(rules.STATUSES, 0)
    for r in rows:
        counts[r.status] += 1
    return Tally(label, counts, key)


def _people_query(scope: Scope, filters: Filters) -> sa.Select:
    """Return the query of the active end users in scope matching the CoC, agency and search filters."""
    member = (sa.select(AgencyMembership.user_id).join(Agency, Agency.id == AgencyMembership.agency_id)
              .where(AgencyMembership.ended_on.is_(None)))
    q = sa.select(User).where(User.is_active.is_(True), User.id.in_(
        sa.select(RoleGrant.user_id).where(RoleGrant.role == Role.END_USER.value, RoleGrant.revoked_at.is_(None))))
    if not scope.everything:
        q = q.where(User.id.in_(member.where(sa.or_(sa.false(), Agency.coc_id.in_(scope.coc_ids),
                                                     AgencyMembership.agency_id.in_(scope.agency_ids)))))
    if filters.coc_id is not None:
        q = q.where(User.id.in_(member.where(Agency.coc_id == filters.coc_id)))
    if filters.agency_id is not None:
        q = q.where(User.id.in_(member.where(AgencyMembership.agency_id == filters.agency_id)))
    if filters.q:
        needle = filters.q.lower()
        q = q.where(sa.or_(sa.func.lower(User.full_name).contains(needle, autoescape=True),
                           sa.func.lower(User.email).contains(needle, autoescape=True)))
    return q.order_by(sa.func.lower(User.full_name), User.id)


def build(db_session: Session, scope: Scope, cycle: RecertCycle, filters: Filters, *, now: datetime) -> Dashboard:
    """Return where every person in ``scope`` matching ``filters`` stands in ``cycle`` (five queries)."""
    if scope.everything or scope.agencies:
        query = _people_query(scope, filters)
        people = list(db_session.execute(query).scalars())
    else:
        query, people = None, []
    ids = query.with_only_columns(User.id).order_by(None) if query is not None else None
    visible = {a.id: a for a in scope.agencies}
    agencies: dict[int, dict[int, AgencyRef]] = {}
    suspended: set[int] = set()
    if people:
        for user_id, agency_id in db_session.execute(
                sa.select(AgencyMembership.user_id, AgencyMembership.agency_id)
                .where(AgencyMembership.ended_on.is_(None), AgencyMembership.user_id.in_(ids))):
            if agency_id in visible:
                agencies.setdefault(user_id, {})[agency_id] = visible[agency_id]
        suspended = set(db_session.execute(
            sa.select(RecertSuspension.user_id).join(RecertCycle, RecertCycle.id == RecertSuspension.cycle_id)
            .where(RecertSuspension.lifted_at.is_(None), RecertCycle.fiscal_year <= cycle.fiscal_year,
                   RecertSuspension.user_id.in_(ids))).scalars())
    today = services.local_today(db_session, now)
    everyone = []
    for ps in services.standings(db_session, cycle, people, now=now):
        status = rules.person_status(ps.standing, exempt=ps.exempt, suspended=ps.user.id in suspended, today=today,
                                     due_on=cycle.due_on)
        mine = tuple(sorted(agencies.get(ps.user.id, {}).values(), key=lambda a: (a.name.lower(), a.id)))
        everyone.append(Row(ps.user, status, ps.standing, mine))

    # One pass over the people: each CoC's and each agency's (a person counts once in each of theirs).
    per_coc: dict[int, list[Row]] = {}
    per_agency: dict[int | None, list[Row]] = {}
    for r in everyone:
        for coc_id in {a.coc_id for a in r.agencies}:
            per_coc.setdefault(coc_id, []).append(r)
        for a in r.agencies:
            per_agency.setdefault(a.id, []).append(r)
        if not r.agencies:
            per_agency.setdefault(None, []).append(r)
    # Narrowed to a CoC or an agency, the breakdowns show that one only (not the other places its people work).
    by_coc = [_tally(f"{code} {name}", per_coc.get(coc_id, []), coc_id) for coc_id, code, name in scope.cocs
              if filters.coc_id in (None, coc_id) and (coc_id in per_coc or coc_id == filters.coc_id)]
    by_agency = [_tally(a.name, per_agency.get(a.id, []), a.id) for a in scope.agencies
                 if filters.coc_id in (None, a.coc_id) and filters.agency_id in (None, a.id)
                 and (a.id in per_agency or a.id == filters.agency_id)]
    if None in per_agency:  # administrators see active end users who belong to no agency now
        by_agency.append(_tally("No current agency", per_agency[None]))

    zone = display.zone_named(services.zone_name(db_session))
    done = [display.to_zone(r.standing.completed_at, zone).date() for r in everyone
            if r.status != rules.EXEMPT and r.standing.completed_at is not None]
    per_day = rules.completions_per_day(done, cycle.opened_on, max([cycle.due_on, *done]))
    rows = [r for r in everyone if filters.status in (None, r.status)]
    return Dashboard(cycle, today, filters, everyone, _tally("All", everyone), by_coc, by_agency, per_day, rows)


# --- the chart --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    count: int


@dataclass(frozen=True)
class Chart:
    """The geometry of the completions-per-day bar chart (the template draws it as inline SVG)."""

    width: int
    height: int
    left: int
    top: int
    bottom: int
    bars: list[Bar]
    top_value: int
    #: x of the due date's line, or None when it falls outside the days shown.
    due_x: float | None
    #: Print each bar's count above it (there is room when the days are few).
    labels: bool

    @property
    def base(self) -> int:
        return self.height - self.bottom


def chart(per_day: list[tuple[date, int]], due_on: date, *, width: int = 640, height: int = 240) -> Chart:
    """Lay out one bar per day, scaled to the busiest day."""
    left, right, top, bottom = 40, 10, 24, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([n for _, n in per_day] + [1])
    slot = plot_w / max(len(per_day), 1)
    bars = [Bar(x=round(left + i * slot + slot * 0.1, 2), y=round(top + plot_h * (1 - n / top_value), 2),
                width=round(max(slot * 0.8, 0.5), 2), height=round(plot_h * n / top_value, 2), day=day, count=n)
            for i, (day, n) in enumerate(per_day)]
    due_x = None
    for i, (day, _) in enumerate(per_day):
        if day == due_on:
            due_x = round(left + (i + 0.5) * slot, 2)
    return Chart(width, height, left, top, bottom, bars, top_value, due_x, labels=len(per_day) <= 45)


# --- exports ------------------------------------------------------------------------------------------

COLUMNS = ("Name", "E-mail", "Status", "CoC", "Agencies",
           *(training_rules.requirement_label(k) for k in rules.REQUIREMENTS), "Completed", "Still missing")


def _local(moment: datetime | None, zone) -> datetime | None:  # noqa: ANN001
    return display.to_zone(moment, zone).replace(tzinfo=None, microsecond=0) if moment else None


def export_rows(rows: list[Row], zone_name: str) -> list[list]:
    """Return each row's cells: text, and times as naive local datetimes (the HMIS Lead's zone)."""
    zone = display.zone_named(zone_name)
    out = []
    for r in rows:
        cocs = sorted({a.coc_code for a in r.agencies})
        out.append([r.user.full_name, r.user.email, r.status_label, "; ".join(cocs),
                    "; ".join(a.name for a in r.agencies),
                    *(_local(r.standing.met.get(k), zone) for k in rules.REQUIREMENTS),
                    _local(r.standing.completed_at, zone), "; ".join(r.standing.missing_labels())])
    return out


def _text(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value)


def to_csv(rows: list[Row], zone_name: str) -> str:
    """Write the rows as CSV, every text cell safe from being run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cells in export_rows(rows, zone_name):
        writer.writerow([rules.spreadsheet_safe(_text(c)) for c in cells])
    return out.getvalue()


def to_xlsx(rows: list[Row], zone_name: str, *, title: str) -> bytes:
    """Write the rows as an Excel workbook; text stays text (never a formula), times are real dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])

    def cell(value):  # noqa: ANN001, ANN202
        if isinstance(value, str):
            c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            c.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            return c
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, datetime):
            c.number_format = "yyyy-mm-dd hh:mm"
        return c

    ws.append([cell(c) for c in COLUMNS])
    for cells in export_rows(rows, zone_name):
        ws.append([cell(c) for c in cells])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
