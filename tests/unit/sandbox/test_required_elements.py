"""Every project type × every data collection stage × every kind of person, against the FY2026 data standards.

The expected table below is transcribed separately from ``hud-data-standards-fy2026.md`` (§4 Universal
Data Elements, §5 Program Specific Data Elements) so that a change to ``sandbox.rules.ELEMENTS`` that
drifts from the standard fails here.
"""

import itertools

import pytest

from sandbox import hud, rules

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
    if project_type == 4 and adult_or_hoh and stage in (START, UPDATE):
        out.add("4.12")                                    # street outreach contacts
    return out


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
    assert every <= set(rules.ELEMENT_LABELS)
