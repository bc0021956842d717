"""APR question 6 for one workspace in ONE aggregate SQL statement.

The APR counts people, not records: each client is reported through their latest enrollment active in
the report period (project start on or before its end, no exit before its start), as HUD's
specifications say.  :func:`_per_client` gives one row per such client with a 0/1 flag for every
condition a Q6 cell counts; :func:`statement` sums the flags.  Every code and limit comes from
``q6_definitions``.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from sandbox import hud
from sandbox.apr import q6_definitions as d
from sandbox.apr.sql import AddYears, Days, StripDigits, Ymd, between, blank, flag, is_in
from sandbox.models import (Client, CurrentLivingSituation, Disabilities, Enrollment, Exit, IncomeBenefits,
                            Project)

INCOME_FLAGS = [f for f, _, _ in hud.INCOME_SOURCES]


def _params() -> tuple[ColumnElement, ColumnElement, ColumnElement]:
    return (sa.bindparam("workspace_id", type_=sa.Integer), sa.bindparam("start", type_=sa.Date),
            sa.bindparam("end", type_=sa.Date))


def _incomes(ws, end) -> sa.Subquery:  # noqa: ANN001
    """Each enrollment's latest income record per stage (start, exit, annual) dated by the report end."""
    ib = IncomeBenefits
    any_yes = sa.or_(*[sa.func.coalesce(getattr(ib, f), 0) == 1 for f in INCOME_FLAGS])
    return (sa.select(ib.EnrollmentID.label("eid"), ib.DataCollectionStage.label("stage"),
                      ib.InformationDate.label("info"), ib.IncomeFromAnySource.label("any_source"),
                      flag(any_yes).label("any_yes"),
                      sa.func.row_number().over(partition_by=(ib.EnrollmentID, ib.DataCollectionStage),
                                                order_by=(ib.InformationDate.desc(), ib.id.desc())).label("rn"))
            .where(ib.workspace_id == ws,
                   ib.DataCollectionStage.in_([hud.STAGE_ENTRY, hud.STAGE_EXIT, hud.STAGE_ANNUAL]),
                   sa.or_(ib.InformationDate.is_(None), ib.InformationDate <= end))
            .subquery())


def _disabling(ws, end) -> sa.Subquery:  # noqa: ANN001
    """Whether an enrollment's latest 4.05-4.10 answers (by the report end) show a disabling condition."""
    ds = Disabilities
    latest = (sa.select(ds.EnrollmentID.label("eid"), sa.func.max(ds.InformationDate).label("info"))
              .where(ds.workspace_id == ws, ds.InformationDate <= end).group_by(ds.EnrollmentID).subquery())
    yes = sa.case((ds.DisabilityType == d.SUBSTANCE_USE, is_in(ds.DisabilityResponse, d.SUBSTANCE_YES)),
                  else_=is_in(ds.DisabilityResponse, d.DISABILITY_YES))
    qualifies = sa.or_(sa.and_(ds.DisabilityType.in_(d.DISABLING_ON_THEIR_OWN), yes),
                       sa.and_(ds.DisabilityType.in_(d.DISABLING_IF_INDEFINITE), yes, ds.IndefiniteAndImpairs == 1))
    return (sa.select(ds.EnrollmentID.label("eid"), sa.func.max(flag(qualifies)).label("qualifies"))
            .join(latest, sa.and_(latest.c.eid == ds.EnrollmentID, latest.c.info == ds.InformationDate))
            .where(ds.workspace_id == ws).group_by(ds.EnrollmentID).subquery())


def _overlaps(ws) -> sa.Subquery:  # noqa: ANN001
    """Enrollments that start inside an earlier, exited enrollment of the same client in the same project."""
    later, earlier, x = sa.orm.aliased(Enrollment), sa.orm.aliased(Enrollment), sa.orm.aliased(Exit)
    return (sa.select(later.EnrollmentID.label("eid"))
            .join(earlier, sa.and_(earlier.workspace_id == later.workspace_id, earlier.PersonalID == later.PersonalID,
                                   earlier.ProjectID == later.ProjectID, earlier.id != later.id))
            .join(x, sa.and_(x.workspace_id == earlier.workspace_id, x.EnrollmentID == earlier.EnrollmentID))
            .where(later.workspace_id == ws, earlier.EntryDate < later.EntryDate, later.EntryDate < x.ExitDate)
            .group_by(later.EnrollmentID).subquery())


def _reported(ws, start, end) -> sa.Subquery:  # noqa: ANN001
    """Each client's latest enrollment active in the report period (row number 1)."""
    e, x = Enrollment, Exit
    return (sa.select(e.id.label("pk"),
                      sa.func.row_number().over(partition_by=e.PersonalID,
                                                order_by=(e.EntryDate.desc(), e.id.desc())).label("rn"))
            .outerjoin(x, sa.and_(x.workspace_id == e.workspace_id, x.EnrollmentID == e.EnrollmentID))
            .where(e.workspace_id == ws, e.EntryDate <= end, sa.or_(x.ExitDate.is_(None), x.ExitDate >= start))
            .subquery())


def _income_flags(prefix: str, ib, universe: ColumnElement, on_date: ColumnElement,  # noqa: ANN001
                  extra_missing: ColumnElement | None = None) -> dict[str, ColumnElement]:
    dk = sa.and_(universe, is_in(ib.c.any_source, d.DK_PNTA))
    missing = sa.and_(universe, sa.or_(ib.c.eid.is_(None), ib.c.info.is_(None), ib.c.info != on_date,
                                       ib.c.any_source.is_(None), ib.c.any_source == d.NOT_COLLECTED,
                                       extra_missing if extra_missing is not None else sa.false()))
    issue = sa.and_(universe, sa.or_(sa.and_(ib.c.any_source == 0, ib.c.any_yes == 1),
                                     sa.and_(ib.c.any_source == 1, ib.c.any_yes == 0)))
    return {f"{prefix}_den": universe, f"{prefix}_dk": dk, f"{prefix}_missing": missing, f"{prefix}_issue": issue,
            f"{prefix}_total": sa.or_(dk, missing, issue)}


@functools.lru_cache(maxsize=1)
def _per_client() -> tuple[sa.Subquery, tuple[str, ...]]:
    ws, start, end = _params()
    c, e, x, p = Client, Enrollment, Exit, Project
    reported = _reported(ws, start, end)
    heads = (sa.select(e.HouseholdID.label("hh"), sa.func.sum(flag(e.RelationshipToHoH == d.HEAD_OF_HOUSEHOLD)).label("n"),
                       sa.func.min(sa.case((e.RelationshipToHoH == d.HEAD_OF_HOUSEHOLD, e.EntryDate))).label("entry"))
             .where(e.workspace_id == ws).group_by(e.HouseholdID).subquery())
    incomes = _incomes(ws, end)
    ib_start, ib_exit, ib_annual = (incomes.alias(n) for n in ("ib_start", "ib_exit", "ib_annual"))
    disabling, overlaps = _disabling(ws, end), _overlaps(ws)
    cls = CurrentLivingSituation
    contacts = (sa.select(cls.EnrollmentID.label("eid"), sa.func.max(cls.InformationDate).label("last"))
                .where(cls.workspace_id == ws, cls.InformationDate <= end).group_by(cls.EnrollmentID).subquery())

    # Who: age at the later of the report start and the project start; head of household; leaver.
    as_of = sa.case((e.EntryDate >= start, e.EntryDate), else_=start)
    years = Ymd(as_of) - Ymd(c.DOB)
    adult = sa.and_(c.DOB.is_not(None), years >= d.ADULT_AGE * 10000)
    child = sa.and_(c.DOB.is_not(None), years < d.ADULT_AGE * 10000)
    hoh = sa.func.coalesce(e.RelationshipToHoH, -1) == d.HEAD_OF_HOUSEHOLD
    adult_or_hoh = sa.or_(adult, hoh)
    leaver = sa.and_(x.ExitDate.is_not(None), x.ExitDate <= end)
    f: dict[str, ColumnElement] = {"clients": sa.true()}

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
        f[f"{el}_total"] = sa.or_(*[f[k] for k in (f"{el}_dk", f"{el}_missing", f"{el}_issue") if k in f])
    f["pii_total"] = sa.or_(f["name_total"], f["ssn_total"], f["dob_total"], f["race_total"])

    # Q6b universal data elements.
    f["veteran_den"] = c.DOB.is_not(None)
    f["veteran_dk"] = sa.and_(adult, is_in(c.VeteranStatus, d.DK_PNTA))
    f["veteran_missing"] = sa.and_(adult, sa.or_(c.VeteranStatus.is_(None), c.VeteranStatus == d.NOT_COLLECTED))
    f["veteran_issue"] = sa.and_(child, c.VeteranStatus == 1)
    f["start_issue"] = overlaps.c.eid.is_not(None)
    f["relationship_missing"] = e.RelationshipToHoH.is_(None)
    f["relationship_issue"] = sa.or_(sa.and_(e.RelationshipToHoH.is_not(None),
                                             e.RelationshipToHoH.not_in(d.VALID_RELATIONSHIPS)),
                                     sa.func.coalesce(heads.c.n, 0) != 1)
    f["coc_den"] = hoh
    f["coc_missing"] = sa.and_(hoh, blank(e.EnrollmentCoC))
    f["coc_issue"] = sa.and_(hoh, sa.not_(blank(e.EnrollmentCoC)), e.EnrollmentCoC.not_in(list(hud.codes("CoCCodes"))))
    f["disabling_dk"] = is_in(e.DisablingCondition, d.DK_PNTA)
    f["disabling_missing"] = sa.or_(e.DisablingCondition.is_(None), e.DisablingCondition == d.NOT_COLLECTED)
    f["disabling_issue"] = sa.and_(e.DisablingCondition == 0, sa.func.coalesce(disabling.c.qualifies, 0) == 1)
    for el in ("veteran", "start", "relationship", "coc", "disabling"):
        f[f"{el}_total"] = sa.or_(*[f[k] for k in (f"{el}_dk", f"{el}_missing", f"{el}_issue") if k in f])

    # Q6c income and housing.
    destinations = [k for k in hud.codes("Destination") if isinstance(k, int)]
    subsidies = [k for k in hud.codes("RentalSubsidyType") if isinstance(k, int)]
    f["destination_den"] = leaver
    f["destination_dk"] = sa.and_(leaver, is_in(x.Destination, d.DK_PNTA))
    f["destination_missing"] = sa.and_(leaver, sa.or_(
        x.Destination.is_(None), x.Destination.in_(d.DESTINATION_MISSING), x.Destination.not_in(destinations),
        sa.and_(x.Destination == d.DESTINATION_NEEDS_SUBSIDY, sa.not_(is_in(x.DestinationSubsidyType, subsidies)))))
    f["destination_total"] = sa.or_(f["destination_dk"], f["destination_missing"])
    f.update(_income_flags("income_start", ib_start, adult_or_hoh, e.EntryDate))
    hoh_entry = sa.func.coalesce(heads.c.entry, e.EntryDate)
    elapsed = (Ymd(end) - Ymd(hoh_entry)) / 10000
    anniversary = AddYears(hoh_entry, elapsed)
    expected = sa.and_(adult_or_hoh, sa.not_(leaver), elapsed >= 1, e.EntryDate < anniversary)
    off_window = sa.func.abs(Days(ib_annual.c.info, anniversary)) > d.ANNUAL_WINDOW_DAYS
    f.update(_income_flags("income_annual", ib_annual, expected, ib_annual.c.info, extra_missing=off_window))
    f.update(_income_flags("income_exit", ib_exit, sa.and_(leaver, adult_or_hoh), x.ExitDate))

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
    f["ch_unable"] = sa.or_(f["ch_institution"], f["ch_housing"], f["ch_date"], f["ch_times"], f["ch_months"])

    # Q6f inactive records: open enrollments started at least 90 days before the report end.
    lasting = sa.and_(Days(end, e.EntryDate) >= d.INACTIVE_AFTER_DAYS, sa.or_(x.ExitDate.is_(None), x.ExitDate > end))
    last_contact = sa.case((contacts.c.last > e.EntryDate, contacts.c.last), else_=e.EntryDate)
    f["contact_den"] = sa.and_(lasting, adult_or_hoh, p.ProjectType == d.STREET_OUTREACH)
    f["contact_inactive"] = sa.and_(f["contact_den"], Days(end, last_contact) > d.INACTIVE_AFTER_DAYS)
    # Bed nights (4.14, Services.csv) are not stored yet: the last bed night is the project start's.
    f["bed_den"] = sa.and_(lasting, p.ProjectType == d.ES_NIGHT_BY_NIGHT)
    f["bed_inactive"] = sa.and_(f["bed_den"], Days(end, e.EntryDate) > d.INACTIVE_AFTER_DAYS)

    group = sa.case(*[(p.ProjectType.in_(g.project_types), g.key) for g in d.PROJECT_GROUPS], else_=None)
    columns = [flag(cond).label(name) for name, cond in f.items()]
    columns += [
        group.label("ch_group"),
        # Q6e: days from the date to the record's creation, for project starts in the period and exits.
        sa.case((sa.and_(e.EntryDate >= start, e.DateCreated.is_not(None)), Days(e.DateCreated, e.EntryDate)))
        .label("start_days"),
        sa.case((sa.and_(leaver, x.DateCreated.is_not(None)), Days(x.DateCreated, x.ExitDate))).label("exit_days"),
    ]
    engaged = sa.or_(sa.func.coalesce(p.ProjectType, -1) != d.STREET_OUTREACH,
                     sa.and_(e.DateOfEngagement.is_not(None), e.DateOfEngagement <= end))
    rows = (sa.select(*columns).select_from(reported)
            .join(e, e.id == reported.c.pk)
            .join(c, sa.and_(c.workspace_id == e.workspace_id, c.PersonalID == e.PersonalID))
            .outerjoin(x, sa.and_(x.workspace_id == e.workspace_id, x.EnrollmentID == e.EnrollmentID))
            .outerjoin(p, sa.and_(p.workspace_id == e.workspace_id, p.ProjectID == e.ProjectID))
            .outerjoin(heads, heads.c.hh == e.HouseholdID)
            .outerjoin(ib_start, sa.and_(ib_start.c.eid == e.EnrollmentID, ib_start.c.stage == hud.STAGE_ENTRY,
                                         ib_start.c.rn == 1))
            .outerjoin(ib_exit, sa.and_(ib_exit.c.eid == e.EnrollmentID, ib_exit.c.stage == hud.STAGE_EXIT,
                                        ib_exit.c.rn == 1))
            .outerjoin(ib_annual, sa.and_(ib_annual.c.eid == e.EnrollmentID, ib_annual.c.stage == hud.STAGE_ANNUAL,
                                          ib_annual.c.rn == 1))
            .outerjoin(disabling, disabling.c.eid == e.EnrollmentID)
            .outerjoin(overlaps, overlaps.c.eid == e.EnrollmentID)
            .outerjoin(contacts, contacts.c.eid == e.EnrollmentID)
            .where(reported.c.rn == 1, engaged))
    return rows.subquery("apr_clients"), tuple(f)


@functools.lru_cache(maxsize=1)
def statement() -> sa.Select:
    """The one statement: every Q6 count, by name (bind ``workspace_id``, ``start``, ``end``)."""
    rows, flags = _per_client()
    total = sa.func.coalesce
    out = [total(sa.func.sum(rows.c[name]), 0).label(name) for name in flags]
    for g in d.PROJECT_GROUPS:
        for name in ("chronic", "ch_institution", "ch_housing", "ch_date", "ch_times", "ch_months", "ch_unable"):
            out.append(total(sa.func.sum(sa.case((rows.c.ch_group == g.key, rows.c[name]), else_=0)), 0)
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
