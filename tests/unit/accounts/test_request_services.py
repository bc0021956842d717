"""Access request services: races on submission and decision, existing accounts, replaced invitations."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.accounts.requests import services
from lms.accounts.requests.models import AccessInvitation, AccessRequest
from lms.accounts.requests.services import decisions
from lms.core.errors import Conflict
from lms.core.mail import OutboxMessage
from lms.core.roles import Role
from lms.training.models import TrainingPlan

BASE = "http://localhost"


@pytest.fixture
def setup(make_agency, make_project, make_user, make_coc):
    coc = make_coc()
    agency = make_agency(coc=coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    second = make_agency(coc=coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    s = type("S", (), {})()
    s.agency, s.second = agency, second
    s.shelter = make_project(agency=agency, project_type=0)
    s.outreach = make_project(agency=second, project_type=4)
    s.rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    s.rep2 = make_user(roles=[Role.AGENCY_REP], agency=second)
    s.manager = make_user(roles=[Role.HMIS_MANAGER], coc=coc)
    return s


def _submit(db_session, s, clock, *, agency=None, rep=None, project=None, email="pat@example.org"):
    return services.submit(db_session, actor=rep or s.rep, agency=agency or s.agency, full_name="Pat New",
                           email=email, employment="employee", project_ids=[(project or s.shelter).id],
                           had_access_before=False, justification="Intake", now=clock.now, base_url=BASE)


def test_database_refuses_a_second_open_request_for_the_same_person_and_agency(db_session, setup, clock):
    _submit(db_session, setup, clock)
    db_session.add(AccessRequest(agency_id=setup.agency.id, full_name="Pat", email="pat@example.org",
                                 employment="intern", justification="x", status="submitted", submitted_at=clock.now,
                                 submitted_by_id=setup.rep.id))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_submit_racing_another_submission_answers_conflict(db_session, setup, clock, monkeypatch):
    _submit(db_session, setup, clock)
    # The other request committed between this one's check and its insert.
    monkeypatch.setattr(decisions, "_open_request_exists", lambda *a, **k: False)
    with pytest.raises(Conflict, match="already has a request"):
        _submit(db_session, setup, clock)
    assert db_session.execute(sa.select(sa.func.count()).select_from(AccessRequest)).scalar_one() == 1


def test_approve_racing_another_decision_answers_conflict_and_creates_nothing(db_session, setup, clock):
    req = _submit(db_session, setup, clock)
    # Another manager denied it after this one loaded the page (a plain UPDATE, as another worker would).
    db_session.execute(sa.update(AccessRequest).where(AccessRequest.id == req.id).values(status="denied")
                       .execution_options(synchronize_session=False))
    with pytest.raises(Conflict, match="no longer waiting"):
        services.approve(db_session, req, actor=setup.manager, now=clock.now, base_url=BASE)
    assert db_session.execute(sa.select(User).where(User.email == "pat@example.org")).scalar_one_or_none() is None


def test_approve_for_a_current_user_keeps_their_practice_cases_and_sends_no_invitation(db_session, setup, clock):
    first = _submit(db_session, setup, clock)
    services.approve(db_session, first, actor=setup.manager, now=clock.now, base_url=BASE)
    user = db_session.execute(sa.select(User).where(User.email == "pat@example.org")).scalar_one()
    user.password_hash = "set"  # they set their password since
    clock.advance(seconds=60)
    second = _submit(db_session, setup, clock, agency=setup.second, rep=setup.rep2, project=setup.outreach)
    services.approve(db_session, second, actor=setup.manager, now=clock.now, base_url=BASE)
    plans = db_session.execute(sa.select(TrainingPlan).where(TrainingPlan.user_id == user.id)
                               .order_by(TrainingPlan.id)).scalars().all()
    assert plans[-1].requirement_keys[-2:] == ["practice:emergency_shelter", "practice:street_outreach"]
    assert plans[-1].evidence_not_before is None
    assert sorted(m.agency_id for m in user.active_memberships) == sorted([setup.agency.id, setup.second.id])
    assert db_session.execute(sa.select(sa.func.count()).select_from(AccessInvitation)).scalar_one() == 1
    subjects = db_session.execute(sa.select(OutboxMessage.subject).where(OutboxMessage.to_addr == user.email)
                                  .order_by(OutboxMessage.id)).scalars().all()
    assert subjects[-1] == "Your HMIS access request was approved"


def test_newer_invitation_replaces_the_older_link(db_session, setup, clock, app):
    first = _submit(db_session, setup, clock)
    services.approve(db_session, first, actor=setup.manager, now=clock.now, base_url=BASE)
    second = _submit(db_session, setup, clock, agency=setup.second, rep=setup.rep2, project=setup.outreach)
    services.approve(db_session, second, actor=setup.manager, now=clock.now, base_url=BASE)
    bodies = db_session.execute(sa.select(OutboxMessage.body_text).where(OutboxMessage.to_addr == "pat@example.org")
                                .order_by(OutboxMessage.id)).scalars().all()
    tokens = [m.group(1) for b in bodies if (m := re.search(r"/access/invitation/(\S+)", b))]
    assert len(tokens) == 2
    with pytest.raises(services.InvitationClosed) as closed:
        services.open_invitation(db_session, tokens[0], now=clock.now)
    assert closed.value.state == "used"
    assert services.open_invitation(db_session, tokens[1], now=clock.now).request_id == second.id


def test_accept_invitation_twice_refuses_the_second(db_session, setup, clock, app):
    req = _submit(db_session, setup, clock)
    services.approve(db_session, req, actor=setup.manager, now=clock.now, base_url=BASE)
    body = db_session.execute(sa.select(OutboxMessage.body_text).where(OutboxMessage.to_addr == "pat@example.org")
                              ).scalar_one()
    token = re.search(r"/access/invitation/(\S+)", body).group(1)
    hashing = app.extensions["lms.passwords"]
    services.accept_invitation(db_session, hashing, token, "Marble-Orchard-Lantern-9", now=clock.now)
    with pytest.raises(services.InvitationClosed):
        services.accept_invitation(db_session, hashing, token, "Other-Quiet-River-77", now=clock.now)
