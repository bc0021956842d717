"""HUD's entry rules: cross-field and date rules, money, record ids; facts in, every problem out.

``from lms.hud import checks`` gives every check; the modules group them by what
they are about (the client, project start and exit, assessments, contacts).
"""

from __future__ import annotations

from lms.hud.applicability import ELEMENTS, is_adult, prior_living_variant, required_elements
from lms.hud.checks.assessments import (ADULT_ONLY_INCOME_FIELDS, check_disabilities, check_health_and_dv,
                                        check_income_benefits, check_information_date, health_answers, income_answers)
from lms.hud.checks.base import (EARLIEST_DATE, EARLIEST_DOB, MONEY_PRECISION, MONEY_SCALE, NO, RECORD_ID, YES,
                                 Problem, check_codes, check_dates, check_record_id, check_required, clean_text,
                                 clean_texts, dedupe, is_record_id, merge, parse_money)
from lms.hud.checks.client import CLIENT_FIELDS, check_client, client_answers
from lms.hud.checks.contacts import contact_answers
from lms.hud.checks.enrollment import (BREAK_QUESTIONS, check_enrollment, check_exit, check_household, check_move_in,
                                       check_variant_a)
from lms.hud.labels import ELEMENT_LABELS, LABELS, label_of

__all__ = [
    "ADULT_ONLY_INCOME_FIELDS", "BREAK_QUESTIONS", "CLIENT_FIELDS", "EARLIEST_DATE", "EARLIEST_DOB", "ELEMENTS",
    "ELEMENT_LABELS", "LABELS", "MONEY_PRECISION", "MONEY_SCALE", "NO", "RECORD_ID", "YES", "Problem",
    "check_client", "check_codes", "check_dates", "check_disabilities", "check_enrollment", "check_exit",
    "check_health_and_dv", "check_household", "check_income_benefits", "check_information_date", "check_move_in",
    "check_record_id", "check_required", "check_variant_a", "clean_text", "clean_texts", "client_answers",
    "contact_answers", "dedupe", "health_answers", "income_answers", "is_adult", "is_record_id", "label_of", "merge",
    "parse_money", "prior_living_variant", "required_elements",
]
