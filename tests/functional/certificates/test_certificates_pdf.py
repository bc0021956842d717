"""Certificates of annual training, the PDF: what it holds, its QR code, names in other scripts, a missing
font, revoked certificates; and who may download whose.
"""

from __future__ import annotations

import pytest

from lms.certificates import pdf, services
from lms.core.roles import Role
from tests.conftest import signed_in_client as _client
from tests.functional.certificates.certificates_world import FY, _evidence, _text
from tests.functional.certificates.certificates_world import certified, world  # noqa: F401 - the fixtures


# --- the PDF ----------------------------------------------------------------------------------------

def test_download_own_certificate_is_an_attached_pdf_with_the_code(certified):
    certificate, client = certified
    resp = client.get(f"/recertification/certificates/{FY}.pdf")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.data.startswith(b"%PDF-")
    assert resp.data.rstrip().endswith(b"%%EOF")
    assert certificate.code.encode() in resp.data


def test_qr_code_encodes_the_verification_url_of_the_configured_site_not_the_host_header(app, certified,
                                                                                         monkeypatch):
    certificate, client = certified
    seen = []
    real = pdf.qr_code
    monkeypatch.setattr(pdf, "qr_code", lambda url: seen.append(url) or real(url))
    app.config["BASE_URL"] = "https://training.example.org/"
    resp = client.get(f"/recertification/certificates/{FY}.pdf")  # asked of http://localhost
    assert resp.status_code == 200
    assert seen == [f"https://training.example.org/verify/{certificate.code}"]
    assert seen[0].encode() in resp.data  # printed too, in the document's keywords
    qr = real(seen[0])
    assert qr.error == "M" and qr.designator  # a real QR code was made of it


def test_a_name_in_other_scripts_makes_a_pdf(app, db_session, login, make_user, world):
    person = make_user("zh@example.org", roles=[Role.END_USER], agency=world.agency,
                       full_name="Ελένη Дмитриева 王小明 محمد")
    _evidence(db_session, person)
    client = _client(app, login, person)
    resp = client.get(f"/recertification/certificates/{FY}.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")


@pytest.mark.parametrize("year", ["99999999999", "2**31", "%D9%A2%D9%A0%D9%A2%D9%A7", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%97",
                                  "02027", "0"])
def test_a_year_that_is_no_year_in_the_url_is_a_404(certified, year):
    _, client = certified
    assert client.get(f"/recertification/certificates/{year}.pdf").status_code == 404


def test_without_a_unicode_font_the_pdf_is_still_made(certified):
    certificate, _ = certified
    face = pdf.Face(name="Ελένη José", fiscal_year=FY, requirements=[("UPRA", "October 20, 2026")],
                    issued_on="November 2, 2026", code=certificate.code, verify_url="http://localhost/verify/X")
    body = pdf.render(face, font=None)
    assert body.startswith(b"%PDF-") and b"Helvetica" in body


def test_a_revoked_certificate_is_not_downloaded(certified, db_session, world, clock):
    certificate, client = certified
    services.revoke_all(db_session, world.ed, reason="Test", cause="test", now=clock.now)
    db_session.commit()
    resp = client.get(f"/recertification/certificates/{FY}.pdf")
    assert resp.status_code == 404
    assert "was revoked on November 2, 2026" in _text(resp)


# --- who may download whose -------------------------------------------------------------------------

@pytest.mark.parametrize("reader", ["lead", "rep", "manager"])
def test_staff_who_may_read_the_training_record_download_the_certificate(app, certified, login, world, reader):
    certificate, _ = certified
    client = _client(app, login, getattr(world, reader))
    page = _text(client.get(f"/people/{world.ed.id}/recertification"))
    url = f"/people/{world.ed.id}/recertification/certificates/{FY}.pdf"
    assert f'href="{url}"' in page
    resp = client.get(url)
    assert resp.status_code == 200 and certificate.code.encode() in resp.data


def test_a_representative_of_another_agency_gets_404(app, certified, login, world):
    url = f"/people/{world.ed.id}/recertification/certificates/{FY}.pdf"
    assert _client(app, login, world.rep).get(url).status_code == 200  # his own agency's representative may
    resp = _client(app, login, world.far_rep).get(url)
    assert resp.status_code == 404 and b"%PDF" not in resp.data


def test_another_end_user_cannot_download_it(app, certified, login, world):
    client = _client(app, login, world.eve)
    assert client.get(f"/people/{world.ed.id}/recertification/certificates/{FY}.pdf").status_code == 403
    # Her own URL serves only her own certificate, which she does not have.
    resp = client.get(f"/recertification/certificates/{FY}.pdf")
    assert resp.status_code == 404 and b"%PDF" not in resp.data


def test_signed_out_is_sent_to_sign_in(app, certified, world):
    for url in (f"/recertification/certificates/{FY}.pdf", f"/people/{world.ed.id}/recertification/certificates/{FY}.pdf"):
        resp = app.test_client().get(url)
        assert resp.status_code in (302, 303) and "/auth/login" in resp.headers["Location"]
