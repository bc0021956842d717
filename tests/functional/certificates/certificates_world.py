"""The world and helpers shared by the certificate tests (``test_certificates_*.py``).

An agency with two end users, its representative, a representative elsewhere, the CoC's HMIS manager and a lead
administrator; evidence that meets the year's requirements; and Ed ``certified`` with his signed-in client.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from lms.certificates.models import Certificate
from lms.core.audit import AuditEvent
from lms.core.roles import Role
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
