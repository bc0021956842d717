"""The pure training rules: fiscal years, requirement status, signatures and policy checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from lms.hud import PROJECT_TYPES
from lms.training import rules

UTC = timezone.utc
CHICAGO = ZoneInfo("America/Chicago")


@dataclass
class Plan:
    requirement_keys: list[str] = field(default_factory=lambda: rules.new_user_requirements(["street_outreach"]))
    evidence_not_before: datetime | None = None


@dataclass
class Ev:
    requirement: str
    fiscal_year: int
    achieved_at: datetime
    source: str = "test"
    source_id: str = "1"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- fiscal years ------------------------------------------------------------------------------

@pytest.mark.parametrize("moment, expected", [
    (date(2026, 9, 30), 2026),
    (date(2026, 10, 1), 2027),
    (date(2026, 1, 1), 2026),
    (date(2026, 12, 31), 2027),
    # 11:30 pm in Chicago on Sep 30 (CDT, UTC-5) is already Oct 1 in UTC: still the old year.
    (at(2026, 10, 1, 4, 30), 2026),
    # Midnight in Chicago on Oct 1 (05:00 UTC) starts the new year.
    (at(2026, 10, 1, 5, 0), 2027),
    (at(2026, 10, 1, 4, 59, 59), 2026),
    (datetime(2026, 9, 30, 23, 59, tzinfo=CHICAGO), 2026),
    (datetime(2026, 10, 1, 0, 0, tzinfo=CHICAGO), 2027),
])
def test_fiscal_year_of_moment_in_chicago_returns_hud_year(moment, expected):
    assert rules.fiscal_year_of(moment, "America/Chicago") == expected


@pytest.mark.parametrize("zone, expected", [("UTC", 2027), ("America/Chicago", 2026)])
def test_fiscal_year_of_same_instant_depends_on_zone(zone, expected):
    assert rules.fiscal_year_of(at(2026, 10, 1, 2, 0), zone) == expected


def test_fiscal_year_of_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        rules.fiscal_year_of(datetime(2026, 10, 1, 12, 0))


def test_fiscal_year_start_is_midnight_october_first_in_chicago():
    assert rules.fiscal_year_start(2027) == at(2026, 10, 1, 5, 0)
    assert rules.fiscal_year_of(rules.fiscal_year_start(2027)) == 2027


# --- requirement keys and plans -------------------------------------------------------------------

@pytest.mark.parametrize("key, ok", [
    ("upra", True), ("security_privacy", True), ("data_standards", True), ("cs_basics", True),
    ("practice:street_outreach", True), ("practice:unknown_group", False), ("practice:", False),
    ("UPRA", False), ("quiz", False), ("", False),
])
def test_is_requirement_key_known_keys_only(key, ok):
    assert rules.is_requirement_key(key) is ok


def test_new_user_requirements_lists_upra_courses_then_practice():
    assert rules.new_user_requirements(["emergency_shelter", "street_outreach", "emergency_shelter"]) == [
        "upra", "security_privacy", "data_standards", "cs_basics",
        "practice:emergency_shelter", "practice:street_outreach"]


def test_new_user_requirements_unknown_group_is_refused():
    with pytest.raises(ValueError):
        rules.new_user_requirements(["castle"])


@pytest.mark.parametrize("types, groups", [
    ([0, 13], ["emergency_shelter", "permanent_housing"]),
    ([4], ["street_outreach"]),
    ([1, 0], ["emergency_shelter"]),
    ([], []),
])
def test_practice_groups_for_project_types(types, groups):
    assert rules.practice_groups_for(types) == groups


# --- requirement status ---------------------------------------------------------------------------

NOW = at(2026, 11, 2, 15, 0)  # FY2027


def _status(plan, evidence, *, now=NOW, fiscal_year=2027, not_before=None):
    return {s.key: s for s in rules.requirement_status(plan, evidence, now=now, fiscal_year=fiscal_year,
                                                        not_before=not_before)}


def test_requirement_status_returns_every_requirement_of_the_plan():
    statuses = rules.requirement_status(Plan(), [], now=NOW, fiscal_year=2027)
    assert [s.key for s in statuses] == ["upra", "security_privacy", "data_standards", "cs_basics",
                                        "practice:street_outreach"]
    assert not any(s.met for s in statuses)
    assert all(s.next_step and s.status_text == "Not yet completed" for s in statuses)


def test_requirement_status_without_plan_asks_for_the_yearly_requirements():
    assert list(_status(None, [])) == ["upra", "security_privacy", "data_standards"]


@pytest.mark.parametrize("key, evidence_year, met", [
    ("upra", 2027, True),
    ("upra", 2026, False),            # yearly: last year's signature does not count
    ("security_privacy", 2026, False),
    ("data_standards", 2027, True),
    ("cs_basics", 2026, True),        # once per series: any year counts
    ("practice:street_outreach", 2025, True),
])
def test_requirement_status_evidence_of_other_years(key, evidence_year, met):
    ev = Ev(key, evidence_year, at(evidence_year - 1, 11, 1))
    status = _status(Plan(), [ev])[key]
    assert status.met is met
    if not met:
        assert f"fiscal year {evidence_year}" in status.note


def test_requirement_status_evidence_before_series_start_is_ignored():
    plan = Plan(evidence_not_before=at(2026, 10, 20))
    evidence = [Ev("cs_basics", 2027, at(2026, 10, 19, 23, 59)), Ev("upra", 2027, at(2026, 10, 19)),
                Ev("data_standards", 2027, at(2026, 10, 20))]
    status = _status(plan, evidence)
    assert not status["cs_basics"].met and "repeated" in status["cs_basics"].note
    assert not status["upra"].met
    assert status["data_standards"].met  # exactly at the start counts


def test_requirement_status_upra_before_current_version_is_ignored():
    evidence = [Ev("upra", 2027, at(2026, 10, 5))]
    status = _status(Plan(), evidence, not_before={"upra": at(2026, 10, 6)})["upra"]
    assert not status.met and "new version" in status.note
    assert status.action == rules.ACTION_SIGN_UPRA


def test_requirement_status_evidence_after_now_is_ignored():
    assert not _status(Plan(), [Ev("cs_basics", 2027, at(2026, 11, 3))])["cs_basics"].met


def test_requirement_status_met_reports_latest_counting_evidence_and_its_source():
    evidence = [Ev("upra", 2027, at(2026, 10, 2), "upra_signature", "7"),
                Ev("upra", 2027, at(2026, 10, 9), "upra_signature", "9")]
    status = _status(Plan(), evidence)["upra"]
    assert status.met and status.achieved_at == at(2026, 10, 9) and status.source_id == "9"
    assert status.next_step is None and status.action is None and status.status_text == "Completed"


def test_requirement_status_courses_offer_no_link():
    status = _status(Plan(), [])
    assert [k for k, s in status.items() if s.action] == ["upra"]


def test_progress_counts_met_requirements():
    statuses = rules.requirement_status(Plan(), [Ev("upra", 2027, at(2026, 10, 2))], now=NOW, fiscal_year=2027)
    p = rules.progress(statuses)
    assert (p.met, p.total, p.percent, p.complete) == (1, 5, 20, False)


# --- signatures --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Pat Person", "pat person", "  PAT   person ", "Ｐａｔ Person"])
def test_signature_problems_matching_name_is_accepted(typed):
    assert rules.signature_problems(typed, "Pat Person") == []


@pytest.mark.parametrize("typed, fragment", [
    ("", "Type your full name"),
    ("   ", "Type your full name"),
    (None, "Type your full name"),
    ("Pat Persons", "does not match"),
    ("Person Pat", "does not match"),
    ("Pat\x00Person", "control or invisible"),
    ("Pat Person\x07", "control or invisible"),
    ("Pat\u202ePerson", "control or invisible"),
    ("Pat\u200bPerson", "control or invisible"),
    ("Pat\nPerson", "control or invisible"),
    ("Pat\tPerson", "control or invisible"),
    ("P" * 201, "at most 200"),
])
def test_signature_problems_bad_name_is_refused_with_reason(typed, fragment):
    problems = rules.signature_problems(typed, "Pat Person")
    assert len(problems) == 1 and fragment in problems[0]


@pytest.mark.parametrize("checked, n_problems, fragment", [
    (["1", "2", "3"], 0, None),
    (["3", "1", "2"], 0, None),
    (["1", "2"], 1, "1 policy is not checked"),
    ([], 1, "3 policies are not checked"),
    (["1", "2", "3", "99"], 1, "does not match the current agreement"),
    (["1", "x"], 2, "does not match"),
])
def test_consent_problems_every_policy_and_only_those(checked, n_problems, fragment):
    problems = rules.consent_problems([1, 2, 3], checked)
    assert len(problems) == n_problems
    if fragment:
        assert fragment in " ".join(problems)


# --- any input at all -------------------------------------------------------------------------------

@given(st.text(max_size=300))
def test_signature_problems_any_text_gives_a_verdict_and_accepts_only_the_name(typed):
    problems = rules.signature_problems(typed, "Pat Person")
    assert isinstance(problems, list)
    if not problems:
        assert rules.normalise_name(typed) == "pat person"


@given(st.lists(st.text(max_size=12), max_size=8))
def test_consent_problems_any_values_refused_unless_exactly_the_policies(values):
    problems = rules.consent_problems([1, 2, 3], values)
    assert (problems == []) == (set(values) == {"1", "2", "3"})


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_fiscal_year_of_any_moment_lies_within_that_years_bounds(moment):
    fy = rules.fiscal_year_of(moment)
    assert rules.fiscal_year_start(fy) <= moment < rules.fiscal_year_start(fy + 1)


@pytest.mark.parametrize("project_type", sorted(PROJECT_TYPES))
def test_every_hud_project_type_is_trained_by_exactly_one_practice_group(project_type):
    groups = [g for g, (_, types) in rules.PRACTICE_GROUPS.items() if project_type in types]
    assert len(groups) == 1 and rules.practice_groups_for([project_type]) == groups
