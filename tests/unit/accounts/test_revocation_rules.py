"""Revocation deadlines: business days skip weekends and U.S. federal holidays (observed days too)."""

from __future__ import annotations

from datetime import date

import pytest

from lms.accounts.revocations import rules


@pytest.mark.parametrize("start, n, expected", [
    (date(2026, 11, 2), 0, date(2026, 11, 2)),     # zero days: the day itself
    (date(2026, 11, 2), 3, date(2026, 11, 5)),     # Monday + 3 = Thursday
    (date(2026, 10, 30), 1, date(2026, 11, 2)),    # Friday + 1 skips the weekend
    (date(2026, 10, 31), 1, date(2026, 11, 2)),    # from a Saturday
    (date(2026, 11, 1), 1, date(2026, 11, 2)),     # from a Sunday
    (date(2026, 11, 6), 3, date(2026, 11, 12)),    # Veterans Day (Wed Nov 11) skipped
    (date(2026, 7, 1), 3, date(2026, 7, 7)),       # July 4 is a Saturday: Friday July 3 is off
    (date(2027, 7, 2), 1, date(2027, 7, 6)),       # July 4 2027 is a Sunday: Monday July 5 is off
    (date(2026, 11, 25), 3, date(2026, 12, 1)),    # Thanksgiving skipped; the Friday after is a business day
    (date(2026, 12, 23), 3, date(2026, 12, 29)),   # Christmas (Friday) skipped
    (date(2026, 12, 30), 3, date(2027, 1, 5)),     # New Year's Day across the year
    (date(2021, 12, 30), 1, date(2022, 1, 3)),     # Jan 1 2022 a Saturday: observed Friday Dec 31 2021
    (date(2027, 1, 15), 1, date(2027, 1, 19)),     # Martin Luther King Jr. Day (Mon Jan 18 2027)
    (date(2026, 6, 18), 1, date(2026, 6, 22)),     # Juneteenth (Fri Jun 19 2026)
])
def test_business_days_after_skips_weekends_and_holidays_gives_day(start, n, expected):
    assert rules.business_days_after(start, n) == expected


def test_business_days_after_negative_count_raises():
    with pytest.raises(ValueError):
        rules.business_days_after(date(2026, 11, 2), -1)


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 2), True), (date(2026, 11, 7), False), (date(2026, 11, 8), False),
    (date(2026, 11, 26), False), (date(2026, 11, 27), True), (date(2026, 12, 25), False),
    (date(2026, 7, 3), False), (date(2027, 1, 1), False), (date(2026, 12, 31), True),
])
def test_is_business_day_weekday_not_holiday_gives_answer(day, expected):
    assert rules.is_business_day(day) is expected


@pytest.mark.parametrize("effective, notified, late", [
    (date(2026, 11, 2), date(2026, 11, 2), False),    # same day
    (date(2026, 11, 2), date(2026, 11, 5), False),    # on the third business day
    (date(2026, 11, 2), date(2026, 11, 6), True),     # the fourth
    (date(2026, 11, 25), date(2026, 12, 1), False),   # Thanksgiving gives one more calendar day
    (date(2026, 11, 25), date(2026, 12, 2), True),
    (date(2026, 12, 23), date(2026, 12, 29), False),  # Christmas
    (date(2026, 12, 23), date(2026, 12, 30), True),
    (date(2026, 12, 30), date(2027, 1, 5), False),    # New Year
    (date(2026, 12, 30), date(2027, 1, 6), True),
    (date(2026, 7, 1), date(2026, 7, 7), False),      # July 4 observed on Friday July 3
    (date(2026, 7, 1), date(2026, 7, 8), True),
    (date(2026, 12, 1), date(2026, 11, 20), False),   # in advance of a planned departure
])
def test_is_late_after_three_business_days_gives_answer(effective, notified, late):
    assert rules.is_late(effective, notified) is late


@pytest.mark.parametrize("effective, notified, days, due", [
    (date(2026, 11, 2), date(2026, 11, 2), 1, date(2026, 11, 3)),
    (date(2026, 11, 25), date(2026, 11, 25), 1, date(2026, 11, 27)),   # Thanksgiving
    (date(2026, 12, 1), date(2026, 11, 20), 1, date(2026, 12, 2)),     # advance notice: after its date
    (date(2026, 11, 2), date(2026, 11, 6), 1, date(2026, 11, 9)),      # late notice: after it arrives
    (date(2026, 11, 2), date(2026, 11, 2), 0, date(2026, 11, 2)),      # setting 0: the same day
])
def test_credential_due_counts_from_the_later_day(effective, notified, days, due):
    assert rules.credential_due(effective, notified, days) == due


TODAY = date(2026, 11, 2)


@pytest.mark.parametrize("kw, expected", [
    ({}, []),
    ({"effective": None}, ["Enter the date the person stops needing HMIS access."]),
    ({"effective": date(2025, 10, 1)}, ["The date is more than a year ago. Check the year."]),
    ({"effective": date(2062, 11, 2)},
     ["The date is more than a year ahead. Check the year, or send the notice nearer the time."]),
    ({"member_now": False}, ["This person no longer has access through your agency."]),
    ({"open_notice": True}, ["A notice for this person at your agency is already waiting for its date."]),
    ({"reason_text": "  "}, ["Say briefly why the person no longer needs access."]),
    ({"effective": None, "member_now": False, "reason_text": ""},
     ["Enter the date the person stops needing HMIS access.", "This person no longer has access through your agency.",
      "Say briefly why the person no longer needs access."]),
])
def test_notice_refusals_lists_every_reason(kw, expected):
    facts = {"effective": TODAY, "today": TODAY, "member_now": True, "open_notice": False, "reason_text": "Left",
             **kw}
    check = rules.notice_refusals(**facts)
    assert check.reasons == expected
    assert check.allowed is (expected == [])


@pytest.mark.parametrize("applied, done, status", [
    (False, False, "scheduled"), (True, False, "open"), (True, True, "done"),
])
def test_status_of_notice_follows_its_steps(applied, done, status):
    assert rules.status_of(applied=applied, credential_done=done) == status
