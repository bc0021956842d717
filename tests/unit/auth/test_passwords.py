"""The manual's password rules, each both ways (lms.auth.passwords.check_password)."""

import pytest

from lms.auth import passwords
from lms.auth.passwords import MAX_LENGTH, PasswordHashing, _common_passwords, _dictionary, check_password

GOOD = "Tangerine-Kettle-42"


def problems(pw, username="pat.jones@example.org", **kw):
    return check_password(pw, username=username, **kw)


def test_check_good_password_has_no_problems():
    assert problems(GOOD) == []


def test_check_short_password_refused_and_setting_changes_minimum():
    assert any("at least 8 characters" in p for p in problems("Ab3$xy7"))
    assert not any("characters" in p for p in problems("Ab3$xy7q"))
    assert any("at least 12 characters" in p for p in problems("Ab3$xy7qZ", min_length=12))


def test_check_password_over_128_refused_never_truncated():
    long_pw = ("Zq7$" * 40)[:MAX_LENGTH + 1]
    assert any("at most 128" in p for p in problems(long_pw))
    assert not any("at most" in p for p in problems(long_pw[:MAX_LENGTH]))


def test_check_password_is_nfkc_normalised():
    # Full-width digits and letters normalise to ASCII: "ｗｅｌｌｓｋｙ" is the vendor's name.
    assert any("vendor" in p for p in problems("ｗｅｌｌｓｋｙ-Ｒｏｃｋｓ-９"))


def test_check_needs_a_letter_and_a_number():
    assert any("letter" in p for p in problems("12345678-90"))
    assert any("number" in p for p in problems("Tangerine-Kettle-Sky"))
    assert problems("Tangerine-Kettle-4") == []


@pytest.mark.parametrize("pw", ["xxPAT.JONESxx9", "99senoj.tap!!x", "Pat.Jones-2026-ok"])
def test_check_username_local_part_forwards_or_backwards_any_case_refused(pw):
    assert any("your username" in p for p in problems(pw))


def test_check_unrelated_password_does_not_trip_username_rule():
    assert not any("username" in p for p in problems("Orbit-Lantern-77"))


@pytest.mark.parametrize("pw", ["MyServicePoint9!", "9tniopecivres-ok", "communityservices#1"])
def test_check_hmis_name_refused(pw):
    assert any("HMIS name" in p for p in problems(pw))


@pytest.mark.parametrize("pw", ["wellsky-2026-Q", "YKSLLEW!77x", "Mediware-Q1x"])
def test_check_vendor_name_refused(pw):
    assert any("vendor" in p for p in problems(pw))


def test_check_names_come_from_settings():
    assert any("HMIS name" in p for p in problems("Zebra-Clarity-9", hmis_names=["Clarity"]))
    assert not any("HMIS name" in p for p in problems("Zebra-Clarity-9", hmis_names=["Other"]))


@pytest.mark.parametrize("pw", ["sunshine1", "!!sunshine99", "12elephant!!", "tnahpele12"])
def test_check_dictionary_word_with_digits_and_symbols_around_refused(pw):
    assert any("dictionary word" in p for p in problems(pw))


def test_check_two_words_or_word_with_letters_inside_is_not_a_dictionary_word():
    assert not any("dictionary" in p for p in problems("elephant7sunrise"))
    assert not any("dictionary" in p for p in problems("Xelephant7"))


def test_check_common_password_refused():
    assert any("common" in p for p in problems("password123"))
    assert any("common" in p for p in problems("qwerty123"))


def test_word_lists_are_real_and_large():
    assert len(_common_passwords()) >= 10_000
    assert len(_dictionary()) >= 50_000
    assert "elephant" in _dictionary()


def test_check_reports_every_violation_at_once():
    found = problems("wellsky")
    assert len(found) >= 3  # too short, no number, vendor name, dictionary word...
    assert any("characters" in p for p in found) and any("number" in p for p in found)
    assert any("vendor" in p for p in found)


def test_extra_words_refused():
    assert any("Jones" in p for p in problems("Zq7-jones-Zq7", username="x1", extra_words=["Jones"]))


def test_hashing_is_argon2id_with_owasp_parameters_and_rehashes_when_raised():
    weak = PasswordHashing(memory_cost=19456, time_cost=2, parallelism=1)
    h = weak.hash(GOOD)
    assert h.startswith("$argon2id$") and "m=19456,t=2,p=1" in h
    assert weak.verify(h, GOOD) and not weak.verify(h, GOOD + "x")
    assert not weak.needs_rehash(h)
    stronger = PasswordHashing(memory_cost=19456, time_cost=3, parallelism=1)
    assert stronger.needs_rehash(h)


def test_verify_unknown_user_returns_false_without_error():
    hashing = PasswordHashing(memory_cost=64, time_cost=1, parallelism=1)
    assert hashing.verify(None, GOOD) is False
    assert hashing.verify("not-a-hash", GOOD) is False


#: A dictionary or common word hidden by invisible characters, accents or separators.
HIDDEN_WORDS = [
    "Sum-mer2024", "Sum\u200bmer2024", "Sum\u00admer2024!", "Summe\u0301r2024!", "S.u.m.m.e.r.2024",
    "Sum2mer2024", "2024-Sum mer-!!", "Summer2024!x", "x9Summer!2024", "Pass-word-2024", "pass\u200bword1",
    "Ele\u2060phant99!", "Ｓｕｍ－ｍｅｒ２０２４", "REMMUS-2024", "tnahp-ele-99",
]


@pytest.mark.parametrize("pw", HIDDEN_WORDS)
def test_check_password_word_hidden_by_invisible_marks_or_separators_refused(pw):
    assert any("dictionary word" in p or "most common" in p for p in problems(pw)), problems(pw)


@pytest.mark.parametrize("pw", ["Tangerine-Kettle-42", "Orbit-Lantern-77", "Dog-7-Car-9-Sky", "Kettle9Tangerine!",
                                "Zyqx-Vort-2024", "Caf\u00e9-Lantern-42"])
def test_check_password_two_words_or_no_words_accepted(pw):
    assert problems(pw) == []


@pytest.mark.parametrize("pw", ["Well\u200bSky-2024-Q", "Wel\u0301lSky-2024-Q", "Well\u00adSky-2024-Q"])
def test_check_vendor_name_hidden_by_invisible_or_combining_marks_refused(pw):
    assert any("vendor" in p for p in problems(pw))


def test_check_invisible_characters_do_not_count_toward_min_length():
    assert any("at least 8 characters" in p for p in problems("Zq7$" + "\u200b" * 6))


def test_check_max_length_counts_every_character_never_truncated():
    pw = "Zq7$x" + "\u200b" * MAX_LENGTH
    assert any("at most 128" in p for p in problems(pw))


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
