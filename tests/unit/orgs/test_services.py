"""Pure helpers of the orgs services: APA renewal dates and the overdue flag."""

from __future__ import annotations

from datetime import date

import lms.models  # noqa: F401 - every mapper, so Agency can be built
from lms.orgs.models import Agency
from lms.orgs.services import apa_overdue, default_renewal_due


def test_default_renewal_due_ordinary_day_one_year_later():
    assert default_renewal_due(date(2026, 3, 15)) == date(2027, 3, 15)


def test_default_renewal_due_leap_day_falls_back_to_feb_28():
    assert default_renewal_due(date(2028, 2, 29)) == date(2029, 2, 28)


def test_apa_overdue_due_before_today_true():
    assert apa_overdue(Agency(apa_renewal_due=date(2026, 11, 1)), date(2026, 11, 2)) is True


def test_apa_overdue_due_today_or_unknown_false():
    assert apa_overdue(Agency(apa_renewal_due=date(2026, 11, 2)), date(2026, 11, 2)) is False
    assert apa_overdue(Agency(apa_renewal_due=None), date(2026, 11, 2)) is False
