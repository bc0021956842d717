"""Practice cases against a trainee's sandbox: read the workspace, freeze it, compare it with a segment's key."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Mapping

import sandbox.services as sandbox
from practice_cases import compare, validate


def _records(sdb: Any, workspace_id: int, segment: str) -> list[dict[str, Any]]:
    if segment not in validate.SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}")
    return sandbox.workspace_records(sdb, workspace_id, validate.STAGE_OF[segment])


def differences(sdb: Any, workspace_id: int, case: Mapping[str, Any], segment: str) -> list[compare.Difference]:
    """Return what the trainee's workspace lacks, has too much of, or holds wrongly for ``segment`` of ``case``."""
    return compare.compare_segment(case["segments"][segment]["answer_key"], _records(sdb, workspace_id, segment),
                                   project_type=case["project_type"], segment=segment)


def _plain(value: Any) -> Any:
    """Turn sandbox values into JSON values: dates as ISO text, amounts as decimal text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def freeze(sdb: Any, workspace_id: int, case: Mapping[str, Any], segment: str) -> tuple[list[Any], list[dict]]:
    """Return (snapshot, comparison) of the workspace for ``segment``, both plain JSON values.

    The snapshot is what :func:`sandbox.services.workspace_records` reads at the segment's stage;
    the comparison is every :class:`~practice_cases.compare.Difference` as a dict.
    """
    records = _records(sdb, workspace_id, segment)
    found = compare.compare_segment(case["segments"][segment]["answer_key"], records,
                                    project_type=case["project_type"], segment=segment)
    return _plain(records), [d.as_dict() for d in found]
