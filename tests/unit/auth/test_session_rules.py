"""Pure session rules: idle and absolute limits, seconds left for the warning."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lms.auth.rules import seconds_left, session_state

T0 = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)
IDLE, ABSOLUTE = timedelta(minutes=15), timedelta(hours=12)


def test_session_state_alive_just_before_idle_limit():
    assert session_state(created_at=T0, last_seen_at=T0, now=T0 + IDLE - timedelta(seconds=1),
                         idle=IDLE, absolute=ABSOLUTE).alive


def test_session_state_idle_at_limit():
    state = session_state(created_at=T0, last_seen_at=T0, now=T0 + IDLE, idle=IDLE, absolute=ABSOLUTE)
    assert not state.alive and state.reason == "idle"


def test_session_state_absolute_even_when_active():
    now = T0 + ABSOLUTE
    state = session_state(created_at=T0, last_seen_at=now - timedelta(seconds=5), now=now,
                          idle=IDLE, absolute=ABSOLUTE)
    assert not state.alive and state.reason == "absolute"


def test_seconds_left_is_the_nearer_limit():
    assert seconds_left(created_at=T0, last_seen_at=T0, now=T0, idle=IDLE, absolute=ABSOLUTE) == 15 * 60
    late = T0 + ABSOLUTE - timedelta(minutes=5)
    assert seconds_left(created_at=T0, last_seen_at=late, now=late, idle=IDLE, absolute=ABSOLUTE) == 5 * 60
    assert seconds_left(created_at=T0, last_seen_at=T0, now=T0 + timedelta(hours=1), idle=IDLE,
                        absolute=ABSOLUTE) == 0
