"""Tiers, conditions, lifting and who may act: the Compliance and Sanctions policy as pure rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from lms.accounts.sanctions import rules
from lms.accounts.sanctions.rules import Panel, Status, SuspensionFacts
from lms.core.roles import Role

START = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("prior, law, tier", [
    (0, False, 1), (1, False, 2), (2, False, 3), (3, False, 4), (7, False, 8),
    (0, True, 3), (1, True, 3), (2, True, 3), (3, True, 4), (5, True, 6),
])
def test_tier_for_counts_confirmed_violations_and_law_goes_to_third(prior, law, tier):
    assert rules.tier_for(prior, broke_law=law) == tier


def test_tier_for_negative_count_raises():
    with pytest.raises(ValueError):
        rules.tier_for(-1, broke_law=False)


@pytest.mark.parametrize("tier, remedy, days, panel", [
    (1, True, 0, False), (2, True, 30, False), (3, False, 30, True), (4, False, 30, True), (9, False, 30, True),
])
def test_conditions_for_tier_follow_the_manual(tier, remedy, days, panel):
    cond = rules.conditions_for(tier)
    assert (cond.needs_remedy, cond.min_days, cond.needs_panel) == (remedy, days, panel)


@pytest.mark.parametrize("tier, words", [
    (1, ["until the agency reports the action taken to remedy the violation"]),
    (2, ["30 days", "until the agency reports the action taken to remedy the violation"]),
    (3, ["at least 30 days", "until a review panel of the CoC Board Committee records its decision"]),
])
def test_conditions_describe_in_words(tier, words):
    assert rules.conditions_for(tier).describe() == words


def test_conditions_for_tier_zero_raises():
    with pytest.raises(ValueError):
        rules.conditions_for(0)


NOT_REVIEWED = "The HMIS Lead has not reviewed the violation yet."
DAYS = "The 30-day suspension has not ended yet."
REMEDY = "The agency has not reported the action taken to remedy the violation."
PANEL = "The review panel has not recorded its decision."
TERMINATED = "The review panel decided to terminate the license."


def _facts(**kw):
    base = {"status": Status.CONFIRMED, "started_at": START, "tier": 1, "remedied": False, "panel": None}
    return SuspensionFacts(**{**base, **kw})


@pytest.mark.parametrize("facts, days_later, reasons", [
    (_facts(status=Status.PENDING, tier=None), 400, [NOT_REVIEWED]),
    (_facts(status=Status.DISMISSED, tier=None), 0, []),
    (_facts(tier=1), 0, [REMEDY]),
    (_facts(tier=1, remedied=True), 0, []),
    (_facts(tier=2, remedied=True), 29, [DAYS]),
    (_facts(tier=2, remedied=True), 30, []),
    (_facts(tier=2), 30, [REMEDY]),
    (_facts(tier=2), 10, [DAYS, REMEDY]),
    (_facts(tier=3), 10, [DAYS, PANEL]),
    (_facts(tier=3, panel=Panel.RETAIN), 10, [DAYS]),
    (_facts(tier=3), 45, [PANEL]),
    (_facts(tier=3, panel=Panel.RETAIN), 30, []),
    (_facts(tier=3, panel=Panel.TERMINATE), 400, [TERMINATED]),
    (_facts(tier=4, panel=Panel.RETAIN, remedied=False), 31, []),
    (_facts(tier=1, remedied=True, lifted=True), 0, ["This suspension has already been lifted."]),
])
def test_may_lift_gives_every_unmet_condition(facts, days_later, reasons):
    decision = rules.may_lift(facts, START + timedelta(days=days_later))
    assert decision.reasons == reasons
    assert decision.allowed is (reasons == [])


def test_may_lift_thirty_days_end_to_the_second():
    facts = _facts(tier=2, remedied=True)
    assert not rules.may_lift(facts, START + timedelta(days=30, seconds=-1)).allowed
    assert rules.may_lift(facts, START + timedelta(days=30)).not_before == START + timedelta(days=30)


@pytest.mark.parametrize("facts, fragments", [
    (_facts(status=Status.PENDING, tier=None), ["while the HMIS Lead reviews", NOT_REVIEWED]),
    (_facts(tier=2), ["2nd violation", DAYS, REMEDY]),
    (_facts(tier=3, panel=Panel.TERMINATE), ["terminated"]),
])
def test_sign_in_message_says_why(facts, fragments):
    message = rules.sign_in_message(facts, START)
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd")])
def test_ordinal_words(n, text):
    assert rules.ordinal(n) == text


A = frozenset
SCOPE_REFUSAL = ("Only a system administrator, an HMIS lead administrator, or the HMIS manager of the agency's "
                 "CoC may record a violation.")


@pytest.mark.parametrize("actor, cocs, target, on_self, member, reasons", [
    (A({Role.SYSADMIN}), set(), A({Role.END_USER}), False, True, []),
    (A({Role.LEAD_ADMIN}), set(), A({Role.SYSADMIN}), False, True, []),
    (A({Role.HMIS_MANAGER}), {7}, A({Role.END_USER}), False, True, []),
    (A({Role.HMIS_MANAGER}), {8}, A({Role.END_USER}), False, True, [SCOPE_REFUSAL]),
    (A({Role.AGENCY_REP}), set(), A({Role.END_USER}), False, True, [SCOPE_REFUSAL]),
    (A({Role.HELPDESK}), set(), A({Role.END_USER}), False, True, [SCOPE_REFUSAL]),
    (A({Role.END_USER}), set(), A({Role.END_USER}), False, True, [SCOPE_REFUSAL]),
    (A({Role.SYSADMIN}), set(), A({Role.LEAD_ADMIN}), False, True,
     ["Only an HMIS lead administrator may record a violation by an administrator."]),
    (A({Role.SYSADMIN}), set(), A({Role.SYSADMIN}), True, True, ["You cannot record a violation of your own.",
     "Only an HMIS lead administrator may record a violation by an administrator."]),
    (A({Role.SYSADMIN}), set(), A({Role.END_USER}), False, False,
     ["This person has never had access through that agency."]),
])
def test_record_refusals_follow_scope_and_roles(actor, cocs, target, on_self, member, reasons):
    assert rules.record_refusals(actor_roles=actor, actor_coc_ids=cocs, agency_coc_id=7, target_roles=target,
                                 on_self=on_self, was_member=member) == reasons


REMEDY_WHO = "Only the agency's authorized representative or HMIS staff may report the remedy."


@pytest.mark.parametrize("actor, cocs, reps, status, remedied, reasons", [
    (A({Role.AGENCY_REP}), set(), {5}, Status.CONFIRMED, False, []),
    (A({Role.AGENCY_REP}), set(), {6}, Status.CONFIRMED, False, [REMEDY_WHO]),
    (A({Role.HMIS_MANAGER}), {7}, set(), Status.CONFIRMED, False, []),
    (A({Role.HMIS_MANAGER}), {9}, set(), Status.CONFIRMED, False, [REMEDY_WHO]),
    (A({Role.HELPDESK}), set(), set(), Status.CONFIRMED, False, [REMEDY_WHO]),
    (A({Role.SYSADMIN}), set(), set(), Status.PENDING, False,
     ["A remedy is reported once the HMIS Lead has confirmed the violation."]),
    (A({Role.SYSADMIN}), set(), set(), Status.CONFIRMED, True, ["The remedy has already been reported."]),
])
def test_remedy_refusals_follow_scope_and_state(actor, cocs, reps, status, remedied, reasons):
    assert rules.remedy_refusals(actor_roles=actor, actor_coc_ids=cocs, actor_rep_agency_ids=reps, agency_id=5,
                                 agency_coc_id=7, status=status, remedied=remedied) == reasons
