"""The input rules every HUD form shares (lms.hud.checks): text, money, record ids and dates."""

from datetime import date

import pytest

from lms.hud import checks as rules
from tests.unit.hud.answers import TODAY, fields


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
