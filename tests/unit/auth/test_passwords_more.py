"""check_password: every rule of the manual both ways, all violations at once."""

from __future__ import annotations

import pytest

from lms.auth import passwords
from lms.auth.passwords import MAX_LENGTH, check_password

GOOD = "Tangerine-Kettle-42"


def test_check_password_good_password_has_no_problems():
    assert check_password(GOOD, username="alex.doe@example.org") == []


def test_check_password_below_min_length_refused():
    problems = check_password("Kx7#q9z", username="alex")
    assert any("at least 8" in p for p in problems)


def test_check_password_min_length_is_a_setting():
    assert check_password("Kx7#q9zWv", username="alex", min_length=12) != []
    assert check_password("Kx7#q9zWv", username="alex", min_length=8) == []


def test_check_password_exactly_max_length_accepted():
    pw = ("Kx7#q9zW" * 20)[:MAX_LENGTH]
    assert check_password(pw, username="alex") == []


def test_check_password_over_max_length_refused_not_truncated():
    pw = ("Kx7#q9zW" * 20)[: MAX_LENGTH + 1]
    problems = check_password(pw, username="alex")
    assert any(f"at most {MAX_LENGTH}" in p for p in problems)


def test_check_password_nfkc_normalises_fullwidth_digits():
    # Fullwidth "１" is NFKC "1": the normalised form has a number and a letter.
    assert passwords.normalize("Ｋｅｔｔｌｅ１") == "Kettle1"


def test_check_password_nfkc_catches_fullwidth_vendor_name():
    problems = check_password("ｗｅｌｌｓｋｙ#4821xq", username="alex")
    assert any("vendor" in p for p in problems)


def test_check_password_without_number_refused():
    assert "Include at least one number." in check_password("Tangerine-Kettle", username="alex")


def test_check_password_without_letter_refused():
    assert "Include at least one letter." in check_password("8273-1923-44", username="alex")


@pytest.mark.parametrize("pw", ["xQ7#jordan.lee9", "xQ7#EEL.NADROJ9", "xQ7#JoRdAnLeE9"])
def test_check_password_containing_username_any_case_or_backwards_refused(pw):
    problems = check_password(pw, username="jordan.lee")
    assert any("username" in p for p in problems)


@pytest.mark.parametrize("pw", ["zz9#ptorres!Q", "zz9#SERROTP!Q"])
def test_check_password_containing_email_local_part_refused(pw):
    problems = check_password(pw, username="ptorres@agency.example.org")
    assert any("username" in p for p in problems)


def test_check_password_not_containing_username_accepted():
    assert check_password("Tangerine-Kettle-42", username="ptorres@agency.example.org") == []


@pytest.mark.parametrize("pw", ["xQ7#servicepoint", "xQ7#TNIOPECIVRES", "xQ7#Community Services"])
def test_check_password_containing_hmis_name_refused(pw):
    problems = check_password(pw, username="alex")
    assert any("HMIS name" in p for p in problems)


@pytest.mark.parametrize("pw", ["xQ7#WellSky", "xQ7#YKSLLEW", "9mediware#Q"])
def test_check_password_containing_vendor_name_refused(pw):
    problems = check_password(pw, username="alex")
    assert any("vendor" in p for p in problems)


def test_check_password_hmis_and_vendor_names_are_settings():
    assert check_password("xQ7#Zephyrion", username="alex", hmis_names=("Zephyrion",)) != []
    problems = check_password("xQ7#WellSky", username="alex", vendor_names=("Acme",))
    assert not any("vendor" in p for p in problems)


def test_check_password_extra_words_refused_forwards_and_backwards():
    assert check_password("xQ7#Gonzalez", username="alex", extra_words=["Gonzalez"]) != []
    assert check_password("xQ7#zelaznog", username="alex", extra_words=["Gonzalez"]) != []


@pytest.mark.parametrize("pw", ["Elephant2024!", "!!42elephant", "tnahpele99#"])
def test_check_password_dictionary_word_with_only_digits_symbols_refused(pw):
    problems = check_password(pw, username="alex")
    assert any("dictionary word" in p for p in problems)


def test_check_password_two_words_with_digits_accepted():
    problems = check_password("Elephant7Cobalt!", username="alex")
    assert not any("dictionary word" in p for p in problems)


def test_check_password_dictionary_is_a_real_word_list():
    assert len(passwords._dictionary()) > 100_000


def test_check_password_common_password_list_has_at_least_10000_entries():
    assert len(passwords._common_passwords()) >= 10_000


@pytest.mark.parametrize("pw", ["password1", "qwerty123", "abc12345"])
def test_check_password_common_password_refused(pw):
    problems = check_password(pw, username="alex")
    assert any("most common" in p for p in problems)


def test_check_password_reports_every_violation_at_once():
    problems = check_password("wellsky", username="wellsky@example.org")
    joined = " ".join(problems)
    assert "at least 8" in joined
    assert "number" in joined
    assert "vendor" in joined
    assert "username" in joined
    assert len(problems) >= 4
