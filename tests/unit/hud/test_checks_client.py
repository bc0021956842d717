"""HUD's rules for a client record (lms.hud.checks.check_client): names, SSN, date of birth, race, veteran status."""

from datetime import date

import pytest

from lms.hud import checks as rules
from tests.unit.hud.answers import CHILD_DOB, TODAY, fields, good_client


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


@pytest.mark.parametrize("quality", [8, 9, 99])
def test_dob_present_with_any_missing_quality_is_refused(quality):
    problems = rules.check_client(good_client(DOBDataQuality=quality), today=TODAY)
    assert fields(problems) == {"DOBDataQuality"}
    assert "Date of birth quality" in problems[0].message


def test_approximate_dob_with_a_date_is_accepted():
    assert rules.check_client(good_client(DOBDataQuality=2), today=TODAY) == []


def test_veteran_child_check_uses_age_on_today():
    turns_18_today = date(2008, 11, 2)
    assert rules.check_client(good_client(DOB=turns_18_today, VeteranStatus=1), today=TODAY) == []
    assert "VeteranStatus" in fields(rules.check_client(good_client(DOB=date(2008, 11, 3), VeteranStatus=1),
                                                        today=TODAY))


def test_empty_client_reports_every_missing_answer_once_each_on_its_field():
    problems = rules.check_client({}, today=TODAY)
    by_field = [p.field for p in problems]
    assert sorted(by_field) == sorted({"NameDataQuality", "SSNDataQuality", "DOBDataQuality", "RaceNone"})


def test_full_name_quality_without_any_name_is_one_problem():
    problems = rules.check_client(good_client(FirstName="", LastName=""), today=TODAY)
    assert [p.field for p in problems] == ["FirstName"]


def test_full_name_quality_with_only_a_first_name_asks_for_the_last_name():
    assert [p.field for p in rules.check_client(good_client(LastName=""), today=TODAY)] == ["LastName"]
