"""People admin pages: access, create, edit, deactivate, unlock, TOTP reset, role grants, memberships."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.roles import Role
from lms.auth.models import UserSession
from lms.core.audit import AuditEvent


def _audits(db_session, action, target=None):
    q = sa.select(AuditEvent).where(AuditEvent.action == action)
    if target is not None:
        q = q.where(AuditEvent.target_id == str(target.id))
    return db_session.execute(q).scalars().all()


@pytest.fixture
def admin(make_user):
    return make_user(roles=[Role.LEAD_ADMIN], full_name="Ada Admin")


@pytest.fixture
def admin_client(client, admin, login):
    login(client, admin)
    return client


@pytest.mark.parametrize("role", [Role.END_USER, Role.HELPDESK, Role.HMIS_MANAGER, Role.AGENCY_REP])
def test_people_pages_other_roles_refused_403(client, make_user, make_agency, make_coc, login, role):
    target = make_user()
    login(client, make_user(roles=[role], agency=make_agency(), coc=make_coc()))
    assert client.get("/admin/people").status_code == 403
    assert client.get("/admin/people/new").status_code == 403
    assert client.get(f"/admin/people/{target.id}").status_code == 403
    assert client.post(f"/admin/people/{target.id}/active", data={"active": "0"}).status_code == 403


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.LEAD_ADMIN])
def test_people_list_admin_roles_allowed(client, make_user, login, role):
    target = make_user(full_name="Listed Person")
    login(client, make_user(roles=[role]))
    assert "Listed Person" in client.get("/admin/people").get_data(as_text=True)
    assert client.get(f"/admin/people/{target.id}").status_code == 200


def test_people_search_by_name_and_email(admin_client, make_user):
    make_user(full_name="Quinn Searchable", email="quinn@shelter.example")
    make_user(full_name="Other Person", email="other@example.org")
    html = admin_client.get("/admin/people?q=searchable").get_data(as_text=True)
    assert "Quinn Searchable" in html and "Other Person" not in html
    html = admin_client.get("/admin/people?q=SHELTER.example").get_data(as_text=True)
    assert "Quinn Searchable" in html and "Other Person" not in html


def test_people_list_paginates(admin_client, make_user):
    for i in range(27):
        make_user(full_name=f"Zed Paged {i:02d}")
    first = admin_client.get("/admin/people?q=zed+paged").get_data(as_text=True)
    second = admin_client.get("/admin/people?q=zed+paged&page=2").get_data(as_text=True)
    assert "Zed Paged 00" in first and "Zed Paged 26" not in first
    assert "Zed Paged 26" in second and "Page 2 of 2" in second


def test_create_person_shows_password_once_and_forces_change(admin_client, app, db_session):
    resp = admin_client.post("/admin/people/new", data={"full_name": "New Trainee", "email": "New@Example.org"})
    assert resp.status_code == 200
    password = re.search(r'data-testid="one-time-password">([^<]+)<', resp.get_data(as_text=True)).group(1)
    user = db_session.execute(sa.select(User).where(User.email == "new@example.org")).scalar_one()
    assert user.must_change_password is True
    assert app.extensions["lms.passwords"].verify(user.password_hash, password)
    assert len(_audits(db_session, "accounts.user_created", user)) == 1
    assert password not in admin_client.get(f"/admin/people/{user.id}").get_data(as_text=True)


def test_create_person_duplicate_email_refused(admin_client, make_user, db_session):
    make_user(email="taken@example.org")
    resp = admin_client.post("/admin/people/new", data={"full_name": "Copy", "email": "TAKEN@example.org"})
    assert resp.status_code == 400
    assert "already has the e-mail address" in resp.get_data(as_text=True)
    assert db_session.execute(sa.select(sa.func.count()).select_from(User)
                              .where(User.email == "taken@example.org")).scalar() == 1


def test_create_person_missing_name_shows_form_error(admin_client):
    resp = admin_client.post("/admin/people/new", data={"full_name": "", "email": "x@example.org"})
    assert resp.status_code == 400
    assert "Enter the person&#39;s full name." in resp.get_data(as_text=True)


def test_edit_person_changes_name_and_email(admin_client, make_user, db_session):
    user = make_user(full_name="Old Name")
    resp = admin_client.post(f"/admin/people/{user.id}", data={"full_name": "New Name", "email": "new.name@example.org"})
    assert resp.status_code == 303
    db_session.expire_all()
    user = db_session.get(User, user.id)
    assert (user.full_name, user.email) == ("New Name", "new.name@example.org")
    assert len(_audits(db_session, "accounts.user_updated", user)) == 1


def test_edit_person_email_of_someone_else_refused(admin_client, make_user):
    make_user(email="first@example.org")
    second = make_user(email="second@example.org")
    resp = admin_client.post(f"/admin/people/{second.id}", data={"full_name": "Second", "email": "first@example.org"})
    assert resp.status_code == 400
    assert "already has the e-mail address" in resp.get_data(as_text=True)


def test_deactivate_person_ends_sessions_and_audits(app, admin_client, make_user, login, db_session):
    user = make_user(roles=[Role.END_USER])
    other = app.test_client()
    login(other, user)
    resp = admin_client.post(f"/admin/people/{user.id}/active", data={"active": "0"})
    assert resp.status_code == 303
    db_session.expire_all()
    assert db_session.get(User, user.id).is_active is False
    live = db_session.execute(sa.select(UserSession).where(UserSession.user_id == user.id,
                                                           UserSession.ended_at.is_(None))).scalars().all()
    assert live == []
    assert other.get("/").status_code == 302
    assert len(_audits(db_session, "accounts.user_deactivated", user)) == 1
    admin_client.post(f"/admin/people/{user.id}/active", data={"active": "1"})
    db_session.expire_all()
    assert db_session.get(User, user.id).is_active is True
    assert len(_audits(db_session, "accounts.user_reactivated", user)) == 1


def test_deactivate_self_refused(admin_client, admin, db_session):
    resp = admin_client.post(f"/admin/people/{admin.id}/active", data={"active": "0"})
    assert resp.status_code == 400
    db_session.expire_all()
    assert db_session.get(User, admin.id).is_active is True


def test_unlock_locked_person_clears_lock_and_audits(admin_client, make_user, db_session, clock):
    user = make_user()
    user.locked_at = clock.now
    db_session.commit()
    assert admin_client.post(f"/admin/people/{user.id}/unlock").status_code == 303
    db_session.expire_all()
    assert db_session.get(User, user.id).locked_at is None
    assert len(_audits(db_session, "auth.account_unlocked", user)) == 1


def test_reset_totp_removes_authenticator_and_audits(admin_client, make_user, db_session):
    user = make_user(roles=[Role.HELPDESK])
    assert user.totp_secret
    assert admin_client.post(f"/admin/people/{user.id}/reset-totp").status_code == 303
    db_session.expire_all()
    assert db_session.get(User, user.id).totp_secret is None
    assert len(_audits(db_session, "auth.totp_reset", user)) == 1


def test_grant_agency_rep_with_agency_then_revoke(admin_client, make_user, make_agency, db_session):
    user, agency = make_user(), make_agency()
    resp = admin_client.post(f"/admin/people/{user.id}/grants",
                             data={"role": "agency_rep", "agency_id": agency.id, "coc_id": 0})
    assert resp.status_code == 303
    grant = db_session.execute(sa.select(RoleGrant).where(RoleGrant.user_id == user.id)).scalar_one()
    assert (grant.role, grant.agency_id) == ("agency_rep", agency.id)
    assert len(_audits(db_session, "accounts.role_granted", user)) == 1
    resp = admin_client.post(f"/admin/people/{user.id}/grants/{grant.id}/revoke")
    assert resp.status_code == 303
    db_session.expire_all()
    assert db_session.get(RoleGrant, grant.id).revoked_at is not None
    assert len(_audits(db_session, "accounts.role_revoked", user)) == 1


def test_grant_manager_without_coc_refused_with_message(admin_client, make_user, db_session):
    user = make_user()
    resp = admin_client.post(f"/admin/people/{user.id}/grants", data={"role": "hmis_manager", "agency_id": 0,
                                                                     "coc_id": 0})
    assert resp.status_code == 400
    assert "HMIS manager needs a CoC." in resp.get_data(as_text=True)
    assert db_session.execute(sa.select(RoleGrant).where(RoleGrant.user_id == user.id)).first() is None


def test_grant_unknown_role_is_form_error(admin_client, make_user):
    user = make_user()
    resp = admin_client.post(f"/admin/people/{user.id}/grants", data={"role": "king", "agency_id": 0, "coc_id": 0})
    assert resp.status_code == 400


def test_revoke_grant_of_other_person_is_404(admin_client, make_user, db_session):
    a = make_user(roles=[Role.HELPDESK])
    b = make_user()
    grant = a.active_grants[0]
    assert admin_client.post(f"/admin/people/{b.id}/grants/{grant.id}/revoke").status_code == 404
    db_session.expire_all()
    assert db_session.get(RoleGrant, grant.id).revoked_at is None


def test_add_and_end_membership(admin_client, make_user, make_agency, db_session):
    user, agency = make_user(), make_agency()
    resp = admin_client.post(f"/admin/people/{user.id}/memberships", data={"agency_id": agency.id, "kind": "intern"})
    assert resp.status_code == 303
    m = db_session.execute(sa.select(AgencyMembership).where(AgencyMembership.user_id == user.id)).scalar_one()
    assert (m.agency_id, m.kind, m.ended_on) == (agency.id, "intern", None)
    assert len(_audits(db_session, "accounts.membership_added", user)) == 1
    assert admin_client.post(f"/admin/people/{user.id}/memberships/{m.id}/end").status_code == 303
    db_session.expire_all()
    assert db_session.get(AgencyMembership, m.id).ended_on is not None
    assert len(_audits(db_session, "accounts.membership_ended", user)) == 1


def test_add_membership_bad_kind_is_form_error(admin_client, make_user, make_agency):
    user, agency = make_user(), make_agency()
    resp = admin_client.post(f"/admin/people/{user.id}/memberships", data={"agency_id": agency.id, "kind": "boss"})
    assert resp.status_code == 400


def test_unknown_person_is_404(admin_client):
    assert admin_client.get("/admin/people/999999").status_code == 404
    assert admin_client.post("/admin/people/999999/unlock").status_code == 404
    assert admin_client.post("/admin/people/999999/grants", data={"role": "end_user"}).status_code == 404


def test_revoke_own_last_admin_role_refused(admin_client, admin, db_session):
    grant = admin.active_grants[0]
    resp = admin_client.post(f"/admin/people/{admin.id}/grants/{grant.id}/revoke")
    assert resp.status_code == 400
    assert "cannot withdraw your own administrator role" in resp.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(RoleGrant, grant.id).revoked_at is None


def test_revoke_other_admins_role_allowed(admin_client, make_user, db_session):
    other = make_user(roles=[Role.SYSADMIN])
    grant = other.active_grants[0]
    assert admin_client.post(f"/admin/people/{other.id}/grants/{grant.id}/revoke").status_code == 303
    db_session.expire_all()
    assert db_session.get(RoleGrant, grant.id).revoked_at is not None
