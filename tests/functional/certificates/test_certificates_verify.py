"""Certificates of annual training, the public check at /verify: valid, typed, revoked, unknown or malformed
codes, a NUL, and the rate limit per address.
"""

from __future__ import annotations

import pytest

from lms.certificates import rules, services
from tests.functional.certificates.certificates_world import FY, _text
from tests.functional.certificates.certificates_world import certified, world  # noqa: F401 - the fixtures


# --- the public check --------------------------------------------------------------------------------

def test_verify_a_valid_certificate_shows_name_year_and_valid_only(app, certified, world):
    certificate, _ = certified
    resp = app.test_client().get(f"/verify/{certificate.code}")
    page = _text(resp)
    assert resp.status_code == 200
    assert "Ed Enduser" in page and f"{FY}" in page and "Valid" in page
    assert world.ed.email not in page and "Harbor House" not in page and "Revoked" not in page
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_verify_accepts_a_typed_code_with_hyphens_and_lower_case(app, certified):
    certificate, _ = certified
    typed = rules.display_code(certificate.code).lower()
    resp = app.test_client().get("/verify", query_string={"code": f" {typed} "})
    assert resp.status_code == 200 and "Ed Enduser" in _text(resp)


@pytest.mark.parametrize("url", ["/verify", "/verify?code=", "/verify?code=+++"])
def test_verify_form_without_a_code_shows_the_form(app, url):
    resp = app.test_client().get(url)
    assert resp.status_code == 200 and 'name="code"' in _text(resp) and "Verify a certificate" in _text(resp)


def test_verify_a_revoked_certificate_says_revoked_with_its_date(app, certified, db_session, world, clock):
    certificate, _ = certified
    clock.advance(days=3)
    services.revoke_all(db_session, world.ed, reason="Private reason", cause="test", now=clock.now)
    db_session.commit()
    page = _text(app.test_client().get(f"/verify/{certificate.code}"))
    assert "Revoked (November 5, 2026)" in page
    assert "Valid" not in page and "Private reason" not in page


@pytest.mark.parametrize("code", ["ABCDEFGHJKMN", "x", "A" * 10_000, "ЖЖЖЖЖЖЖЖЖЖЖЖ", "١٢٣٤٥٦٧٨٩٠١٢", "%F0%9F%98%80" * 12,
                                  "ABCD%20EFGH%20JKM!", "%3Cscript%3E"])
def test_verify_an_unknown_or_malformed_code_is_a_plain_404(app, certified, code):
    resp = app.test_client().get(f"/verify/{code}")
    page = _text(resp)
    assert resp.status_code == 404
    assert "No certificate has this verification code" in page
    assert "Ed Enduser" not in page


def test_verify_a_code_with_a_nul_is_refused_without_an_error(app, certified):
    certificate, _ = certified
    code = certificate.code
    assert app.test_client().get(f"/verify/{code}").status_code == 200
    # The application refuses control characters anywhere in a request before any view runs (400).
    for url in (f"/verify/{code}%00", f"/verify/{code[:4]}%00{code[4:]}", f"/verify?code={code}%00"):
        resp = app.test_client().get(url)
        assert resp.status_code == 400, url
        assert "Ed Enduser" not in _text(resp) and "control character" in _text(resp).lower()


def test_verify_is_rate_limited_per_address(app, certified):
    app.config["RATELIMIT_VERIFY"] = "3 per minute"
    client = app.test_client()
    codes = [client.get(f"/verify/ABCDEFGHJKM{i}").status_code for i in range(3)]
    assert codes == [404, 404, 404]
    assert client.get("/verify", query_string={"code": "x"}).status_code == 429  # the form shares the limit
    other = app.test_client()
    assert other.get("/verify", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200
