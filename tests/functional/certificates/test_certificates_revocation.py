"""Certificates of annual training, revocation: when live credentials or access are revoked or the person is
suspended for a violation (not for recertification), once only, shown in the history and named in the audit log.
"""

from __future__ import annotations

from datetime import datetime, timezone

from lms.accounts.revocations import services as revocation_services
from lms.accounts.sanctions import services as sanction_services
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.credentials import services as credential_services
from lms.credentials.models import ISSUED, LiveCredential
from lms.recert import services as recert_services
from tests.conftest import signed_in_client as _client
from tests.functional.certificates.certificates_world import FY, _actions, _text
from tests.functional.certificates.certificates_world import certified, world  # noqa: F401 - the fixtures


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


def test_the_audit_log_names_certificate_events_without_their_code(app, certified, db_session, login, world, clock):
    certificate, _ = certified
    services.revoke_all(db_session, world.ed, reason="Because", cause="suspended", now=clock.now)
    db_session.commit()
    page = _text(_client(app, login, world.lead).get("/admin/audit"))
    assert "Certificate of annual training issued" in page and "Certificate of annual training revoked" in page
    assert f"Fiscal year {FY}, Ed Enduser" in page and "Suspended for a policy violation" in page
    assert certificate.code not in page
