"""Pure recertification rules: due dates, reminder points, standing with carry-over, overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from lms.recert import rules
from lms.training import rules as training_rules


@dataclass(frozen=True)
class Ev:
    requirement: str
    fiscal_year: int
    achieved_at: datetime


def test_requirements_are_the_manuals_three():
    assert rules.REQUIREMENTS == ("upra", "security_privacy", "data_standards")


def test_due_date_defaults_to_october_31_of_the_year_before():
    assert rules.due_date(2028) == date(2027, 10, 31)
    assert rules.due_date(2028, 11, 15) == date(2027, 11, 15)
    assert rules.due_date(2028, 1, 31) == date(2028, 1, 31)
    assert rules.due_date(2028, 2, 30) == date(2028, 2, 29)  # leap year, clamped to the month's end
    assert rules.due_date(2028, 11, 31) == date(2027, 11, 30)


def test_parse_days_keeps_distinct_whole_numbers_largest_first():
    assert rules.parse_days(["30", " 14", "7", "1", "7", "x", "-3", "0", "１"]) == (30, 14, 7, 1)


def _points(opened: date, due: date, days=(30, 14, 7, 1), every=7, until: int = 50):
    out = {}
    for i in range(until):
        day = opened + timedelta(days=i)
        r = rules.reminder_due(day, opened_on=opened, due_on=due, days_before=days, overdue_every_days=every)
        if r is not None:
            out.setdefault(r.key, day)
    return out


def test_reminder_points_fall_on_their_days_then_overdue_every_week():
    first_seen = _points(date(2027, 10, 1), date(2027, 10, 31))
    assert first_seen == {
        "before:30": date(2027, 10, 1), "before:14": date(2027, 10, 17), "before:7": date(2027, 10, 24),
        "before:1": date(2027, 10, 30), "overdue:1": date(2027, 11, 1), "overdue:8": date(2027, 11, 8),
        "overdue:15": date(2027, 11, 15)}


def test_no_reminder_before_the_cycle_opens_nor_for_points_before_it():
    opened, due = date(2027, 10, 20), date(2027, 10, 31)
    assert rules.reminder_due(date(2027, 10, 19), opened_on=opened, due_on=due, days_before=(30, 14, 7)) is None
    # 30 and 14 days before fell before the cycle opened: the first reminder is 7 days before.
    assert rules.reminder_due(date(2027, 10, 20), opened_on=opened, due_on=due, days_before=(30, 14, 7)) is None
    assert rules.reminder_due(date(2027, 10, 24), opened_on=opened, due_on=due, days_before=(30, 14, 7)).key == "before:7"
    assert rules.reminder_due(date(2027, 11, 3), opened_on=opened, due_on=due, days_before=(7,),
                              overdue_every_days=0) is None


def test_a_missed_day_still_sends_the_latest_point():
    r = rules.reminder_due(date(2027, 10, 19), opened_on=date(2027, 10, 1), due_on=date(2027, 10, 31),
                           days_before=(30, 14, 7, 1))
    assert r.key == "before:14" and not r.overdue


START = training_rules.fiscal_year_start(2028)  # 2027-10-01 05:00 UTC


def test_standing_counts_only_this_years_evidence():
    ev = [Ev("upra", 2027, START - timedelta(days=200)), Ev("security_privacy", 2028, START + timedelta(days=3)),
          Ev("data_standards", 2028, START + timedelta(days=4))]
    st = rules.standing(ev, fiscal_year=2028, fiscal_year_start=START, carry_over_days=0, now=START + timedelta(days=10))
    assert not st.complete and st.missing == ["upra"]
    assert st.missing_labels() == ["User Policy and Responsibility Agreement"]
    assert rules.is_overdue(date(2027, 11, 1), date(2027, 10, 31), st)
    assert not rules.is_overdue(date(2027, 10, 31), date(2027, 10, 31), st)


def test_carry_over_window_counts_training_shortly_before_october_1():
    ev = [Ev(k, 2027, START - timedelta(days=10)) for k in rules.REQUIREMENTS]
    now = START + timedelta(days=40)
    assert not rules.standing(ev, fiscal_year=2028, fiscal_year_start=START, carry_over_days=0, now=now).complete
    assert not rules.standing(ev, fiscal_year=2028, fiscal_year_start=START, carry_over_days=9, now=now).complete
    st = rules.standing(ev, fiscal_year=2028, fiscal_year_start=START, carry_over_days=30, now=now)
    assert st.complete and st.completed_at == START - timedelta(days=10)


def test_future_evidence_does_not_count():
    ev = [Ev(k, 2028, START + timedelta(days=5)) for k in rules.REQUIREMENTS]
    assert not rules.standing(ev, fiscal_year=2028, fiscal_year_start=START, carry_over_days=0,
                              now=START + timedelta(days=4)).complete


def test_new_user_plan_of_this_year_is_exempt():
    assert rules.in_new_user_training(START + timedelta(days=1), START)
    assert not rules.in_new_user_training(START - timedelta(days=1), START)
    assert not rules.in_new_user_training(None, START)


def test_sign_in_message_names_the_year_date_and_what_is_missing():
    msg = rules.sign_in_message(2028, date(2027, 10, 31), ["HMIS Data Standards training"])
    assert "fiscal year 2028 by October 31, 2027" in msg and "HMIS Data Standards training" in msg
    assert "suspended" in msg


# --- the compliance dashboard ---------------------------------------------------------------------

_WHEN = datetime(2027, 10, 5, 15, tzinfo=timezone.utc)


def _st(*met: str) -> rules.Standing:
    return rules.Standing({k: (_WHEN if k in met else None) for k in rules.REQUIREMENTS})


def _status(standing, *, exempt=False, suspended=False, today=date(2027, 10, 20)):
    return rules.person_status(standing, exempt=exempt, suspended=suspended, today=today, due_on=date(2027, 10, 31))


def test_person_status_before_the_due_date_follows_what_is_met():
    assert _status(_st(*rules.REQUIREMENTS)) == rules.CERTIFIED
    assert _status(_st("upra")) == rules.IN_PROGRESS
    assert _status(_st()) == rules.NOT_STARTED


def test_person_status_after_the_due_date_is_overdue_unless_certified():
    after = date(2027, 11, 1)
    assert _status(_st("upra"), today=after) == rules.OVERDUE
    assert _status(_st(), today=after) == rules.OVERDUE
    assert _status(_st(*rules.REQUIREMENTS), today=after) == rules.CERTIFIED
    assert _status(_st(), today=date(2027, 10, 31)) == rules.NOT_STARTED  # the due date itself is still in time


def test_person_status_suspended_first_then_exempt():
    assert _status(_st(*rules.REQUIREMENTS), suspended=True) == rules.SUSPENDED  # until the lift runs
    assert _status(_st(), exempt=True, suspended=True) == rules.SUSPENDED
    assert _status(_st(), exempt=True, today=date(2027, 12, 1)) == rules.EXEMPT
    assert set(rules.STATUS_LABELS) == set(rules.STATUSES)


def test_percent_to_one_decimal_and_none_without_a_whole():
    assert rules.percent(2, 7) == 28.6
    assert rules.percent(1, 3) == 33.3
    assert rules.percent(0, 4) == 0.0
    assert rules.percent(3, 3) == 100.0
    assert rules.percent(0, 0) is None


def test_completions_per_day_covers_every_day_and_clamps_the_edges():
    first, last = date(2027, 10, 1), date(2027, 10, 5)
    days = [date(2027, 10, 3), date(2027, 10, 3), date(2027, 9, 20), date(2027, 10, 9)]
    assert rules.completions_per_day(days, first, last) == [
        (date(2027, 10, 1), 1), (date(2027, 10, 2), 0), (date(2027, 10, 3), 2), (date(2027, 10, 4), 0),
        (date(2027, 10, 5), 1)]
    assert rules.completions_per_day([], first, first - timedelta(days=3)) == [(first, 0)]


def test_spreadsheet_safe_prefixes_formula_starts_only():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert rules.spreadsheet_safe(bad) == "'" + bad
    for good in ("Ann", "", "a=b", "1-2", "'quoted"):
        assert rules.spreadsheet_safe(good) == good
