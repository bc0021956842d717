"""HUD's rules for an assessment (lms.hud.checks): income, benefits, insurance, disabilities, DV, information date,
and one stage's answers as a form sends them.
"""

from datetime import date
from decimal import Decimal

import pytest

import lms.hud as hud
from lms.hud import checks as rules
from tests.unit.hud.answers import START, fields


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
