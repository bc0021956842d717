"""The sandbox refuses what HUD's rules find: one ValidationFailed (a domain error) carrying every problem."""

import pytest

from lms.core.errors import InvalidInput
from lms.hud.checks import Problem
from sandbox import validation


def test_raise_if_carries_every_problem_as_a_domain_error():
    problems = [Problem("DOB", "Date of birth: enter it."), Problem("Sex", "Sex: 5 is not one of HUD's answers.")]
    with pytest.raises(validation.ValidationFailed) as info:
        validation.raise_if(problems)
    assert isinstance(info.value, InvalidInput)
    assert info.value.problems == problems and info.value.reasons == [p.message for p in problems]
    assert info.value.message == "2 answers need fixing before this can be saved."


def test_raise_if_without_problems_raises_nothing():
    assert validation.raise_if([]) is None


def test_the_same_problem_reported_twice_is_listed_once():
    twice = [Problem("SSN", "SSN: bad."), Problem("SSN", "SSN: bad.")]
    failed = validation.ValidationFailed(twice)
    assert failed.problems == twice[:1] and failed.message == "SSN: bad."


def test_the_sandbox_offers_hud_checks_under_their_own_names():
    from lms.hud import checks

    assert validation.check_enrollment is checks.check_enrollment and validation.ELEMENT_LABELS is checks.ELEMENT_LABELS
