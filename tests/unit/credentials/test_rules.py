"""The eligibility rule: every unmet reason, alone and all together; the HMIS user name rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from lms.credentials.rules import (Answer, EligibilityFacts, EvidenceFact, live_credential_eligibility, reason_kind,
                                   username_problems)

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)  # fiscal year 2027
EARLIER = NOW - timedelta(days=10)
LAST_YEAR = datetime(2026, 9, 1, 15, 0, tzinfo=timezone.utc)  # fiscal year 2026


def _ev(requirement: str, when: datetime = EARLIER, fy: int = 2027) -> EvidenceFact:
    return EvidenceFact(requirement, fy, when)


#: An eligible end user with one practice group in their plan.
ELIGIBLE = EligibilityFacts(
    is_active=True,
    approved_request=Answer(True, project_types=(0,)),
    suspended=Answer(False),
    refused=Answer(False),
    plan_requirements=("upra", "security_privacy", "data_standards", "cs_basics", "practice:emergency_shelter"),
    evidence=(_ev("upra"), _ev("security_privacy"), _ev("data_standards"), _ev("cs_basics"),
              _ev("practice:emergency_shelter")),
)


def _without(requirement: str) -> EligibilityFacts:
    return replace(ELIGIBLE, evidence=tuple(e for e in ELIGIBLE.evidence if e.requirement != requirement))


#: name → (facts, the one code expected, words the reason must contain)
CASES = {
    "no_request_recorder": (replace(ELIGIBLE, approved_request=None), "access_request", "does not record access"),
    "request_not_approved": (replace(ELIGIBLE, approved_request=Answer(False, "the latest request was denied")),
                             "access_request", "the latest request was denied"),
    "account_inactive": (replace(ELIGIBLE, is_active=False), "account_inactive", "deactivated"),
    "suspension_unknown": (replace(ELIGIBLE, suspended=None), "suspended", "cannot be confirmed"),
    "suspended": (replace(ELIGIBLE, suspended=Answer(True, "until the agency reports the remedy")), "suspended",
                  "suspended (until the agency reports the remedy)"),
    "refusal_unknown": (replace(ELIGIBLE, refused=None), "refused", "cannot be confirmed"),
    "refused": (replace(ELIGIBLE, refused=Answer(True)), "refused", "refused this person"),
    "staff_without_totp": (replace(ELIGIBLE, staff_roles=("Helpdesk reviewer",)), "mfa", "authenticator app"),
    "no_upra": (_without("upra"), "upra", "User Policy and Responsibility Agreement"),
    "no_security_privacy": (_without("security_privacy"), "security_privacy", "Security and Privacy"),
    "no_data_standards": (_without("data_standards"), "data_standards", "Data Standards"),
    "no_cs_basics": (_without("cs_basics"), "cs_basics", "Community Services"),
    "no_practice_case": (_without("practice:emergency_shelter"), "practice:emergency_shelter", "Emergency shelter"),
    "upra_of_last_year": (replace(_without("upra"), evidence=_without("upra").evidence + (
        _ev("upra", LAST_YEAR, 2026),)), "upra", "fiscal year 2027"),
    "request_project_group_not_in_plan": (replace(ELIGIBLE, approved_request=Answer(True, project_types=(0, 4))),
                                          "practice:street_outreach", "Street outreach"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_eligibility_one_unmet_requirement_gives_exactly_its_reason(name):
    facts, code, words = CASES[name]
    result = live_credential_eligibility(facts, now=NOW)
    assert result.eligible is False
    assert result.codes == [code]
    assert len(result.reasons) == 1 and words in result.reasons[0]


def test_eligibility_everything_met_is_eligible_without_reasons():
    result = live_credential_eligibility(ELIGIBLE, now=NOW)
    assert result.eligible is True and result.reasons == [] and result.codes == []


def test_eligibility_staff_with_totp_is_eligible():
    facts = replace(ELIGIBLE, staff_roles=("Helpdesk reviewer",), totp_enrolled=True)
    assert live_credential_eligibility(facts, now=NOW).eligible is True


def test_eligibility_end_user_without_totp_is_eligible():
    assert ELIGIBLE.totp_enrolled is False
    assert live_credential_eligibility(ELIGIBLE, now=NOW).eligible is True


def test_eligibility_nothing_met_gives_every_reason():
    facts = EligibilityFacts(is_active=False, staff_roles=("System administrator",), totp_enrolled=False,
                             approved_request=Answer(False), suspended=Answer(True), refused=Answer(True),
                             plan_requirements=("upra", "practice:emergency_shelter", "practice:street_outreach"))
    result = live_credential_eligibility(facts, now=NOW)
    assert result.eligible is False
    assert result.codes == ["access_request", "account_inactive", "suspended", "refused", "mfa", "upra",
                            "security_privacy", "data_standards", "cs_basics", "practice:emergency_shelter",
                            "practice:street_outreach"]
    assert len(result.reasons) == len(result.codes) == len(set(result.reasons))


def test_eligibility_unknown_facts_never_count_as_met():
    facts = replace(ELIGIBLE, approved_request=None, suspended=None, refused=None)
    result = live_credential_eligibility(facts, now=NOW)
    assert result.codes == ["access_request", "suspended", "refused"]


def test_eligibility_evidence_before_a_repeated_series_does_not_count():
    facts = replace(ELIGIBLE, evidence_not_before=EARLIER + timedelta(days=1))
    result = live_credential_eligibility(facts, now=NOW)
    assert result.codes == ["upra", "security_privacy", "data_standards", "cs_basics", "practice:emergency_shelter"]


def test_eligibility_evidence_after_now_does_not_count():
    result = live_credential_eligibility(ELIGIBLE, now=EARLIER - timedelta(seconds=1))
    assert "upra" in result.codes and not result.eligible


def test_eligibility_upra_signed_before_the_current_version_does_not_count():
    facts = replace(ELIGIBLE, not_before={"upra": EARLIER + timedelta(hours=1)})
    assert live_credential_eligibility(facts, now=NOW).codes == ["upra"]


def test_eligibility_fiscal_year_follows_chicago_time():
    # 02:00 UTC on October 1 is still September 30 in Chicago: last year's evidence still counts.
    night = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)
    facts = replace(ELIGIBLE, evidence=tuple(replace(e, fiscal_year=2026, achieved_at=LAST_YEAR)
                                             for e in ELIGIBLE.evidence))
    assert live_credential_eligibility(facts, now=night).eligible is True
    assert live_credential_eligibility(facts, now=night + timedelta(hours=6)).codes == [
        "upra", "security_privacy", "data_standards"]


def test_reason_kind_groups_codes():
    assert [reason_kind(c) for c in ("access_request", "suspended", "mfa", "cs_basics", "practice:safe_haven")] == [
        "access_request", "account", "mfa", "training", "practice"]


@pytest.mark.parametrize("name", ["jdoe", "J.Doe_2", "a-b", "x" * 64])
def test_username_valid_has_no_problems(name):
    assert username_problems(name) == []


@pytest.mark.parametrize("name,words", [
    ("", "Enter the HMIS user name"),
    ("   ", "Enter the HMIS user name"),
    ("x" * 65, "at most 64"),
    ("j doe", "no spaces"),
    ("jöe", "without accents"),
    ("jdoe\n", "no spaces"),
    ("jdoe@example.org", "letters A to Z"),
])
def test_username_invalid_is_refused_with_reason(name, words):
    problems = username_problems(name)
    assert problems and any(words in p for p in problems)


def test_username_taken_is_refused():
    assert any("already in use" in p for p in username_problems("jdoe", taken=True))
