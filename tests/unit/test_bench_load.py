"""The benchmark's arithmetic (bench.load): how the bare endpoint and the app take turns, and how runs add up."""

from __future__ import annotations

import pytest

from bench.load import Rate, combined, interleaved


def test_bare_and_app_take_turns_so_a_drift_falls_on_both_alike():
    calls: list[tuple[str, int]] = []
    clock = iter(range(100, 0, -10))  # the machine slows down run after run

    def run(side: str):
        def go(seconds: int) -> Rate:
            calls.append((side, seconds))
            return Rate(rps=next(clock), p50_ms=1.0, p99_ms=2.0, requests=10, errors=0)
        return go

    bare, app = interleaved(run("bare"), run("app"), slice_seconds=3, slices=4)
    assert [side for side, _ in calls] == ["bare", "app", "app", "bare"] * 2
    assert {seconds for _, seconds in calls} == {3}
    # A steady slowdown of 10 per run: measured one side after the other, the app would seem 40 slower.
    assert bare.rps == app.rps == 65 and bare.requests == app.requests == 40


def test_runs_combine_into_one_rate():
    rate = combined([Rate(rps=100, p50_ms=1.0, p99_ms=9.0, requests=300, errors=1),
                     Rate(rps=50, p50_ms=4.0, p99_ms=5.0, requests=100, errors=2)])
    assert rate.rps == 75 and rate.requests == 400 and rate.errors == 3
    assert rate.p50_ms == pytest.approx((300 * 1.0 + 100 * 4.0) / 400) and rate.p99_ms == 9.0
    assert combined([Rate(rps=0, p50_ms=0, p99_ms=0, requests=0, errors=5)]).errors == 5


def test_heartbeats_held_up_beside_a_slow_page_fail_the_run():
    from bench.beside import FLOOR, Beside

    def rate(rps: float, errors: int = 0) -> Rate:
        return Rate(rps=rps, p50_ms=1.0, p99_ms=5.0, requests=int(rps), errors=errors)

    def run(beside_rps: float, **over) -> Beside:
        fields = {"slow_seconds": [0.9, 1.1], "slow_statuses": {200: 2}, "locked": 0, **over}
        return Beside("/heartbeat", "/slow", rate(1000), rate(beside_rps), **fields)

    assert not run(1000 * FLOOR).failed and run(1000 * FLOOR).ratio == FLOOR
    assert run(1000 * FLOOR - 1).failed  # a write lock held across the slow read: ~0.01 of the rate
    assert run(900, locked=1).failed
    assert run(900, slow_statuses={200: 1, 500: 1}).failed
    assert run(900, slow_seconds=[], slow_statuses={}).failed  # the slow page never finished: proves nothing
    assert "0.90 of the rate kept" in run(900).describe()
