"""Parsing a setting from a form: whole numbers in ASCII digits only, time zones from the tz database."""

import pytest

from lms.core import settings
from lms.core.errors import InvalidInput

IDLE = settings.SETTINGS["auth.idle_timeout_minutes"]
ZONE = settings.SETTINGS["core.time_zone"]


def test_parse_int_with_ascii_digits_is_the_number():
    assert settings.parse(IDLE, " 20 ") == 20


@pytest.mark.parametrize("raw", ["１５", "1_5", "١٥", "15.0", "", "fifteen", "9" * 40])
def test_parse_int_other_than_ascii_digits_is_refused_with_a_message(raw):
    with pytest.raises(InvalidInput) as exc:
        settings.parse(IDLE, raw)
    assert "whole number" in exc.value.message


def test_parse_time_zone_known_name_is_kept():
    assert settings.parse(ZONE, "America/New_York") == "America/New_York"


@pytest.mark.parametrize("raw", ["Mars/Olympus", "CST6CDT/../etc", "../../etc/passwd", ""])
def test_parse_time_zone_unknown_name_is_refused(raw):
    with pytest.raises(InvalidInput):
        settings.parse(ZONE, raw)


def test_time_zone_default_is_chicago():
    assert ZONE.default == "America/Chicago"
