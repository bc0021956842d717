"""The HUD list of every coded column an import checks."""

import pytest

import lms.hud as hud
from sandbox.csv import FILES, codes


def test_every_program_column_exists_in_its_file_and_names_a_hud_list():
    for (file, column), list_name in codes.PROGRAM_LISTS.items():
        assert column in [c.name for c in hud.columns(file)], (file, column)
        assert hud.codes(list_name), list_name


def test_no_program_column_overrides_a_sandbox_list():
    assert not {column for _, column in codes.PROGRAM_LISTS} & set(hud.COLUMN_LISTS)


@pytest.mark.parametrize("kind,answer,expected", [(10, 3, True), (5, 3, False), (5, 1, True), (10, 7, False)])
def test_disability_response_list_follows_the_disability_type(kind, answer, expected):
    list_name = codes.list_for("Disabilities.csv", "DisabilityResponse", {"DisabilityType": kind})
    assert hud.is_valid(list_name, answer) is expected


def test_free_numbers_and_text_are_not_coded():
    assert codes.list_for("Project.csv", "PITCount", {}) is None
    assert codes.list_for("Client.csv", "YearEnteredService", {}) is None
    assert codes.list_for("Client.csv", "FirstName", {}) is None


def test_every_imported_file_is_known():
    assert all(hud.columns(f) for f in FILES)
