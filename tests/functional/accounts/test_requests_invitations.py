"""User access requests, the invitation an approval sends: setting the password, weak passwords, replay,
expiry, its lifetime setting, unknown tokens; and the rows an approval scopes to the agency.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.requests.models import AccessInvitation
from tests.functional.accounts.requests_world import _actions, _approved
from tests.functional.accounts.requests_world import world  # noqa: F401 - the fixture


# --- the invitation ---------------------------------------------------------------------------------------

NEW_PASSWORD = "Marble-Orchard-Lantern-9"


def test_invitation_sets_password_then_person_signs_in_normally(app, login, world, db_session):
    token = _approved(app, login, world, db_session)
    client = app.test_client()
    assert client.get(f"/access/invitation/{token}").status_code == 200
    resp = client.post(f"/access/invitation/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/auth/login")
    assert client.get("/session/status").get_json()["signed_in"] is False
    signed = client.post("/auth/login", data={"email": "nina.new@example.org", "password": NEW_PASSWORD})
    assert signed.status_code == 303
    assert client.get("/session/status").get_json()["signed_in"] is True
    assert "access_request.invitation_accepted" in _actions(db_session)


def test_invitation_with_weak_password_is_refused_and_link_still_works(app, login, world, db_session):
    token = _approved(app, login, world, db_session)
    client = app.test_client()
    resp = client.post(f"/access/invitation/{token}", data={"new_password": "password1", "confirm": "password1"})
    assert resp.status_code == 400
    db_session.expire_all()
    assert db_session.execute(sa.select(User.password_hash).where(User.email == "nina.new@example.org")
                              ).scalar_one() is None
    assert client.get(f"/access/invitation/{token}").status_code == 200


def test_invitation_replayed_after_use_says_so_and_changes_nothing(app, login, world, db_session):
    token = _approved(app, login, world, db_session)
    client = app.test_client()
    client.post(f"/access/invitation/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db_session.expire_all()
    before = db_session.execute(sa.select(User.password_hash).where(User.email == "nina.new@example.org")).scalar_one()
    replay = client.post(f"/access/invitation/{token}", data={"new_password": "Other-Quiet-River-77",
                                                              "confirm": "Other-Quiet-River-77"})
    assert replay.status_code == 410
    html = replay.get_data(as_text=True)
    assert "already been used" in html and "/auth/login" in html and "/auth/forgot" in html
    db_session.expire_all()
    assert db_session.execute(sa.select(User.password_hash).where(User.email == "nina.new@example.org")
                              ).scalar_one() == before


def test_invitation_after_expiry_says_so_and_offers_a_new_link(app, login, world, db_session, clock):
    token = _approved(app, login, world, db_session)
    clock.advance(seconds=7 * 24 * 3600 + 1)
    resp = app.test_client().get(f"/access/invitation/{token}")
    assert resp.status_code == 410
    html = resp.get_data(as_text=True)
    assert "has expired" in html and "/auth/forgot" in html


def test_invitation_lifetime_follows_the_setting(app, login, world, db_session, clock):
    from lms.core import settings

    settings.change(db_session, "accounts.invitation_days", "2", actor=None, now=clock.now)
    db_session.commit()
    _approved(app, login, world, db_session)
    invitation = db_session.execute(sa.select(AccessInvitation)).scalar_one()
    assert invitation.expires_at == clock.now + timedelta(days=2)


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%C3%A9t%C3%A9"])
def test_invitation_unknown_token_is_404_in_words(app, token):
    resp = app.test_client().get(f"/access/invitation/{token}")
    assert resp.status_code == 404 and "not valid" in resp.get_data(as_text=True)


def test_membership_and_grant_rows_are_scoped_to_the_requesting_agency(app, login, world, db_session):
    _approved(app, login, world, db_session)
    user = db_session.execute(sa.select(User).where(User.email == "nina.new@example.org")).scalar_one()
    rows = db_session.execute(sa.select(AgencyMembership.agency_id).where(AgencyMembership.user_id == user.id)).all()
    grants = db_session.execute(sa.select(RoleGrant.agency_id).where(RoleGrant.user_id == user.id)).all()
    assert rows == [(world.agency.id,)] and grants == [(world.agency.id,)]
