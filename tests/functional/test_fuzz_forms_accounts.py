"""Fuzz every form of sign-in, sessions, people, access requests, revocations, sanctions and API tokens with bad input: never a 500, and a refusal changes nothing.

How the fuzzer works is told in ``test_fuzz_forms.py``; the areas are :data:`tests.functional.fuzzing.targets.AREAS`.
"""

from __future__ import annotations

from tests.functional.fuzzing.runner import assert_area_is_clean
from tests.functional.fuzzing.world import world  # noqa: F401 - the fixture


def test_bad_input_to_every_accounts_form_is_never_a_500_and_a_refusal_changes_nothing(world):
    assert_area_is_clean(world, "accounts")
