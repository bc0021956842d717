"""HUD's FY2026 knowledge, pure: lists, project types, CSV columns, element applicability, entry rules, measures.

No Flask, no SQLAlchemy, no other package of the project: plain values and
dataclasses in, results with every reason out, so the LMS (orgs), the sandbox,
practice cases and quizzes all read one copy.  Data files live in ``data/``.

``import lms.hud as hud`` gives the lists and columns (``hud.codes``,
``hud.columns``, ``hud.STAGE_ENTRY`` ...); the modules hold the rest:
``applicability`` (which element, for whom, when, where), ``checks`` (cross-field
and date rules), ``labels`` (what people call fields and codes) and ``measures``
(APR question 6 and timeliness definitions).
"""

from __future__ import annotations

from lms.hud.csv_columns import (COLUMN_FILES, COLUMN_LISTS, CSV_VERSION, EXPORT_ONLY, HEADER_SPELLING, Column,
                             column_codes, column_names, column_type, columns, csv_files)
from lms.hud.lists import (BENEFIT_SOURCES, CE, DATA, DAY, DISABILITY_TYPES, DK, ES_EE, ES_NBN, HP, INCOME_SOURCES,
                           INSURANCE_SOURCES, MISSING_CODES, NOT_COLLECTED, OTHER, PERMANENT_HOUSING, PH_HO, PH_HS,
                           PNTA, PRIOR_LIVING_A, PROJECT_TYPES, PSH, RACE_COLUMNS, RENTAL_WITH_SUBSIDY, RHY_FUNDERS,
                           RRH, SH, SO, SSO, STAGE_ANNUAL, STAGE_ENTRY, STAGE_EXIT, STAGE_UPDATE, STAGES, TH, choices,
                           codes, disability_response_list, is_coc_code, is_valid, label, project_types)

__all__ = [
    "BENEFIT_SOURCES", "CE", "COLUMN_FILES", "COLUMN_LISTS", "CSV_VERSION", "Column", "DATA", "DAY",
    "DISABILITY_TYPES", "DK", "ES_EE", "ES_NBN", "EXPORT_ONLY", "HEADER_SPELLING", "HP", "INCOME_SOURCES",
    "INSURANCE_SOURCES", "MISSING_CODES", "NOT_COLLECTED", "OTHER", "PERMANENT_HOUSING", "PH_HO", "PH_HS", "PNTA",
    "PRIOR_LIVING_A", "PROJECT_TYPES", "PSH", "RACE_COLUMNS", "RENTAL_WITH_SUBSIDY", "RHY_FUNDERS", "RRH", "SH", "SO",
    "SSO", "STAGES", "STAGE_ANNUAL", "STAGE_ENTRY", "STAGE_EXIT", "STAGE_UPDATE", "TH", "choices", "codes",
    "column_codes", "column_names", "column_type", "columns", "csv_files", "disability_response_list",
    "is_coc_code", "is_valid", "label", "project_types",
]
