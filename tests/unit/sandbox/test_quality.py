"""Data-quality findings (APR/CAPER Q6 style): each kind found when it applies and not when it does not."""

from datetime import date, datetime, timedelta, timezone

import pytest

from sandbox import hud, quality, services
from sandbox.quality.checks import Finding, summary

ADULT = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
         "DOB": date(1980, 5, 17), "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0}
START_DATE = date(2026, 11, 1)
START = {"EntryDate": START_DATE, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
         "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
         "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}
INCOME = {"IncomeFromAnySource": 0, "BenefitsFromAnySource": 0, "InsuranceFromAnySource": 0}
NO_DISABILITIES = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}


@pytest.fixture
def ws(sandbox_session, clock):
    return services.workspace_for_user(sandbox_session, 1, now=clock.now)


def _client(sdb, ws, clock, **kw):
    c = services.save_client(sdb, ws, {**ADULT, **kw}, now=clock.now)
    services.record_roi(sdb, ws, c, consented=True, signed_on=START_DATE, documentation="signed", now=clock.now)
    return c


def _shelter(sdb, ws):
    return next(p for p in services.projects(sdb, ws.id) if p.ProjectType == hud.ES_EE)


def _enrol_complete(sdb, ws, clock, client, **start):
    e = services.enroll(sdb, ws, client, _shelter(sdb, ws), {**START, **start}, now=clock.now)
    services.record_assessment(sdb, ws, e, hud.STAGE_ENTRY, information_date=e.EntryDate, income=INCOME,
                               disabilities=NO_DISABILITIES, health={"DomesticViolenceSurvivor": 0}, now=clock.now)
    return e


def _kinds(sdb, ws, personal_id=None):
    return {(f.element, f.kind) for f in quality.findings(sdb, ws.id, personal_id)}


def test_findings_complete_timely_record_has_none(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    _enrol_complete(sandbox_session, ws, clock, c)
    assert quality.findings(sandbox_session, ws.id, c.PersonalID) == []


def test_findings_partial_name_and_ssn_are_issues(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, LastName=None, NameDataQuality=2, SSN="xxxxx6789", SSNDataQuality=2)
    found = _kinds(sandbox_session, ws, c.PersonalID)
    assert ("3.01", "missing") in found or ("3.01", "issue") in found
    assert ("3.02", "issue") in found


def test_findings_name_refused_is_dk_pnta_not_missing(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, FirstName=None, LastName=None, NameDataQuality=9)
    found = _kinds(sandbox_session, ws, c.PersonalID)
    assert ("3.01", "dk_pnta") in found and ("3.01", "missing") not in found


def test_findings_dob_approximate_is_an_issue_and_missing_dob_is_missing(sandbox_session, ws, clock):
    approx = _client(sandbox_session, ws, clock, DOBDataQuality=2)
    missing = _client(sandbox_session, ws, clock, FirstName="Bo", SSN="223456789", DOB=None, DOBDataQuality=99)
    assert ("3.03", "issue") in _kinds(sandbox_session, ws, approx.PersonalID)
    assert ("3.03", "missing") in _kinds(sandbox_session, ws, missing.PersonalID)


def test_findings_adult_without_veteran_status_is_missing(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, VeteranStatus=99)
    _enrol_complete(sandbox_session, ws, clock, c)
    assert ("3.07", "missing") in _kinds(sandbox_session, ws, c.PersonalID)


def test_findings_prior_living_situation_refused_is_dk_pnta(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    _enrol_complete(sandbox_session, ws, clock, c, LivingSituation=9)
    found = _kinds(sandbox_session, ws, c.PersonalID)
    assert ("3.917", "dk_pnta") in found


def test_findings_start_entered_within_three_days_is_not_late_and_later_is(sandbox_session, ws, clock):
    on_time = _client(sandbox_session, ws, clock)
    _enrol_complete(sandbox_session, ws, clock, on_time, EntryDate=clock.now.date() - timedelta(days=3))
    late = _client(sandbox_session, ws, clock, FirstName="Bo", SSN="223456789")
    _enrol_complete(sandbox_session, ws, clock, late, EntryDate=clock.now.date() - timedelta(days=4))
    assert ("3.10", "late") not in _kinds(sandbox_session, ws, on_time.PersonalID)
    assert ("3.10", "late") in _kinds(sandbox_session, ws, late.PersonalID)


def test_findings_exit_entered_late_and_no_interview_destination(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = _enrol_complete(sandbox_session, ws, clock, c)
    services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE, "Destination": 30}, now=clock.now)
    found = _kinds(sandbox_session, ws, c.PersonalID)
    assert ("3.11", "late") not in found  # exit dated the 1st, entered the 2nd
    assert ("3.12", "missing") in found  # 30 = no exit interview completed
    later = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
    services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE, "Destination": 410}, now=later)
    assert ("3.12", "missing") not in _kinds(sandbox_session, ws, c.PersonalID)


def test_findings_two_heads_in_one_household_is_an_issue(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    other = _client(sandbox_session, ws, clock, FirstName="Bo", SSN="223456789")
    e = _enrol_complete(sandbox_session, ws, clock, head)
    member = services.enroll(sandbox_session, ws, other, _shelter(sandbox_session, ws),
                             {**START, "RelationshipToHoH": 3, "EnrollmentCoC": None}, now=clock.now,
                             household_id=e.HouseholdID)
    assert ("3.15", "issue") not in _kinds(sandbox_session, ws)
    member.RelationshipToHoH = 1  # as an imported set might hold it
    sandbox_session.flush()
    assert ("3.15", "issue") in _kinds(sandbox_session, ws, other.PersonalID)


def test_findings_one_client_filter_leaves_out_the_others(sandbox_session, ws, clock):
    good = _client(sandbox_session, ws, clock)
    bad = _client(sandbox_session, ws, clock, FirstName="Bo", SSN=None, SSNDataQuality=99)
    assert {f.personal_id for f in quality.findings(sandbox_session, ws.id, good.PersonalID)} <= {good.PersonalID}
    assert bad.PersonalID in {f.personal_id for f in quality.findings(sandbox_session, ws.id)}


def test_findings_never_cross_workspaces(sandbox_session, ws, clock, make_workspace):
    _client(sandbox_session, ws, clock, SSN=None, SSNDataQuality=99)
    other, scenario = make_workspace(), make_workspace(ref="scenario:dq", seed=False)
    assert quality.findings(sandbox_session, ws.id) != []
    assert quality.findings(sandbox_session, other.id) == [] == quality.findings(sandbox_session, scenario.id)


def test_summary_counts_each_kind():
    items = [Finding("p", "3.02", "missing", "m"), Finding("p", "3.04", "dk_pnta", "d"),
             Finding("p", "3.03", "issue", "i"), Finding("p", "3.10", "late", "l"),
             Finding("q", "3.02", "missing", "m")]
    assert summary(items) == {"missing": 2, "dk_pnta": 1, "issue": 1, "late": 1}


def test_findings_income_not_asked_by_night_by_night_shelter_is_not_missing(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    nbn = next(p for p in services.projects(sandbox_session, ws.id) if p.ProjectType == hud.ES_NBN)
    services.enroll(sandbox_session, ws, c, nbn, START, now=clock.now)
    assert ("4.02", "missing") not in _kinds(sandbox_session, ws, c.PersonalID)
    other = _client(sandbox_session, ws, clock, FirstName="Bo", SSN="223456789")
    services.enroll(sandbox_session, ws, other, _shelter(sandbox_session, ws), START, now=clock.now)
    assert ("4.02", "missing") in _kinds(sandbox_session, ws, other.PersonalID)


def test_findings_exit_without_exit_income_is_missing_until_recorded(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = _enrol_complete(sandbox_session, ws, clock, c)
    services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE, "Destination": 410}, now=clock.now)
    messages = {f.message for f in quality.findings(sandbox_session, ws.id, c.PersonalID)}
    assert "Income at project exit: not recorded." in messages
    services.record_assessment(sandbox_session, ws, e, hud.STAGE_EXIT, information_date=START_DATE, income=INCOME,
                               disabilities=NO_DISABILITIES, health=None, now=clock.now)
    assert quality.findings(sandbox_session, ws.id, c.PersonalID) == []


def test_findings_dob_after_project_start_is_an_issue(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = _enrol_complete(sandbox_session, ws, clock, c)
    assert ("3.03", "issue") not in _kinds(sandbox_session, ws, c.PersonalID)
    e.EntryDate = date(1979, 1, 1)  # as an imported set might hold it
    sandbox_session.flush()
    assert ("3.03", "issue") in _kinds(sandbox_session, ws, c.PersonalID)


# --- the SQL aggregates agree with findings() ---------------------------------------------------

def _random_records(sdb, ws, rnd, n_clients: int) -> None:
    """Insert records straight into the tables (as an import may hold them), with every odd value the rules read."""
    from decimal import Decimal

    from sandbox.models import Client, Enrollment, Exit, IncomeBenefits

    def pick(*values):
        return rnd.choice(values)

    projects = [p.ProjectID for p in services.projects(sdb, ws.id)]
    stamp = {"DateUpdated": datetime(2026, 11, 2), "UserID": "u"}
    for i in range(n_clients):
        pid = f"P{rnd.random():.12f}"[2:14] + str(i)
        created = pick(datetime(2026, 11, 2, 9), datetime(2009, 5, 1, 23, 59), datetime(2009, 5, 2), datetime(1990, 1, 1))
        races = {col: pick(0, 1, 99) for col, _ in hud.RACE_COLUMNS}
        sdb.add(Client(workspace_id=ws.id, PersonalID=pid, FirstName=pick(None, "", "Ana"), LastName=pick(None, "Diaz"),
                       NameDataQuality=pick(1, 2, 8, 9, 99), SSN=pick(None, "", "123456789"),
                       SSNDataQuality=pick(1, 2, 8, 9, 99),
                       DOB=pick(None, date(1900, 1, 1), date(1980, 5, 17), date(2008, 3, 1), date(2010, 3, 1),
                                date(2010, 2, 28), date(2009, 5, 2), date(2027, 1, 1)),
                       DOBDataQuality=pick(1, 2, 8, 9, 99), RaceNone=pick(None, 8, 9, 99), **races,
                       VeteranStatus=pick(0, 1, 8, 9, 99), DateCreated=created, **stamp))
        for j in range(rnd.randint(0, 2)):
            eid, entry = f"{pid}E{j}", pick(date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29), date(2026, 11, 1))
            sdb.add(Enrollment(workspace_id=ws.id, EnrollmentID=eid, PersonalID=pid, ProjectID=rnd.choice(projects),
                               EntryDate=entry, HouseholdID=pick("H1", "H2", f"H{pid}{j}"),
                               RelationshipToHoH=pick(None, 1, 1, 2, 3, 99), EnrollmentCoC=pick(None, "", "MO-606"),
                               DisablingCondition=pick(None, 0, 1, 8, 9, 99), LivingSituation=pick(None, 116, 8, 9, 99),
                               DateCreated=datetime.combine(entry + timedelta(days=pick(0, 3, 4, 10)),
                                                            datetime.min.time()).replace(hour=pick(0, 13, 23)), **stamp))
            exit_on = None
            if rnd.random() < 0.5:
                exit_on = entry + timedelta(days=pick(0, 30))
                sdb.add(Exit(workspace_id=ws.id, ExitID=f"{eid}X", EnrollmentID=eid, PersonalID=pid, ExitDate=exit_on,
                             Destination=pick(410, 30, 8, 9, 99),
                             DateCreated=datetime.combine(exit_on + timedelta(days=pick(0, 4)), datetime.min.time()),
                             **stamp))
            for k in range(rnd.randint(0, 2)):
                money = [pick(None, Decimal("0"), Decimal("100.10"), Decimal("-5.00"), Decimal("250.20"))
                         for _ in hud.INCOME_SOURCES]
                if rnd.random() < 0.2:  # a total with no amounts at all (NULL in every amount column)
                    money = [None] * len(money)
                income = {amount: m for (_, amount, _), m in zip(hud.INCOME_SOURCES, money)}
                income.update({flag: pick(None, 0, 1, 99, 5) for flag, _, _ in hud.INCOME_SOURCES})
                income.update({flag: pick(None, 0, 1, 8) for flag, _ in hud.BENEFIT_SOURCES + hud.INSURANCE_SOURCES})
                total = sum((m for m in money if m is not None and m >= 0), Decimal("0"))
                sdb.add(IncomeBenefits(
                    workspace_id=ws.id, IncomeBenefitsID=f"{eid}I{k}", EnrollmentID=eid, PersonalID=pid,
                    InformationDate=pick(entry, exit_on or entry, date(2026, 12, 25)),
                    DataCollectionStage=pick(1, 1, 3, 3, 2), IncomeFromAnySource=pick(None, 0, 1, 8, 99, 7),
                    BenefitsFromAnySource=pick(None, 0, 1, 9), InsuranceFromAnySource=pick(None, 0, 1, 99),
                    TotalMonthlyIncome=pick(None, total, total + Decimal("0.01"), Decimal("-1.00")), DateCreated=datetime(2026, 11, 2),
                    **income, **stamp))
    sdb.flush()


@pytest.mark.parametrize("seed", range(6))
def test_workspace_summary_random_records_equals_summary_of_findings(sandbox_session, ws, seed):
    import random

    _random_records(sandbox_session, ws, random.Random(seed), 40)
    items = quality.findings(sandbox_session, ws.id)
    assert quality.workspace_summary(sandbox_session, ws.id) == summary(items)
    page = quality.clients_with_findings(sandbox_session, ws.id, limit=1000)
    assert page.personal_ids == sorted({f.personal_id for f in items}) and page.total == len(page.personal_ids)


def test_clients_with_findings_pages_in_personal_id_order(sandbox_session, ws, clock):
    ids = sorted(_client(sandbox_session, ws, clock, FirstName=f"N{i}", SSN=None, SSNDataQuality=99).PersonalID
                 for i in range(5))
    _client(sandbox_session, ws, clock, FirstName="Complete")
    first = quality.clients_with_findings(sandbox_session, ws.id, limit=2)
    last = quality.clients_with_findings(sandbox_session, ws.id, limit=2, offset=4)
    past_the_end = quality.clients_with_findings(sandbox_session, ws.id, limit=2, offset=6)
    assert (first.personal_ids, last.personal_ids, first.total, last.total) == (ids[:2], ids[4:], 5, 5)
    assert (past_the_end.personal_ids, past_the_end.total) == ([], 5)
    found = quality.findings(sandbox_session, ws.id, personal_ids=first.personal_ids)
    assert {f.personal_id for f in found} == set(ids[:2])


def test_workspace_summary_empty_workspace_is_all_zero(sandbox_session, ws):
    assert quality.workspace_summary(sandbox_session, ws.id) == {"missing": 0, "dk_pnta": 0, "issue": 0, "late": 0}


def test_workspace_summary_is_counted_again_after_every_kind_of_change(sandbox_session, ws, clock):
    """The counts are kept per data_version: adding, changing and deleting records (through the services'
    flushes) and a reset (bulk deletes) each make the next summary count again; nothing else does."""
    sdb = sandbox_session
    zero = {"missing": 0, "dk_pnta": 0, "issue": 0, "late": 0}
    assert quality.workspace_summary(sdb, ws.id) == zero
    c = _client(sdb, ws, clock, SSN=None, SSNDataQuality=99)  # a new record
    assert quality.workspace_summary(sdb, ws.id)["missing"] == 1
    version = ws.data_version
    assert quality.workspace_summary(sdb, ws.id)["missing"] == 1 and ws.data_version == version
    services.save_client(sdb, ws, {**ADULT, "SSN": None, "SSNDataQuality": 8}, now=clock.now,
                         client=c)  # a changed record: missing becomes "doesn't know"
    assert quality.workspace_summary(sdb, ws.id) == {**zero, "dk_pnta": 1}
    services.reset_workspace(sdb, ws, now=clock.now)  # bulk deletes
    assert quality.workspace_summary(sdb, ws.id) == zero


def test_workspace_summary_of_one_workspace_survives_changes_to_another(sandbox_session, ws, clock, make_workspace):
    from bench.harness import count_queries

    other = make_workspace()
    quality.workspace_summary(sandbox_session, ws.id)
    services.save_client(sandbox_session, other, {**ADULT, "SSN": None, "SSNDataQuality": 99}, now=clock.now)
    sandbox_session.flush()
    with count_queries(sandbox_session.get_bind()) as counter:
        quality.workspace_summary(sandbox_session, ws.id)
    assert counter.count == 1, counter.statements


def test_workspace_summary_counts_an_imported_set(sandbox_session, ws, clock, make_workspace, tmp_path):
    """An import writes with bulk statements (no flush of objects): it marks the workspace changed too."""
    from sandbox.csv.export import export_workspace
    from sandbox.csv.importer import import_directory

    _client(sandbox_session, ws, clock, SSN=None, SSNDataQuality=99)
    export_workspace(sandbox_session, ws.id, tmp_path, now=clock.now)
    target = make_workspace()
    assert quality.workspace_summary(sandbox_session, target.id)["missing"] == 0
    import_directory(sandbox_session, target.id, tmp_path, now=clock.now)
    assert quality.workspace_summary(sandbox_session, target.id)["missing"] == 1
