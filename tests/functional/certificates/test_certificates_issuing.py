"""Certificates of annual training, issuing: once the year's requirements are met, once per person-year even
from four sessions at once, never while suspended or after credentials were revoked, and only by a reader who
may open the history.

The PDF and who may download it are in ``test_certificates_pdf.py``; the public check in
``test_certificates_verify.py``; revocation in ``test_certificates_revocation.py``; the shared world in
``certificates_world.py``.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from lms.accounts.sanctions import services as sanction_services
from lms.certificates import rules, services
from lms.certificates.models import Certificate
from lms.core.audit import AuditEvent
from lms.core.db import get_database
from lms.credentials import services as credential_services
from lms.credentials.models import ISSUED, LiveCredential
from tests.conftest import signed_in_client as _client
from tests.functional.certificates.certificates_world import FY, _actions, _certificates, _evidence, _text
from tests.functional.certificates.certificates_world import world  # noqa: F401 - the fixture


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


def test_the_history_of_someone_else_is_not_issued_by_a_reader_without_access(app, db_session, login, world):
    _evidence(db_session, world.ed)
    client = _client(app, login, world.far_rep)
    assert client.get(f"/people/{world.ed.id}/recertification").status_code == 404
    assert _certificates(db_session) == []
    # A reader who may see it issues what is due by opening it.
    assert _client(app, login, world.lead).get(f"/people/{world.ed.id}/recertification").status_code == 200
    assert [c.fiscal_year for c in _certificates(db_session)] == [FY]
