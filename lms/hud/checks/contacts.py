"""4.12 Current living situation: one record per contact, in the projects (and for the people) HUD asks it of."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping

from lms.hud.applicability import current_living_situation_reason
from lms.hud.checks.base import Problem, check_codes, clean_texts


def contact_answers(data: Mapping[str, Any], *, project_type: int | None, funders: Iterable[int] = (),
                    entry_date: date, exit_date: date | None = None, today: date, is_hoh: bool,
                    is_adult: bool) -> tuple[dict[str, Any], list[Problem]]:
    """Return a 4.12 contact's answers as stored (texts cleaned) and every problem.

    The project must record contacts (by type, or by an RHY funder), the person
    must be an adult or the head of household, and the contact falls within the
    stay and not in the future.
    """
    values, problems = clean_texts(data, "CurrentLivingSituation.csv")
    problems += check_codes(values, ["CurrentLivingSituation", "CLSSubsidyType"])
    reason = current_living_situation_reason(project_type, funders, is_hoh=is_hoh, is_adult=is_adult)
    if reason is not None:
        problems.append(Problem("CurrentLivingSituation", reason))
    info = values.get("InformationDate")
    if info is None:
        problems.append(Problem("InformationDate", "Date of contact: enter it."))
    elif info < entry_date or info > today or (exit_date is not None and info > exit_date):
        problems.append(Problem("InformationDate", "Date of contact: it must be within the stay and not in the future."))
    if values.get("CurrentLivingSituation") is None:
        problems.append(Problem("CurrentLivingSituation", "Current living situation: choose where the client is staying."))
    return values, problems
