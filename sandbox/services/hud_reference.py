"""HUD facts other packages may read (they never import sandbox.hud themselves)."""

from __future__ import annotations

from typing import Any

from sandbox import hud, rules


def hud_columns(file_name: str) -> list[str]:
    """Return the FY2026 HMIS CSV columns of ``file_name`` ("Client.csv" ...), in HUD's order; KeyError if unknown."""
    return [c.name for c in hud.columns(file_name)]


def hud_column_type(file_name: str, column: str) -> str | None:
    """Return "string", "integer", "date", "datetime" or "money" for a column of ``file_name`` (None if unknown)."""
    for c in hud.columns(file_name):
        if c.name == column:
            return "money" if c.is_money else c.type
    return None


def hud_codes(column: str, *, disability_type: int | None = None) -> dict[Any, str] | None:
    """Return HUD's response list {code: label} for a coded column, or None when the column is not coded.

    ``DisabilityResponse`` depends on the disability type (substance use answers from list 4.10.2).
    """
    if column == "DisabilityResponse":
        return hud.codes(hud.disability_response_list(disability_type or 0))
    list_name = hud.COLUMN_LISTS.get(column)
    return hud.codes(list_name) if list_name else None


def hud_field_label(column: str) -> str:
    """Return what people call a HUD column (its column name when the sandbox has no label for it)."""
    return rules.label_of(column)


def hud_facts() -> dict[str, Any]:
    """Return the stage codes and the labels of the disability types and income sources (plain data)."""
    return {"stages": dict(hud.STAGES), "STAGE_ENTRY": hud.STAGE_ENTRY, "STAGE_UPDATE": hud.STAGE_UPDATE,
            "STAGE_EXIT": hud.STAGE_EXIT,
            "disability_types": {t: f"{n} {label}" for t, (n, label) in hud.DISABILITY_TYPES.items()},
            "income_sources": [list(s) for s in hud.INCOME_SOURCES],
            "benefit_sources": [list(s) for s in hud.BENEFIT_SOURCES],
            "insurance_sources": [list(s) for s in hud.INSURANCE_SOURCES],
            "race_columns": [list(s) for s in hud.RACE_COLUMNS]}
