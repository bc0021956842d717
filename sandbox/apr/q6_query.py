"""APR question 6 for one workspace in ONE aggregate SQL statement.

The APR counts people, not records: each client is reported through their latest enrollment active in
the report period (project start on or before its end, no exit before its start), as HUD's
specifications say.  :func:`_per_client` gives one row per such client with a 0/1 flag for every
condition a Q6 cell counts; :func:`statement` sums the flags.  Every code and limit comes from
``lms.hud.measures``.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

import lms.hud as hud
from lms.hud import measures as d
from sandbox.apr.sql import AddYears, Days, StripDigits, Ymd, YmdDate, between, blank, flag, is_in
from sandbox.models import (Client, CurrentLivingSituation, Disabilities, Enrollment, Exit, IncomeBenefits,
                            Project, Services)

INCOME_FLAGS = [f for f, _, _ in hud.INCOME_SOURCES]
#: Stands for "no answer" inside a packed income key (HUD's answers are 0-99).
NO_ANSWER = 100
#: What :func:`_facts` gives per enrollment.
FACTS = ("k_start", "k_exit", "k_annual", "k_dis", "contact", "bed_night")


def _params() -> tuple[ColumnElement, ColumnElement, ColumnElement]:
    return (sa.bindparam("workspace_id", type_=sa.Integer), sa.bindparam("start", type_=sa.Date),
            sa.bindparam("end", type_=sa.Date))


def _none(type_) -> ColumnElement:  # noqa: ANN001
    return sa.cast(sa.null(), type_)


def _facts(ws, end) -> sa.Subquery:  # noqa: ANN001
    """One row per enrollment of the workspace with what its child records say, in one sorted pass (no
    join on a derived table, which SQLite would scan once per client): the latest income record of each
    stage (start, exit, annual) packed into one integer ``YYYYMMDD * 10000 + answer * 10 + any source``,
    the latest 4.05-4.10 answers as ``YYYYMMDD * 10 + disabling``, the latest contact (4.12) and the latest
    bed night (4.14: a Services.csv row of RecordType 200), each on or before the report end."""
    big = sa.BigInteger
    ib, ds, cls, sv = IncomeBenefits, Disabilities, CurrentLivingSituation, Services
    any_yes = sa.or_(*[sa.func.coalesce(getattr(ib, f), 0) == 1 for f in INCOME_FLAGS])
    income_key = (sa.cast(Ymd(ib.InformationDate), big) * 10000
                  + sa.func.coalesce(ib.IncomeFromAnySource, NO_ANSWER) * 10 + flag(any_yes))

    def stage(n: int) -> ColumnElement:
        return sa.case((ib.DataCollectionStage == n, income_key), else_=_none(big))

    yes = sa.case((ds.DisabilityType == d.SUBSTANCE_USE, is_in(ds.DisabilityResponse, d.SUBSTANCE_YES)),
                  else_=is_in(ds.DisabilityResponse, d.DISABILITY_YES))
    qualifies = sa.or_(sa.and_(ds.DisabilityType.in_(d.DISABLING_ON_THEIR_OWN), yes),
                       sa.and_(ds.DisabilityType.in_(d.DISABLING_IF_INDEFINITE), yes, ds.IndefiniteAndImpairs == 1))
    e = Enrollment
    rows = sa.union_all(
        sa.select(e.EnrollmentID.label("eid"), _none(big).label("k_start"), _none(big).label("k_exit"),
                  _none(big).label("k_annual"), _none(big).label("k_dis"), _none(sa.Date).label("contact"),
                  _none(sa.Date).label("bed_night"))
        .where(e.workspace_id == ws),
        sa.select(ib.EnrollmentID, stage(hud.STAGE_ENTRY), stage(hud.STAGE_EXIT), stage(hud.STAGE_ANNUAL),
                  _none(big), _none(sa.Date), _none(sa.Date))
        .where(ib.workspace_id == ws, ib.InformationDate.is_not(None), ib.InformationDate <= end,
               ib.DataCollectionStage.in_([hud.STAGE_ENTRY, hud.STAGE_EXIT, hud.STAGE_ANNUAL])),
        sa.select(ds.EnrollmentID, _none(big), _none(big), _none(big),
                  sa.cast(Ymd(ds.InformationDate), big) * 10 + flag(qualifies), _none(sa.Date), _none(sa.Date))
        .where(ds.workspace_id == ws, ds.InformationDate <= end),
        sa.select(cls.EnrollmentID, _none(big), _none(big), _none(big), _none(big), cls.InformationDate,
                  _none(sa.Date))
        .where(cls.workspace_id == ws, cls.InformationDate <= end),
        sa.select(sv.EnrollmentID, _none(big), _none(big), _none(big), _none(big), _none(sa.Date), sv.DateProvided)
        .where(sv.workspace_id == ws, sv.RecordType == d.BED_NIGHT, sv.DateProvided <= end, sv.DateDeleted.is_(None)),
    ).subquery("apr_records")
    return (sa.select(rows.c.eid, *[sa.func.max(rows.c[k]).label(k)
                                    for k in FACTS])
            .group_by(rows.c.eid).subquery("apr_facts"))


def _reported(ws, start, end) -> sa.Subquery:  # noqa: ANN001
    """Each client's latest enrollment active in the report period (``rn`` 1), with its facts, its
    household's heads (count and first entry) and whether it starts inside an earlier exited stay of the
    same client in the same project (windows: sorted passes, whatever the size)."""
    e, x = Enrollment, Exit
    facts = _facts(ws, end)
    head = e.RelationshipToHoH == d.HEAD_OF_HOUSEHOLD
    earlier_exit = sa.func.max(x.ExitDate).over(partition_by=(e.PersonalID, e.ProjectID),
                                                order_by=(e.EntryDate, e.id), rows=(None, -1))
    every = (sa.select(e.id.label("pk"), e.PersonalID.label("pid"), e.EntryDate.label("entry"),
                       x.ExitDate.label("exit_date"), *[facts.c[k] for k in FACTS],
                       sa.func.sum(flag(head)).over(partition_by=e.HouseholdID).label("heads"),
                       sa.func.min(sa.case((head, e.EntryDate))).over(partition_by=e.HouseholdID).label("hoh_entry"),
                       flag(earlier_exit > e.EntryDate).label("overlap"))
             .select_from(facts)
             .join(e, sa.and_(e.workspace_id == ws, e.EnrollmentID == facts.c.eid))
             .outerjoin(x, sa.and_(x.workspace_id == ws, x.EnrollmentID == e.EnrollmentID))
             .subquery("apr_enrollments"))
    return (sa.select(every, sa.func.row_number().over(partition_by=every.c.pid,
                                                       order_by=(every.c.entry.desc(), every.c.pk.desc())).label("rn"))
            .where(every.c.entry <= end, sa.or_(every.c.exit_date.is_(None), every.c.exit_date >= start))
            .subquery("apr_reported"))


class _Columns:
    """One table's columns as the fenced per-client subquery exposes them (``c.DOB``, ``r.c.k_start``)."""

    def __init__(self, base: sa.Subquery, prefix: str) -> None:
        self._base, self._prefix = base, prefix

    def __getattr__(self, name: str) -> ColumnElement:
        return self._base.c[f"{self._prefix}_{name}"]

    @property
    def c(self) -> "_Columns":
        return self


class _Income:
    """The latest income record of one stage, unpacked from its key (see :func:`_facts`)."""

    def __init__(self, key: ColumnElement) -> None:
        self.present = key.is_not(None)
        self.ymd = key // 10000
        self.answer = sa.case(((key // 10) % 1000 == NO_ANSWER, _none(sa.Integer)), else_=(key // 10) % 1000)
        self.any_yes = key % 10
        self.on = YmdDate(self.ymd)


def _income_flags(f: dict[str, ColumnElement], unions: dict[str, list[str]], prefix: str, ib: _Income,
                  universe: ColumnElement, on_date: ColumnElement, extra_missing: ColumnElement | None = None) -> None:
    dk = sa.and_(universe, is_in(ib.answer, d.DK_PNTA))
    missing = sa.and_(universe, sa.or_(sa.not_(ib.present), ib.ymd != Ymd(on_date),
                                       ib.answer.is_(None), ib.answer == d.NOT_COLLECTED,
                                       extra_missing if extra_missing is not None else sa.false()))
    issue = sa.and_(universe, sa.or_(sa.and_(ib.answer == 0, ib.any_yes == 1),
                                     sa.and_(ib.answer == 1, ib.any_yes == 0)))
    f.update({f"{prefix}_den": universe, f"{prefix}_dk": dk, f"{prefix}_missing": missing, f"{prefix}_issue": issue})
    unions[f"{prefix}_total"] = [f"{prefix}_dk", f"{prefix}_missing", f"{prefix}_issue"]


@functools.lru_cache(maxsize=1)
def _per_client() -> tuple[sa.Subquery, tuple[str, ...], dict[str, list[str]]]:
    ws, start, end = _params()
    c, e, x, p = Client, Enrollment, Exit, Project
    r = _reported(ws, start, end)

    # Who (computed once per client in a fenced subquery, then read as columns): age at the later of the
    # report start and the project start; head of household; leaver; the household's last anniversary.
    as_of = sa.case((e.EntryDate >= start, e.EntryDate), else_=start)
    years = Ymd(as_of) - Ymd(c.DOB)
    hoh_entry = sa.func.coalesce(r.c.hoh_entry, e.EntryDate)
    elapsed = (Ymd(end) - Ymd(hoh_entry)) // 10000
    who = {
        "adult": flag(sa.and_(c.DOB.is_not(None), years >= d.ADULT_AGE * 10000)),
        "child": flag(sa.and_(c.DOB.is_not(None), years < d.ADULT_AGE * 10000)),
        "hoh": flag(sa.func.coalesce(e.RelationshipToHoH, -1) == d.HEAD_OF_HOUSEHOLD),
        "leaver": flag(sa.and_(x.ExitDate.is_not(None), x.ExitDate <= end)),
        "elapsed": elapsed,
        "anniversary": AddYears(hoh_entry, elapsed),
        # Days since the last contact or bed night; the project start counts as one when none came after it.
        "contact_days": Days(end, sa.case((r.c.contact > e.EntryDate, r.c.contact), else_=e.EntryDate)),
        "bed_night_days": Days(end, sa.case((r.c.bed_night > e.EntryDate, r.c.bed_night), else_=e.EntryDate)),
        "entry_days": Days(end, e.EntryDate),
    }
    engaged = sa.or_(sa.func.coalesce(p.ProjectType, -1) != d.STREET_OUTREACH,
                     sa.and_(e.DateOfEngagement.is_not(None), e.DateOfEngagement <= end))
    raw = [col.label(f"{t.name}_{col.key}") for t in (Client.__table__, Enrollment.__table__, Exit.__table__,
                                                       Project.__table__) for col in t.columns]
    # OFFSET 0 keeps both databases from inlining this subquery (and its expressions) into the one above.
    base = (sa.select(*raw, *[col.label(f"r_{col.key}") for col in r.c],
                      *[value.label(f"who_{name}") for name, value in who.items()])
            .select_from(r)
            .join(e, e.id == r.c.pk)
            .join(c, sa.and_(c.workspace_id == e.workspace_id, c.PersonalID == e.PersonalID))
            .outerjoin(x, sa.and_(x.workspace_id == e.workspace_id, x.EnrollmentID == e.EnrollmentID))
            .outerjoin(p, sa.and_(p.workspace_id == e.workspace_id, p.ProjectID == e.ProjectID))
            .where(r.c.rn == 1, engaged).offset(0).subquery("apr_base"))
    c, e, x, p = (_Columns(base, t.name) for t in (Client.__table__, Enrollment.__table__, Exit.__table__,
                                                    Project.__table__))
    r, w = _Columns(base, "r"), _Columns(base, "who")
    ib_start, ib_exit, ib_annual = _Income(r.c.k_start), _Income(r.c.k_exit), _Income(r.c.k_annual)
    adult, child, hoh, leaver = w.adult == 1, w.child == 1, w.hoh == 1, w.leaver == 1
    adult_or_hoh = sa.or_(adult, hoh)
    f: dict[str, ColumnElement] = {"clients": sa.true()}
    #: Cells that count a client once whatever of several flags they have (summed from the flags).
    unions: dict[str, list[str]] = {}

    # Q6a personally identifiable information.
    ndq, sdq, bdq = c.NameDataQuality, c.SSNDataQuality, c.DOBDataQuality
    f["name_dk"] = is_in(ndq, d.DK_PNTA)
    f["name_missing"] = sa.or_(ndq == d.NOT_COLLECTED,
                               sa.and_(sa.not_(is_in(ndq, d.DK_PNTA)), sa.or_(blank(c.FirstName), blank(c.LastName))))
    f["name_issue"] = ndq == d.PARTIAL
    ssn = c.SSN
    bad_ssn = sa.or_(sa.func.length(ssn) != 9, StripDigits(ssn) != "", sa.func.substr(ssn, 1, 3).in_(d.SSN_INVALID_AREAS),
                     sa.func.substr(ssn, 1, 1) == d.SSN_INVALID_AREA_PREFIX, sa.func.substr(ssn, 4, 2) == "00",
                     sa.func.substr(ssn, 6, 4) == "0000", ssn.in_(d.SSN_KNOWN_FAKES),
                     ssn.in_([str(n) * 9 for n in range(10)]))
    f["ssn_dk"] = is_in(sdq, d.DK_PNTA)
    f["ssn_missing"] = sa.or_(sdq == d.NOT_COLLECTED, sa.and_(blank(ssn), sa.not_(is_in(sdq, d.DK_PNTA))))
    f["ssn_issue"] = sa.or_(sdq == d.PARTIAL, sa.and_(sdq == d.FULL, sa.not_(blank(ssn)), bad_ssn))
    dob = c.DOB
    f["dob_dk"] = sa.and_(dob.is_(None), is_in(bdq, d.DK_PNTA))
    f["dob_missing"] = sa.and_(dob.is_(None), sa.not_(is_in(bdq, d.DK_PNTA)))
    f["dob_issue"] = sa.and_(dob.is_not(None), sa.or_(
        bdq == d.PARTIAL, sa.not_(is_in(bdq, d.DOB_RECORDED_QUALITIES)), dob < d.EARLIEST_DOB,
        sa.and_(c.DateCreated.is_not(None), Days(c.DateCreated, dob) < 0),
        sa.and_(e.DateCreated.is_not(None), Days(e.DateCreated, dob) < 0), sa.and_(hoh, dob > e.EntryDate)))
    races = sa.or_(*[sa.func.coalesce(getattr(c, col), 0) == 1 for col, _ in hud.RACE_COLUMNS])
    f["race_dk"] = is_in(c.RaceNone, d.DK_PNTA)
    f["race_missing"] = sa.and_(sa.not_(races), sa.not_(is_in(c.RaceNone, d.DK_PNTA)))
    f["sex_dk"] = is_in(c.Sex, d.DK_PNTA)
    f["sex_missing"] = sa.or_(c.Sex.is_(None), c.Sex == d.NOT_COLLECTED)
    for el in ("name", "ssn", "dob", "race", "sex"):
        unions[f"{el}_total"] = [k for k in (f"{el}_dk", f"{el}_missing", f"{el}_issue") if k in f]
    unions["pii_total"] = [k for el in ("name", "ssn", "dob", "race") for k in unions[f"{el}_total"]]

    # Q6b universal data elements.
    f["veteran_den"] = c.DOB.is_not(None)
    f["veteran_dk"] = sa.and_(adult, is_in(c.VeteranStatus, d.DK_PNTA))
    f["veteran_missing"] = sa.and_(adult, sa.or_(c.VeteranStatus.is_(None), c.VeteranStatus == d.NOT_COLLECTED))
    f["veteran_issue"] = sa.and_(child, c.VeteranStatus == 1)
    f["start_issue"] = r.c.overlap == 1
    f["relationship_missing"] = e.RelationshipToHoH.is_(None)
    f["relationship_issue"] = sa.or_(sa.and_(e.RelationshipToHoH.is_not(None),
                                             e.RelationshipToHoH.not_in(d.VALID_RELATIONSHIPS)),
                                     sa.func.coalesce(r.c.heads, 0) != 1)
    f["coc_den"] = hoh
    f["coc_missing"] = sa.and_(hoh, blank(e.EnrollmentCoC))
    f["coc_issue"] = sa.and_(hoh, sa.not_(blank(e.EnrollmentCoC)), e.EnrollmentCoC.not_in(list(hud.codes("CoCCodes"))))
    f["disabling_dk"] = is_in(e.DisablingCondition, d.DK_PNTA)
    f["disabling_missing"] = sa.or_(e.DisablingCondition.is_(None), e.DisablingCondition == d.NOT_COLLECTED)
    f["disabling_issue"] = sa.and_(e.DisablingCondition == 0, sa.func.coalesce(r.c.k_dis % 10, 0) == 1)
    for el in ("veteran", "start", "relationship", "coc", "disabling"):
        unions[f"{el}_total"] = [k for k in (f"{el}_dk", f"{el}_missing", f"{el}_issue") if k in f]

    # Q6c income and housing.
    destinations = [k for k in hud.codes("Destination") if isinstance(k, int)]
    subsidies = [k for k in hud.codes("RentalSubsidyType") if isinstance(k, int)]
    f["destination_den"] = leaver
    f["destination_dk"] = sa.and_(leaver, is_in(x.Destination, d.DK_PNTA))
    f["destination_missing"] = sa.and_(leaver, sa.or_(
        x.Destination.is_(None), x.Destination.in_(d.DESTINATION_MISSING), x.Destination.not_in(destinations),
        sa.and_(x.Destination == d.DESTINATION_NEEDS_SUBSIDY, sa.not_(is_in(x.DestinationSubsidyType, subsidies)))))
    unions["destination_total"] = ["destination_dk", "destination_missing"]
    _income_flags(f, unions, "income_start", ib_start, adult_or_hoh, e.EntryDate)
    elapsed, anniversary = w.elapsed, w.anniversary
    expected = sa.and_(adult_or_hoh, sa.not_(leaver), elapsed >= 1, e.EntryDate < anniversary)
    off_window = sa.func.abs(Days(ib_annual.on, anniversary)) > d.ANNUAL_WINDOW_DAYS
    _income_flags(f, unions, "income_annual", ib_annual, expected, ib_annual.on, extra_missing=off_window)
    _income_flags(f, unions, "income_exit", ib_exit, sa.and_(leaver, adult_or_hoh), x.ExitDate)

    # Q6d chronic homelessness (which row: see ``group`` below).
    situation, stay = e.LivingSituation, e.LengthOfStay
    institution = between(situation, d.INSTITUTIONAL_SITUATIONS)
    housing = sa.or_(situation.is_(None), *[between(situation, b) for b in d.HOUSING_SITUATIONS])
    stay_missing = is_in(sa.func.coalesce(stay, d.NOT_COLLECTED), d.MISSING_ANSWERS)
    literal = p.ProjectType.in_([t for g in d.PROJECT_GROUPS if g.literally_homeless for t in g.project_types])
    asked = sa.or_(literal, between(situation, d.HOMELESS_SITUATIONS),
                   sa.and_(institution, is_in(stay, d.STAY_UNDER_90_DAYS), e.PreviousStreetESSH == 1),
                   sa.and_(housing, is_in(stay, d.STAY_UNDER_7_NIGHTS), e.PreviousStreetESSH == 1))
    f["chronic"] = sa.and_(adult_or_hoh, e.EntryDate >= d.CHRONIC_FROM)
    f["ch_institution"] = sa.and_(f["chronic"], sa.not_(literal), institution, stay_missing)
    f["ch_housing"] = sa.and_(f["chronic"], sa.not_(literal), housing, stay_missing)
    f["ch_date"] = sa.and_(f["chronic"], asked, e.DateToStreetESSH.is_(None))
    f["ch_times"] = sa.and_(f["chronic"], asked, is_in(sa.func.coalesce(e.TimesHomelessPastThreeYears, 99),
                                                       d.MISSING_ANSWERS))
    f["ch_months"] = sa.and_(f["chronic"], asked, is_in(sa.func.coalesce(e.MonthsHomelessPastThreeYears, 99),
                                                        d.MISSING_ANSWERS))
    unions["ch_unable"] = ["ch_institution", "ch_housing", "ch_date", "ch_times", "ch_months"]

    # Q6f inactive records: open enrollments started at least 90 days before the report end.
    lasting = sa.and_(w.entry_days >= d.INACTIVE_AFTER_DAYS, sa.or_(x.ExitDate.is_(None), x.ExitDate > end))
    f["contact_den"] = sa.and_(lasting, adult_or_hoh, p.ProjectType == d.STREET_OUTREACH)
    f["contact_inactive"] = sa.and_(f["contact_den"], w.contact_days > d.INACTIVE_AFTER_DAYS)
    f["bed_den"] = sa.and_(lasting, p.ProjectType == d.ES_NIGHT_BY_NIGHT)
    f["bed_inactive"] = sa.and_(f["bed_den"], w.bed_night_days > d.INACTIVE_AFTER_DAYS)

    group = sa.case(*[(p.ProjectType.in_(g.project_types), g.key) for g in d.PROJECT_GROUPS], else_=None)
    columns = [flag(cond).label(name) for name, cond in f.items()]
    columns += [
        group.label("ch_group"),
        # Q6e: days from the date to the record's creation, for project starts in the period and exits.
        sa.case((sa.and_(e.EntryDate >= start, e.DateCreated.is_not(None)), Days(e.DateCreated, e.EntryDate)))
        .label("start_days"),
        sa.case((sa.and_(leaver, x.DateCreated.is_not(None)), Days(x.DateCreated, x.ExitDate))).label("exit_days"),
    ]
    rows = sa.select(*columns).select_from(base).offset(0)  # flags once per client, then summed
    return rows.subquery("apr_clients"), tuple(f), unions


@functools.lru_cache(maxsize=1)
def statement() -> sa.Select:
    """The one statement: every Q6 count, by name (bind ``workspace_id``, ``start``, ``end``)."""
    rows, flags, unions = _per_client()
    total = sa.func.coalesce

    def column(name: str) -> ColumnElement:
        if name in unions:
            return flag(sa.or_(*[rows.c[k] == 1 for k in unions[name]]))
        return rows.c[name]

    out = [total(sa.func.sum(column(name)), 0).label(name) for name in (*flags, *unions)]
    for g in d.PROJECT_GROUPS:
        for name in ("chronic", "ch_institution", "ch_housing", "ch_date", "ch_times", "ch_months", "ch_unable"):
            out.append(total(sa.func.sum(sa.case((rows.c.ch_group == g.key, column(name)), else_=0)), 0)
                       .label(f"{name}__{g.key}"))
    for kind in ("start", "exit"):
        days = rows.c[f"{kind}_days"]
        for b in d.TIMELINESS_BUCKETS:
            cond = sa.and_(days.is_not(None), *([days >= b.low] if b.low is not None else []),
                           *([days <= b.high] if b.high is not None else []))
            out.append(total(sa.func.sum(flag(cond)), 0).label(f"{kind}_{b.key}"))
        out.append(total(sa.func.sum(flag(days <= d.MISSOURI_MAX_DAYS)), 0).label(f"{kind}_mo_met"))
        out.append(total(sa.func.sum(flag(days > d.MISSOURI_MAX_DAYS)), 0).label(f"{kind}_mo_late"))
    return sa.select(*out)
