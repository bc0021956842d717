"""HUD's rules for a 4.12 current living situation contact (lms.hud.checks.contact_answers)."""

from datetime import date

import pytest

import lms.hud as hud
from lms.hud import checks as rules
from tests.unit.hud.answers import START, TODAY, fields


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
