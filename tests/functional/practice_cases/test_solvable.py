"""Every case of the library can be entered in a real sandbox exactly as its answer key says, segment by segment."""

import pytest

from practice_cases import library, services

from .solver import Solver

CASES = sorted(library.load_library())


@pytest.mark.parametrize("case_id", CASES)
def test_each_case_is_solvable_segment_by_segment(sandbox_session, make_workspace, clock, case_id):
    case = library.load_library()[case_id]
    ws = make_workspace(1)
    solver = Solver(sandbox_session, ws, case, clock.now)
    for segment in ("entry", "update", "exit"):
        getattr(solver, segment)()
        found = services.differences(sandbox_session, ws.id, case, segment)
        assert [d.message for d in found] == [], segment


def test_the_library_covers_every_group_the_demo_agencies_run():
    groups = {c["group"] for c in library.load_library().values()}
    assert {"emergency_shelter", "transitional_housing", "permanent_housing", "street_outreach",
            "homelessness_prevention"} <= groups
