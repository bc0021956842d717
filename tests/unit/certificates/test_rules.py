"""The pure certificate rules: codes, the verification address, and when a certificate may be issued."""

from __future__ import annotations

import pytest

from lms.certificates import rules


def test_new_code_is_twelve_symbols_of_the_unambiguous_alphabet():
    code = rules.new_code()
    assert len(code) == rules.CODE_LENGTH == 12
    assert set(code) <= set(rules.ALPHABET)
    assert not set("ILOU") & set(rules.ALPHABET)


def test_new_codes_do_not_repeat():
    assert len({rules.new_code() for _ in range(2000)}) == 2000


@pytest.mark.parametrize("typed, expected", [
    ("ABCDEFGHJKMN", "ABCDEFGHJKMN"),
    ("abcd-efgh-jkmn", "ABCDEFGHJKMN"),
    (" ABCD EFGH JKMN ", "ABCDEFGHJKMN"),
    ("ABCD-EFGH-JKMO", "ABCDEFGHJKM0"),  # O is read as zero
    ("iLCD-EFGH-JKMN", "11CDEFGHJKMN"),  # I and L as one
])
def test_normalize_code_accepts_what_people_type(typed, expected):
    assert rules.normalize_code(typed) == expected


@pytest.mark.parametrize("typed", [None, "", "ABC", "ABCDEFGHJKMNP", "ABCDEFGHJKMU", "ABCD\x00EFGHJKMN",
                                   "A" * 10_000, "ＡＢＣＤＥＦＧＨＪＫＭＮ", "ЖЖЖЖЖЖЖЖЖЖЖЖ", "١٢٣٤٥٦٧٨٩٠١٢",
                                   "ABCD_EFGH_JKMN", "../../etc/passwd"])
def test_normalize_code_refuses_what_cannot_be_a_code(typed):
    assert rules.normalize_code(typed) is None


def test_display_code_groups_by_four():
    assert rules.display_code("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert rules.normalize_code(rules.display_code("ABCDEFGHJKMN")) == "ABCDEFGHJKMN"


@pytest.mark.parametrize("base", ["https://training.example.org", "https://training.example.org/"])
def test_verification_url_is_on_the_configured_site(base):
    assert rules.verification_url(base, "ABCDEFGHJKMN") == "https://training.example.org/verify/ABCDEFGHJKMN"


def test_issue_refusals_allows_a_complete_year_of_a_person_in_good_standing():
    assert rules.issue_refusals(complete=True, active=True, sanctioned=False, credential_revoked=False,
                                access_revoked=False) == []


def test_issue_refusals_gives_every_reason():
    reasons = rules.issue_refusals(complete=False, active=False, sanctioned=True, credential_revoked=True,
                                   access_revoked=True)
    assert len(reasons) == 5
    assert reasons[0] == "The yearly requirements of this fiscal year are not all met."
