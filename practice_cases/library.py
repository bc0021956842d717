"""The case library: the JSON files in ``practice_cases/data/``, validated, kept in memory.

``flask --app wsgi lms content load`` runs :func:`load_content`: every file is
checked first and all problems of all files are reported together; when none
has a problem the library is held in an in-memory registry.  The cases themselves are
never stored in the database: an assignment names its case by id and the hash of its
content when it was assigned (see :mod:`practice_cases.models`).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from lms.core.errors import InvalidInput
from practice_cases import validate

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Case id → the case as read from its file (JSON values), filled by :func:`load_content`.
_REGISTRY: dict[str, dict[str, Any]] = {}


class LibraryInvalid(InvalidInput):
    """One or more case files are not valid; ``reasons`` holds every problem with its file and path."""


def read_library(directory: Path = DATA_DIR) -> tuple[dict[str, dict[str, Any]], list[validate.Problem]]:
    """Read and check every case file of ``directory``; return the cases by id and every problem."""
    cases, problems = {}, []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(validate.Problem(path.name, "", f"not valid JSON ({exc})"))
            continue
        found = validate.check_case(raw, path.name)
        problems += found
        if not found:
            cases[raw["id"]] = raw
    return cases, problems


def load_library(directory: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Return the valid library, or raise :class:`LibraryInvalid` naming every problem."""
    cases, problems = read_library(directory)
    if problems:
        reasons = [str(p) for p in problems]
        # The command line shows the message only: it names every problem, one a line.
        raise LibraryInvalid("\n".join([f"{len(problems)} problem(s) in the practice case library:", *reasons]),
                             reasons=reasons)
    if not cases:
        raise LibraryInvalid(f"No practice case files in {directory}.")
    return cases


def load_content(db_session: Any, *, now: datetime, directory: Path = DATA_DIR) -> list[str]:
    """Content loader: validate the library and register it in memory; return a line per case."""
    cases = load_library(directory)
    _REGISTRY.clear()
    _REGISTRY.update(cases)
    return [f"{c['id']}.json: practice case \"{c['title']}\" ({c['group']}, "
            f"{len(c['segments']['entry']['answer_key']['members'])} household member(s)) checked and listed."
            for c in cases.values()]


def cases() -> dict[str, dict[str, Any]]:
    """Return the library (read and validated on first use if no loader ran yet)."""
    if not _REGISTRY:
        _REGISTRY.update(load_library())
    return dict(_REGISTRY)


def cases_for_group(group: str) -> list[dict[str, Any]]:
    return [c for c in cases().values() if c["group"] == group]
