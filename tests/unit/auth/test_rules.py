"""Pure sign-in rules: RFC 6238 TOTP, replay, throttling, session expiry."""

import base64
from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from lms.auth import rules

#: RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" and its 8-digit codes.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
               (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")]


def at(seconds):
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


@pytest.mark.parametrize("seconds,code", RFC_VECTORS)
def test_totp_library_matches_rfc6238_vectors(seconds, code):
    assert pyotp.TOTP(RFC_SECRET, digits=8, interval=30).at(at(seconds)) == code


@pytest.mark.parametrize("seconds,code", RFC_VECTORS)
def test_match_step_accepts_six_digit_form_of_rfc_vector(seconds, code):
    # A 6-digit code is the 8-digit one modulo 10^6 (same HOTP truncation).
    assert rules.totp_match_step(RFC_SECRET, code[-6:], now=at(seconds), last_step=None) == seconds // 30


def test_match_step_accepts_one_step_of_drift_but_not_two():
    now = at(1234567890)
    prev = pyotp.TOTP(RFC_SECRET).at(now - timedelta(seconds=30))
    old = pyotp.TOTP(RFC_SECRET).at(now - timedelta(seconds=60))
    assert rules.totp_match_step(RFC_SECRET, prev, now=now, last_step=None) == 1234567890 // 30 - 1
    assert rules.totp_match_step(RFC_SECRET, old, now=now, last_step=None) is None


def test_match_step_refuses_replayed_or_older_step():
    now = at(1234567890)
    code = pyotp.TOTP(RFC_SECRET).at(now)
    step = rules.totp_match_step(RFC_SECRET, code, now=now, last_step=None)
    assert rules.totp_match_step(RFC_SECRET, code, now=now, last_step=step) is None
    prev = pyotp.TOTP(RFC_SECRET).at(now - timedelta(seconds=30))
    assert rules.totp_match_step(RFC_SECRET, prev, now=now, last_step=step) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", None])
def test_match_step_refuses_malformed_codes(bad):
    assert rules.totp_match_step(RFC_SECRET, bad, now=at(59), last_step=None) is None


def test_throttle_delay_rises_then_caps():
    assert rules.throttle_delay(2, 3) == timedelta(0)
    delays = [rules.throttle_delay(n, 3) for n in range(3, 20)]
    assert delays == sorted(delays) and delays[0] == timedelta(seconds=2) and delays[1] == timedelta(seconds=4)
    assert delays[-1] == rules.MAX_DELAY


def test_may_attempt_waits_out_the_delay():
    t = at(1000)
    assert not rules.may_attempt(4, t, throttle_after=3, now=t + timedelta(seconds=3)).allowed
    assert rules.may_attempt(4, t, throttle_after=3, now=t + timedelta(seconds=4)).allowed


def test_session_state_idle_and_absolute():
    t = at(0)
    idle, absolute = timedelta(minutes=15), timedelta(hours=12)
    assert rules.session_state(created_at=t, last_seen_at=t, now=t + timedelta(minutes=14), idle=idle,
                               absolute=absolute).alive
    assert rules.session_state(created_at=t, last_seen_at=t, now=t + timedelta(minutes=15), idle=idle,
                               absolute=absolute).reason == "idle"
    late = t + timedelta(hours=12)
    assert rules.session_state(created_at=t, last_seen_at=late - timedelta(minutes=1), now=late, idle=idle,
                               absolute=absolute).reason == "absolute"


HOSTILE_NEXT = [
    "//evil.example", "/\t/evil.example", "/\n/x", "/\r\n/x", "\t//x", " //x", "\x00//x", "/\x00/x",
    "/\\evil", "\\\\evil", "/%5Cevil", "/%5C%5Cevil", "/%2F/evil.example", "/%09/evil.example",
    "/%0A/x", "https:evil", "https://evil.example", "javascript:alert(1)", "http:/evil",
    "evil.example", "./x", "", "/\u200b/evil", "/\u3000/evil", "/\u00a0/x", "/\u2028/x",
    "\u202e/x", "/x\u0085y",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_safe_next_path_refuses_hostile_value_after_browser_normalisation(target):
    assert rules.safe_next_path(target) is None


@pytest.mark.parametrize("target", ["/", "/admin/audit?page=2", "/sandbox/clients?q=Jane%20Doe", "/a/b/",
                                    "/caf\u00e9", "/a?next=//x"])
def test_safe_next_path_keeps_a_path_on_this_site(target):
    assert rules.safe_next_path(target) == target


@pytest.mark.parametrize("raw", ["１２３４５６", "٠١٢٣٤٥", "۱۲۳۴۵۶", "12345", "1234567", "12a456", "",
                                 "¹²³⁴⁵⁶", "123 45"])
def test_totp_code_refuses_anything_but_six_ascii_digits(raw):
    assert rules.totp_code(raw) is None


def test_totp_code_drops_spaces():
    assert rules.totp_code(" 123 456 ") == "123456"


def test_match_step_refuses_non_ascii_digits_without_error():
    assert rules.totp_match_step(RFC_SECRET, "１２３４５６", now=at(59), last_step=None) is None


def test_seconds_left_rounds_up_so_a_page_never_acts_early():
    start = at(1_000_000)
    left = rules.seconds_left(created_at=start, last_seen_at=start, now=start + timedelta(seconds=59.2),
                              idle=timedelta(minutes=1), absolute=timedelta(hours=1))
    assert left == 1
