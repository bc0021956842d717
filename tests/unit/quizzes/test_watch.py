"""Watch credit: the union of intervals, what a report can earn, the unlock threshold, refused reports."""

from __future__ import annotations

import math

import pytest

from quizzes import watch


def test_union_merges_overlapping_and_touching_and_keeps_gaps():
    assert watch.merge([], 0, 10) == [[0, 10]]
    assert watch.merge([[0, 10]], 5, 20) == [[0, 20]]
    assert watch.merge([[0, 10]], 10, 15) == [[0, 15]]
    assert watch.merge([[0, 10]], 30, 40) == [[0, 10], [30, 40]]
    assert watch.merge([[0, 10], [30, 40]], 8, 32) == [[0, 40]]
    assert watch.merge([[30, 40], [0, 10]], 12, 12) == [[0, 10], [30, 40]]  # empty interval adds nothing
    assert watch.covered([[0, 10], [5, 20], [30, 31]]) == 21


def test_watching_the_same_part_twice_counts_once():
    c = watch.credit([[0, 10]], 0, 10, duration=40, elapsed_seconds=10)
    assert c.seconds == 10 and c.added == 0 and c.intervals == [[0, 10]]


def test_normal_playback_is_credited_in_full():
    c = watch.credit([], 0, 10, duration=40, elapsed_seconds=10)
    assert (c.seconds, c.added, c.position) == (10, 10, 10)
    c = watch.credit(c.intervals, 10, 20, duration=40, elapsed_seconds=10.2)
    assert c.intervals == [[0, 20]] and c.seconds == 20


def test_double_speed_is_credited_but_no_faster():
    assert watch.credit([], 0, 20, duration=60, elapsed_seconds=10).seconds == 20
    assert watch.credit([], 0, 40, duration=60, elapsed_seconds=10).seconds == 22  # 10 s × 2 × 1.1
    assert watch.credit([], 0, 40, duration=60, elapsed_seconds=10, max_rate=1).seconds == 11


def test_first_report_opens_the_clock_and_earns_nothing():
    c = watch.credit([], 0, 30, duration=40, elapsed_seconds=None)
    assert c.seconds == 0 and c.intervals == [] and c.position == 30


def test_fast_heartbeats_earn_no_more_than_the_time_that_passed():
    intervals, position = [], 0.0
    for _ in range(100):  # a hundred reports within one second, each claiming ten seconds
        c = watch.credit(intervals, position, position + 10, duration=600, elapsed_seconds=0.01)
        intervals, position = c.intervals, position + 10
    assert watch.covered(intervals) <= 1 * 2 * 1.1 + 1e-6


def test_seeking_ahead_earns_only_what_was_played():
    c = watch.credit([[0, 10]], 10, 12, duration=60, elapsed_seconds=1)
    c = watch.credit(c.intervals, 50, 55, duration=60, elapsed_seconds=5)  # seeked to 50, played 5 s
    assert c.intervals == [[0, 12], [50, 55]] and c.seconds == 17
    assert watch.percent(c.seconds, 60) == 28


def test_forged_whole_video_is_cut_to_the_allowance():
    c = watch.credit([], 0, 3600, duration=47, elapsed_seconds=5)
    assert c.seconds == 11 and c.position == 47  # clamped to the video
    # An old page cannot claim the long time since its previous report.
    assert watch.credit([], 0, 600, duration=600, elapsed_seconds=3600).seconds == pytest.approx(60 * 2 * 1.1)


def test_credit_never_exceeds_the_duration():
    c = watch.credit([[0, 45]], 40, 60, duration=47, elapsed_seconds=30)
    assert c.seconds == 47 and c.intervals == [[0, 47]]


@pytest.mark.parametrize("seconds,duration,expected", [(0, 40, 0), (24.8, 40, 62), (37.99, 40, 94), (40, 40, 100),
                                                       (5, 0, 100)])
def test_percent_is_floored(seconds, duration, expected):
    assert watch.percent(seconds, duration) == expected


def test_unlocks_at_the_threshold():
    assert not watch.unlocked(37.9, 40)
    assert watch.unlocked(38, 40)  # exactly 95%
    assert watch.unlocked(36, 40, threshold=90)
    assert not watch.unlocked(39.9, 40, threshold=100)


@pytest.mark.parametrize("start,end", [("nan", "5"), ("0", "inf"), ("-1", "5"), ("0", "1e9"), ("10", "5"),
                                       ("", "5"), (None, "5"), ("abc", "5"), ("0", "1" * 40), (True, 5),
                                       ("0x10", "20")])
def test_bad_reports_are_refused(start, end):
    with pytest.raises(watch.BadReport):
        watch.parse_interval(start, end, duration=40)


def test_good_reports_are_read_and_clamped():
    assert watch.parse_interval("1.5", "11.25", duration=40) == (1.5, 11.25)
    assert watch.parse_interval(0, 41.5, duration=40) == (0, 40)  # the file runs a frame longer
    assert watch.parse_interval("3", "3", duration=40) == (3, 3)
    assert not math.isnan(watch.parse_interval("0", "0", duration=40)[0])


def test_resume_at_the_last_position_or_the_start_after_the_end():
    assert watch.resume_at(12.5, 40) == 12.5
    assert watch.resume_at(39.5, 40) == 0
