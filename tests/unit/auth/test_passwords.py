"""The manual's password rules, each both ways (lms.auth.passwords.check_password)."""

import pytest

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
