"""Practice cases against a trainee's sandbox: read the workspace, compare it with a segment's key."""

from __future__ import annotations

from typing import Any, Mapping

import sandbox.services as sandbox
from practice_cases import compare, validate


def differences(sdb: Any, workspace_id: int, case: Mapping[str, Any], segment: str) -> list[compare.Difference]:
    """Return what the trainee's workspace lacks, has too much of, or holds wrongly for ``segment`` of ``case``."""
    if segment not in validate.SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}")
    records = sandbox.workspace_records(sdb, workspace_id, validate.STAGE_OF[segment])
    return compare.compare_segment(case["segments"][segment]["answer_key"], records,
                                   project_type=case["project_type"], segment=segment)
