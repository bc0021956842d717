"""HUD's rules for a project stay (lms.hud.checks): household, project start, 3.917, move-in and exit, both ways."""

from datetime import date

import pytest

import lms.hud as hud
from lms.hud import checks as rules
from tests.unit.hud.answers import ADULT_DOB, CHILD_DOB, START, TODAY, fields, good_enrollment


def test_household_needs_exactly_one_head():
    assert rules.check_household([1, 2, 3]) == []
    assert "RelationshipToHoH" in fields(rules.check_household([1, 1]))
    assert "RelationshipToHoH" in fields(rules.check_household([2, 3]))


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


def test_dob_on_the_start_date_is_accepted_and_a_day_later_is_refused():
    assert rules.check_enrollment(good_enrollment(RelationshipToHoH=2, EnrollmentCoC=None, LivingSituation=None,
                                                  LengthOfStay=None, DateToStreetESSH=None,
                                                  TimesHomelessPastThreeYears=None, MonthsHomelessPastThreeYears=None),
                                  project_type=hud.ES_EE, dob=START, is_hoh=False) == []
    later = rules.check_enrollment(good_enrollment(), project_type=hud.ES_EE, dob=date(2026, 10, 2), is_hoh=True)
    assert [p.message for p in later if p.field == "EntryDate"] == [
        "Project start date: it is before the client's date of birth."]


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


def test_enrollment_without_a_start_date_still_reports_the_other_answers():
    problems = rules.check_enrollment({"RelationshipToHoH": 1}, project_type=hud.ES_EE, dob=ADULT_DOB, is_hoh=True)
    assert {"EntryDate", "DisablingCondition", "EnrollmentCoC", "LivingSituation"} <= fields(problems)
