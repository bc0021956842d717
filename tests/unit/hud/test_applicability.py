"""Which element, for whom, at which stage or contact, in which project type, against the FY2026 data standards.

The expected table below is transcribed separately from ``hud-data-standards-fy2026.md`` (§4 Universal
Data Elements, §5 Program Specific Data Elements) so that a change to ``lms.hud.applicability.ELEMENTS``
that drifts from the standard fails here: every project type × every stage × every kind of person.
"""

import itertools
from datetime import date

import pytest

import lms.hud as hud
from lms.hud import applicability as rules
from lms.hud.labels import ELEMENT_LABELS

START, UPDATE, EXIT, ANNUAL = 1, 2, 3, 5
ALL_TYPES = sorted(hud.codes("ProjectType"))
PERMANENT_HOUSING = {3, 9, 10, 13}  # 3.20: "PH only: types 3, 9, 10, 13"
#: 4.02-4.10: CoC (not 6 or 14) or ESG (not night-by-night) or HOPWA/PATH (services only) fund every other type;
#: nothing funds them for night-by-night shelter (1), day shelter (11) or coordinated entry (14).
INCOME_TYPES = set(ALL_TYPES) - {1, 11, 14}
#: 4.11: as above, but "ESG all components" brings night-by-night shelter in.
DV_TYPES = set(ALL_TYPES) - {11, 14}
PEOPLE = {"adult head": (True, True), "adult member": (False, True), "child member": (False, False),
          "child head": (True, False)}


def expected(project_type: int, stage: int, is_hoh: bool, is_adult: bool) -> set[str]:
    adult_or_hoh = is_hoh or is_adult
    out: set[str] = set()
    if stage == START:
        out |= {"3.08", "3.10", "3.15"}                    # all clients, S
        if is_hoh:
            out.add("3.16")                                # HoH, S
        if adult_or_hoh:
            out.add("3.917")                               # HoH and adults, S
    if stage == EXIT:
        out |= {"3.11", "3.12"}                            # all clients, E
    if project_type in PERMANENT_HOUSING and is_hoh and stage in (START, UPDATE, EXIT):
        out.add("3.20")                                    # HoH, PH only
    if project_type in INCOME_TYPES:
        if adult_or_hoh:
            out |= {"4.02", "4.03"}                        # HoH and adults, S U A E
        out.add("4.04")                                    # all clients, S U A E
        if stage in (START, UPDATE, EXIT):
            out.add("4.05-4.10")                           # all clients, S U E (HUD does not require A)
    if project_type in DV_TYPES and adult_or_hoh and stage in (START, UPDATE):
        out.add("4.11")                                    # HoH and adults, S U
    return out                                             # 4.12 is asked at each contact, not at a stage


CASES = list(itertools.product(ALL_TYPES, (START, UPDATE, EXIT, ANNUAL), PEOPLE))


@pytest.mark.parametrize(("project_type", "stage", "person"), CASES,
                         ids=[f"type{t}-stage{s}-{p.replace(' ', '_')}" for t, s, p in CASES])
def test_required_elements_match_the_data_standards(project_type, stage, person):
    is_hoh, is_adult = PEOPLE[person]
    got = rules.required_elements(project_type, stage, is_hoh=is_hoh, is_adult=is_adult)
    assert set(got) == expected(project_type, stage, is_hoh, is_adult)


def test_project_type_list_is_hud_2_02_6():
    assert ALL_TYPES == [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14]


def test_every_required_element_has_a_label():
    every = set().union(*(rules.required_elements(t, s, is_hoh=True, is_adult=True)
                          for t in ALL_TYPES for s in (START, UPDATE, EXIT, ANNUAL)))
    assert every | {"4.12"} <= set(ELEMENT_LABELS)


def test_prior_living_variant_by_type():
    assert {t for t in ALL_TYPES if rules.prior_living_variant(t) == "A"} == {0, 1, 4, 8}


# --- 4.12 Current living situation: an occurrence, by project type or RHY funder ----------------------

#: "SO, night-by-night shelter, coordinated entry, services only", and any RHY-funded project.
CLS_TYPES = {4, 1, 14, 6}
RHY = (22, 23, 24, 25, 26)
FUNDERS = {"no funder": (), "CoC PSH": (2,), "ESG shelter": (8,), "PATH": (21,), "RHY": RHY,
           **{f"RHY {code}": (code,) for code in RHY}, "CoC and RHY TLP": (2, 24)}
CLS_CASES = list(itertools.product(ALL_TYPES, FUNDERS))


@pytest.mark.parametrize(("project_type", "funder"), CLS_CASES,
                         ids=[f"type{t}-{f.replace(' ', '_')}" for t, f in CLS_CASES])
def test_current_living_situation_is_collected_by_type_or_rhy_funder(project_type, funder):
    funders = FUNDERS[funder]
    want = project_type in CLS_TYPES or any(code in RHY for code in funders)
    assert rules.collects_current_living_situation(project_type, funders) is want


@pytest.mark.parametrize(("project_type", "stage"), list(itertools.product(ALL_TYPES, (START, UPDATE, EXIT, ANNUAL))))
def test_current_living_situation_is_never_a_stage_element(project_type, stage):
    assert "4.12" not in rules.required_elements(project_type, stage, is_hoh=True, is_adult=True)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("project_type", [4, 2])
def test_current_living_situation_reason_by_person_and_project(project_type, person):
    is_hoh, is_adult = PEOPLE[person]
    reason = rules.current_living_situation_reason(project_type, (), is_hoh=is_hoh, is_adult=is_adult)
    if project_type != 4:
        assert "street outreach, night-by-night shelter, coordinated entry" in reason
    elif is_hoh or is_adult:
        assert reason is None
    else:
        assert reason == "Current living situation is recorded for adults and heads of household only."


def test_current_living_situation_without_a_project_type_is_not_collected():
    assert rules.collects_current_living_situation(None) is False
    assert rules.collects_current_living_situation(None, [25]) is True


# --- the annual assessment window -------------------------------------------------------------

ENTRY = date(2026, 10, 1)


@pytest.mark.parametrize(("information_date", "inside"), [
    (date(2027, 10, 1), True),     # on the first anniversary
    (date(2027, 9, 1), True),      # 30 days before
    (date(2027, 10, 31), True),    # 30 days after
    (date(2027, 8, 31), False),    # 31 days before
    (date(2027, 11, 1), False),    # 31 days after
    (date(2026, 10, 15), False),   # weeks after the start: no anniversary yet
    (date(2027, 4, 1), False),     # half a year in
    (date(2028, 9, 15), True),     # before the second anniversary
    (date(2029, 11, 1), False),    # 31 days after the third
])
def test_annual_window_is_30_days_either_side_of_an_anniversary(information_date, inside):
    reason = rules.annual_window_reason(information_date, entry_date=ENTRY)
    assert (reason is None) == inside
    if not inside:
        assert reason.startswith("Information date: an annual assessment is dated within 30 days")


def test_annual_window_reason_names_the_nearest_anniversary_and_its_window():
    reason = rules.annual_window_reason(date(2027, 12, 1), entry_date=ENTRY)
    assert "10/01/2027 (from 09/01/2027 to 10/31/2027)" in reason


@pytest.mark.parametrize(("years", "day"), [(1, date(2025, 2, 28)), (4, date(2028, 2, 29))])
def test_anniversary_of_a_leap_day_start_falls_on_february_28_in_other_years(years, day):
    assert rules.anniversary(date(2024, 2, 29), years) == day


@pytest.mark.parametrize(("dob", "on", "adult"), [
    (date(2008, 11, 2), date(2026, 11, 2), True), (date(2008, 11, 3), date(2026, 11, 2), False),
    (None, date(2026, 11, 2), True)])
def test_is_adult_from_the_18th_birthday_and_unknown_age_counts_as_adult(dob, on, adult):
    assert rules.is_adult(dob, on) is adult
