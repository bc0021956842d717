"""HUD's entry rules (lms.hud.checks): every cross-field and date rule both ways, money, texts and ids."""

from datetime import date
from decimal import Decimal

import pytest

import lms.hud as hud
from lms.hud import checks as rules

START = date(2026, 10, 1)
TODAY = date(2026, 11, 2)
ADULT_DOB = date(1980, 5, 17)
CHILD_DOB = date(2015, 3, 3)


def fields(problems):
    return {p.field for p in problems}


def good_client(**kw):
    c = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
         "DOB": ADULT_DOB, "DOBDataQuality": 1, "Sex": 0, "White": 1, "RaceNone": None, "VeteranStatus": 0}
    c.update(kw)
    return c


def good_enrollment(**kw):
    e = {"EntryDate": START, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
         "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
         "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}
    e.update(kw)
    return e


# --- client -------------------------------------------------------------------------------

def test_good_client_passes():
    assert rules.check_client(good_client(), today=TODAY) == []


def test_dob_present_with_quality_not_collected_is_refused_and_absent_is_fine():
    assert "DOBDataQuality" in fields(rules.check_client(good_client(DOBDataQuality=99), today=TODAY))
    assert rules.check_client(good_client(DOB=None, DOBDataQuality=99), today=TODAY) == []


def test_missing_dob_with_quality_full_is_refused():
    assert "DOB" in fields(rules.check_client(good_client(DOB=None, DOBDataQuality=1), today=TODAY))


def test_future_or_ancient_dob_is_refused():
    assert "DOB" in fields(rules.check_client(good_client(DOB=date(2027, 1, 1)), today=TODAY))
    assert "DOB" in fields(rules.check_client(good_client(DOB=date(1900, 1, 1)), today=TODAY))


def test_partial_ssn_written_with_x_needs_partial_quality():
    assert rules.check_client(good_client(SSN="xxxxx6789", SSNDataQuality=2), today=TODAY) == []
    assert "SSNDataQuality" in fields(rules.check_client(good_client(SSN="xxxxx6789", SSNDataQuality=1), today=TODAY))


@pytest.mark.parametrize("ssn", ["12345678", "12345678X", "abcdefghi", "000123456"])
def test_malformed_or_impossible_ssn_is_refused(ssn):
    assert "SSN" in fields(rules.check_client(good_client(SSN=ssn), today=TODAY))


def test_full_name_quality_needs_first_and_last_name():
    assert "FirstName" in fields(rules.check_client(good_client(FirstName=""), today=TODAY))
    assert rules.check_client(good_client(FirstName="", LastName="", NameDataQuality=9), today=TODAY) == []


def test_race_answers_and_none_answers_are_exclusive_and_one_is_needed():
    assert "RaceNone" in fields(rules.check_client(good_client(RaceNone=8), today=TODAY))
    assert "RaceNone" in fields(rules.check_client(good_client(White=0), today=TODAY))
    assert rules.check_client(good_client(White=0, RaceNone=9), today=TODAY) == []


def test_child_cannot_be_a_veteran():
    assert "VeteranStatus" in fields(rules.check_client(good_client(DOB=CHILD_DOB, VeteranStatus=1), today=TODAY))
    assert rules.check_client(good_client(VeteranStatus=1), today=TODAY) == []


def test_codes_outside_hud_lists_are_refused():
    assert "Sex" in fields(rules.check_client(good_client(Sex=5), today=TODAY))


# --- households ---------------------------------------------------------------------------

def test_household_needs_exactly_one_head():
    assert rules.check_household([1, 2, 3]) == []
    assert "RelationshipToHoH" in fields(rules.check_household([1, 1]))
    assert "RelationshipToHoH" in fields(rules.check_household([2, 3]))


# --- enrollment ---------------------------------------------------------------------------

def test_good_shelter_enrollment_passes():
    assert rules.check_enrollment(good_enrollment(), project_type=hud.ES_EE, dob=ADULT_DOB, is_hoh=True) == []


def test_dob_after_start_date_is_refused():
    problems = rules.check_enrollment(good_enrollment(), project_type=hud.ES_EE, dob=date(2026, 10, 5), is_hoh=True)
    assert "EntryDate" in fields(problems)


def test_hoh_needs_enrollment_coc():
    problems = rules.check_enrollment(good_enrollment(EnrollmentCoC=None), project_type=hud.ES_EE, dob=ADULT_DOB,
                                      is_hoh=True)
    assert "EnrollmentCoC" in fields(problems)
    assert rules.check_enrollment(good_enrollment(EnrollmentCoC=None, RelationshipToHoH=3), project_type=hud.ES_EE,
                                  dob=ADULT_DOB, is_hoh=False) == []


def test_adult_only_prior_living_situation_on_a_child_is_refused():
    child = good_enrollment(RelationshipToHoH=2, EnrollmentCoC=None)
    assert "LivingSituation" in fields(rules.check_enrollment(child, project_type=hud.ES_EE, dob=CHILD_DOB, is_hoh=False))
    blank = {k: v for k, v in child.items() if k in ("EntryDate", "RelationshipToHoH", "DisablingCondition")}
    assert rules.check_enrollment(blank, project_type=hud.ES_EE, dob=CHILD_DOB, is_hoh=False) == []


def test_3917a_asks_homeless_history_straight_away():
    e = good_enrollment(LivingSituation=410, LengthOfStay=5, TimesHomelessPastThreeYears=None)
    assert "TimesHomelessPastThreeYears" in fields(rules.check_enrollment(e, project_type=hud.SO, dob=ADULT_DOB,
                                                                         is_hoh=True))


@pytest.mark.parametrize("project_type", sorted(hud.PRIOR_LIVING_A))
@pytest.mark.parametrize("question", ["LOSUnderThreshold", "PreviousStreetESSH"])
@pytest.mark.parametrize("answer", [0, 1, 99])
def test_3917a_refuses_the_break_questions(project_type, question, answer):
    problems = rules.check_enrollment(good_enrollment(**{question: answer}), project_type=project_type, dob=ADULT_DOB,
                                      is_hoh=True)
    assert fields(problems) == {question} and "3.917A" in problems[0].message


@pytest.mark.parametrize("project_type", sorted(set(hud.PROJECT_TYPES) - hud.PRIOR_LIVING_A))
def test_3917b_takes_the_break_questions(project_type):
    e = good_enrollment(LivingSituation=336, LengthOfStay=11, LOSUnderThreshold=1, PreviousStreetESSH=1)
    assert rules.check_enrollment(e, project_type=project_type, dob=ADULT_DOB, is_hoh=True) == []


def test_3917b_long_stay_in_housing_is_a_break_and_stops_the_questions():
    e = good_enrollment(LivingSituation=410, LengthOfStay=4, LOSUnderThreshold=0, DateToStreetESSH=None,
                        TimesHomelessPastThreeYears=None, MonthsHomelessPastThreeYears=None)
    assert rules.check_enrollment(e, project_type=hud.PSH, dob=ADULT_DOB, is_hoh=True) == []
    e["TimesHomelessPastThreeYears"] = 2
    assert "TimesHomelessPastThreeYears" in fields(rules.check_enrollment(e, project_type=hud.PSH, dob=ADULT_DOB,
                                                                         is_hoh=True))


def test_3917b_length_of_stay_and_threshold_must_agree():
    e = good_enrollment(LivingSituation=410, LengthOfStay=4, LOSUnderThreshold=1, PreviousStreetESSH=0,
                        DateToStreetESSH=None, TimesHomelessPastThreeYears=None, MonthsHomelessPastThreeYears=None)
    assert "LOSUnderThreshold" in fields(rules.check_enrollment(e, project_type=hud.TH, dob=ADULT_DOB, is_hoh=True))


def test_3917b_short_stay_then_street_yes_asks_history():
    e = good_enrollment(LivingSituation=336, LengthOfStay=11, LOSUnderThreshold=1, PreviousStreetESSH=1,
                        TimesHomelessPastThreeYears=None)
    assert "TimesHomelessPastThreeYears" in fields(rules.check_enrollment(e, project_type=hud.RRH, dob=ADULT_DOB,
                                                                         is_hoh=True))


def test_rental_with_subsidy_needs_subsidy_type_and_only_then():
    e = good_enrollment(LivingSituation=435, LengthOfStay=10, LOSUnderThreshold=1, PreviousStreetESSH=1)
    assert "RentalSubsidyType" in fields(rules.check_enrollment(e, project_type=hud.ES_EE, dob=ADULT_DOB, is_hoh=True))
    assert "RentalSubsidyType" in fields(rules.check_enrollment(good_enrollment(RentalSubsidyType=431),
                                                               project_type=hud.ES_EE, dob=ADULT_DOB, is_hoh=True))


def test_move_in_date_rules():
    ok = rules.check_move_in(date(2026, 10, 10), project_type=hud.RRH, start=START, exit_date=None, is_hoh=True)
    assert ok == []
    assert rules.check_move_in(date(2026, 9, 1), project_type=hud.RRH, start=START, exit_date=None, is_hoh=True)
    assert rules.check_move_in(date(2026, 10, 20), project_type=hud.RRH, start=START, exit_date=date(2026, 10, 15),
                               is_hoh=True)
    assert rules.check_move_in(date(2026, 10, 10), project_type=hud.ES_EE, start=START, exit_date=None, is_hoh=True)
    assert rules.check_move_in(date(2026, 10, 10), project_type=hud.PSH, start=START, exit_date=None, is_hoh=False)


# --- exit -----------------------------------------------------------------------------------

def test_exit_before_start_is_refused_and_on_or_after_is_fine():
    assert "ExitDate" in fields(rules.check_exit({"ExitDate": date(2026, 9, 30), "Destination": 410}, start=START,
                                                 move_in=None, today=TODAY))
    assert rules.check_exit({"ExitDate": START, "Destination": 410}, start=START, move_in=None, today=TODAY) == []


def test_exit_before_move_in_is_refused():
    assert "ExitDate" in fields(rules.check_exit({"ExitDate": date(2026, 10, 5), "Destination": 410}, start=START,
                                                 move_in=date(2026, 10, 9), today=TODAY))


def test_destination_435_needs_subsidy_type_and_others_must_not_have_one():
    assert "DestinationSubsidyType" in fields(rules.check_exit({"ExitDate": TODAY, "Destination": 435}, start=START,
                                                               move_in=None, today=TODAY))
    assert rules.check_exit({"ExitDate": TODAY, "Destination": 435, "DestinationSubsidyType": 439}, start=START,
                            move_in=None, today=TODAY) == []
    assert "DestinationSubsidyType" in fields(rules.check_exit(
        {"ExitDate": TODAY, "Destination": 410, "DestinationSubsidyType": 439}, start=START, move_in=None, today=TODAY))


# --- income, benefits, insurance ------------------------------------------------------------

def test_income_any_source_no_with_a_source_yes_is_refused_and_the_reverse():
    assert "IncomeFromAnySource" in fields(rules.check_income_benefits(
        {"IncomeFromAnySource": 0, "Earned": 1, "EarnedAmount": "500.00", "TotalMonthlyIncome": "500.00"}))
    assert "IncomeFromAnySource" in fields(rules.check_income_benefits({"IncomeFromAnySource": 1}))
    assert rules.check_income_benefits({"IncomeFromAnySource": 1, "Earned": 1, "EarnedAmount": "500.00",
                                        "TotalMonthlyIncome": "500.00", "InsuranceFromAnySource": 0}) == []


def test_amounts_must_add_up_to_the_total():
    ib = {"IncomeFromAnySource": 1, "Earned": 1, "EarnedAmount": "500.00", "SSI": 1, "SSIAmount": "943.00",
          "TotalMonthlyIncome": "1400.00"}
    assert "TotalMonthlyIncome" in fields(rules.check_income_benefits(ib))
    ib["TotalMonthlyIncome"] = "1443.00"
    assert rules.check_income_benefits(ib) == []


def test_amount_for_a_source_not_marked_yes_is_refused():
    assert "SSIAmount" in fields(rules.check_income_benefits({"IncomeFromAnySource": 0, "SSIAmount": "10.00",
                                                              "TotalMonthlyIncome": "10.00"}))


def test_benefits_and_insurance_any_source_agree_with_their_sources():
    assert "BenefitsFromAnySource" in fields(rules.check_income_benefits({"BenefitsFromAnySource": 0, "SNAP": 1}))
    assert "InsuranceFromAnySource" in fields(rules.check_income_benefits({"InsuranceFromAnySource": 1}))
    assert rules.check_income_benefits({"BenefitsFromAnySource": 1, "SNAP": 1, "InsuranceFromAnySource": 1,
                                        "Medicaid": 1}) == []


def test_income_on_a_child_is_refused():
    assert "IncomeFromAnySource" in fields(rules.check_income_benefits({"IncomeFromAnySource": 0},
                                                                       is_adult_or_hoh=False))


# --- disabilities and DV --------------------------------------------------------------------

def test_long_term_disability_with_disabling_condition_no_is_refused():
    rows = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}
    rows[9] = {"DisabilityResponse": 1, "IndefiniteAndImpairs": 1}
    assert "Disability9" in fields(rules.check_disabilities(rows, disabling_condition=0))
    assert rules.check_disabilities(rows, disabling_condition=1) == []


def test_substance_use_answers_come_from_its_own_list():
    rows = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}
    rows[10] = {"DisabilityResponse": 3, "IndefiniteAndImpairs": 0}
    assert rules.check_disabilities(rows, disabling_condition=0) == []
    rows[5] = {"DisabilityResponse": 3}
    assert "Disability5" in fields(rules.check_disabilities(rows, disabling_condition=0))


def test_dv_follow_ups_only_for_survivors():
    assert "WhenOccurred" in fields(rules.check_health_and_dv({"DomesticViolenceSurvivor": 1}))
    assert "WhenOccurred" in fields(rules.check_health_and_dv({"DomesticViolenceSurvivor": 0, "WhenOccurred": 1}))
    assert rules.check_health_and_dv({"DomesticViolenceSurvivor": 1, "WhenOccurred": 2, "CurrentlyFleeing": 0}) == []


def test_information_date_matches_the_stage():
    assert rules.check_information_date(START, stage=1, start=START, exit_date=None) == []
    assert rules.check_information_date(date(2026, 10, 2), stage=1, start=START, exit_date=None)
    assert rules.check_information_date(date(2026, 10, 9), stage=3, start=START, exit_date=date(2026, 10, 10))
    assert rules.check_information_date(date(2026, 9, 9), stage=2, start=START, exit_date=None)


@pytest.mark.parametrize(("information_date", "ok"), [
    (date(2027, 9, 1), True), (date(2027, 10, 31), True), (date(2027, 8, 31), False), (date(2027, 11, 1), False),
    (date(2027, 3, 1), False), (date(2028, 10, 20), True)])
def test_annual_information_date_must_fall_within_30_days_of_an_anniversary(information_date, ok):
    problems = rules.check_information_date(information_date, stage=hud.STAGE_ANNUAL, start=START, exit_date=None)
    assert (problems == []) == ok
    if not ok:
        assert fields(problems) == {"InformationDate"} and "anniversary" in problems[0].message


def test_update_information_date_needs_no_anniversary():
    assert rules.check_information_date(date(2027, 3, 1), stage=hud.STAGE_UPDATE, start=START, exit_date=None) == []


def test_annual_information_date_after_the_exit_is_outside_the_stay_first():
    problems = rules.check_information_date(date(2027, 10, 1), stage=hud.STAGE_ANNUAL, start=START,
                                            exit_date=date(2027, 9, 1))
    assert [p.message for p in problems] == ["Information date: it must fall within the client's stay."]


# --- one stage's answers as a form sends them ------------------------------------------------

def test_income_answers_of_an_adult_need_each_any_source_answer():
    values, problems = rules.income_answers({}, required={"4.02", "4.03", "4.04"}, is_adult_or_hoh=True)
    assert fields(problems) == {"IncomeFromAnySource", "BenefitsFromAnySource", "InsuranceFromAnySource"}


def test_income_answers_read_amounts_and_clean_texts():
    values, problems = rules.income_answers(
        {"IncomeFromAnySource": 1, "Earned": 1, "EarnedAmount": "$1,200", "TotalMonthlyIncome": "1200",
         "BenefitsFromAnySource": 0, "InsuranceFromAnySource": 0, "OtherIncomeSourceIdentify": " \u200bgigs "},
        required={"4.02", "4.03", "4.04"}, is_adult_or_hoh=True)
    assert problems == []
    assert values["EarnedAmount"] == Decimal("1200.00") and values["OtherIncomeSourceIdentify"] == "gigs"


def test_income_answers_of_a_child_refuse_income_and_keep_only_insurance():
    values, problems = rules.income_answers({"IncomeFromAnySource": 0, "InsuranceFromAnySource": 1, "Medicaid": 1},
                                            required={"4.04"}, is_adult_or_hoh=False)
    assert "IncomeFromAnySource" in fields(problems) and "IncomeFromAnySource" not in values
    values, problems = rules.income_answers({"InsuranceFromAnySource": 1, "Medicaid": 1}, required={"4.04"},
                                            is_adult_or_hoh=False)
    assert problems == [] and values == {"InsuranceFromAnySource": 1, "Medicaid": 1}


def test_income_answers_where_none_is_asked_are_refused_and_blank_is_fine():
    assert fields(rules.income_answers({"IncomeFromAnySource": 0}, required={"3.11"}, is_adult_or_hoh=True)[1]) == {
        "IncomeFromAnySource"}
    assert rules.income_answers({"IncomeFromAnySource": None}, required=set(), is_adult_or_hoh=True) == ({}, [])


def test_health_answers_are_checked_where_asked_and_refused_elsewhere():
    assert "DomesticViolenceSurvivor" in fields(rules.health_answers({}, required={"4.11"}))
    assert "DomesticViolenceSurvivor" in fields(rules.health_answers({"DomesticViolenceSurvivor": 0}, required={"4.02"}))
    assert rules.health_answers({"DomesticViolenceSurvivor": None}, required={"4.02"}) == []


def contact(**kw):
    return {"InformationDate": date(2026, 10, 20), "CurrentLivingSituation": 116, **kw}


@pytest.mark.parametrize(("project_type", "funders", "ok"), [
    (hud.SO, (), True), (hud.ES_NBN, (), True), (hud.CE, (), True), (hud.SSO, (), True),
    (hud.TH, (24,), True), (hud.TH, (), False), (hud.ES_EE, (2,), False), (hud.PSH, (), False)])
def test_contact_answers_only_where_the_project_records_contacts(project_type, funders, ok):
    _, problems = rules.contact_answers(contact(), project_type=project_type, funders=funders, entry_date=START,
                                        today=TODAY, is_hoh=True, is_adult=True)
    assert (problems == []) == ok


@pytest.mark.parametrize("when", [date(2026, 9, 30), date(2026, 11, 3), None])
def test_contact_answers_date_within_the_stay_and_not_in_the_future(when):
    _, problems = rules.contact_answers(contact(InformationDate=when), project_type=hud.SO, entry_date=START,
                                        today=TODAY, is_hoh=True, is_adult=True)
    assert fields(problems) == {"InformationDate"}


def test_contact_answers_after_the_exit_are_refused():
    _, problems = rules.contact_answers(contact(), project_type=hud.SO, entry_date=START, exit_date=date(2026, 10, 10),
                                        today=TODAY, is_hoh=True, is_adult=True)
    assert fields(problems) == {"InformationDate"}


def test_contact_answers_of_a_child_member_are_refused_and_need_a_situation():
    _, problems = rules.contact_answers(contact(CurrentLivingSituation=None), project_type=hud.SO, entry_date=START,
                                        today=TODAY, is_hoh=False, is_adult=False)
    assert [p.field for p in problems] == ["CurrentLivingSituation", "CurrentLivingSituation"]
    assert "adults and heads of household" in problems[0].message


# --- the other way round and the edges of each cross-field rule ----------------------------------

def test_dob_on_the_start_date_is_accepted_and_a_day_later_is_refused():
    assert rules.check_enrollment(good_enrollment(RelationshipToHoH=2, EnrollmentCoC=None, LivingSituation=None,
                                                  LengthOfStay=None, DateToStreetESSH=None,
                                                  TimesHomelessPastThreeYears=None, MonthsHomelessPastThreeYears=None),
                                  project_type=hud.ES_EE, dob=START, is_hoh=False) == []
    later = rules.check_enrollment(good_enrollment(), project_type=hud.ES_EE, dob=date(2026, 10, 2), is_hoh=True)
    assert [p.message for p in later if p.field == "EntryDate"] == [
        "Project start date: it is before the client's date of birth."]


@pytest.mark.parametrize("quality", [8, 9, 99])
def test_dob_present_with_any_missing_quality_is_refused(quality):
    problems = rules.check_client(good_client(DOBDataQuality=quality), today=TODAY)
    assert fields(problems) == {"DOBDataQuality"}
    assert "Date of birth quality" in problems[0].message


def test_approximate_dob_with_a_date_is_accepted():
    assert rules.check_client(good_client(DOBDataQuality=2), today=TODAY) == []


def test_3917a_with_homeless_history_answered_is_accepted():
    e = good_enrollment(LivingSituation=410, LengthOfStay=5)
    assert rules.check_enrollment(e, project_type=hud.SO, dob=ADULT_DOB, is_hoh=True) == []


def test_3917b_short_stay_not_on_streets_must_leave_history_blank():
    e = good_enrollment(LivingSituation=336, LengthOfStay=11, LOSUnderThreshold=1, PreviousStreetESSH=0)
    assert "DateToStreetESSH" in fields(rules.check_enrollment(e, project_type=hud.TH, dob=ADULT_DOB, is_hoh=True))
    blank = good_enrollment(LivingSituation=336, LengthOfStay=11, LOSUnderThreshold=1, PreviousStreetESSH=0,
                            DateToStreetESSH=None, TimesHomelessPastThreeYears=None, MonthsHomelessPastThreeYears=None)
    assert rules.check_enrollment(blank, project_type=hud.TH, dob=ADULT_DOB, is_hoh=True) == []


def test_homeless_episode_start_after_project_start_is_refused():
    e = good_enrollment(DateToStreetESSH=date(2026, 10, 2))
    assert "DateToStreetESSH" in fields(rules.check_enrollment(e, project_type=hud.ES_EE, dob=ADULT_DOB, is_hoh=True))


def test_move_in_on_the_start_or_exit_date_is_inside_the_stay():
    assert rules.check_move_in(START, project_type=hud.PSH, start=START, exit_date=None, is_hoh=True) == []
    assert rules.check_move_in(date(2026, 10, 15), project_type=hud.PSH, start=START, exit_date=date(2026, 10, 15),
                               is_hoh=True) == []
    assert rules.check_move_in(date(2026, 10, 16), project_type=hud.PSH, start=START, exit_date=date(2026, 10, 15),
                               is_hoh=True)[0].field == "MoveInDate"


def test_exit_in_the_future_is_refused():
    assert "ExitDate" in fields(rules.check_exit({"ExitDate": date(2026, 11, 3), "Destination": 410}, start=START,
                                                 move_in=None, today=TODAY))


def test_exit_on_or_after_move_in_is_accepted():
    assert rules.check_exit({"ExitDate": date(2026, 10, 9), "Destination": 410}, start=START,
                            move_in=date(2026, 10, 9), today=TODAY) == []


def test_other_destination_needs_its_description_and_then_passes():
    assert "OtherDestination" in fields(rules.check_exit({"ExitDate": TODAY, "Destination": 17}, start=START,
                                                         move_in=None, today=TODAY))
    assert rules.check_exit({"ExitDate": TODAY, "Destination": 17, "OtherDestination": "Boat"}, start=START,
                            move_in=None, today=TODAY) == []


def test_destination_code_hud_does_not_define_is_refused():
    assert "Destination" in fields(rules.check_exit({"ExitDate": TODAY, "Destination": 999}, start=START,
                                                    move_in=None, today=TODAY))


@pytest.mark.parametrize("answer", [8, 9, 99])
def test_income_doesnt_know_with_a_source_yes_is_refused(answer):
    problems = rules.check_income_benefits({"IncomeFromAnySource": answer, "Earned": 1, "EarnedAmount": "5.00",
                                            "TotalMonthlyIncome": "5.00"})
    assert "IncomeFromAnySource" in fields(problems)


def test_income_no_with_no_sources_is_accepted():
    assert rules.check_income_benefits({"IncomeFromAnySource": 0, "BenefitsFromAnySource": 0,
                                        "InsuranceFromAnySource": 0}) == []


def test_source_yes_without_an_amount_is_refused():
    problems = rules.check_income_benefits({"IncomeFromAnySource": 1, "SSI": 1, "TotalMonthlyIncome": "0"})
    assert "SSIAmount" in fields(problems)


@pytest.mark.parametrize("amount", ["-5.00", "lots"])
def test_negative_or_non_numeric_amount_is_refused(amount):
    problems = rules.check_income_benefits({"IncomeFromAnySource": 1, "Earned": 1, "EarnedAmount": amount,
                                            "TotalMonthlyIncome": "5.00"})
    assert "EarnedAmount" in fields(problems)


def test_non_cash_yes_with_no_benefit_is_refused():
    assert "BenefitsFromAnySource" in fields(rules.check_income_benefits({"BenefitsFromAnySource": 1}))


def test_insurance_no_with_a_source_yes_is_refused():
    problems = rules.check_income_benefits({"InsuranceFromAnySource": 0, "Medicaid": 1})
    assert [p.field for p in problems] == ["InsuranceFromAnySource"]
    assert "Medicaid" in problems[0].message


def test_insurance_may_be_recorded_for_a_child_but_income_may_not():
    assert rules.check_income_benefits({"InsuranceFromAnySource": 1, "Medicaid": 1}, is_adult_or_hoh=False) == []
    assert "IncomeFromAnySource" in fields(rules.check_income_benefits({"BenefitsFromAnySource": 0},
                                                                       is_adult_or_hoh=False))


def test_disability_yes_needs_long_term_answer_and_no_must_not_have_one():
    rows = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}
    rows[5] = {"DisabilityResponse": 1}
    assert "Indefinite5" in fields(rules.check_disabilities(rows, disabling_condition=1))
    rows[5] = {"DisabilityResponse": 0, "IndefiniteAndImpairs": 1}
    assert "Indefinite5" in fields(rules.check_disabilities(rows, disabling_condition=0))


def test_developmental_disability_is_disabling_without_the_long_term_question():
    rows = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}
    rows[6] = {"DisabilityResponse": 1}
    assert "Disability6" in fields(rules.check_disabilities(rows, disabling_condition=0))
    assert rules.check_disabilities(rows, disabling_condition=1) == []


def test_veteran_child_check_uses_age_on_today():
    turns_18_today = date(2008, 11, 2)
    assert rules.check_client(good_client(DOB=turns_18_today, VeteranStatus=1), today=TODAY) == []
    assert "VeteranStatus" in fields(rules.check_client(good_client(DOB=date(2008, 11, 3), VeteranStatus=1),
                                                        today=TODAY))


# --- shared input rules: text, money, ids, dates, required answers ----------------------------

@pytest.mark.parametrize("typed", ["Ana\x00", "A\x1fna", "An\x7fa", "An\x85a", "Ana\nDiaz", "Ana\tDiaz", "\x9bAna"])
def test_clean_text_with_a_control_character_is_refused_naming_it(typed):
    value, problems = rules.clean_text(typed, field="FirstName", limit=50)
    assert value is None and len(problems) == 1
    assert problems[0].field == "FirstName" and "control character (U+" in problems[0].message


@pytest.mark.parametrize("typed", ["\u200bAna", "A\u200dna", "\ufeffAna", "Ana\u202e", "\u2066Ana\u2069"])
def test_clean_text_drops_format_characters(typed):
    assert rules.clean_text(typed, field="FirstName", limit=50) == ("Ana", [])


def test_clean_text_longer_than_the_column_is_refused_after_trimming():
    assert rules.clean_text("  " + "a" * 50 + "  ", field="FirstName", limit=50) == ("a" * 50, [])
    value, problems = rules.clean_text("a" * 51, field="FirstName", limit=50)
    assert value is None and "at most 50 characters" in problems[0].message


def test_clean_texts_uses_the_hud_column_lengths_and_leaves_codes_alone():
    values, problems = rules.clean_texts({"FirstName": " Ana ", "SSN": "1234567890", "NameDataQuality": 1},
                                         "Client.csv")
    assert values["FirstName"] == "Ana" and values["NameDataQuality"] == 1
    assert [p.field for p in problems] == ["SSN"] and "at most 9" in problems[0].message


@pytest.mark.parametrize("typed", ["NaN", "nan", "-NaN", "sNaN", "-sNaN", "Infinity", "-infinity", "+Inf", "inf",
                                   "1e3", "-5.00", "1.234", "0x10", "1,2,3", "\u0664\u0665\u0660"])
def test_parse_money_refuses_what_is_not_a_plain_amount(typed):
    value, problems = rules.parse_money(typed, field="EarnedAmount")
    assert value is None and [p.field for p in problems] == ["EarnedAmount"]


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_parse_money_refuses_a_non_finite_decimal(typed):
    from decimal import Decimal

    assert rules.parse_money(Decimal(typed), field="EarnedAmount")[0] is None


def test_parse_money_of_a_blank_is_no_answer():
    assert rules.parse_money("  ", field="EarnedAmount") == (None, [])


def test_parse_money_refuses_more_digits_than_the_column_holds():
    assert rules.parse_money("9999999999.99", field="TotalMonthlyIncome")[1] == []
    value, problems = rules.parse_money("10000000000", field="TotalMonthlyIncome")
    assert value is None and "too large" in problems[0].message


@pytest.mark.parametrize("typed, amount", [("450", "450.00"), ("$1,234.5", "1234.50"), (" 0.5 ", "0.50"),
                                           (".75", "0.75"), ("$ 12", "12.00")])
def test_parse_money_reads_dollars_commas_and_cents(typed, amount):
    from decimal import Decimal

    assert rules.parse_money(typed, field="EarnedAmount") == (Decimal(amount), [])


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_income_with_a_non_finite_amount_is_a_problem_not_an_error(amount):
    problems = rules.check_income_benefits({"IncomeFromAnySource": 1, "Earned": 1, "EarnedAmount": amount,
                                            "TotalMonthlyIncome": amount})
    assert {"EarnedAmount", "TotalMonthlyIncome"} <= fields(problems)


@pytest.mark.parametrize("record_id", ["x" * 33, "a\x00b", "../etc", "ab cd", "é", ""])
def test_record_id_of_the_wrong_shape_is_refused(record_id):
    assert fields(rules.check_record_id(record_id)) == {"record_id"}


def test_record_id_as_the_sandbox_makes_them_is_accepted():
    assert rules.check_record_id("0123456789abcdef0123456789abcdef") == []
    assert rules.check_record_id(None) == []


@pytest.mark.parametrize("when, message", [(date(1, 1, 1), "before 01/01/1900"), (date(1899, 12, 31), "before"),
                                           (date(9999, 12, 31), "in the future"), (date(2026, 11, 3), "future")])
def test_dates_before_1900_or_in_the_future_are_refused(when, message):
    problems = rules.check_dates({"EntryDate": when}, ["EntryDate"], today=TODAY)
    assert fields(problems) == {"EntryDate"} and message in problems[0].message


def test_empty_client_reports_every_missing_answer_once_each_on_its_field():
    problems = rules.check_client({}, today=TODAY)
    by_field = [p.field for p in problems]
    assert sorted(by_field) == sorted({"NameDataQuality", "SSNDataQuality", "DOBDataQuality", "RaceNone"})


def test_full_name_quality_without_any_name_is_one_problem():
    problems = rules.check_client(good_client(FirstName="", LastName=""), today=TODAY)
    assert [p.field for p in problems] == ["FirstName"]


def test_full_name_quality_with_only_a_first_name_asks_for_the_last_name():
    assert [p.field for p in rules.check_client(good_client(LastName=""), today=TODAY)] == ["LastName"]


def test_enrollment_without_a_start_date_still_reports_the_other_answers():
    problems = rules.check_enrollment({"RelationshipToHoH": 1}, project_type=hud.ES_EE, dob=ADULT_DOB, is_hoh=True)
    assert {"EntryDate", "DisablingCondition", "EnrollmentCoC", "LivingSituation"} <= fields(problems)
