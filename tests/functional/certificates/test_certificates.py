"""Certificates of annual training: issued once the year's requirements are met, downloaded as a PDF by the
person and the staff who may read their training, checked by anyone at /verify, and revoked when their
credentials or access are revoked or they are suspended for a violation."""

from __future__ import annotations

import html
import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from lms.accounts.revocations import services as revocation_services
from lms.accounts.sanctions import services as sanction_services
from lms.certificates import pdf, rules, services
from lms.certificates.models import Certificate
from lms.core.audit import AuditEvent
from lms.core.db import get_database
from lms.core.roles import Role
from lms.credentials import services as credential_services
from lms.credentials.models import ISSUED, LiveCredential
from lms.recert import services as recert_services
from lms.training import services as training_services
from tests.conftest import signed_in_client as _client

YEARLY = ("upra", "security_privacy", "data_standards")
FY = 2027  # the fixtures' clock (November 2, 2026) is in fiscal year 2027


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def _evidence(db_session, user, keys=YEARLY, *, fiscal_year=FY, when=None, tag="t") -> None:
    for key in keys:
        training_services.record_evidence(db_session, user, key, fiscal_year=fiscal_year,
                                          achieved_at=when or datetime(2026, 10, 20, 15, 0, tzinfo=timezone.utc),
                                          source="test", source_id=f"{tag}-{key}")
    db_session.commit()


def _certificates(db_session, user=None) -> list[Certificate]:
    db_session.expire_all()
    q = sa.select(Certificate).order_by(Certificate.id)
    if user is not None:
        q = q.where(Certificate.user_id == user.id)
    return list(db_session.execute(q).scalars())


def _actions(db_session, action: str) -> list[AuditEvent]:
    return list(db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars())


@pytest.fixture
def world(make_coc, make_agency, make_user):
    w = type("World", (), {})()
    w.coc = make_coc()
    w.agency = make_agency(coc=w.coc, name="Harbor House")
    w.other_agency = make_agency(coc=make_coc(), name="Elsewhere Shelter")
    w.ed = make_user("ed@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Ed Enduser")
    w.eve = make_user("eve@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Eve Other")
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=w.agency, full_name="Rita Rep")
    w.far_rep = make_user("far@example.org", roles=[Role.AGENCY_REP], agency=w.other_agency, full_name="Far Rep")
    w.manager = make_user("mgr@example.org", roles=[Role.HMIS_MANAGER], coc=w.coc, full_name="Mo Manager")
    return w


@pytest.fixture
def certified(app, db_session, login, world):
    """Ed has met fiscal year 2027's requirements and opened his history: his certificate exists."""
    _evidence(db_session, world.ed)
    client = _client(app, login, world.ed)
    assert client.get("/recertification").status_code == 200
    [certificate] = _certificates(db_session, world.ed)
    return certificate, client


# --- issuing --------------------------------------------------------------------------------------

def test_history_with_requirements_unmet_issues_no_certificate(app, db_session, login, world):
    _evidence(db_session, world.ed, keys=("upra", "security_privacy"))
    client = _client(app, login, world.ed)
    page = _text(client.get("/recertification"))
    assert _certificates(db_session) == []
    assert "Certificate of annual training" not in page
    assert client.get(f"/recertification/certificates/{FY}.pdf").status_code == 404


def test_history_once_requirements_met_issues_one_certificate_and_links_it(app, db_session, login, world, clock):
    _evidence(db_session, world.ed, keys=("upra", "security_privacy"))
    client = _client(app, login, world.ed)
    client.get("/recertification")
    _evidence(db_session, world.ed, keys=("data_standards",), tag="later",
              when=datetime(2026, 10, 25, 15, 0, tzinfo=timezone.utc))
    page = _text(client.get("/recertification"))
    _text(client.get("/recertification"))
    [certificate] = _certificates(db_session)
    assert (certificate.user_id, certificate.fiscal_year, certificate.revoked_at) == (world.ed.id, FY, None)
    assert certificate.issued_at == clock.now
    assert certificate.completed_at == datetime(2026, 10, 25, 15, 0, tzinfo=timezone.utc)
    assert len(_actions(db_session, "certificates.issued")) == 1
    assert rules.display_code(certificate.code) in page
    assert f'href="/recertification/certificates/{FY}.pdf"' in page
    assert f'href="/verify/{certificate.code}"' in page


def test_certificate_codes_are_random_and_distinct(app, db_session, login, world):
    for person in (world.ed, world.eve):
        _evidence(db_session, person, tag=person.email)
        services.issue_due(db_session, person, now=datetime(2026, 11, 2, tzinfo=timezone.utc))
    a, b = _certificates(db_session)
    assert a.code != b.code
    assert rules.normalize_code(a.code) == a.code and len(a.code) == rules.CODE_LENGTH


def test_issue_due_covers_every_completed_year_once(db_session, world, clock):
    _evidence(db_session, world.ed, fiscal_year=2026, when=datetime(2025, 11, 3, 15, 0, tzinfo=timezone.utc), tag="old")
    _evidence(db_session, world.ed)
    assert [c.fiscal_year for c in services.issue_due(db_session, world.ed, now=clock.now)] == [2026, 2027]
    assert services.issue_due(db_session, world.ed, now=clock.now) == []
    assert len(_certificates(db_session)) == 2


def test_no_certificate_while_suspended_for_a_violation(app, db_session, login, world, clock):
    sanction_services.record_violation(db_session, actor=world.lead, user_id=world.ed.id, agency_id=world.agency.id,
                                       occurred_on=clock.now.date(), description="Shared a password",
                                       broke_law=False, now=clock.now, today=clock.now.date())
    db_session.commit()
    _evidence(db_session, world.ed)
    assert services.issue_due(db_session, world.ed, now=clock.now) == []
    assert services.refusals_now(db_session, world.ed, now=clock.now) == [
        "HMIS access is suspended for a policy violation."]
    # The staff page of his history issues nothing either.
    _client(app, login, world.lead).get(f"/people/{world.ed.id}/recertification")
    assert _certificates(db_session) == []


def test_no_certificate_after_credentials_were_revoked(db_session, world, clock):
    credential = LiveCredential(user_id=world.ed.id, username="ed.enduser", status=ISSUED, issued_at=clock.now)
    db_session.add(credential)
    db_session.commit()
    credential_services.revoke(db_session, credential, reason="Left the project", now=clock.now, actor=world.lead)
    _evidence(db_session, world.ed)
    assert services.issue_due(db_session, world.ed, now=clock.now) == []
    assert "The live HMIS credentials were revoked." in services.refusals_now(db_session, world.ed, now=clock.now)


def test_a_person_in_new_user_training_without_credentials_gets_a_certificate(db_session, world, clock):
    _evidence(db_session, world.ed)
    assert [c.fiscal_year for c in services.issue_due(db_session, world.ed, now=clock.now)] == [FY]


# --- one per person-year, even at once ---------------------------------------------------------------

@pytest.mark.committed
def test_issuing_at_once_in_four_sessions_issues_one_certificate(committed_app, make_user_committed):
    ed = make_user_committed
    db = get_database(committed_app)
    now = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            with db.session() as s:
                person = s.get(type(ed), ed.id)
                barrier.wait()
                issued = services.issue_due(s, person, now=now)
                s.commit()
                results.append(len(issued))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(results) == [0, 0, 0, 1]
    with db.session() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(Certificate)).scalar_one() == 1
        assert s.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "certificates.issued")).scalar_one() == 1


@pytest.fixture
def make_user_committed(committed_app, clock):
    """Ed, an end user with fiscal year 2027's requirements met, in a database whose commits are real."""
    from lms.accounts import services as account_services

    db = get_database(committed_app)
    with db.session() as s:
        hashing = committed_app.extensions["lms.passwords"]
        user, _ = account_services.create_user(s, hashing, email="ed@example.org", full_name="Ed Enduser",
                                               password="Tangerine-Kettle-42", now=clock.now)
        _evidence(s, user)
        s.commit()
        s.expunge(user)
    return user


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


# --- revocation ------------------------------------------------------------------------------------

def _state(db_session, certificate) -> tuple:
    db_session.expire_all()
    c = db_session.get(Certificate, certificate.id)
    return c.revoked_at, c.revoked_reason


def test_revoking_live_credentials_revokes_the_certificates(certified, db_session, world, clock):
    certificate, _ = certified
    credential = LiveCredential(user_id=world.ed.id, username="ed.enduser", status=ISSUED, issued_at=clock.now)
    db_session.add(credential)
    db_session.commit()
    clock.advance(days=1)
    credential_services.revoke(db_session, credential, reason="Left the project", now=clock.now, actor=world.lead)
    db_session.commit()
    revoked_at, reason = _state(db_session, certificate)
    assert revoked_at == clock.now
    assert reason == "Live HMIS credentials revoked on 11/03/2026: Left the project"
    [event] = _actions(db_session, "certificates.revoked")
    assert event.actor_id == world.lead.id and event.details["cause"] == "credential_revoked"


def test_access_revoked_by_the_last_agency_revokes_the_certificates(certified, db_session, world, clock):
    certificate, _ = certified
    [membership] = world.ed.active_memberships
    notice = revocation_services.file_notice(db_session, rep=world.rep, membership_id=membership.id, kind="separation",
                                             effective_on=clock.now.date(), reason="Left the agency", now=clock.now)
    db_session.commit()
    assert notice.applied_at is not None
    revoked_at, reason = _state(db_session, certificate)
    assert revoked_at == clock.now
    assert reason == f"HMIS access revoked by Harbor House on 11/02/2026 (revocation notice {notice.id})."
    assert [e.details["cause"] for e in _actions(db_session, "certificates.revoked")] == ["access_revoked"]


def test_access_revoked_by_one_of_two_agencies_keeps_the_certificates(certified, db_session, world, clock,
                                                                      make_agency):
    from lms.accounts import services as account_services

    certificate, _ = certified
    second = make_agency(coc=world.coc, name="Second Home")
    account_services.add_membership(db_session, world.ed, second, started_on=clock.now.date(), now=clock.now)
    db_session.commit()
    membership = next(m for m in world.ed.active_memberships if m.agency_id == world.agency.id)
    revocation_services.file_notice(db_session, rep=world.rep, membership_id=membership.id, kind="transfer",
                                    effective_on=clock.now.date(), reason="Moved", now=clock.now)
    db_session.commit()
    assert _state(db_session, certificate) == (None, None)


def test_a_violation_suspension_revokes_the_certificates(certified, db_session, world, clock):
    certificate, _ = certified
    sanction_services.record_violation(db_session, actor=world.lead, user_id=world.ed.id, agency_id=world.agency.id,
                                       occurred_on=clock.now.date(), description="Shared a password",
                                       broke_law=False, now=clock.now, today=clock.now.date())
    db_session.commit()
    revoked_at, reason = _state(db_session, certificate)
    assert revoked_at == clock.now
    assert reason.startswith("HMIS access suspended on 11/02/2026 for a policy violation")
    assert "Shared a password" not in reason


def test_a_recertification_suspension_keeps_earlier_certificates(certified, db_session, world, clock):
    certificate, _ = certified
    clock.now = datetime(2027, 10, 1, 14, 0, tzinfo=timezone.utc)
    cycle, _ = recert_services.open_cycle(db_session, 2028, now=clock.now)
    clock.now = datetime(2027, 11, 2, 14, 0, tzinfo=timezone.utc)
    assert recert_services.enforce(db_session, cycle, now=clock.now) >= 1
    db_session.commit()
    assert recert_services.live_suspensions(db_session, [world.ed.id])
    assert _state(db_session, certificate) == (None, None)


def test_revoking_twice_revokes_once(certified, db_session, world, clock):
    certificate, _ = certified
    assert services.revoke_all(db_session, world.ed, reason="First", cause="test", now=clock.now) == 1
    clock.advance(days=1)
    assert services.revoke_all(db_session, world.ed, reason="Second", cause="test", now=clock.now) == 0
    assert _state(db_session, certificate)[1] == "First"


def test_history_shows_a_revoked_certificate_without_a_download_link(certified, db_session, world, clock):
    certificate, client = certified
    services.revoke_all(db_session, world.ed, reason="Because", cause="test", now=clock.now)
    db_session.commit()
    page = _text(client.get("/recertification"))
    assert "revoked November 2, 2026</strong> (Because)" in page
    assert f"certificates/{FY}.pdf" not in page


def test_the_history_of_someone_else_is_not_issued_by_a_reader_without_access(app, db_session, login, world):
    _evidence(db_session, world.ed)
    client = _client(app, login, world.far_rep)
    assert client.get(f"/people/{world.ed.id}/recertification").status_code == 404
    assert _certificates(db_session) == []
    # A reader who may see it issues what is due by opening it.
    assert _client(app, login, world.lead).get(f"/people/{world.ed.id}/recertification").status_code == 200
    assert [c.fiscal_year for c in _certificates(db_session)] == [FY]


def test_the_audit_log_names_certificate_events_without_their_code(app, certified, db_session, login, world, clock):
    certificate, _ = certified
    services.revoke_all(db_session, world.ed, reason="Because", cause="suspended", now=clock.now)
    db_session.commit()
    page = _text(_client(app, login, world.lead).get("/admin/audit"))
    assert "Certificate of annual training issued" in page and "Certificate of annual training revoked" in page
    assert f"Fiscal year {FY}, Ed Enduser" in page and "Suspended for a policy violation" in page
    assert certificate.code not in page
