"""Sandbox services for data entry: release of information, assessments by stage, exits, outreach contacts."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import lms.hud as hud
from sandbox import services
from sandbox.validation import ValidationFailed

ADULT = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
         "DOB": date(1980, 5, 17), "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0}
START_DATE = date(2026, 11, 1)
START = {"EntryDate": START_DATE, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
         "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
         "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}
INCOME = {"IncomeFromAnySource": 1, "TotalMonthlyIncome": "450.00", "Earned": 1, "EarnedAmount": "450.00",
          "BenefitsFromAnySource": 0, "InsuranceFromAnySource": 0}
NO_DISABILITIES = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}


@pytest.fixture
def ws(sandbox_session, clock):
    return services.workspace_for_user(sandbox_session, 1, now=clock.now)


def _client(sdb, ws, clock, *, consent=True, signed_on=START_DATE, **kw):
    c = services.save_client(sdb, ws, {**ADULT, **kw}, now=clock.now)
    if consent is not None:
        services.record_roi(sdb, ws, c, consented=consent, signed_on=signed_on, documentation="signed", now=clock.now)
    return c


def _project(sdb, ws, project_type=hud.ES_EE):
    return next(p for p in services.projects(sdb, ws.id) if p.ProjectType == project_type)


# --- release of information ---------------------------------------------------------------------

def test_enroll_without_release_is_refused_with_a_clear_message(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, consent=None)
    with pytest.raises(services.NoConsent, match="no current release of information"):
        services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)


def test_enroll_after_refusal_is_refused(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, consent=False)
    with pytest.raises(services.NoConsent, match="refused"):
        services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)


def test_release_expires_one_year_after_signing(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, signed_on=date(2025, 11, 3))
    assert services.current_roi(sandbox_session, ws.id, c.PersonalID, on=date(2026, 11, 2)) is not None
    assert services.current_roi(sandbox_session, ws.id, c.PersonalID, on=date(2026, 11, 3)) is None
    with pytest.raises(services.NoConsent):
        services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START,
                        now=datetime(2026, 11, 3, 12, tzinfo=timezone.utc))


def test_newer_consent_replaces_an_older_refusal(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, consent=False, signed_on=date(2026, 10, 1))
    services.record_roi(sandbox_session, ws, c, consented=True, signed_on=START_DATE, documentation="verbal",
                        now=clock.now)
    services.require_roi(sandbox_session, ws.id, c, on=clock.now.date())  # no error


@pytest.mark.parametrize("kw", [{"documentation": "email"}, {"signed_on": date(2026, 11, 3)}])
def test_record_release_with_bad_documentation_or_future_date_is_refused(sandbox_session, ws, clock, kw):
    c = _client(sandbox_session, ws, clock, consent=None)
    args = {"consented": True, "signed_on": START_DATE, "documentation": "signed", **kw}
    with pytest.raises(ValidationFailed):
        services.record_roi(sandbox_session, ws, c, now=clock.now, **args)


# --- assessments --------------------------------------------------------------------------------

def test_record_assessment_at_start_stores_hud_codes_dated_the_start(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    a = services.record_assessment(sandbox_session, ws, e, hud.STAGE_ENTRY, information_date=START_DATE,
                                   income=INCOME, disabilities=NO_DISABILITIES,
                                   health={"DomesticViolenceSurvivor": 0}, now=clock.now)
    assert a.income.IncomeFromAnySource == 1 and a.income.EarnedAmount == Decimal("450.00")
    assert a.income.DataCollectionStage == hud.STAGE_ENTRY and a.income.InformationDate == START_DATE
    assert set(a.disabilities) == set(hud.DISABILITY_TYPES) and a.health.DomesticViolenceSurvivor == 0


def test_record_assessment_at_start_twice_replaces_and_updates_add(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    kw = dict(income=INCOME, disabilities=NO_DISABILITIES, health={"DomesticViolenceSurvivor": 0}, now=clock.now)
    first = services.record_assessment(sandbox_session, ws, e, hud.STAGE_ENTRY, information_date=START_DATE, **kw)
    again = services.record_assessment(sandbox_session, ws, e, hud.STAGE_ENTRY, information_date=START_DATE, **kw)
    assert first.income.IncomeBenefitsID == again.income.IncomeBenefitsID
    update = services.record_assessment(sandbox_session, ws, e, hud.STAGE_UPDATE, information_date=clock.now.date(), **kw)
    assert update.income.IncomeBenefitsID != first.income.IncomeBenefitsID


def test_record_assessment_with_wrong_information_date_is_refused(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed) as info:
        services.record_assessment(sandbox_session, ws, e, hud.STAGE_ENTRY, information_date=clock.now.date(),
                                   income=INCOME, disabilities=NO_DISABILITIES,
                                   health={"DomesticViolenceSurvivor": 0}, now=clock.now)
    assert [p.field for p in info.value.problems] == ["InformationDate"]


@pytest.mark.parametrize(("on", "recorded"), [(date(2027, 4, 1), False), (date(2027, 10, 20), True)])
def test_record_annual_assessment_only_within_30_days_of_the_anniversary(sandbox_session, ws, clock, on, recorded):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    kw = dict(information_date=on, income=INCOME, disabilities=None, health=None,
              now=datetime(on.year, on.month, on.day, 12, tzinfo=timezone.utc))
    if recorded:
        assert services.record_assessment(sandbox_session, ws, e, hud.STAGE_ANNUAL, **kw).income.InformationDate == on
        return
    with pytest.raises(ValidationFailed) as info:
        services.record_assessment(sandbox_session, ws, e, hud.STAGE_ANNUAL, **kw)
    assert [p.field for p in info.value.problems] == ["InformationDate"]
    assert "the nearest is 11/01/2027" in info.value.problems[0].message


def test_record_assessment_income_on_a_child_is_refused(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    kid = _client(sandbox_session, ws, clock, FirstName="Kid", DOB=date(2016, 1, 1), SSN="323456789",
                  VeteranStatus=None)
    e = services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws), START, now=clock.now)
    k = services.enroll(sandbox_session, ws, kid, _project(sandbox_session, ws),
                        {"EntryDate": START_DATE, "RelationshipToHoH": 2, "DisablingCondition": 0}, now=clock.now,
                        household_id=e.HouseholdID)
    assert "4.02" not in services.required_for(sandbox_session, ws.id, k, hud.STAGE_ENTRY)
    with pytest.raises(ValidationFailed, match="adults and heads of household"):
        services.record_assessment(sandbox_session, ws, k, hud.STAGE_ENTRY, information_date=START_DATE,
                                   income={**INCOME}, disabilities=NO_DISABILITIES, health=None, now=clock.now)
    ok = services.record_assessment(sandbox_session, ws, k, hud.STAGE_ENTRY, information_date=START_DATE,
                                    income={"InsuranceFromAnySource": 0}, disabilities=NO_DISABILITIES,
                                    health=None, now=clock.now)
    assert ok.income.IncomeFromAnySource is None and ok.income.InsuranceFromAnySource == 0


def test_record_exit_assessment_before_the_exit_is_refused(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed, match="exit"):
        services.record_assessment(sandbox_session, ws, e, hud.STAGE_EXIT, information_date=clock.now.date(),
                                   income=INCOME, disabilities=NO_DISABILITIES, health=None, now=clock.now)


# --- exit and contacts --------------------------------------------------------------------------

def test_exit_before_start_is_refused_and_on_the_start_is_recorded(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed) as info:
        services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE - timedelta(days=1),
                                                          "Destination": 410}, now=clock.now)
    assert info.value.problems[0].field == "ExitDate"
    x = services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE, "Destination": 410}, now=clock.now)
    assert services.exit_of(sandbox_session, e).ExitID == x.ExitID


def test_exit_to_subsidised_rental_needs_the_subsidy_type(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed, match="subsidy"):
        services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE, "Destination": 435}, now=clock.now)
    subsidy = next(iter(hud.codes(hud.COLUMN_LISTS["DestinationSubsidyType"])))
    x = services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": START_DATE, "Destination": 435,
                                                          "DestinationSubsidyType": subsidy}, now=clock.now)
    assert x.DestinationSubsidyType == subsidy


@pytest.mark.parametrize("project_type, funders, recorded", [
    (hud.SO, [], True), (hud.ES_NBN, [], True), (hud.ES_EE, [], False), (hud.TH, [], False),
    (hud.TH, [24], True),  # an RHY Transitional Living Program: contacts because of its funder
    (hud.TH, [2], False),  # a CoC-funded one: no
], ids=["street-outreach", "night-by-night", "entry-exit-shelter", "transitional", "transitional-rhy", "transitional-coc"])
def test_current_living_situation_is_recorded_where_hud_collects_it(sandbox_session, ws, clock, project_type, funders,
                                                                     recorded):
    from sandbox.models import Funder

    project = _project(sandbox_session, ws, project_type)
    for i, code in enumerate(funders):
        sandbox_session.add(Funder(workspace_id=ws.id, FunderID=f"F{i}", ProjectID=project.ProjectID, Funder=code,
                                   StartDate=date(2020, 1, 1)))
    e = services.enroll(sandbox_session, ws, _client(sandbox_session, ws, clock), project, START, now=clock.now)
    contact = {"InformationDate": START_DATE, "CurrentLivingSituation": 116, "LocationDetails": "Under the bridge"}
    if not recorded:
        with pytest.raises(ValidationFailed, match="street outreach, night-by-night shelter, coordinated entry"):
            services.record_current_living_situation(sandbox_session, ws, e, contact, now=clock.now)
        return
    row = services.record_current_living_situation(sandbox_session, ws, e, contact, now=clock.now)
    assert row.CurrentLivingSituation == 116 and row.EnrollmentID == e.EnrollmentID


def test_current_living_situation_with_a_code_hud_does_not_define_is_refused(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    outreach = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws, hud.SO), START, now=clock.now)
    with pytest.raises(ValidationFailed, match="not one of HUD's answers"):
        services.record_current_living_situation(sandbox_session, ws, outreach, {
            "InformationDate": START_DATE, "CurrentLivingSituation": 555}, now=clock.now)


def test_move_in_date_in_permanent_housing_within_the_stay(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws, hud.RRH),
                        {**START, "DateToStreetESSH": date(2026, 1, 1)}, now=clock.now)
    with pytest.raises(ValidationFailed, match="before the project start"):
        services.set_move_in(sandbox_session, ws, e, START_DATE - timedelta(days=1), now=clock.now)
    services.set_move_in(sandbox_session, ws, e, clock.now.date(), now=clock.now)
    assert e.MoveInDate == clock.now.date()


# --- dates HUD's format carries: from 1900 to today ---------------------------------------------

def test_record_release_signed_before_1900_is_refused(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, consent=None)
    with pytest.raises(ValidationFailed, match="before 01/01/1900"):
        services.record_roi(sandbox_session, ws, c, consented=True, signed_on=date(1, 1, 1), documentation="signed",
                            now=clock.now)


def test_move_in_date_in_the_future_is_refused_while_the_stay_is_open(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws, hud.RRH), START, now=clock.now)
    with pytest.raises(ValidationFailed, match="in the future"):
        services.set_move_in(sandbox_session, ws, e, date(9999, 12, 31), now=clock.now)


def test_update_dated_in_the_future_is_refused_while_the_stay_is_open(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed, match="in the future"):
        services.record_assessment(sandbox_session, ws, e, hud.STAGE_UPDATE, information_date=date(9999, 1, 1),
                                   income=INCOME, disabilities=NO_DISABILITIES,
                                   health={"DomesticViolenceSurvivor": 0}, now=clock.now)


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1e400"])
def test_assessment_with_a_non_finite_amount_is_refused_not_an_error(sandbox_session, ws, clock, amount):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed) as exc:
        services.record_assessment(sandbox_session, ws, e, hud.STAGE_ENTRY, information_date=START_DATE,
                                   income={**INCOME, "EarnedAmount": amount, "TotalMonthlyIncome": amount},
                                   disabilities=NO_DISABILITIES, health={"DomesticViolenceSurvivor": 0}, now=clock.now)
    assert {"EarnedAmount", "TotalMonthlyIncome"} <= {p.field for p in exc.value.problems}


def test_assessment_amounts_are_stored_as_read_by_the_shared_money_rule(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws), START, now=clock.now)
    a = services.record_assessment(sandbox_session, ws, e, hud.STAGE_ENTRY, information_date=START_DATE,
                                   income={**INCOME, "EarnedAmount": "$1,450", "TotalMonthlyIncome": "1450.0"},
                                   disabilities=NO_DISABILITIES, health={"DomesticViolenceSurvivor": 0}, now=clock.now)
    assert a.income.EarnedAmount == a.income.TotalMonthlyIncome == Decimal("1450.00")
