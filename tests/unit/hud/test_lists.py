"""HUD FY2026 lists, project types and CSV columns (lms.hud): drop-downs show labels and store codes."""

import pytest

import lms.hud as hud


def test_choices_show_labels_and_store_codes_after_a_blank():
    pairs = hud.choices("Sex")
    assert pairs[0] == ("", "Select…")
    assert pairs[1:] == [("0", "Female"), ("1", "Male"), ("8", "Client doesn't know"),
                         ("9", "Client prefers not to answer"), ("99", "Data not collected")]


def test_choices_can_be_limited_and_have_no_blank():
    assert hud.choices("DataCollectionStage", blank=None, only={1, 2, 3, 5}) == [
        ("1", "Project entry"), ("2", "Update"), ("3", "Project exit"), ("5", "Annual assessment")]


def test_label_of_a_code_of_none_and_of_an_unknown_code():
    assert hud.label("Destination", 435).startswith("Rental by client, with ongoing housing subsidy")
    assert hud.label("Destination", None) == ""
    assert hud.label("Destination", 4242) == "4242"


@pytest.mark.parametrize(("list_name", "good", "bad"), [
    ("RelationshipToHoH", 5, 6), ("DataCollectionStage", 5, 4), ("ProjectType", 14, 5),
    ("NoYesReasonsForMissingData", 99, 2), ("Destination", 435, 436)])
def test_is_valid_accepts_hud_codes_only(list_name, good, bad):
    assert hud.is_valid(list_name, good) and not hud.is_valid(list_name, bad)


def test_every_coded_column_names_a_list_hud_defines():
    for column, list_name in hud.COLUMN_LISTS.items():
        assert hud.codes(list_name), f"{column} -> {list_name}"


def test_stage_constants_are_hud_codes():
    assert set(hud.STAGES) == {1, 2, 3, 5} <= set(hud.codes("DataCollectionStage"))


def test_client_columns_have_fy2026_sex_and_race_names_in_order():
    names = [c.name for c in hud.columns("Client.csv")]
    assert len(names) == 38
    assert names[names.index("DOBDataQuality") + 1] == "Sex" == names[10]
    assert "HispanicLatinao" in names and "HispanicLatinaeo" not in names and "GenderNone" not in names


def test_data_quality_columns_are_integer_codes():
    types = {c.name: c.type for c in hud.columns("Client.csv")}
    assert types["SSNDataQuality"] == types["DOBDataQuality"] == "integer" and types["SSN"] == "string"


def test_every_file_of_the_exchanged_set_is_described():
    assert set(hud.csv_files()) >= {"Export.csv", "Organization.csv", "Project.csv", "Client.csv", "Enrollment.csv",
                                    "Exit.csv", "IncomeBenefits.csv", "HealthAndDV.csv", "Disabilities.csv",
                                    "CurrentLivingSituation.csv"}
    assert [c.name for c in hud.columns("Enrollment.csv")][-5:] == ["DateCreated", "DateUpdated", "UserID",
                                                                     "DateDeleted", "ExportID"]


def test_coc_codes_are_checked_against_hud_list():
    assert hud.is_coc_code("MO-606") and not hud.is_coc_code("MO-9999") and not hud.is_coc_code(None)


def test_project_types_are_hud_list_2_02_6_by_code_with_no_code_5():
    assert list(hud.PROJECT_TYPES) == [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert hud.PROJECT_TYPES[1] == "Emergency Shelter - Night-by-Night" and hud.project_types() == hud.PROJECT_TYPES
    assert {hud.ES_EE, hud.ES_NBN, hud.SO, hud.SH} == hud.PRIOR_LIVING_A
    assert hud.PERMANENT_HOUSING == {3, 9, 10, 13}


def test_rhy_funders_are_the_hhs_rhy_programs_of_list_2_06_1():
    assert {code for code, name in hud.codes("FundingSource").items() if "RHY" in name} == hud.RHY_FUNDERS


def test_column_names_types_and_codes():
    assert "Destination" in hud.column_names("Exit.csv")
    assert hud.column_type("IncomeBenefits.csv", "EarnedAmount") == "money"
    assert hud.column_type("Exit.csv", "ExitDate") == "date" and hud.column_type("Exit.csv", "Nope") is None
    assert hud.column_codes("Destination")[410].startswith("Rental by client") and hud.column_codes("FirstName") is None


@pytest.mark.parametrize(("disability_type", "has_drug_use"), [(10, True), (5, False), (None, False)])
def test_disability_response_codes_depend_on_the_type(disability_type, has_drug_use):
    assert (2 in hud.column_codes("DisabilityResponse", disability_type=disability_type)) is has_drug_use


def test_data_files_are_inside_the_package():
    assert hud.DATA.parts[-3:] == ("lms", "hud", "data")
    assert {p.name for p in hud.DATA.iterdir()} >= {"hud_lists_fy2026.json", *hud.COLUMN_FILES}
