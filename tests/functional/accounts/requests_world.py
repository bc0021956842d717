"""The world and helpers shared by the access request tests (``test_requests_*.py``).

Two CoCs, an agency with a current APA and two projects in the first, another agency in the second, the
people every role needs, and short ways to submit, list and approve a request through the pages.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.accounts.requests.models import AccessRequest
from lms.core.audit import AuditEvent
from lms.core.mail import OutboxMessage
from lms.core.roles import Role
from tests.conftest import signed_in_client as _client


@pytest.fixture
def world(make_coc, make_agency, make_project, make_user):
    """Two CoCs; an agency with a current APA and two projects in the first, another agency in the second."""
    coc, other_coc = make_coc(), make_coc()
    agency = make_agency(coc=coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    other = make_agency(coc=other_coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    w = type("World", (), {})()
    w.coc, w.other_coc, w.agency, w.other = coc, other_coc, agency, other
    w.shelter = make_project(agency=agency, project_type=0, name="Night Shelter")
    w.rrh = make_project(agency=agency, project_type=13, name="Rapid Re-Housing")
    w.foreign = make_project(agency=other, project_type=4, name="Outreach Elsewhere")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=agency, full_name="Rita Rep")
    w.other_rep = make_user("rep2@example.org", roles=[Role.AGENCY_REP], agency=other, full_name="Otto Rep")
    w.manager = make_user("manager@example.org", roles=[Role.HMIS_MANAGER], coc=coc, full_name="Mona Manager")
    w.other_manager = make_user("manager2@example.org", roles=[Role.HMIS_MANAGER], coc=other_coc)
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN])
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN])
    w.helpdesk = make_user("help@example.org", roles=[Role.HELPDESK])
    w.trainee = make_user("trainee@example.org", roles=[Role.END_USER], agency=agency)
    return w


def _form(world, **over):
    data = {"full_name": "Nina New", "email": "Nina.New@Example.org", "employment": "volunteer",
            "project_ids": [str(world.shelter.id), str(world.rrh.id)], "justification": "Intake at the shelter."}
    data.update(over)
    return data


def _submit(app, login, world, **over):
    client = _client(app, login, world.rep)
    resp = client.post(f"/access/requests/new?agency={world.agency.id}", data=_form(world, **over))
    return client, resp


def _requests(db_session):
    db_session.expire_all()
    return list(db_session.execute(sa.select(AccessRequest).order_by(AccessRequest.id)).scalars())


def _mail_to(db_session, address):
    return list(db_session.execute(sa.select(OutboxMessage).where(OutboxMessage.to_addr == address)
                                   .order_by(OutboxMessage.id)).scalars())


def _actions(db_session):
    return [a for (a,) in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))]


def _approved(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    _client(app, login, world.manager).post(f"/access/requests/{req.id}/approve", data={})
    [mail] = _mail_to(db_session, "nina.new@example.org")
    return re.search(r"/access/invitation/(\S+)", mail.body_text).group(1)
