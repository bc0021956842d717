"""One deliberate mistake of each kind, entered in a real sandbox: the comparison finds exactly that one difference."""

import copy

import pytest

from practice_cases import compare, library, services

from .solver import Solver

CASE = "es-brooks-family"


@pytest.fixture
def case():
    return library.load_library()[CASE]


@pytest.fixture
def solver(sandbox_session, make_workspace, clock, case):
    return Solver(sandbox_session, make_workspace(1), case, clock.now)


def _key(case, segment):
    return copy.deepcopy(case["segments"][segment]["answer_key"])


def _member(key, first):
    return next(m for m in key["members"] if m["Client"]["FirstName"] == first)


def _only(found):
    assert len(found) == 1, [d.message for d in found]
    return found[0]


def test_missing_client(sandbox_session, solver, case):
    key = _key(case, "entry")
    key["members"] = [m for m in key["members"] if m["Client"]["FirstName"] != "Aria"]
    solver.entry(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "entry"))
    assert (d.kind, d.field) == (compare.MISSING, "Client")
    assert "Aria Brooks (born 11/20/2019)" in d.message


def test_extra_client_in_the_household(sandbox_session, solver, case):
    key = _key(case, "entry")
    extra = copy.deepcopy(_member(key, "Aria"))
    extra["Client"].update(FirstName="Kayla", DOB="2021-01-09", SSN="431550042")
    key["members"].append(extra)
    solver.entry(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "entry"))
    assert (d.kind, d.field) == (compare.EXTRA, "Enrollment")
    assert "Kayla Brooks" in d.message and "Tanya Brooks" in d.where


def test_duplicate_client_is_extra(sandbox_session, solver, case, clock):
    from sandbox import services as sandbox

    solver.entry()
    sandbox.save_client(sandbox_session, solver.ws, {**_typed_client(case, "Jaylen")}, now=clock.now)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "entry"))
    assert (d.kind, d.field) == (compare.EXTRA, "Client") and "duplicate" in d.where


def _typed_client(case, first):
    from practice_cases import validate

    m = _member(case["segments"]["entry"]["answer_key"], first)
    return {k: validate.typed("Client", k, v) for k, v in m["Client"].items()}


def test_wrong_code_names_the_element_and_both_labels(sandbox_session, solver, case):
    key = _key(case, "entry")
    _member(key, "Tanya")["Enrollment"]["LengthOfStay"] = 10
    solver.entry(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "entry"))
    assert (d.kind, d.field) == (compare.WRONG_VALUE, "Enrollment.LengthOfStay")
    assert d.element == "3.917 Length of stay in prior living situation"
    assert d.expected == "Two to six nights (11)" and d.entered == "One night or less (10)"
    assert "Tanya Brooks" in d.where and "Harbor Light Emergency Shelter" in d.where and "08/03/2026" in d.where


def test_wrong_household_role(sandbox_session, solver, case):
    key = _key(case, "entry")
    _member(key, "Jaylen")["Enrollment"]["RelationshipToHoH"] = 4
    solver.entry(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "entry"))
    assert (d.kind, d.field) == (compare.HOUSEHOLD, "Enrollment.RelationshipToHoH")
    assert d.expected == "Child (2)" and d.entered == "Other relative (4)" and "Jaylen Brooks" in d.member


def test_separate_household_is_a_household_problem(sandbox_session, solver, case, clock):
    from practice_cases import validate
    from sandbox import services as sandbox

    key = _key(case, "entry")
    aria = _member(key, "Aria")
    key["members"].remove(aria)
    solver.entry(key)
    # Aria entered on her own, heading a household of her own: the project's rules allow it, the case does not.
    c = sandbox.save_client(sandbox_session, solver.ws, _typed_client(case, "Aria"), now=clock.now)
    start = validate.parse_date(aria["Enrollment"]["EntryDate"])
    sandbox.record_roi(sandbox_session, solver.ws, c, consented=True, signed_on=start, documentation="signed",
                       now=clock.now)
    data = {k: validate.typed("Enrollment", k, v) for k, v in aria["Enrollment"].items()}
    data.update(RelationshipToHoH=1, EnrollmentCoC="MO-606", LivingSituation=116, LengthOfStay=11,
                DateToStreetESSH=validate.parse_date("2026-07-29"), TimesHomelessPastThreeYears=1,
                MonthsHomelessPastThreeYears=101)
    sandbox.enroll(sandbox_session, solver.ws, c, solver.project, data, now=clock.now)
    found = services.differences(sandbox_session, solver.ws.id, case, "entry")
    kinds = sorted((d.kind, d.field) for d in found if d.kind == compare.HOUSEHOLD)
    assert all(d.member.startswith("Aria") for d in found)  # her assessment is missing too; nobody else is wrong
    assert kinds == [(compare.HOUSEHOLD, "Enrollment.HouseholdID"), (compare.HOUSEHOLD, "Enrollment.RelationshipToHoH")]


def test_information_date_outside_the_window(sandbox_session, solver, case):
    solver.entry()
    key = _key(case, "update")
    # The key allows 3 days either side of 09/01/2026; the trainee dated Tanya's update 09/05.
    tanya = _member(key, "Tanya")
    tanya["IncomeBenefits"]["InformationDate"] = "2026-09-05"
    tanya["HealthAndDV"]["InformationDate"] = "2026-09-05"
    solver.update(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "update"))
    assert (d.kind, d.field) == (compare.WRONG_VALUE, "IncomeBenefits.InformationDate")
    assert d.expected == "09/01/2026 (± 3 days)" and d.entered == "09/05/2026"


def test_information_date_inside_the_window_is_fine(sandbox_session, solver, case):
    solver.entry()
    key = _key(case, "update")
    for m in key["members"]:
        for f in ("IncomeBenefits", "HealthAndDV"):
            if f in m:
                m[f]["InformationDate"] = "2026-09-04"
    solver.update(key)
    assert services.differences(sandbox_session, solver.ws.id, case, "update") == []


def test_wrong_amount_is_one_difference_even_though_the_total_follows(sandbox_session, solver, case):
    solver.entry()
    key = _key(case, "update")
    income = _member(key, "Tanya")["IncomeBenefits"]
    income["EarnedAmount"] = income["TotalMonthlyIncome"] = "1450.01"
    solver.update(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "update"))
    assert (d.kind, d.field) == (compare.WRONG_VALUE, "IncomeBenefits.EarnedAmount")
    assert d.expected == "$1,450.00" and d.entered == "$1,450.01"
    assert "update assessment" in d.where


def test_a_source_the_key_leaves_out_is_expected_no(sandbox_session, solver, case):
    key = _key(case, "entry")
    _member(key, "Tanya")["IncomeBenefits"]["WIC"] = 1
    solver.entry(key)
    d = _only(services.differences(sandbox_session, solver.ws.id, case, "entry"))
    assert (d.kind, d.field, d.expected, d.entered) == (compare.WRONG_VALUE, "IncomeBenefits.WIC", "No (0)", "Yes (1)")


def test_wrong_destination_at_exit_and_a_missing_exit(sandbox_session, solver, case):
    solver.entry()
    solver.update()
    key = _key(case, "exit")
    for m in key["members"]:
        if m["Client"]["FirstName"] == "Jaylen":
            m["Exit"] = {"ExitDate": m["Exit"]["ExitDate"], "Destination": 410}
    key["members"] = [m for m in key["members"] if m["Client"]["FirstName"] != "Aria"]
    solver.exit(key)
    found = services.differences(sandbox_session, solver.ws.id, case, "exit")
    got = sorted((d.kind, d.field, d.member.split()[0]) for d in found)
    assert got == sorted([(compare.MISSING, "Exit", "Aria"), (compare.MISSING, "IncomeBenefits", "Aria"),
                          (compare.MISSING, "Disabilities", "Aria"),
                          (compare.WRONG_VALUE, "Exit.Destination", "Jaylen"),
                          (compare.WRONG_VALUE, "Exit.DestinationSubsidyType", "Jaylen")])
