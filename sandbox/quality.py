"""Data-quality findings in the style of HUD's APR/CAPER question 6, for a client or a whole workspace.

Each :class:`Finding` says which element, what kind (``missing``, ``dk_pnta`` for
"doesn't know / prefers not to answer", ``issue`` for inconsistent data, ``late``
for entries made long after the event) and a sentence a trainee can act on.
Practice cases use these as automatic feedback.

Two ways to the same answers: :func:`findings` loads the records and says what is
wrong with each (a client's page, a page of clients, practice-case feedback);
:func:`workspace_summary` and :func:`clients_with_findings` count the same findings
in SQL (one aggregate query each), so the home and data-quality pages cost the same
at 10 or 10,000 clients.  ``tests/unit/sandbox/test_quality.py`` checks that both
ways agree, rule by rule.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

import lms.hud as hud
from lms.hud import checks as rules
from lms.hud.measures import LATE_AFTER_DAYS
from sandbox.apr.sql import Ymd as _Ymd
from sandbox.models import Client, Enrollment, Exit, IncomeBenefits, Project, QualitySummary, Workspace

DK_PNTA = frozenset({hud.DK, hud.PNTA})


@dataclass(frozen=True)
class Finding:
    personal_id: str
    element: str
    kind: str
    message: str
    enrollment_id: str | None = None


def _client_findings(c: Client) -> list[Finding]:
    out: list[Finding] = []
    pid = c.PersonalID

    def add(element: str, kind: str, message: str) -> None:
        out.append(Finding(pid, element, kind, message))

    # 3.01 Name
    if c.NameDataQuality in DK_PNTA:
        add("3.01", "dk_pnta", "Name: the client didn't know or preferred not to answer.")
    elif c.NameDataQuality == hud.NOT_COLLECTED or not (c.FirstName and c.LastName):
        add("3.01", "missing", "Name: first or last name is missing.")
    elif c.NameDataQuality == 2:
        add("3.01", "issue", "Name: only a partial, street or code name is recorded.")
    # 3.02 SSN
    if c.SSNDataQuality in DK_PNTA:
        add("3.02", "dk_pnta", "SSN: the client didn't know or preferred not to answer.")
    elif c.SSNDataQuality == hud.NOT_COLLECTED or not c.SSN:
        add("3.02", "missing", "SSN: not collected.")
    elif c.SSNDataQuality == 2:
        add("3.02", "issue", "SSN: only part of the SSN is recorded.")
    # 3.03 DOB
    if c.DOB is None:
        add("3.03", "dk_pnta" if c.DOBDataQuality in DK_PNTA else "missing", "Date of birth: not recorded.")
    elif c.DOBDataQuality in hud.MISSING_CODES:
        add("3.03", "issue", "Date of birth: a date is recorded but its quality says it was not collected.")
    elif c.DOBDataQuality == 2:
        add("3.03", "issue", "Date of birth: approximate.")
    elif c.DOB < rules.EARLIEST_DOB or (c.DateCreated and c.DOB > c.DateCreated.date()):
        add("3.03", "issue", "Date of birth: not believable (before 1915 or after the record was created).")
    # 3.04 Race and ethnicity
    if c.RaceNone in DK_PNTA:
        add("3.04", "dk_pnta", "Race and ethnicity: the client didn't know or preferred not to answer.")
    elif c.RaceNone == hud.NOT_COLLECTED or not any(getattr(c, col) == 1 for col, _ in hud.RACE_COLUMNS):
        add("3.04", "missing", "Race and ethnicity: not collected.")
    return out


def findings(sdb: Session, workspace_id: int, personal_id: str | None = None, *,
             personal_ids: list[str] | None = None) -> list[Finding]:
    """Return every data-quality finding of one client (``personal_id``), of some (``personal_ids``: a
    page of :func:`clients_with_findings`) or of the whole workspace (small workspaces and tests only:
    pages use :func:`workspace_summary` and :func:`clients_with_findings`)."""
    cq = sa.select(Client).where(Client.workspace_id == workspace_id)
    eq = sa.select(Enrollment).where(Enrollment.workspace_id == workspace_id)
    if personal_id is not None:
        cq = cq.where(Client.PersonalID == personal_id)
        eq = eq.where(Enrollment.PersonalID == personal_id)
    if personal_ids is not None:
        cq = cq.where(Client.PersonalID.in_(personal_ids or [""]))
        eq = eq.where(Enrollment.PersonalID.in_(personal_ids or [""]))
    clients = {c.PersonalID: c for c in sdb.execute(cq).scalars()}
    enrollments = list(sdb.execute(eq).scalars())
    exits = {x.EnrollmentID: x for x in sdb.execute(
        sa.select(Exit).where(Exit.workspace_id == workspace_id,
                              Exit.EnrollmentID.in_([e.EnrollmentID for e in enrollments] or [""]))).scalars()}
    incomes: dict[tuple[str, int], list[IncomeBenefits]] = {}
    for ib in sdb.execute(sa.select(IncomeBenefits).where(
            IncomeBenefits.workspace_id == workspace_id,
            IncomeBenefits.EnrollmentID.in_([e.EnrollmentID for e in enrollments] or [""]))).scalars():
        incomes.setdefault((ib.EnrollmentID, ib.DataCollectionStage), []).append(ib)
    # Whole households, even when asked about one client: a second head is found from either side.
    households: dict[str, list[Enrollment]] = {}
    for e in sdb.execute(sa.select(Enrollment).where(
            Enrollment.workspace_id == workspace_id,
            Enrollment.HouseholdID.in_({e.HouseholdID for e in enrollments} or {""}))).scalars():
        households.setdefault(e.HouseholdID, []).append(e)

    project_types = dict(sdb.execute(sa.select(Project.ProjectID, Project.ProjectType)
                                     .where(Project.workspace_id == workspace_id)).all())

    out: list[Finding] = []
    for c in clients.values():
        out += _client_findings(c)
    for e in enrollments:
        c = clients.get(e.PersonalID)
        if c is None:
            continue
        adult = rules.is_adult(c.DOB, e.EntryDate)
        pid, eid = e.PersonalID, e.EnrollmentID

        def add(element: str, kind: str, message: str) -> None:
            out.append(Finding(pid, element, kind, message, eid))

        if adult and c.VeteranStatus in DK_PNTA:
            add("3.07", "dk_pnta", "Veteran status: the client didn't know or preferred not to answer.")
        elif adult and c.VeteranStatus in (hud.NOT_COLLECTED, None):
            add("3.07", "missing", "Veteran status: not collected for an adult.")
        elif not adult and c.VeteranStatus == 1:
            add("3.07", "issue", "Veteran status: a child is recorded as a veteran.")
        if e.DisablingCondition in DK_PNTA:
            add("3.08", "dk_pnta", "Disabling condition: the client didn't know or preferred not to answer.")
        elif e.DisablingCondition in (hud.NOT_COLLECTED, None):
            add("3.08", "missing", "Disabling condition: not collected.")
        heads = sum(1 for m in households[e.HouseholdID] if m.RelationshipToHoH == 1)
        if e.RelationshipToHoH not in (1, 2, 3, 4, 5) or heads != 1:
            add("3.15", "issue", "Relationship to head of household: the household needs exactly one head.")
        if e.RelationshipToHoH == 1 and not e.EnrollmentCoC:
            add("3.16", "missing", "Enrollment CoC: missing for the head of household.")
        if c.DOB is not None and c.DOB > e.EntryDate:
            add("3.03", "issue", "Date of birth: it is after the project start date.")
        is_hoh = e.RelationshipToHoH == 1
        if (adult or is_hoh):
            if e.LivingSituation in DK_PNTA:
                add("3.917", "dk_pnta", "Prior living situation: the client didn't know or preferred not to answer.")
            elif e.LivingSituation in (hud.NOT_COLLECTED, None):
                add("3.917", "missing", "Prior living situation: not collected.")
        x = exits.get(eid)
        project_type = project_types.get(e.ProjectID)
        # Income is only missing where HUD asks it: by project type, stage and person (Q6c: start and exit).
        for stage, when, on in ((hud.STAGE_ENTRY, "project start", e.EntryDate),
                                (hud.STAGE_EXIT, "project exit", x.ExitDate if x is not None else None)):
            if on is None or project_type is None or "4.02" not in rules.required_elements(
                    project_type, stage, is_hoh=is_hoh, is_adult=adult):
                continue
            records = incomes.get((eid, stage), [])
            if not records:
                add("4.02", "missing", f"Income at {when}: not recorded.")
            for ib in records:
                if ib.InformationDate != on:
                    add("4.02", "issue", f"Income at {when}: the information date is not the {when} date.")
                for p in rules.check_income_benefits({col.name: getattr(ib, col.name) for col in ib.__table__.columns}):
                    add("4.02", "issue", p.message)
        if e.DateCreated is not None and (e.DateCreated.date() - e.EntryDate).days > LATE_AFTER_DAYS:
            days = (e.DateCreated.date() - e.EntryDate).days
            add("3.10", "late", f"Project start entered {days} days after it happened (HUD counts more than "
                                f"{LATE_AFTER_DAYS} days as late).")
        if x is not None:
            if x.Destination in DK_PNTA:
                add("3.12", "dk_pnta", "Destination: the client didn't know or preferred not to answer.")
            elif x.Destination in (hud.NOT_COLLECTED, 30, None):
                add("3.12", "missing", "Destination: not collected or no exit interview.")
            if x.DateCreated is not None and (x.DateCreated.date() - x.ExitDate).days > LATE_AFTER_DAYS:
                days = (x.DateCreated.date() - x.ExitDate).days
                add("3.11", "late", f"Project exit entered {days} days after it happened.")
    return out


def summary(items: list[Finding]) -> dict[str, int]:
    """Count findings by kind (for a headline: 3 missing, 1 inconsistent ...)."""
    counts = {"missing": 0, "dk_pnta": 0, "issue": 0, "late": 0}
    for f in items:
        counts[f.kind] += 1
    return counts



# --- the same findings, counted in SQL ------------------------------------------------------------
#
# Each rule below mirrors one branch above; a CASE gives each record's kind for one element (or
# NULL), so a workspace's counts are one aggregate query instead of loading every record.

KINDS = ("missing", "dk_pnta", "issue", "late")
#: Each record's findings are counted into one integer, 16 bits a kind (a record has far fewer than
#: 65,536 findings), so every rule is evaluated once per record and the sums are split at the end.
WEIGHTS = {kind: 1 << (16 * i) for i, kind in enumerate(KINDS)}
#: Clients per page of the data-quality page.
CLIENTS_PER_PAGE = 50


class _PlusDays(FunctionElement):
    """A date ``days`` later (a whole literal number of days)."""

    type = sa.Date()
    inherit_cache = True


@compiles(_PlusDays, "sqlite")
def _plus_days_sqlite(element, compiler, **kw):  # noqa: ANN001
    col, days = list(element.clauses)
    return f"date({compiler.process(col, **kw)}, '+{int(days.value)} days')"


@compiles(_PlusDays)
def _plus_days_default(element, compiler, **kw):  # noqa: ANN001
    col, days = list(element.clauses)
    return f"({compiler.process(col, **kw)} + {int(days.value)})"


def _in(col, codes) -> ColumnElement:  # noqa: ANN001
    return col.in_(sorted(codes))


def _blank(col) -> ColumnElement:  # noqa: ANN001
    return sa.or_(col.is_(None), col == "")


def _missing_code(col, *extra: int) -> ColumnElement:  # noqa: ANN001
    return sa.or_(col.is_(None), col.in_([hud.NOT_COLLECTED, *extra]))


def _yes(col) -> ColumnElement:  # noqa: ANN001
    return sa.func.coalesce(col, -1) == rules.YES


def _kind_case(*whens: tuple[ColumnElement, str]) -> ColumnElement:
    """The first kind whose condition holds, as its weight (0 when none does)."""
    return sa.case(*[(cond, sa.literal(WEIGHTS[kind], sa.BigInteger)) for cond, kind in whens], else_=0)


def _flag(cond: ColumnElement) -> ColumnElement:
    return sa.case((cond, 1), else_=0)


def _late(created, happened) -> ColumnElement:  # noqa: ANN001
    # (created.date() - happened).days > LATE_AFTER_DAYS, without date arithmetic on a timestamp.
    return sa.and_(created.is_not(None), created >= _PlusDays(happened, sa.literal(LATE_AFTER_DAYS + 1)))


def _client_kinds(c) -> list[ColumnElement]:  # noqa: ANN001
    """3.01-3.04 of one client, as in :func:`_client_findings`."""
    races = sa.or_(*[sa.func.coalesce(getattr(c, col), 0) == 1 for col, _ in hud.RACE_COLUMNS])
    return [
        _kind_case((_in(c.NameDataQuality, DK_PNTA), "dk_pnta"),
                (sa.or_(c.NameDataQuality == hud.NOT_COLLECTED, _blank(c.FirstName), _blank(c.LastName)), "missing"),
                (c.NameDataQuality == 2, "issue")),
        _kind_case((_in(c.SSNDataQuality, DK_PNTA), "dk_pnta"),
                (sa.or_(c.SSNDataQuality == hud.NOT_COLLECTED, _blank(c.SSN)), "missing"),
                (c.SSNDataQuality == 2, "issue")),
        _kind_case((sa.and_(c.DOB.is_(None), _in(c.DOBDataQuality, DK_PNTA)), "dk_pnta"),
                (c.DOB.is_(None), "missing"),
                (_in(c.DOBDataQuality, hud.MISSING_CODES), "issue"),
                (c.DOBDataQuality == 2, "issue"),
                # DOB after the day the record was created: created before midnight of the DOB.
                (sa.or_(c.DOB < rules.EARLIEST_DOB, sa.and_(c.DateCreated.is_not(None), c.DateCreated < c.DOB)),
                 "issue")),
        _kind_case((_in(c.RaceNone, DK_PNTA), "dk_pnta"),
                (sa.or_(c.RaceNone == hud.NOT_COLLECTED, sa.not_(races)), "missing")),
    ]


def _income_required(stage: int, project_type, is_hoh: ColumnElement, adult: ColumnElement) -> ColumnElement:  # noqa: ANN001
    """Whether HUD asks 4.02 at ``stage``, from :func:`rules.required_elements` itself, for any project type."""
    known = sorted(k for k in hud.codes("ProjectType") if isinstance(k, int))
    unknown = max(known) + 1000
    branches = []
    for hoh in (True, False):
        for grown in (True, False):
            def asked(pt: int) -> bool:
                return "4.02" in rules.required_elements(pt, stage, is_hoh=hoh, is_adult=grown)

            if asked(unknown):
                types = project_type.not_in([pt for pt in known if not asked(pt)] or [unknown])
            else:
                types = project_type.in_([pt for pt in known if asked(pt)] or [unknown])
            branches.append(sa.and_(is_hoh if hoh else sa.not_(is_hoh), adult if grown else sa.not_(adult), types))
    return sa.and_(project_type.is_not(None), sa.or_(*branches))


def _any_source_problem(ib, any_field: str, flags: list[str]) -> ColumnElement:  # noqa: ANN001
    answer = getattr(ib, any_field)
    yes = sa.or_(*[_yes(getattr(ib, f)) for f in flags])
    return sa.case((sa.and_(answer == rules.NO, yes), 1), (sa.and_(answer == rules.YES, sa.not_(yes)), 1),
                   (sa.and_(_in(answer, hud.MISSING_CODES), yes), 1), else_=0)


def _income_problem_count(ib) -> ColumnElement:  # noqa: ANN001
    """How many problems :func:`rules.check_income_benefits` finds in one record (adult or head)."""
    count: ColumnElement = sa.literal(0)
    code_fields = ["IncomeFromAnySource", "BenefitsFromAnySource", "InsuranceFromAnySource",
                   *[f for f, _, _ in hud.INCOME_SOURCES], *[f for f, _ in hud.BENEFIT_SOURCES],
                   *[f for f, _ in hud.INSURANCE_SOURCES]]
    for name in code_fields:
        col = getattr(ib, name)
        valid = sorted(k for k in hud.codes(hud.COLUMN_LISTS[name]) if isinstance(k, int))
        count = count + _flag(sa.and_(col.is_not(None), col.not_in(valid)))
    count = count + _any_source_problem(ib, "IncomeFromAnySource", [f for f, _, _ in hud.INCOME_SOURCES])
    summed: ColumnElement = sa.literal(0)
    unreadable: list[ColumnElement] = []
    for flag, amount_field, _ in hud.INCOME_SOURCES:
        yes, amount = _yes(getattr(ib, flag)), getattr(ib, amount_field)
        count = count + sa.case(
            (amount < 0, 1),
            else_=_flag(sa.and_(yes, sa.or_(amount.is_(None), amount <= 0)))
            + _flag(sa.and_(sa.not_(yes), amount.is_not(None), amount != 0)))
        summed = summed + sa.case((amount >= 0, amount), else_=0)
        unreadable.append(sa.and_(amount.is_not(None), amount < 0))
    total = ib.TotalMonthlyIncome
    count = count + _flag(sa.and_(ib.IncomeFromAnySource == rules.YES, total.is_(None)))
    # Amounts are stored in cents (Numeric(12, 2)); compare in cents so SQLite's floats agree with Decimal.
    # As in rules._amounts: a refused (negative) amount makes the sum meaningless, so it is not compared.
    # A refused (negative) total is one problem of its own and is not compared with the sum.
    count = count + _flag(sa.and_(total.is_not(None), total < 0))
    count = count + _flag(sa.and_(total.is_not(None), total >= 0, sa.not_(sa.or_(*unreadable)),
                                  sa.func.round((total - summed) * 100) != 0))
    count = count + _any_source_problem(ib, "BenefitsFromAnySource", [f for f, _ in hud.BENEFIT_SOURCES])
    count = count + _any_source_problem(ib, "InsuranceFromAnySource", [f for f, _ in hud.INSURANCE_SOURCES])
    return count


@functools.lru_cache(maxsize=1)
def _per_record() -> sa.Subquery:
    """One row per client, enrollment and checked income record of the workspace ``:workspace_id``:
    (PersonalID, its findings counted into one weight, see WEIGHTS).  Built once: it is a large expression, and a statement object
    used again is compiled once too (SQLAlchemy's statement cache)."""
    c, e, x, p, ib = Client, Enrollment, Exit, Project, IncomeBenefits
    workspace_id = sa.bindparam("workspace_id", type_=sa.Integer)

    def counts(pid, kinds: list[ColumnElement], issues: ColumnElement | None = None) -> sa.Select:  # noqa: ANN001
        weight: ColumnElement = sum(kinds, sa.literal(0, sa.BigInteger))
        if issues is not None:
            weight = weight + issues * sa.literal(WEIGHTS["issue"], sa.BigInteger)
        return sa.select(pid.label("pid"), weight.label("weight"))

    clients = counts(c.PersonalID, _client_kinds(c)).where(c.workspace_id == workspace_id)

    heads = (sa.select(e.HouseholdID.label("hh"), sa.func.sum(_flag(e.RelationshipToHoH == 1)).label("n"))
             .where(e.workspace_id == workspace_id).group_by(e.HouseholdID).subquery())
    stages = (sa.select(ib.EnrollmentID.label("eid"),
                        sa.func.max(_flag(ib.DataCollectionStage == hud.STAGE_ENTRY)).label("entry"),
                        sa.func.max(_flag(ib.DataCollectionStage == hud.STAGE_EXIT)).label("exit"))
              .where(ib.workspace_id == workspace_id).group_by(ib.EnrollmentID).subquery())
    adult = sa.or_(c.DOB.is_(None), _Ymd(e.EntryDate) - _Ymd(c.DOB) >= 180000)
    hoh = sa.func.coalesce(e.RelationshipToHoH, -1) == 1
    exited = sa.and_(x.id.is_not(None), x.ExitDate.is_not(None))
    enrollment_kinds = [
        _kind_case((sa.and_(adult, _in(c.VeteranStatus, DK_PNTA)), "dk_pnta"),
                (sa.and_(adult, _missing_code(c.VeteranStatus)), "missing"),
                (sa.and_(sa.not_(adult), c.VeteranStatus == 1), "issue")),
        _kind_case((_in(e.DisablingCondition, DK_PNTA), "dk_pnta"), (_missing_code(e.DisablingCondition), "missing")),
        _kind_case((sa.or_(sa.func.coalesce(e.RelationshipToHoH, -1).not_in([1, 2, 3, 4, 5]),
                        sa.func.coalesce(heads.c.n, 0) != 1), "issue")),
        _kind_case((sa.and_(hoh, _blank(e.EnrollmentCoC)), "missing")),
        _kind_case((sa.and_(c.DOB.is_not(None), c.DOB > e.EntryDate), "issue")),
        _kind_case((sa.and_(sa.or_(adult, hoh), _in(e.LivingSituation, DK_PNTA)), "dk_pnta"),
                (sa.and_(sa.or_(adult, hoh), _missing_code(e.LivingSituation)), "missing")),
        _kind_case((sa.and_(_income_required(hud.STAGE_ENTRY, p.ProjectType, hoh, adult),
                         sa.func.coalesce(stages.c.entry, 0) == 0), "missing")),
        _kind_case((sa.and_(exited, _income_required(hud.STAGE_EXIT, p.ProjectType, hoh, adult),
                         sa.func.coalesce(stages.c.exit, 0) == 0), "missing")),
        _kind_case((_late(e.DateCreated, e.EntryDate), "late")),
        _kind_case((sa.and_(x.id.is_not(None), _in(x.Destination, DK_PNTA)), "dk_pnta"),
                (sa.and_(x.id.is_not(None), _missing_code(x.Destination, 30)), "missing")),
        _kind_case((sa.and_(x.id.is_not(None), _late(x.DateCreated, x.ExitDate)), "late")),
    ]

    def joined(q: sa.Select) -> sa.Select:
        return (q.join(c, sa.and_(c.workspace_id == e.workspace_id, c.PersonalID == e.PersonalID))
                .outerjoin(x, sa.and_(x.workspace_id == e.workspace_id, x.EnrollmentID == e.EnrollmentID))
                .outerjoin(p, sa.and_(p.workspace_id == e.workspace_id, p.ProjectID == e.ProjectID))
                .where(e.workspace_id == workspace_id))

    enrollments = joined(counts(e.PersonalID, enrollment_kinds).select_from(e)
                         .outerjoin(heads, heads.c.hh == e.HouseholdID)
                         .outerjoin(stages, stages.c.eid == e.EnrollmentID))

    on = sa.case((ib.DataCollectionStage == hud.STAGE_ENTRY, e.EntryDate), else_=x.ExitDate)
    checked = sa.or_(
        sa.and_(ib.DataCollectionStage == hud.STAGE_ENTRY, _income_required(hud.STAGE_ENTRY, p.ProjectType, hoh, adult)),
        sa.and_(ib.DataCollectionStage == hud.STAGE_EXIT, exited,
                _income_required(hud.STAGE_EXIT, p.ProjectType, hoh, adult)))
    income_issues = _flag(sa.or_(ib.InformationDate.is_(None), ib.InformationDate != on)) + _income_problem_count(ib)
    incomes = joined(counts(e.PersonalID, [], income_issues).select_from(ib)
                     .join(e, sa.and_(e.workspace_id == ib.workspace_id, e.EnrollmentID == ib.EnrollmentID))
                     .where(ib.workspace_id == workspace_id, checked))
    return sa.union_all(clients, enrollments, incomes).subquery()


def _kind_count(weight: ColumnElement, kind: str) -> ColumnElement:
    shift = 16 * KINDS.index(kind)
    return (weight.op(">>")(sa.literal(shift, sa.Integer)) if shift else weight).op("&")(0xFFFF)


@functools.lru_cache(maxsize=1)
def _summary_query() -> sa.Select:
    rows = _per_record()
    return sa.select(*[sa.func.coalesce(sa.func.sum(_kind_count(rows.c.weight, k)), 0) for k in KINDS])


@functools.lru_cache(maxsize=1)
def _clients_queries() -> tuple[sa.Select, sa.Select]:
    rows = _per_record()
    per_client = sa.select(rows.c.pid).where(rows.c.weight > 0).group_by(rows.c.pid)
    # One pass gives the page and the total (a window over the grouped rows); the plain count is
    # only needed for a page past the end.
    page = (per_client.add_columns(sa.func.count().over().label("total")).order_by(rows.c.pid)
            .limit(sa.bindparam("limit")).offset(sa.bindparam("offset")))
    return sa.select(sa.func.count()).select_from(per_client.subquery()), page


def count_findings(sdb: Session, workspace_id: int) -> dict[str, int]:
    """Count a workspace's findings by kind in one query (equal to ``summary(findings(...))``); the
    query reads every record of the workspace, so pages use :func:`workspace_summary`."""
    counts = sdb.execute(_summary_query(), {"workspace_id": workspace_id}).one()
    return {kind: int(n) for kind, n in zip(KINDS, counts)}


def workspace_summary(sdb: Session, workspace_id: int, *, now: datetime | None = None) -> dict[str, int]:
    """Return :func:`count_findings`, counted once per change of the workspace: one read of the cached
    counts while its ``data_version`` is unchanged; otherwise counted and stored (the caller commits)."""
    version, cached_version, cached = sdb.execute(
        sa.select(Workspace.data_version, QualitySummary.data_version, QualitySummary.counts)
        .outerjoin(QualitySummary, QualitySummary.workspace_id == Workspace.id)
        .where(Workspace.id == workspace_id)).one()
    if cached is not None and cached_version == version:
        return json.loads(cached)
    counts = count_findings(sdb, workspace_id)
    values = {"workspace_id": workspace_id, "data_version": version, "counts": json.dumps(counts),
              "computed_at": now or datetime.now(timezone.utc)}
    insert = (postgresql.insert if sdb.get_bind().dialect.name == "postgresql" else sqlite.insert)(QualitySummary)
    sdb.execute(insert.values(**values).on_conflict_do_update(
        index_elements=[QualitySummary.workspace_id],
        set_={k: v for k, v in values.items() if k != "workspace_id"}))
    return counts


@dataclass(frozen=True)
class ClientsPage:
    """One page of the clients that have findings, in PersonalID order."""

    personal_ids: list[str]
    #: How many clients have at least one finding.
    total: int


def clients_with_findings(sdb: Session, workspace_id: int, *, limit: int, offset: int = 0) -> ClientsPage:
    """Return the PersonalIDs of one page of clients with findings, and how many there are (one query)."""
    count, page = _clients_queries()
    rows = sdb.execute(page, {"workspace_id": workspace_id, "limit": limit, "offset": offset}).all()
    if rows:
        return ClientsPage(personal_ids=[r.pid for r in rows], total=rows[0].total)
    total = sdb.execute(count, {"workspace_id": workspace_id}).scalar_one() if offset else 0
    return ClientsPage(personal_ids=[], total=total)
