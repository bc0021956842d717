"""The same findings as :mod:`sandbox.quality.checks`, counted in SQL.

Each rule below mirrors one branch of :func:`~sandbox.quality.checks.findings`; a CASE gives each
record's kind for one element (or NULL), so a workspace's counts are one aggregate query instead of
loading every record."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from sandbox import hud, rules
from sandbox.apr.sql import Ymd as _Ymd
from sandbox.models import Client, Enrollment, Exit, IncomeBenefits, Project
from sandbox.quality.checks import DK_PNTA, LATE_AFTER_DAYS

KINDS = ("missing", "dk_pnta", "issue", "late")
#: Each record's findings are counted into one integer, 16 bits a kind (a record has far fewer than
#: 65,536 findings), so every rule is evaluated once per record and the sums are split at the end.
WEIGHTS = {kind: 1 << (16 * i) for i, kind in enumerate(KINDS)}


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
def summary_query() -> sa.Select:
    rows = _per_record()
    return sa.select(*[sa.func.coalesce(sa.func.sum(_kind_count(rows.c.weight, k)), 0) for k in KINDS])


@functools.lru_cache(maxsize=1)
def clients_queries() -> tuple[sa.Select, sa.Select]:
    rows = _per_record()
    per_client = sa.select(rows.c.pid).where(rows.c.weight > 0).group_by(rows.c.pid)
    # One pass gives the page and the total (a window over the grouped rows); the plain count is
    # only needed for a page past the end.
    page = (per_client.add_columns(sa.func.count().over().label("total")).order_by(rows.c.pid)
            .limit(sa.bindparam("limit")).offset(sa.bindparam("offset")))
    return sa.select(sa.func.count()).select_from(per_client.subquery()), page
