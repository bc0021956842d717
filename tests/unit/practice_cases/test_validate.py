"""Validation of case files: each kind of bad answer key is reported, all at once, with its file and path."""

import copy
import json

import pytest

from practice_cases import library, validate

GOOD = "es-brooks-family"


@pytest.fixture(scope="module")
def good():
    return json.loads((library.DATA_DIR / f"{GOOD}.json").read_text(encoding="utf-8"))


def problems(case):
    return [(p.path, p.message) for p in validate.check_case(case, f"{GOOD}.json")]


def paths(case):
    return [p for p, _ in problems(case)]


def tanya(case, segment="entry"):
    return case["segments"][segment]["answer_key"]["members"][0]


def test_every_shipped_case_is_valid():
    cases, found = library.read_library()
    assert found == []
    assert len(cases) >= 6


def test_the_good_case_has_no_problem(good):
    assert problems(good) == []


def test_unknown_column_of_a_file(good):
    case = copy.deepcopy(good)
    tanya(case)["Enrollment"]["ShoeSize"] = 9
    assert problems(case) == [("segments.entry.answer_key.members[0].Enrollment.ShoeSize",
                               "not a column of Enrollment.csv (HMIS CSV FY2026)")]


def test_column_of_another_file(good):
    case = copy.deepcopy(good)
    tanya(case)["Client"]["Destination"] = 410  # an Exit.csv column
    assert paths(case) == ["segments.entry.answer_key.members[0].Client.Destination"]


@pytest.mark.parametrize("column", ["PersonalID", "HouseholdID", "DateCreated", "DataCollectionStage"])
def test_identifiers_and_bookkeeping_are_refused(good, column):
    case = copy.deepcopy(good)
    tanya(case)["IncomeBenefits"][column] = "x" if column.endswith("ID") else 1
    assert paths(case) == [f"segments.entry.answer_key.members[0].IncomeBenefits.{column}"]


def test_unknown_file(good):
    case = copy.deepcopy(good)
    tanya(case)["Services"] = {}
    assert paths(case) == ["segments.entry.answer_key.members[0].Services"]


def test_exit_outside_the_exit_segment(good):
    case = copy.deepcopy(good)
    tanya(case)["Exit"] = {"ExitDate": "2026-08-03", "Destination": 410}
    assert paths(case) == ["segments.entry.answer_key.members[0].Exit"]


@pytest.mark.parametrize("file,column,value", [
    ("Enrollment", "LivingSituation", 999), ("Client", "Sex", 5), ("Enrollment", "RelationshipToHoH", 0),
    ("HealthAndDV", "DomesticViolenceSurvivor", 2), ("IncomeBenefits", "Medicaid", 8),
])
def test_code_that_is_not_a_hud_response(good, file, column, value):
    case = copy.deepcopy(good)
    tanya(case)[file][column] = value
    found = problems(case)
    assert (f"segments.entry.answer_key.members[0].{file}.{column}",
            f"{value} is not one of HUD's responses for {column}") in found


def test_disability_response_is_checked_against_its_type(good):
    case = copy.deepcopy(good)
    tanya(case)["Disabilities"]["10"] = {"DisabilityResponse": 2}  # drug use disorder: valid for 4.10 only
    tanya(case)["Disabilities"]["5"] = {"DisabilityResponse": 2}
    assert paths(case) == ["segments.entry.answer_key.members[0].Disabilities.5.DisabilityResponse"]


def test_unknown_disability_type(good):
    case = copy.deepcopy(good)
    tanya(case)["Disabilities"]["4"] = {"DisabilityResponse": 0}
    assert paths(case) == ["segments.entry.answer_key.members[0].Disabilities.4"]


@pytest.mark.parametrize("file,column,value", [
    ("Enrollment", "EntryDate", "2026-13-01"), ("Enrollment", "EntryDate", "08/03/2026"),
    ("IncomeBenefits", "EarnedAmount", "1450"), ("IncomeBenefits", "EarnedAmount", 1450.0),
    ("Enrollment", "DisablingCondition", "0"), ("Enrollment", "DisablingCondition", True),
])
def test_values_of_the_wrong_shape(good, file, column, value):
    case = copy.deepcopy(good)
    tanya(case)[file][column] = value
    assert f"segments.entry.answer_key.members[0].{file}.{column}" in paths(case)


def test_segment_dates_out_of_order(good):
    case = copy.deepcopy(good)
    case["segments"]["update"]["date"] = "2026-07-01"
    assert "segments.update.date" in paths(case)


def test_exit_before_the_start(good):
    case = copy.deepcopy(good)
    for m in case["segments"]["exit"]["answer_key"]["members"]:
        m["Exit"]["ExitDate"] = "2026-08-01"
    found = paths(case)
    assert "segments.exit.answer_key.members[0].Exit.ExitDate" in found


def test_information_date_outside_the_stay(good):
    case = copy.deepcopy(good)
    tanya(case, "update")["IncomeBenefits"]["InformationDate"] = "2026-07-01"
    assert paths(case) == ["segments.update.answer_key.members[0].IncomeBenefits.InformationDate"]


def test_born_after_the_start(good):
    case = copy.deepcopy(good)
    for seg in ("entry", "update", "exit"):
        tanya(case, seg)["Client"]["DOB"] = "2026-09-01"
    assert "segments.entry.answer_key.members[0].Client.DOB" in paths(case)


def test_unknown_group_and_a_project_type_outside_the_group(good):
    case = copy.deepcopy(good)
    case["group"] = "hotel"
    assert paths(case) == ["group"]
    case["group"] = "street_outreach"
    assert paths(case) == ["project_type"]


def test_two_heads_of_household(good):
    case = copy.deepcopy(good)
    for seg in ("entry", "update", "exit"):
        case["segments"][seg]["answer_key"]["members"][1]["Enrollment"]["RelationshipToHoH"] = 1
    found = problems(case)
    assert ("segments.entry.answer_key.members",
            "a household has exactly one head of household (RelationshipToHoH 1); this one has 2") in found


def test_no_head_of_household(good):
    case = copy.deepcopy(good)
    tanya(case)["Enrollment"]["RelationshipToHoH"] = 3
    found = paths(case)
    assert "segments.entry.answer_key.members" in found  # no head
    assert "segments.update.answer_key.members" in found  # and the household changed between segments


def test_a_member_listed_twice(good):
    case = copy.deepcopy(good)
    members = case["segments"]["entry"]["answer_key"]["members"]
    members.append(copy.deepcopy(members[2]))
    assert "segments.entry.answer_key.members[3]" in paths(case)


def test_the_household_must_be_the_same_in_every_segment(good):
    case = copy.deepcopy(good)
    case["segments"]["exit"]["answer_key"]["members"].pop()
    assert paths(case) == ["segments.exit.answer_key.members"]


@pytest.mark.parametrize("file,column", validate.IDENTITY)
def test_identity_fields_are_required(good, file, column):
    case = copy.deepcopy(good)
    del tanya(case, "update")[file][column]
    assert f"segments.update.answer_key.members[0].{file}.{column}" in paths(case)


def test_missing_segment_and_bad_intake_forms(good):
    case = copy.deepcopy(good)
    del case["segments"]["update"]
    case["segments"]["entry"]["intake_forms"][0]["sections"][0]["fields"][0] = {"label": "Notes"}
    case["segments"]["exit"]["intake_forms"] = []
    assert sorted(paths(case)) == ["segments.entry.intake_forms[0].sections[0].fields[0]",
                                   "segments.exit.intake_forms", "segments.update"]


def test_bad_tolerance(good):
    case = copy.deepcopy(good)
    case["segments"]["update"]["answer_key"]["tolerance_days"] = {"InformationDate": 90}
    assert paths(case) == ["segments.update.answer_key.tolerance_days"]
    case["segments"]["update"]["answer_key"]["tolerance_days"] = {"Destination": 3}
    assert paths(case) == ["segments.update.answer_key.tolerance_days.Destination"]


def test_id_must_be_the_file_name(good):
    case = copy.deepcopy(good)
    case["id"] = "another-case"
    assert paths(case) == ["id"]


def test_every_problem_is_reported_at_once(good):
    case = copy.deepcopy(good)
    case["group"] = "hotel"
    tanya(case)["Enrollment"]["ShoeSize"] = 9
    tanya(case, "update")["IncomeBenefits"]["Medicaid"] = 7
    case["segments"]["exit"]["date"] = "2026-08-01"
    assert len(problems(case)) >= 4
    assert {"group", "segments.entry.answer_key.members[0].Enrollment.ShoeSize",
            "segments.update.answer_key.members[0].IncomeBenefits.Medicaid", "segments.exit.date"} <= set(paths(case))


def test_the_library_reports_every_file_with_its_problems(tmp_path, good):
    bad = copy.deepcopy(good)
    bad["id"] = "bad-one"
    bad["group"] = "hotel"
    (tmp_path / "bad-one.json").write_text(json.dumps(bad))
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / f"{GOOD}.json").write_text(json.dumps(good))
    with pytest.raises(library.LibraryInvalid) as exc:
        library.load_library(tmp_path)
    reasons = exc.value.reasons
    assert len(reasons) == 2
    assert reasons[0].startswith("bad-one.json: group: unknown practice group 'hotel'")
    assert reasons[1].startswith("broken.json: not valid JSON")


def test_an_empty_library_is_refused(tmp_path):
    with pytest.raises(library.LibraryInvalid, match="No practice case files"):
        library.load_library(tmp_path)


@pytest.mark.parametrize("change,path", [
    ({"TotalMonthlyIncome": "1500.00"}, "TotalMonthlyIncome"),
    ({"Earned": 0}, "EarnedAmount"),
    ({"IncomeFromAnySource": 0}, "IncomeFromAnySource"),
    ({"SSIAmount": "10.00"}, "SSIAmount"),
])
def test_income_amounts_must_agree_with_their_sources(good, change, path):
    case = copy.deepcopy(good)
    tanya(case, "update")["IncomeBenefits"].update(change)
    assert f"segments.update.answer_key.members[0].IncomeBenefits.{path}" in paths(case)


@pytest.mark.parametrize("garbage", [None, 5, "x", [], {"Client": 5}, {"Client": {}, "Enrollment": [],
                                                                        "CurrentLivingSituation": 7,
                                                                        "Disabilities": [1]}])
def test_garbage_in_a_member_is_reported_not_a_crash(good, garbage):
    case = copy.deepcopy(good)
    case["segments"]["entry"]["answer_key"]["members"][0] = garbage
    assert any(p.startswith("segments.entry.answer_key.members") for p in paths(case))


@pytest.mark.parametrize("garbage", [None, 5, "x", [], {"segments": 1}])
def test_garbage_cases_and_segments_are_reported_not_a_crash(good, garbage):
    assert validate.check_case(garbage, "x.json")
    case = copy.deepcopy(good)
    case["segments"]["update"] = garbage
    assert any(p.startswith("segments.update") for p in paths(case))
