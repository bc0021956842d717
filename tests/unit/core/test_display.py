"""The shared display filters: U.S. dates, 12-hour times in the HMIS Lead's zone, readable durations."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from lms.core import display

CHICAGO = ZoneInfo("America/Chicago")


def test_format_date_of_a_date_is_month_day_year():
    assert display.format_date(date(2026, 12, 1)) == "12/01/2026"


def test_format_date_of_a_utc_time_after_local_midnight_is_the_local_day():
    # 03:30 UTC on 2 Dec is still 1 Dec in Chicago.
    assert display.format_date(datetime(2026, 12, 2, 3, 30, tzinfo=timezone.utc), CHICAGO) == "12/01/2026"


def test_format_date_of_an_iso_string_is_month_day_year():
    assert display.format_date("2026-07-04") == "07/04/2026"


@pytest.mark.parametrize("value", [None, ""])
def test_format_date_of_nothing_is_empty(value):
    assert display.format_date(value) == ""
    assert display.format_datetime(value) == ""


def test_format_datetime_in_winter_is_12_hour_with_cst():
    assert display.format_datetime(datetime(2026, 12, 1, 22, 5, tzinfo=timezone.utc), CHICAGO) == "12/01/2026 4:05 PM CST"


def test_format_datetime_in_summer_is_cdt():
    assert display.format_datetime(datetime(2026, 7, 1, 5, 0, tzinfo=timezone.utc), CHICAGO) == "07/01/2026 12:00 AM CDT"


def test_format_datetime_at_noon_is_pm():
    assert display.format_datetime(datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc), CHICAGO) == "12/01/2026 12:00 PM CST"


def test_format_datetime_in_another_zone_uses_its_clock():
    eastern = ZoneInfo("America/New_York")
    assert display.format_datetime(datetime(2026, 12, 1, 22, 5, tzinfo=timezone.utc), eastern) == "12/01/2026 5:05 PM EST"


def test_format_datetime_of_a_date_is_the_date_alone():
    assert display.format_datetime(date(2026, 12, 1), CHICAGO) == "12/01/2026"


@pytest.mark.parametrize("seconds, words", [(300, "5 minutes"), (60, "1 minute"), (3600, "1 hour"),
                                            (86400, "1 day"), (90, "90 seconds")])
def test_format_duration_uses_the_largest_whole_unit(seconds, words):
    assert display.format_duration(seconds) == words


def test_format_daily_time_shows_the_local_clock():
    assert display.format_daily_time("03:00", CHICAGO, date(2026, 12, 1)) == "9:00 PM CST"


def test_humanize_a_dotted_code_gives_its_last_part_in_words():
    assert display.humanize("auth.session_superseded") == "Session superseded"


def test_zone_named_unknown_falls_back_to_chicago():
    assert display.zone_named("Mars/Olympus") == CHICAGO

