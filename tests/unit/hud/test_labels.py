"""What people call HUD's fields and codes (lms.hud.labels): element numbers and names, response labels."""

from datetime import date
from decimal import Decimal

import pytest

from lms.hud import labels


@pytest.mark.parametrize(("field", "disability_type", "words"), [
    ("EntryDate", None, "3.10 Project start date"),
    ("EarnedAmount", None, "4.02 Earned income (employment): monthly amount"),
    ("SNAP", None, "4.03 Supplemental Nutrition Assistance Program (SNAP)"),
    ("Asian", None, "3.04 Race and ethnicity: Asian or Asian American"),
    ("DisabilityResponse", 10, "4.10 Substance use disorder"),
    ("IndefiniteAndImpairs", 5, "4.05 Physical disability: expected to be long-term and impair independent living"),
    ("signed_on", None, "Date signed"),
    ("NoSuchColumn", None, "NoSuchColumn"),
])
def test_field_label_names_the_element(field, disability_type, words):
    assert labels.field_label(field, disability_type=disability_type) == words


@pytest.mark.parametrize(("field", "value", "words"), [
    ("Destination", 410, "Rental by client, no ongoing housing subsidy (410)"),
    ("Destination", "999", "999 (not a HUD code)"),
    ("Destination", "x", "x"),
    ("EntryDate", date(2026, 10, 1), "10/01/2026"),
    ("EarnedAmount", Decimal("1234.5"), "$1,234.50"),
    ("FirstName", "Ana", "Ana"),
    ("FirstName", None, "(blank)"),
])
def test_value_label_says_a_value_in_words(field, value, words):
    assert labels.value_label(field, value) == words


def test_disability_name_of_a_type_hud_has_not():
    assert labels.disability_name(42) == "Disability type 42"


def test_label_of_is_the_message_word_for_a_field():
    assert labels.label_of("DOB") == "Date of birth" and labels.label_of("Nope") == "Nope"
