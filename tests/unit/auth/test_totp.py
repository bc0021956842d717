"""TOTP: RFC 6238 vectors, the ±1 step window and replay protection."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from lms.auth.rules import totp_match_step

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    "unix,expected",
    [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
     (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")],
)
def test_totp_rfc6238_sha1_vectors_match(unix, expected):
    totp = pyotp.TOTP(RFC_SECRET, digits=8, digest=hashlib.sha1, interval=30)
    assert totp.at(unix) == expected


NOW = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # fixed, so the window tests are deterministic


def _code(at: datetime) -> str:
    return pyotp.TOTP(SECRET).at(at)


def test_totp_current_code_accepted():
    assert totp_match_step(SECRET, _code(NOW), now=NOW, last_step=None) == pyotp.TOTP(SECRET).timecode(NOW)


@pytest.mark.parametrize("offset", [-30, 30])
def test_totp_code_one_step_away_accepted(offset):
    assert totp_match_step(SECRET, _code(NOW + timedelta(seconds=offset)), now=NOW, last_step=None) is not None


@pytest.mark.parametrize("offset", [-90, 90])
def test_totp_code_outside_window_refused(offset):
    code = _code(NOW + timedelta(seconds=offset))
    assert code not in {_code(NOW + timedelta(seconds=s)) for s in (-30, 0, 30)}
    assert totp_match_step(SECRET, code, now=NOW, last_step=None) is None


def test_totp_used_code_refused_again():
    step = totp_match_step(SECRET, _code(NOW), now=NOW, last_step=None)
    assert step is not None
    assert totp_match_step(SECRET, _code(NOW), now=NOW + timedelta(seconds=5), last_step=step) is None


def test_totp_earlier_step_after_accepted_step_refused():
    step = totp_match_step(SECRET, _code(NOW), now=NOW, last_step=None)
    assert totp_match_step(SECRET, _code(NOW - timedelta(seconds=30)), now=NOW, last_step=step) is None


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_totp_malformed_code_refused(code):
    assert totp_match_step(SECRET, code, now=NOW, last_step=None) is None
