"""Reading the audit log: details in words, days typed in U.S. or ISO form, day bounds in the local zone."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from lms.core import audit
from lms.core.errors import InvalidInput

CHICAGO = ZoneInfo("America/Chicago")


def test_audit_details_of_a_change_name_both_sides_and_show_us_dates():
    ev = SimpleNamespace(action="orgs.agency_changed",
                         details={"coc_id": "3 → 4", "apa_signed_on": "None → 2026-07-04", "role": "helpdesk"})
    names = {("coc", "3"): "MO-600 Springfield", ("coc", "4"): "MO-606 Balance of State"}
    assert audit.describe_details(ev, names) == [
        ("APA signed", "none → 07/04/2026"), ("CoC", "MO-600 Springfield → MO-606 Balance of State"),
        ("Role", "Helpdesk reviewer")]


@pytest.mark.parametrize("raw", ["12/01/2026", "2026-12-01", " 12/1/2026 "])
def test_parse_day_us_or_iso_form_is_the_day(raw):
    assert audit.parse_day(raw) == date(2026, 12, 1)


@pytest.mark.parametrize("raw", ["2026-02-30", "１２/０１/２０２６", "yesterday", "01/12/26"])
def test_parse_day_impossible_or_non_ascii_is_refused(raw):
    with pytest.raises(InvalidInput, match="real day"):
        audit.parse_day(raw)


def test_day_bounds_cover_whole_local_days_in_utc():
    since, until = audit.day_bounds(date(2026, 12, 1), date(2026, 12, 1), CHICAGO)
    assert since == datetime(2026, 12, 1, 6, tzinfo=timezone.utc)
    assert until == datetime(2026, 12, 2, 6, tzinfo=timezone.utc)


def test_day_bounds_at_the_ends_of_the_calendar_are_no_bound():
    assert audit.day_bounds(date.max - timedelta(days=1), date.max, CHICAGO)[1] is None
    # The first day of the calendar starts, at UTC+14, before the calendar does.
    assert audit.day_bounds(date.min, date.max, timezone(timedelta(hours=14))) == (None, None)
