"""People services: one-time passwords, unique e-mails, scoped grants, memberships, (de)activation."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts import services
from lms.accounts.models import RoleGrant
from lms.accounts.roles import Role
from lms.auth.passwords import check_password
from lms.core.audit import AuditEvent
from lms.core.errors import InvalidInput, PermissionDenied


@pytest.fixture
def hashing(app):
    return app.extensions["lms.passwords"]


def _actions(db_session) -> list[str]:
    return list(db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def test_generate_password_passes_the_password_policy_and_differs_each_time():
    passwords = {services.generate_password() for _ in range(20)}
    assert len(passwords) == 20
    for pw in passwords:
        assert check_password(pw, username="someone@example.org") == []


def test_generate_password_throws_away_a_draw_that_spells_a_word(monkeypatch):
    draws = iter("Password12345678" + "xQ7vT2mK9pL4wR8z")
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(draws))
    assert services.generate_password() == "xQ7vT2mK9pL4wR8z"


def test_create_user_must_change_password_and_is_audited(app, db_session, clock, hashing):
    user, password = services.create_user(db_session, hashing, email=" Ana@Example.ORG ", full_name=" Ana Ruiz ",
                                          now=clock.now)
    assert (user.email, user.full_name, user.must_change_password) == ("ana@example.org", "Ana Ruiz", True)
    assert hashing.verify(user.password_hash, password) and password not in user.password_hash
    assert "accounts.user_created" in _actions(db_session)


@pytest.mark.parametrize("email,name,message", [
    ("no-at-sign", "Ana", "valid e-mail"),
    ("ana@example.org", "   ", "full name"),
    ("a" * 250 + "@x.org", "Ana", "valid e-mail"),
])
def test_create_user_with_bad_identity_is_refused(db_session, clock, hashing, email, name, message):
    with pytest.raises(InvalidInput, match=message):
        services.create_user(db_session, hashing, email=email, full_name=name, now=clock.now)


def test_create_user_with_a_taken_email_in_another_case_is_refused(db_session, clock, hashing, make_user):
    make_user("ana@example.org")
    with pytest.raises(InvalidInput, match="already has the e-mail address"):
        services.create_user(db_session, hashing, email="ANA@example.org", full_name="Ana", now=clock.now)


def test_grant_role_without_the_scope_it_needs_is_refused(db_session, clock, make_user):
    user = make_user()
    with pytest.raises(InvalidInput, match="needs an agency"):
        services.grant_role(db_session, user, Role.AGENCY_REP, now=clock.now)
    with pytest.raises(InvalidInput, match="needs a CoC"):
        services.grant_role(db_session, user, Role.HMIS_MANAGER, now=clock.now)


def test_grant_role_twice_keeps_one_grant_and_one_audit_row(db_session, clock, make_user, make_coc):
    user, coc = make_user(), make_coc()
    first = services.grant_role(db_session, user, Role.HMIS_MANAGER, coc=coc, now=clock.now)
    again = services.grant_role(db_session, user, Role.HMIS_MANAGER, coc=coc, now=clock.now)
    assert first is again
    assert _actions(db_session).count("accounts.role_granted") == 1


def test_grant_unscoped_role_drops_a_scope_given_by_mistake(db_session, clock, make_user, make_coc):
    grant = services.grant_role(db_session, make_user(), Role.HELPDESK, coc=make_coc(), now=clock.now)
    assert grant.coc_id is None and grant.agency_id is None


def test_revoke_grant_twice_records_once(db_session, clock, make_user, make_coc):
    user = make_user(roles=[Role.HMIS_MANAGER], coc=make_coc())
    grant = db_session.execute(sa.select(RoleGrant).where(RoleGrant.user_id == user.id)).scalar_one()
    services.revoke_grant(db_session, grant, now=clock.now, actor=None)
    services.revoke_grant(db_session, grant, now=clock.now + timedelta(hours=1), actor=None)
    assert grant.revoked_at == clock.now
    assert _actions(db_session).count("accounts.role_revoked") == 1


def test_add_membership_with_an_unknown_kind_is_refused(db_session, clock, make_user, make_agency):
    with pytest.raises(InvalidInput, match="employee, volunteer or intern"):
        services.add_membership(db_session, make_user(), make_agency(), kind="contractor",
                                started_on=clock.now.date(), now=clock.now)


def test_deactivate_self_is_refused_and_changes_nothing(db_session, clock, make_user):
    admin = make_user(roles=[Role.SYSADMIN])
    with pytest.raises(PermissionDenied, match="your own account"):
        services.deactivate(db_session, admin, now=clock.now, actor=admin)
    assert admin.is_active is True


def test_update_user_unchanged_returns_false_without_audit(db_session, clock, make_user):
    user = make_user("ana@example.org", full_name="Ana Ruiz")
    assert services.update_user(db_session, user, email="ana@example.org", full_name="Ana Ruiz", now=clock.now,
                                actor=None) is False
    assert "accounts.user_changed" not in _actions(db_session)


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.LEAD_ADMIN])
def test_check_may_grant_admin_roles_only_by_lead_admin(make_user, role):
    with pytest.raises(PermissionDenied):
        services.check_may_grant(make_user(roles=[Role.SYSADMIN]), role)
    services.check_may_grant(make_user(roles=[Role.LEAD_ADMIN]), role)


def _calls(db_session, clock, target, agency):
    """Every accounts service that acts on a person, as (name, call(actor))."""
    kw = {"now": clock.now}
    return [
        ("update_user", lambda a: services.update_user(db_session, target, email="mine@example.org",
                                                       full_name="Taken Over", actor=a, **kw)),
        ("deactivate", lambda a: services.deactivate(db_session, target, actor=a, **kw)),
        ("reactivate", lambda a: services.reactivate(db_session, target, actor=a, **kw)),
        ("unlock", lambda a: services.unlock(db_session, target, actor=a, **kw)),
        ("reset_totp", lambda a: services.reset_totp(db_session, target, actor=a, **kw)),
        ("grant_role", lambda a: services.grant_role(db_session, target, Role.HELPDESK, actor=a, **kw)),
        ("revoke_grant", lambda a: services.revoke_grant(db_session, target.active_grants[0], actor=a, **kw)),
        ("add_membership", lambda a: services.add_membership(db_session, target, agency, started_on=clock.now.date(),
                                                             actor=a, **kw)),
        ("end_membership", lambda a: services.end_membership(db_session, target.active_memberships[0],
                                                             ended_on=clock.now.date(), actor=a, **kw)),
    ]


@pytest.mark.parametrize("target_role", [Role.SYSADMIN, Role.LEAD_ADMIN])
def test_every_person_service_refuses_a_sysadmin_acting_on_an_administrator(db_session, clock, make_user,
                                                                            make_agency, target_role):
    sysadmin = make_user(roles=[Role.SYSADMIN])
    agency = make_agency()
    target = make_user("lead@example.org", roles=[target_role], agency=make_agency(), totp=True)
    target.locked_at = clock.now
    db_session.flush()
    audits = len(_actions(db_session))
    for name, call in _calls(db_session, clock, target, agency):
        with pytest.raises(PermissionDenied, match="you cannot grant"):
            call(sysadmin)
        assert len(_actions(db_session)) == audits, name
    assert (target.email, target.is_active, target.locked_at, target.totp_secret is not None) == (
        "lead@example.org", True, clock.now, True)
    assert target.roles == {target_role} and len(target.active_memberships) == 1


def test_every_person_service_lets_a_lead_act_on_a_sysadmin(db_session, clock, make_user, make_agency):
    lead = make_user(roles=[Role.LEAD_ADMIN])
    target = make_user(roles=[Role.SYSADMIN], agency=make_agency(), totp=True)
    for name, call in _calls(db_session, clock, target, make_agency()):
        call(lead)
    assert target.email == "mine@example.org" and target.totp_secret is None
