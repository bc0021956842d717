"""Writes beside a slow read: heartbeats alone, then with a slow page downloaded over and over beside them.

Every SQLite transaction once took the write lock from its first statement to the end of the request, reads
included: one person's slow page (then the sandbox home of a 10,000-client workspace, 2 s) dropped everyone
else's requests from ~500 a second to ~0.5.  Reads now never take it (``lms.core.db``), and this measures
that in the served app: the video heartbeat (each one locks and updates the person's progress row and
commits) alone, and while an HMIS manager downloads the recertification dashboard's XLSX of 5,000 people
(some 0.35 s of reading and building, with its transaction open) again and again, in alternating slices
(:func:`bench.load.interleaved`).  With the slow page holding one of the three workers and a third of the
core, the heartbeats keep about two thirds of their rate on SQLite (0.66 measured) and somewhat less on
PostgreSQL, whose server shares the cores (0.55-0.58); with SQLite's write lock taken at BEGIN, as it once
was, they kept 0.01.  The run fails below :data:`FLOOR` of the rate alone, on any error, or on a "database
is locked".
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench.load import Rate, Server, interleaved, request, wrk

#: The share of their rate alone the heartbeats must keep beside the slow page: well under what the cores
#: allow (above), forty times what a lock held across the slow page left.
FLOOR = 0.4
SLOW_PAGE = "/recertification/dashboard/export.xlsx"


@dataclass
class Beside:
    heartbeat: str
    slow_page: str
    alone: Rate
    beside: Rate
    #: Seconds each download of the slow page took, and the statuses it answered.
    slow_seconds: list[float] = field(default_factory=list)
    slow_statuses: dict[int, int] = field(default_factory=dict)
    locked: int = 0

    @property
    def ratio(self) -> float:
        return self.beside.rps / self.alone.rps if self.alone.rps else 0.0

    @property
    def failed(self) -> bool:
        return (self.ratio < FLOOR or bool(self.alone.errors or self.beside.errors or self.locked)
                or not self.slow_seconds or set(self.slow_statuses) != {200})

    def describe(self) -> str:
        slow = (f"{len(self.slow_seconds)} downloads, p50 {statistics.median(self.slow_seconds):.2f} s"
                if self.slow_seconds else "no download finished")
        return (f"{self.heartbeat} {self.alone.rps:.0f}/s alone (p99 {self.alone.p99_ms:.1f} ms), "
                f"{self.beside.rps:.0f}/s beside {self.slow_page} ({slow}, statuses "
                f"{dict(sorted(self.slow_statuses.items()))}): **{self.ratio:.2f} of the rate kept** "
                f"(at least {FLOOR:.2f}; p99 {self.beside.p99_ms:.1f} ms), {self.alone.errors + self.beside.errors} "
                f"errors, {self.locked} \"database is locked\"")


def run(served: Server, *, heartbeat: str, form: dict, cookie: str, slow_cookie: str, slice_seconds: int,
        slices: int = 2) -> Beside:
    """Measure ``heartbeat`` (POSTing ``form``) alone and beside :data:`SLOW_PAGE` fetched in a loop."""
    seconds: list[float] = []
    statuses: dict[int, int] = {}

    def alone(length: int) -> Rate:
        return wrk(served.host, heartbeat, seconds=length, cookie=cookie, form=form)

    def beside(length: int) -> Rate:
        stop = threading.Event()

        def download() -> None:
            while not stop.is_set():
                t0 = time.monotonic()
                try:
                    status, _, _ = request(served.host, "GET", SLOW_PAGE, cookie=slow_cookie, timeout=60)
                except (OSError, http.client.HTTPException):  # no answer (a timeout, a reset): status 0, a failure
                    status = 0
                seconds.append(time.monotonic() - t0)
                statuses[status] = statuses.get(status, 0) + 1

        thread = threading.Thread(target=download, daemon=True)
        thread.start()
        time.sleep(0.2)  # the first download under way before the heartbeats start
        try:
            return wrk(served.host, heartbeat, seconds=length, cookie=cookie, form=form)
        finally:
            stop.set()
            thread.join(90)

    # The person's first report creates their progress row; six at once could collide on it (a 409, which
    # the player skips): the measured ones update it, as while a video plays.
    status, _, body = request(served.host, "POST", heartbeat, body=form, cookie=cookie)
    assert status == 200, (heartbeat, status, body[:300])
    locked_before = served.log_count("database is locked")
    a, b = interleaved(alone, beside, slice_seconds=slice_seconds, slices=slices)
    return Beside(heartbeat, SLOW_PAGE, a, b, seconds, statuses, served.log_count("database is locked") - locked_before)
