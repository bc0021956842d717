"""The comparison on plain records (no database): matching, tolerances, labels, where to fix."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from practice_cases import compare, library, validate


def _typed(file, record):
    return {k: validate.typed(file, k, v) for k, v in record.items()}


def records_from_key(key, project_type, household="H1"):
    """What a workspace holding exactly the key would return from sandbox.services.workspace_records."""
    out = []
    for m in key["members"]:
        enrollment = {**_typed("Enrollment", m["Enrollment"]), "HouseholdID": household, "ProjectID": "P1"}
        out.append({"Client": _typed("Client", m["Client"]), "Enrollments": [{
            "Enrollment": enrollment,
            "Project": {"ProjectID": "P1", "ProjectName": "Test Project", "ProjectType": project_type},
            "Exit": _typed("Exit", m["Exit"]) if "Exit" in m else None,
            "IncomeBenefits": _typed("IncomeBenefits", m["IncomeBenefits"]) if "IncomeBenefits" in m else None,
            "HealthAndDV": _typed("HealthAndDV", m["HealthAndDV"]) if "HealthAndDV" in m else None,
            "Disabilities": {int(t): _typed("Disabilities", r) for t, r in (m.get("Disabilities") or {}).items()},
            "CurrentLivingSituation": [_typed("CurrentLivingSituation", c) for c in m.get("CurrentLivingSituation", [])],
        }]})
    return out


CASES = library.load_library()


def run(case, segment, records):
    return compare.compare_segment(case["segments"][segment]["answer_key"], records,
                                   project_type=case["project_type"], segment=segment)


def setup(case_id="es-brooks-family", segment="entry"):
    case = CASES[case_id]
    return case, records_from_key(case["segments"][segment]["answer_key"], case["project_type"])


@pytest.mark.parametrize("case_id", sorted(CASES))
@pytest.mark.parametrize("segment", ["entry", "update", "exit"])
def test_records_equal_to_the_key_have_no_difference(case_id, segment):
    case, records = setup(case_id, segment)
    assert run(case, segment, records) == []


def test_an_empty_workspace_misses_every_member():
    case, _ = setup()
    found = run(case, "entry", [])
    assert [(d.kind, d.member) for d in found] == [
        ("missing", "Tanya Brooks (born 03/14/1991)"), ("missing", "Jaylen Brooks (born 07/02/2015)"),
        ("missing", "Aria Brooks (born 11/20/2019)")]


def test_names_match_whatever_the_case_and_spaces():
    case, records = setup()
    records[0]["Client"]["FirstName"] = "  TANYA "
    records[0]["Client"]["LastName"] = "brooks"
    assert run(case, "entry", records) == []


def test_a_mistyped_date_of_birth_is_a_wrong_value_not_a_missing_client():
    case, records = setup()
    records[2]["Client"]["DOB"] = date(2019, 11, 21)
    [d] = run(case, "entry", records)
    assert (d.kind, d.field, d.element, d.expected, d.entered) == (
        "wrong_value", "Client.DOB", "3.03 Date of birth", "11/20/2019", "11/21/2019")
    assert d.where == "Aria Brooks (born 11/20/2019)'s client profile"


def test_records_are_matched_by_identity_not_by_order_or_ids():
    case, records = setup()
    records.reverse()
    for i, r in enumerate(records):
        r["Enrollments"][0]["Enrollment"]["EnrollmentID"] = f"E{i}"
    assert run(case, "entry", records) == []


def test_an_enrollment_in_another_kind_of_project_does_not_count():
    case, records = setup()
    records[1]["Enrollments"][0]["Project"]["ProjectType"] = 13
    [d] = run(case, "entry", records)
    assert (d.kind, d.field, d.member) == ("missing", "Enrollment", "Jaylen Brooks (born 07/02/2015)")
    assert "Emergency Shelter" in d.expected


def test_a_second_enrollment_is_extra():
    case, records = setup()
    second = copy.deepcopy(records[0]["Enrollments"][0])
    second["Enrollment"]["EntryDate"] = date(2026, 8, 20)
    records[0]["Enrollments"].append(second)
    [d] = run(case, "entry", records)
    assert (d.kind, d.field) == ("extra", "Enrollment") and "08/20/2026" in d.entered


def test_amounts_are_equal_to_the_cent():
    case, records = setup(segment="update")
    records[0]["Enrollments"][0]["IncomeBenefits"]["EarnedAmount"] = Decimal("1450")
    assert run(case, "update", records) == []
    records[0]["Enrollments"][0]["IncomeBenefits"]["EarnedAmount"] = Decimal("1449.99")
    [d] = run(case, "update", records)
    assert (d.field, d.expected, d.entered) == ("IncomeBenefits.EarnedAmount", "$1,450.00", "$1,449.99")
    assert d.element == "4.02 Earned income (employment): monthly amount"


def test_a_wrong_total_with_right_sources_is_reported():
    case, records = setup(segment="update")
    records[0]["Enrollments"][0]["IncomeBenefits"]["TotalMonthlyIncome"] = Decimal("1500.00")
    [d] = run(case, "update", records)
    assert d.field == "IncomeBenefits.TotalMonthlyIncome"


@pytest.mark.parametrize("day,ok", [(29, True), (28, False), (4, True), (5, False)])
def test_information_date_window(day, ok):
    case, records = setup(segment="update")
    month = 8 if day > 20 else 9
    records[0]["Enrollments"][0]["IncomeBenefits"]["InformationDate"] = date(2026, month, day)
    found = run(case, "update", records)
    assert (found == []) is ok
    if not ok:
        assert found[0].expected == "09/01/2026 (± 3 days)"


def test_dates_without_a_window_must_be_exact():
    case, records = setup(segment="exit")
    records[0]["Enrollments"][0]["Exit"]["ExitDate"] = date(2026, 10, 17)
    [d] = run(case, "exit", records)
    assert (d.field, d.expected, d.entered) == ("Exit.ExitDate", "10/16/2026", "10/17/2026")
    assert "project exit" in d.where


def test_codes_are_shown_with_hud_labels():
    case, records = setup(segment="exit")
    records[1]["Enrollments"][0]["Exit"]["DestinationSubsidyType"] = 433
    [d] = run(case, "exit", records)
    assert d.element == "3.12 Destination rental subsidy type"
    assert d.expected == "RRH or equivalent subsidy (431)"
    assert d.entered.endswith("(433)") and d.entered.startswith("HCV voucher")
    assert "expected RRH or equivalent subsidy (431), entered HCV voucher" in d.message
    assert "Jaylen Brooks (born 07/02/2015)'s enrollment in Test Project starting 08/03/2026, project exit" in d.message


def test_a_disability_answer_names_the_element():
    case, records = setup("so-whitfield-outreach", "entry")
    records[0]["Enrollments"][0]["Disabilities"][10]["DisabilityResponse"] = 2
    [d] = run(case, "entry", records)
    assert (d.element, d.expected, d.entered) == ("4.10 Substance use disorder", "Alcohol use disorder (1)",
                                                  "Drug use disorder (2)")


def test_outreach_contacts_missing_and_extra():
    case, records = setup("so-whitfield-outreach", "update")
    contacts = records[0]["Enrollments"][0]["CurrentLivingSituation"]
    moved = contacts.pop()
    contacts.append({**moved, "InformationDate": date(2026, 10, 1)})
    found = sorted((d.kind, d.field) for d in run(case, "update", records))
    assert found == [("extra", "CurrentLivingSituation"), ("missing", "CurrentLivingSituation")]


def test_an_outreach_contact_with_a_wrong_situation():
    case, records = setup("so-whitfield-outreach", "update")
    records[0]["Enrollments"][0]["CurrentLivingSituation"][1]["CurrentLivingSituation"] = 101
    [d] = run(case, "update", records)
    assert d.field == "CurrentLivingSituation.CurrentLivingSituation" and "contacts" in d.where


def test_a_member_in_another_household_and_an_extra_member():
    case, records = setup("rrh-reed-family")
    records[1]["Enrollments"][0]["Enrollment"]["HouseholdID"] = "H2"
    stranger = copy.deepcopy(records[2])
    stranger["Client"].update(FirstName="Nia", DOB=date(2024, 6, 1))
    records.append(stranger)
    found = sorted((d.kind, d.field, d.member.split()[0]) for d in run(case, "entry", records))
    assert found == [("extra", "Enrollment", "Nia"), ("household", "Enrollment.HouseholdID", "Keisha")]


def test_a_source_left_out_of_the_key_must_be_no_but_blank_is_fine():
    case, records = setup(segment="entry")
    income = records[0]["Enrollments"][0]["IncomeBenefits"]
    income["Medicare"] = None
    income["WIC"] = 0
    assert run(case, "entry", records) == []
    income["SSI"] = 1
    [d] = run(case, "entry", records)
    assert (d.field, d.element, d.expected, d.entered) == (
        "IncomeBenefits.SSI", "4.02 Supplemental Security Income (SSI)", "No (0)", "Yes (1)")


def test_a_missing_assessment_is_one_difference_per_form():
    case, records = setup(segment="update")
    records[0]["Enrollments"][0].update(IncomeBenefits=None, HealthAndDV=None, Disabilities={})
    found = sorted((d.kind, d.field) for d in run(case, "update", records))
    assert found == [("missing", "Disabilities"), ("missing", "HealthAndDV"), ("missing", "IncomeBenefits")]


def test_a_duplicate_enrolled_in_the_household_is_reported_once():
    case, records = setup()
    records.append(copy.deepcopy(records[1]))
    [d] = run(case, "entry", records)
    assert (d.kind, d.field) == ("extra", "Client") and "duplicate of Jaylen Brooks" in d.where
    assert d.as_dict()["message"] == d.message
