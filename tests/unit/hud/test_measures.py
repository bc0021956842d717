"""HUD's data-quality measures (lms.hud.measures): APR question 6 definitions and the timeliness rule.

``tests/unit/sandbox/test_apr_q6.py`` checks the SQL built from them, cell by cell.
"""

import pytest

from lms.hud import measures as d


@pytest.mark.parametrize(("ssn", "conforms"), [
    ("123456780", True), ("000123456", False), ("666123456", False), ("912345678", False), ("123006789", False),
    ("123450000", False), ("111111111", False), ("123456789", False), ("1234567a9", False), (None, False)])
def test_ssn_conforms_to_the_ssa_rules(ssn, conforms):
    assert d.ssn_conforms(ssn) is conforms


@pytest.mark.parametrize(("days", "label"), [(-2, "< 0 days"), (0, "0 days"), (3, "1-3 days"), (4, "4-6 days"),
                                             (10, "7-10 days"), (11, "11+ days")])
def test_timeliness_buckets(days, label):
    assert d.timeliness_bucket(days).label == label


@pytest.mark.parametrize(("days", "meets"), [(-1, True), (0, True), (3, True), (4, False)])
def test_missouri_72_hour_rule_and_lateness_agree(days, meets):
    assert d.meets_missouri_rule(days) is meets
    assert (days > d.LATE_AFTER_DAYS) is not meets


@pytest.mark.parametrize(("dtype", "response", "indefinite", "disabling"), [
    (6, 1, None, True), (8, 1, None, True), (10, 3, 1, True), (10, 3, 0, False), (5, 1, 0, False), (5, 1, 1, True),
    (5, 0, 1, False)])
def test_disabling_condition_from_one_disability_answer(dtype, response, indefinite, disabling):
    assert d.disabling(dtype, response, indefinite) is disabling


@pytest.mark.parametrize(("code", "kind"), [(116, "homeless"), (204, "institution"), (410, "housing"),
                                            (None, "housing")])
def test_living_situation_kind(code, kind):
    assert d.living_situation_kind(code) == kind


def test_project_groups_and_rates():
    assert d.group_of(13).key == "ph" and d.group_of(7) is None
    assert d.percent(None) == "–" and d.percent(2 / 3) == "66.67%" and d.rate(1, 0) is None
