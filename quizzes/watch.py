"""How much of a course video a person has watched: pure rules, no Flask, no database.

The player reports the interval it has just played, ``[start, end]`` in video seconds, about every ten
seconds, on pause and at the end, and an empty one (``start == end``) when playing starts, which opens
the clock.  The server keeps the union of the intervals credited so far and credits a report only as
far as it could really have been played: since the previous report at most
``elapsed × max_rate × (1 + TOLERANCE)`` seconds of video can have passed.  So reports sent faster than
real time (their allowances add up to no more than one report's), a seek ahead reported as played, or
an invented ``[0, duration]`` add nothing beyond that.  Watching the same part twice adds nothing
either: only the union counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

DEFAULT_MAX_RATE = 2
DEFAULT_UNLOCK_PERCENT = 95
#: Share credited beyond ``elapsed × max_rate`` (network jitter, the timers' rounding).  A share, not a
#: fixed number of seconds per report, so that many quick reports earn no more than one.
TOLERANCE = 0.1
#: Longest wall-clock gap between two reports that counts (the player reports every 10 s while playing,
#: and a new play opens the clock afresh); an old page cannot claim an hour of watching.
MAX_ELAPSED = 60.0
#: Intervals this close are joined (float rounding only: a gap, however short, is never credited).
JOIN_GAP = 0.005
#: A position this far past the video's known duration is refused (the file's real length differs by a frame).
OVERRUN = 2.0
#: Stored precision (seconds).
PLACES = 2

Intervals = list[list[float]]


class BadReport(ValueError):
    """The reported interval is not a pair of finite, ordered, non-negative positions within the video."""


def parse_interval(start: object, end: object, *, duration: float) -> tuple[float, float]:
    """Read a reported ``start`` and ``end`` (form strings or numbers); clamp to the video, or raise BadReport."""
    values = []
    for name, raw in (("start", start), ("end", end)):
        if raw is None or (isinstance(raw, str) and not raw.strip()) or isinstance(raw, bool):
            raise BadReport(f"{name} is missing.")
        if isinstance(raw, str) and len(raw) > 32:
            raise BadReport(f"{name} is not a number.")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise BadReport(f"{name} is not a number.") from None
        if not math.isfinite(value):
            raise BadReport(f"{name} is not a number.")
        if value < 0:
            raise BadReport(f"{name} is negative.")
        if value > duration + OVERRUN:
            raise BadReport(f"{name} is past the end of the video.")
        values.append(min(value, duration))
    if values[1] < values[0]:
        raise BadReport("end is before start.")
    return values[0], values[1]


def normalise(intervals: Iterable[Sequence[float]]) -> Intervals:
    """Return the union of ``intervals`` as sorted, disjoint ``[start, end]`` pairs (empty ones dropped)."""
    merged: Intervals = []
    for a, b in sorted((float(a), float(b)) for a, b in intervals if b > a):
        if merged and a <= merged[-1][1] + JOIN_GAP:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [[round(a, PLACES), round(b, PLACES)] for a, b in merged]


def merge(intervals: Iterable[Sequence[float]], start: float, end: float) -> Intervals:
    """Add ``[start, end]`` to the union ``intervals``."""
    return normalise([*intervals, (start, end)])


def covered(intervals: Iterable[Sequence[float]]) -> float:
    """Seconds of video inside the union."""
    return round(sum(b - a for a, b in normalise(intervals)), PLACES)


def allowance(elapsed_seconds: float | None, *, max_rate: float = DEFAULT_MAX_RATE) -> float:
    """Most seconds of video that can have played in ``elapsed_seconds`` of wall-clock time.

    ``None`` (no previous report: the first one opens the clock) allows nothing.
    """
    elapsed = min(MAX_ELAPSED, max(0.0, elapsed_seconds or 0.0))
    return elapsed * max(1.0, max_rate) * (1 + TOLERANCE)


@dataclass(frozen=True)
class Credit:
    intervals: Intervals
    #: Seconds of the video now watched (the union's length).
    seconds: float
    #: Seconds this report added.
    added: float
    position: float


def credit(intervals: Iterable[Sequence[float]], start: float, end: float, *, duration: float,
           elapsed_seconds: float | None, max_rate: float = DEFAULT_MAX_RATE) -> Credit:
    """Credit the reported ``[start, end]`` as far as it could have played since the previous report.

    A longer report is cut to its first ``allowance`` seconds; the position is the end reported (the
    player resumes there), clamped to the video.
    """
    start, end = max(0.0, min(start, duration)), max(0.0, min(end, duration))
    before = normalise(intervals)
    end_credited = min(end, start + allowance(elapsed_seconds, max_rate=max_rate))
    after = merge(before, start, end_credited) if end_credited > start else before
    seconds = min(covered(after), duration)
    return Credit(after, seconds, round(max(0.0, seconds - covered(before)), PLACES), round(end, PLACES))


def percent(seconds: float, duration: float) -> int:
    """Whole percent of the video watched (floored: 94.9% is 94%)."""
    if duration <= 0:
        return 100
    return max(0, min(100, math.floor(seconds * 100 / duration + 1e-9)))


def unlocked(seconds: float, duration: float, *, threshold: int = DEFAULT_UNLOCK_PERCENT) -> bool:
    """Whether enough of the video is watched to open the course's test."""
    return duration <= 0 or seconds * 100 >= threshold * duration - 1e-9


def resume_at(position: float, duration: float) -> float:
    """Where the player starts: the last position, or the beginning when the video was watched to the end."""
    return 0.0 if position >= duration - 1 else max(0.0, position)
