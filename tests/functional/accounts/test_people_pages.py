"""People administration: search, create with a one-time password, edit, roles, agencies, account actions."""

import re

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.auth.models import UserSession
from lms.core.audit import AuditEvent
from lms.core.roles import Role


@pytest.fixture
def admin(make_user):
    return make_user(email="lead@example.org", roles=[Role.LEAD_ADMIN])


@pytest.fixture
def admin_client(app, admin, login):
    client = app.test_client()
    login(client, admin)
    return client


def _actions(db_session):
    return set(db_session.execute(sa.select(AuditEvent.action)).scalars())


def test_create_person_shows_password_once_and_it_must_be_changed(app, admin_client, make_agency, db_session):
    agency = make_agency()
    resp = admin_client.post("/admin/people/new", data={"full_name": "Nina New", "email": "Nina@Example.org",
                                                        "role": "end_user", "agency_id": agency.id, "coc_id": 0})
    assert resp.status_code == 200
    password = re.search(r'data-testid="one-time-password">([^<]+)<', resp.get_data(as_text=True)).group(1)
    user = db_session.execute(sa.select(User).where(User.email == "nina@example.org")).scalar_one()
    assert user.roles == {Role.END_USER} and user.must_change_password
    assert [m.agency_id for m in user.active_memberships] == [agency.id]
    other = app.test_client()
    other.post("/auth/login", data={"email": "nina@example.org", "password": password})
    assert other.get("/").headers["Location"].endswith("/auth/password")
    # Submitting the same form twice makes one person, not two.
    again = admin_client.post("/admin/people/new", data={"full_name": "Nina New", "email": "nina@example.org",
                                                         "role": "end_user", "agency_id": 0, "coc_id": 0})
    assert again.status_code == 400 and "already has the e-mail" in again.get_data(as_text=True)


def test_create_person_refuses_missing_scope_and_bad_values(admin_client):
    resp = admin_client.post("/admin/people/new", data={"full_name": "A", "email": "a@example.org",
                                                        "role": "agency_rep", "agency_id": 0, "coc_id": 0})
    assert resp.status_code == 400 and "needs an agency" in resp.get_data(as_text=True)
    resp = admin_client.post("/admin/people/new", data={"full_name": "A", "email": "not-mail", "role": "end_user",
                                                        "agency_id": 0, "coc_id": 0})
    assert resp.status_code == 400
    resp = admin_client.post("/admin/people/new", data={"full_name": "A", "email": "a@example.org", "role": "god",
                                                        "agency_id": "x", "coc_id": 0})
    assert resp.status_code == 400


def test_sysadmin_may_not_hand_out_administrator_roles(app, make_user, login, db_session):
    sysadmin = make_user(roles=[Role.SYSADMIN])
    target = make_user(roles=[Role.END_USER])
    client = app.test_client()
    login(client, sysadmin)
    client.post(f"/admin/people/{target.id}/grants", data={"role": "lead_admin", "agency_id": 0, "coc_id": 0})
    db_session.refresh(target)
    assert Role.LEAD_ADMIN not in target.roles


def test_search_by_name_or_email_and_paginate(admin_client, make_user):
    for i in range(30):
        make_user(email=f"case{i:02d}@shelter.org", full_name=f"Casey Worker{i:02d}", roles=[Role.END_USER])
    make_user(email="zed@other.org", full_name="Zed Other", roles=[Role.END_USER])
    html = admin_client.get("/admin/people?q=shelter.org").get_data(as_text=True)
    assert "30 people found" in html and "Zed Other" not in html and "Page 1 of 2" in html
    assert "Zed Other" in admin_client.get("/admin/people?q=zed").get_data(as_text=True)
    assert "Casey Worker29" in admin_client.get("/admin/people?q=casey&page=2").get_data(as_text=True)
    html = admin_client.get("/admin/people?role=lead_admin").get_data(as_text=True)
    assert "1 person found" in html


def test_people_list_shows_roles_held_now_once_each_and_the_status(admin_client, make_user, make_agency, db_session,
                                                                    clock):
    from lms.accounts import services

    first, second = make_agency(), make_agency()
    rep = make_user(full_name="Rita Rep", roles=[Role.END_USER, Role.AGENCY_REP], agency=first)
    services.grant_role(db_session, rep, Role.AGENCY_REP, now=clock.now, agency=second)  # one role, two grants
    withdrawn = make_user(full_name="Will Withdrawn", roles=[Role.HELPDESK])
    withdrawn.grants[0].revoked_at = clock.now
    withdrawn.locked_at = clock.now
    gone = make_user(full_name="Gail Gone", roles=[Role.END_USER], active=False)
    db_session.commit()
    html = admin_client.get("/admin/people?status=all").get_data(as_text=True)
    rep_row, withdrawn_row, gone_row = (html.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]
                                        for name in ("Rita Rep", "Will Withdrawn", "Gail Gone"))
    assert "<td>Agency authorized representative, End user</td>" in rep_row
    assert "<td>None</td>" in withdrawn_row and ">Active<" in withdrawn_row and ">Locked<" in withdrawn_row
    assert "<td>End user</td>" in gone_row and ">Inactive<" in gone_row and "Locked" not in gone_row
    for person in (rep, withdrawn, gone):
        assert f'href="/admin/people/{person.id}">{person.full_name}</a>' in html
    assert "Gail Gone" not in admin_client.get("/admin/people").get_data(as_text=True)


def test_edit_person_changes_name_and_email_and_refuses_a_taken_email(admin_client, make_user, db_session):
    person = make_user(email="old@example.org", roles=[Role.END_USER])
    make_user(email="taken@example.org")
    resp = admin_client.post(f"/admin/people/{person.id}/edit", data={"full_name": "New Name", "email": "new@example.org"})
    assert resp.status_code == 303
    db_session.refresh(person)
    assert (person.full_name, person.email) == ("New Name", "new@example.org")
    resp = admin_client.post(f"/admin/people/{person.id}/edit", data={"full_name": "X", "email": "taken@example.org"})
    assert resp.status_code == 400


def test_grant_and_withdraw_roles_with_scope(admin_client, make_user, make_coc, db_session):
    person = make_user(roles=[Role.END_USER])
    coc = make_coc()
    admin_client.post(f"/admin/people/{person.id}/grants", data={"role": "hmis_manager", "agency_id": 0,
                                                                 "coc_id": coc.id})
    db_session.refresh(person)
    assert person.coc_ids_for(Role.HMIS_MANAGER) == {coc.id}
    grant = next(g for g in person.active_grants if g.role == "hmis_manager")
    admin_client.post(f"/admin/people/{person.id}/grants/{grant.id}/revoke")
    db_session.expire_all()
    assert Role.HMIS_MANAGER not in person.roles
    assert {"accounts.role_granted", "accounts.role_revoked"} <= _actions(db_session)


def test_revoking_someone_elses_grant_through_another_url_is_refused(admin_client, make_user, db_session):
    a, b = make_user(roles=[Role.END_USER]), make_user(roles=[Role.HELPDESK])
    grant_of_b = b.active_grants[0]
    admin_client.post(f"/admin/people/{a.id}/grants/{grant_of_b.id}/revoke")
    db_session.expire_all()
    assert Role.HELPDESK in b.roles


def test_memberships_add_and_end(admin_client, make_user, make_agency, db_session):
    person = make_user(roles=[Role.END_USER])
    agency = make_agency()
    admin_client.post(f"/admin/people/{person.id}/memberships", data={"agency_id": agency.id, "kind": "intern"})
    db_session.refresh(person)
    m = person.active_memberships[0]
    assert (m.agency_id, m.kind) == (agency.id, "intern")
    admin_client.post(f"/admin/people/{person.id}/memberships/{m.id}/end")
    db_session.expire_all()
    assert person.active_memberships == []


def test_deactivate_ends_sessions_and_reactivate(app, admin_client, make_user, login, db_session):
    person = make_user(roles=[Role.END_USER])
    their = app.test_client()
    login(their, person)
    assert admin_client.post(f"/admin/people/{person.id}/deactivate", data={"confirm": "yes"}).status_code == 303
    assert their.get("/").status_code == 302
    db_session.refresh(person)
    assert person.is_active is False
    assert db_session.execute(sa.select(UserSession.end_reason).where(UserSession.user_id == person.id)).scalar_one() \
        == "deactivated"
    admin_client.post(f"/admin/people/{person.id}/reactivate")
    db_session.refresh(person)
    assert person.is_active is True


def test_unlock_and_reset_totp_from_the_page_are_audited(admin_client, make_user, db_session, clock):
    person = make_user(roles=[Role.HELPDESK])
    person.locked_at = clock.now
    db_session.commit()
    admin_client.post(f"/admin/people/{person.id}/unlock")
    admin_client.post(f"/admin/people/{person.id}/reset-totp")
    db_session.refresh(person)
    assert person.locked_at is None and person.totp_secret is None
    assert {"auth.account_unlocked", "auth.totp_reset"} <= _actions(db_session)


def test_admin_cannot_deactivate_themselves(admin_client, admin, db_session):
    resp = admin_client.post(f"/admin/people/{admin.id}/deactivate", data={"confirm": "yes"})
    assert resp.status_code == 403 and "cannot deactivate your own account" in resp.get_data(as_text=True)
    db_session.refresh(admin)
    assert admin.is_active is True


def test_person_page_and_unknown_people(admin_client, make_user):
    person = make_user(full_name="Paula Page", roles=[Role.END_USER])
    assert "Paula Page" in admin_client.get(f"/admin/people/{person.id}").get_data(as_text=True)
    assert admin_client.get("/admin/people/999999").status_code == 404
    assert admin_client.post("/admin/people/999999/unlock").status_code == 404


def test_people_pages_refused_to_other_roles(app, make_user, make_agency, login):
    agency = make_agency()
    target = make_user(roles=[Role.END_USER])
    for role in (Role.END_USER, Role.AGENCY_REP, Role.HELPDESK, Role.HMIS_MANAGER):
        client = app.test_client()
        login(client, make_user(roles=[role], agency=agency, coc=agency.coc))
        assert client.get("/admin/people").status_code == 403
        assert client.post(f"/admin/people/{target.id}/deactivate").status_code == 403


def test_deactivate_page_says_what_it_will_do_before_anything_changes(app, admin_client, make_user, login,
                                                                      db_session):
    person = make_user(full_name="Dana Deact", roles=[Role.END_USER])
    login(app.test_client(), person)
    assert f'href="/admin/people/{person.id}/deactivate"' in admin_client.get(f"/admin/people/{person.id}").get_data(
        as_text=True)
    html = admin_client.get(f"/admin/people/{person.id}/deactivate").get_data(as_text=True)
    assert "Deactivate Dana Deact?" in html and "stop Dana Deact from signing in" in html
    assert "end their open session at once" in html and 'name="confirm" value="yes"' in html
    db_session.refresh(person)
    assert person.is_active is True


def test_deactivate_post_without_confirmation_changes_nothing(app, admin_client, make_user, login, db_session):
    person = make_user(roles=[Role.END_USER])
    their = app.test_client()
    login(their, person)
    before = _actions(db_session)
    resp = admin_client.post(f"/admin/people/{person.id}/deactivate")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/admin/people/{person.id}/deactivate")
    db_session.refresh(person)
    assert person.is_active is True and their.get("/").status_code == 200
    assert "accounts.user_deactivated" not in _actions(db_session) - before
    resp = admin_client.post(f"/admin/people/{person.id}/deactivate", data={"confirm": ""})
    db_session.refresh(person)
    assert resp.status_code == 303 and person.is_active is True


def test_deactivate_page_of_an_inactive_person_offers_nothing(admin_client, make_user):
    person = make_user(roles=[Role.END_USER], active=False)
    html = admin_client.get(f"/admin/people/{person.id}/deactivate").get_data(as_text=True)
    assert "already inactive" in html and 'name="confirm"' not in html


def test_person_page_of_a_lead_shows_a_sysadmin_no_actions_and_says_why(app, make_user, login, clock, db_session):
    sysadmin = make_user(roles=[Role.SYSADMIN])
    lead = make_user(full_name="Lee Lead", roles=[Role.LEAD_ADMIN], totp=True)
    lead.locked_at = clock.now
    db_session.commit()
    client = app.test_client()
    login(client, sysadmin)
    html = client.get(f"/admin/people/{lead.id}").get_data(as_text=True)
    assert "Lee Lead" in html and "which you cannot grant, so you cannot change anything" in html
    for hidden in ("/edit", "/deactivate", "/unlock", "/reset-totp", "/revoke", "/grants", "/memberships"):
        assert f'/admin/people/{lead.id}{hidden}' not in html, hidden
    resp = client.get(f"/admin/people/{lead.id}/edit")
    assert resp.status_code == 403 and "Nothing was changed" in resp.get_data(as_text=True)
    assert client.get(f"/admin/people/{lead.id}/deactivate").status_code == 403


def test_own_page_keeps_the_self_rules(app, make_user, login, db_session):
    sysadmin = make_user(roles=[Role.SYSADMIN], totp=True)
    client = app.test_client()
    login(client, sysadmin)
    html = client.get(f"/admin/people/{sysadmin.id}").get_data(as_text=True)
    assert f"/admin/people/{sysadmin.id}/edit" in html
    assert f"/admin/people/{sysadmin.id}/deactivate" not in html and "/reset-totp" not in html
    assert "/revoke" not in html  # one's own administrator role cannot be withdrawn
    resp = client.post(f"/admin/people/{sysadmin.id}/edit", data={"full_name": "Me Renamed", "email": sysadmin.email})
    assert resp.status_code == 303
    grant = sysadmin.active_grants[0]
    resp = client.post(f"/admin/people/{sysadmin.id}/grants/{grant.id}/revoke")
    assert resp.status_code == 403 and "withdraw your own administrator role" in resp.get_data(as_text=True)
    resp = client.post(f"/admin/people/{sysadmin.id}/reset-totp")
    assert resp.status_code == 403
    db_session.expire_all()
    assert sysadmin.full_name == "Me Renamed" and sysadmin.roles == {Role.SYSADMIN} and sysadmin.totp_secret


def _field_errors(html: str) -> dict[str, str]:
    """Return each field's error message, by field id."""
    return {m.group(1): m.group(2) for m in re.finditer(r'id="([\w-]+)-error" role="alert">([^<]*)<', html)}


def _options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


def test_role_choices_offer_only_the_roles_the_actor_may_grant(app, make_user, login, admin_client):
    sysadmin = make_user(roles=[Role.SYSADMIN])
    target = make_user(roles=[Role.END_USER])
    client = app.test_client()
    login(client, sysadmin)
    ordinary = ["end_user", "agency_rep", "helpdesk", "hmis_manager"]
    assert _options(client.get("/admin/people/new").get_data(as_text=True), "role") == ordinary
    assert _options(client.get(f"/admin/people/{target.id}").get_data(as_text=True), "role") == ordinary
    assert "lead_admin" in _options(admin_client.get("/admin/people/new").get_data(as_text=True), "role")


def test_create_person_with_a_role_the_actor_cannot_grant_puts_the_error_on_role(app, make_user, login,
                                                                                   db_session):
    sysadmin = make_user(roles=[Role.SYSADMIN])
    client = app.test_client()
    login(client, sysadmin)
    resp = client.post("/admin/people/new", data={"full_name": "Eve", "email": "eve@example.org",
                                                  "role": "lead_admin", "agency_id": 0, "coc_id": 0})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 403
    assert list(errors) == ["role"] and "Only an HMIS lead administrator" in errors["role"]
    assert db_session.execute(sa.select(User).where(User.email == "eve@example.org")).first() is None


def test_create_person_errors_sit_on_their_own_fields(admin_client, make_user):
    make_user(email="taken@example.org")
    resp = admin_client.post("/admin/people/new", data={"full_name": "A", "email": "taken@example.org",
                                                        "role": "end_user", "agency_id": 0, "coc_id": 0})
    assert list(_field_errors(resp.get_data(as_text=True))) == ["email"]
    resp = admin_client.post("/admin/people/new", data={"full_name": "A", "email": "a@example.org",
                                                        "role": "agency_rep", "agency_id": 0, "coc_id": 0})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400 and list(errors) == ["agency_id"] and "needs an agency" in errors["agency_id"]
    resp = admin_client.post("/admin/people/new", data={"full_name": "A", "email": "b@example.org",
                                                        "role": "hmis_manager", "agency_id": 0, "coc_id": 0})
    assert list(_field_errors(resp.get_data(as_text=True))) == ["coc_id"]


def test_grant_form_errors_sit_on_their_own_fields(app, make_user, login, admin_client, db_session):
    target = make_user(roles=[Role.END_USER])
    resp = admin_client.post(f"/admin/people/{target.id}/grants", data={"role": "hmis_manager", "agency_id": 0,
                                                                         "coc_id": 0})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400 and list(errors) == ["coc_id"] and "needs a CoC" in errors["coc_id"]
    sysadmin = make_user(roles=[Role.SYSADMIN])
    client = app.test_client()
    login(client, sysadmin)
    resp = client.post(f"/admin/people/{target.id}/grants", data={"role": "sysadmin", "agency_id": 0, "coc_id": 0})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 403 and list(errors) == ["role"] and "lead administrator" in errors["role"]
    db_session.expire_all()
    assert target.roles == {Role.END_USER}
