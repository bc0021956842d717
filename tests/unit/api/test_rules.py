"""The API's pure rules: the token's shape, the Authorization header, scopes, names and reach."""

import pytest

from lms.api import rules


def test_new_secrets_have_the_documented_shape_and_differ():
    secrets = {rules.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(rules.TOKEN_SHAPE.fullmatch(s) for s in secrets)


def test_hash_is_sha256_hex_and_stable():
    secret = rules.new_secret()
    assert rules.hash_secret(secret) == rules.hash_secret(secret) and len(rules.hash_secret(secret)) == 64


GOOD = "hmis_" + "A" * 43


@pytest.mark.parametrize("header,expected", [
    (f"Bearer {GOOD}", GOOD),
    (f"bearer {GOOD}", GOOD),
    (f"  Bearer   {GOOD}  ", GOOD),
    (None, None), ("", None), ("Bearer", None), (f"Basic {GOOD}", None), (f"Bearer {GOOD}x", None),
    (f"Bearer {GOOD[:-1]}", None), ("Bearer hmis_" + "Ａ" * 43, None), ("Bearer hmis_" + "a" * 42 + "\x00", None),
    (f"Bearer {GOOD} {GOOD}", None),
])
def test_bearer_secret_reads_only_a_well_formed_header(header, expected):
    assert rules.bearer_secret(header) == expected


@pytest.mark.parametrize("scopes,ok", [(["people:read"], True), (list(rules.SCOPES), True), ([], False),
                                       (["people:read", "root"], False), (["PEOPLE:READ"], False)])
def test_scope_problems(scopes, ok):
    assert (rules.scope_problems(scopes) == []) is ok


@pytest.mark.parametrize("name,ok", [("Reports", True), ("", False), ("   ", False), ("x" * 100, True),
                                     ("x" * 101, False)])
def test_name_problems(name, ok):
    assert (rules.name_problems(name) == []) is ok


@pytest.mark.parametrize("everyone,cocs,agencies,ok", [(True, [], [], True), (False, [1], [], True),
                                                       (False, [], [2], True), (False, [], [], False),
                                                       (True, [1], [], False), (True, [], [2], False)])
def test_reach_problems(everyone, cocs, agencies, ok):
    assert (rules.reach_problems(everyone, cocs, agencies) == []) is ok
