"""User access requests, submitting: the representative's form, and every way a submission is refused.

Seeing requests is in ``test_requests_pages.py``; deciding and withdrawing in ``test_requests_decisions.py``;
the invitation in ``test_requests_invitations.py``; the shared world in ``requests_world.py``.
"""

from __future__ import annotations

from datetime import date

import pytest

from lms.accounts.models import RoleGrant
from tests.conftest import signed_in_client as _client
from tests.functional.accounts.requests_world import _actions, _form, _mail_to, _requests, _submit
from tests.functional.accounts.requests_world import world  # noqa: F401 - the fixture


# --- submitting ------------------------------------------------------------------------------------------

def test_submit_by_agency_rep_creates_request_and_mails_the_cocs_managers(app, login, world, db_session):
    _, resp = _submit(app, login, world)
    assert resp.status_code == 303
    [req] = _requests(db_session)
    assert (req.email, req.full_name, req.employment, req.status) == ("nina.new@example.org", "Nina New",
                                                                      "volunteer", "submitted")
    assert sorted(p.name for p in req.projects) == ["Night Shelter", "Rapid Re-Housing"]
    assert len(_mail_to(db_session, world.manager.email)) == 1
    assert _mail_to(db_session, world.other_manager.email) == []
    assert "access_request.submitted" in _actions(db_session)


@pytest.mark.parametrize("employment", ["contractor", "", "employee\x00"])
def test_submit_with_employment_outside_the_three_kinds_is_refused(app, login, world, db_session, employment):
    _, resp = _submit(app, login, world, employment=employment)
    assert resp.status_code == 400
    assert _requests(db_session) == []


def test_submit_naming_another_agencys_project_is_refused_and_changes_nothing(app, login, world, db_session):
    _, resp = _submit(app, login, world, project_ids=[str(world.shelter.id), str(world.foreign.id)])
    assert resp.status_code == 400
    assert "active projects" in resp.get_data(as_text=True)
    assert _requests(db_session) == [] and _mail_to(db_session, world.manager.email) == []


@pytest.mark.parametrize("ids", [["abc"], ["999999"], ["-1"], ["１"], []])
def test_submit_with_unknown_or_forged_project_ids_is_refused(app, login, world, db_session, ids):
    _, resp = _submit(app, login, world, project_ids=ids)
    assert resp.status_code == 400
    assert _requests(db_session) == []


def test_submit_for_inactive_project_is_refused(app, login, world, db_session):
    world.rrh.is_active = False
    db_session.commit()
    _, resp = _submit(app, login, world, project_ids=[str(world.rrh.id)])
    assert resp.status_code == 400 and _requests(db_session) == []


def test_submit_when_apa_lapsed_is_refused_with_the_reason(app, login, world, db_session):
    world.agency.apa_renewal_due = date(2026, 10, 1)
    db_session.commit()
    client = _client(app, login, world.rep)
    page = client.get(f"/access/requests/new?agency={world.agency.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "lapsed on October 1, 2026" in html and 'name="justification"' not in html
    resp = client.post(f"/access/requests/new?agency={world.agency.id}", data=_form(world))
    assert resp.status_code == 400 and "lapsed" in resp.get_data(as_text=True)
    assert _requests(db_session) == []


def test_submit_without_a_signed_apa_is_refused(app, login, world, db_session):
    world.agency.apa_signed_on, world.agency.apa_renewal_due = None, None
    db_session.commit()
    _, resp = _submit(app, login, world)
    assert resp.status_code == 400 and "no signed Agency Partner Agreement" in resp.get_data(as_text=True)


def test_submit_second_open_request_for_same_email_is_refused(app, login, world, db_session):
    client, first = _submit(app, login, world)
    assert first.status_code == 303
    again = client.post(f"/access/requests/new?agency={world.agency.id}",
                        data=_form(world, email="nina.new@example.org "))
    assert again.status_code == 400 and "already has a request" in again.get_data(as_text=True)
    assert len(_requests(db_session)) == 1


def test_submit_after_the_first_was_denied_is_accepted(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    _client(app, login, world.manager).post(f"/access/requests/{req.id}/deny", data={"reason": "Wrong person."})
    _, again = _submit(app, login, world)
    assert again.status_code == 303 and len(_requests(db_session)) == 2


def test_submit_for_another_agency_is_404_and_changes_nothing(app, login, world, db_session):
    client = _client(app, login, world.rep)
    resp = client.post(f"/access/requests/new?agency={world.other.id}", data=_form(world))
    assert resp.status_code == 404 and _requests(db_session) == []


@pytest.mark.parametrize("who", ["manager", "lead", "sysadmin", "helpdesk", "trainee"])
def test_submit_by_a_role_other_than_rep_is_403(app, login, world, db_session, who):
    client = _client(app, login, getattr(world, who))
    resp = client.post(f"/access/requests/new?agency={world.agency.id}", data=_form(world))
    assert resp.status_code == 403 and _requests(db_session) == []


def test_submit_with_nul_in_name_is_refused(app, login, world, db_session):
    _, resp = _submit(app, login, world, full_name="Nina\x00New")
    assert resp.status_code == 400 and _requests(db_session) == []


def test_submit_with_forged_extra_fields_ignores_them(app, login, world, db_session):
    _, resp = _submit(app, login, world, status="approved", submitted_by_id=str(world.manager.id),
                      agency_id=str(world.other.id), user_id="1")
    assert resp.status_code == 303
    [req] = _requests(db_session)
    assert (req.status, req.submitted_by_id, req.agency_id, req.user_id) == ("submitted", world.rep.id,
                                                                             world.agency.id, None)


def test_rep_of_two_agencies_chooses_the_agency_first(app, login, world, db_session, make_agency):
    second = make_agency(coc=world.coc, name="Second Agency")
    grant = RoleGrant(user_id=world.rep.id, role="agency_rep", agency_id=second.id, granted_at=world.rep.created_at)
    db_session.add(grant)
    db_session.commit()
    client = _client(app, login, world.rep)
    html = client.get("/access/requests/new").get_data(as_text=True)
    assert "For which agency" in html and "Second Agency" in html
    assert "Night Shelter" in client.get(f"/access/requests/new?agency={world.agency.id}").get_data(as_text=True)
    assert client.get(f"/access/requests/new?agency={world.other.id}").status_code == 404
