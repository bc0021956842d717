"""Walk the whole URL map: every route declares who may reach it, and refuses everyone else.

The access decorators in ``lms.core.web`` (``public``, ``signed_in``, ``require``)
mark each view with ``_lms_access``.  This test needs no list of routes: any
route a package adds is checked the moment it exists.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.core.roles import Role
from lms.core.web import ACCESS_ATTR

#: Endpoints that serve files, not pages.
EXEMPT = {"static"}
DUMMY = {"int": "1", "string": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000", "any": "x"}


def _routes(app, ids=None):
    """Yield (endpoint, url, method, access) for every route, one URL per value of an ``any(...)`` part.

    ``ids`` gives real values to some URL parts (``{"user_id": "7"}``); the rest get dummies.
    """
    import itertools

    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        options = {}
        for name in rule.arguments:
            conv = rule._converters[name]
            kind = type(conv).__name__.replace("Converter", "").lower()
            options[name] = (sorted(conv.items) if kind == "any"
                             else [(ids or {}).get(name) or DUMMY.get(kind, "1")])
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        for combo in itertools.product(*options.values()):
            url = rule.build(dict(zip(options, combo)), append_unknown=False)[1]
            yield rule.endpoint, url, method, getattr(view, ACCESS_ATTR, None)


def test_every_route_declares_its_access(app):
    undeclared = [endpoint for endpoint, _, _, access in _routes(app) if access is None]
    assert undeclared == [], f"routes without @public, @signed_in or @require(...): {undeclared}"


def test_anonymous_is_sent_to_sign_in_for_every_protected_route(app):
    client = app.test_client()
    for endpoint, url, method, access in _routes(app):
        if access == "public":
            continue
        resp = client.open(url, method=method)
        assert resp.status_code in (302, 303, 401), (endpoint, resp.status_code)
        if resp.status_code != 401:
            assert "/auth/login" in resp.headers["Location"], endpoint


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_is_refused_every_route_outside_its_roles(app, make_user, make_agency, make_coc, login, role):
    agency = make_agency()
    user = make_user(roles=[role], agency=agency, coc=agency.coc)
    # People pages open on someone every administrator may manage (not the walker itself).
    target = make_user(roles=[Role.END_USER], agency=agency)
    client = app.test_client()
    login(client, user)
    checked = 0
    for endpoint, url, method, access in _routes(app, {"user_id": str(target.id)}):
        if endpoint == "auth.logout":
            continue  # ends the session the rest of the walk needs
        if isinstance(access, frozenset) and role not in access:
            resp = client.open(url, method=method)
            assert resp.status_code == 403, (role.value, endpoint, method, resp.status_code)
            checked += 1
        elif method == "GET":
            resp = client.open(url)
            assert resp.status_code < 500, (role.value, endpoint, resp.status_code)
            if isinstance(access, frozenset) or access == "signed_in":
                assert resp.status_code not in (401, 403), (role.value, endpoint, resp.status_code)
    # Still signed in at the end: nothing above ended the session by accident.
    assert client.get("/session/status").get_json()["signed_in"] is True
    if role is Role.END_USER:
        assert checked > 0


# --- people administration: every action × actor role × target's roles -------------------------

#: The policy, written out independently of ``lms.accounts.rules``: an HMIS lead administrator may act
#: on anyone; a system administrator on anyone who holds no administrator role; nobody else on anyone.
def _may_act(actor: Role, target_roles: frozenset) -> bool:
    if actor is Role.LEAD_ADMIN:
        return True
    if actor is Role.SYSADMIN:
        return not target_roles & {Role.SYSADMIN, Role.LEAD_ADMIN}
    return False


#: Each accounts action: how to prepare its target, and the request that performs it.
PEOPLE_ACTIONS = {
    "edit": (None, lambda t: (f"/admin/people/{t.id}/edit",
                              {"full_name": "Changed Name", "email": "changed@example.org"})),
    "deactivate": (None, lambda t: (f"/admin/people/{t.id}/deactivate", {"confirm": "yes"})),
    "reactivate": ("inactive", lambda t: (f"/admin/people/{t.id}/reactivate", {})),
    "unlock": ("locked", lambda t: (f"/admin/people/{t.id}/unlock", {})),
    "reset-totp": (None, lambda t: (f"/admin/people/{t.id}/reset-totp", {})),
    # A role the target does not hold yet, so that an allowed grant changes something.
    "grant": (None, lambda t: (f"/admin/people/{t.id}/grants", {
        "role": "end_user" if Role.HELPDESK in t.roles else "helpdesk", "agency_id": 0, "coc_id": 0})),
    "revoke": (None, lambda t: (f"/admin/people/{t.id}/grants/{t.active_grants[-1].id}/revoke", {})),
    "add-membership": (None, lambda t: (f"/admin/people/{t.id}/memberships",
                                        {"agency_id": t._other_agency, "kind": "intern"})),
    "end-membership": (None, lambda t: (f"/admin/people/{t.id}/memberships/{t.active_memberships[0].id}/end", {})),
}

TARGET_ROLE_SETS = [frozenset({r}) for r in Role] + [frozenset({Role.END_USER, Role.LEAD_ADMIN})]


def _state(db_session, user) -> tuple:
    """Return everything a people-administration action can change about ``user``, and the audit count."""
    from lms.accounts.models import AgencyMembership, RoleGrant, User
    from lms.core.audit import AuditEvent

    db_session.expire_all()
    u = db_session.get(User, user.id)
    grants = db_session.execute(sa.select(RoleGrant.id, RoleGrant.role, RoleGrant.revoked_at)
                                .where(RoleGrant.user_id == u.id).order_by(RoleGrant.id)).all()
    memberships = db_session.execute(sa.select(AgencyMembership.id, AgencyMembership.ended_on)
                                     .where(AgencyMembership.user_id == u.id).order_by(AgencyMembership.id)).all()
    audits = db_session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    return ((u.email, u.full_name, u.is_active, u.locked_at, u.totp_secret, tuple(grants), tuple(memberships)),
            audits)


@pytest.mark.parametrize("target_roles", TARGET_ROLE_SETS, ids=lambda rs: "+".join(sorted(r.value for r in rs)))
@pytest.mark.parametrize("actor_role", list(Role), ids=lambda r: r.value)
def test_people_actions_on_a_target_follow_the_role_rule(app, make_user, make_agency, login, db_session, clock,
                                                        actor_role, target_roles):
    agency, other_agency = make_agency(), make_agency()
    actor = make_user(roles=[actor_role], agency=agency, coc=agency.coc)
    client = app.test_client()
    login(client, actor)
    allowed = _may_act(actor_role, target_roles)
    for action, (prep, request_for) in PEOPLE_ACTIONS.items():
        target = make_user(roles=sorted(target_roles, key=list(Role).index), agency=agency, coc=agency.coc,
                           totp=True, active=prep != "inactive")
        if prep == "locked":
            target.locked_at = clock.now
            db_session.commit()
        target._other_agency = other_agency.id
        url, data = request_for(target)
        before, audits_before = _state(db_session, target)
        resp = client.post(url, data=data)
        after, audits_after = _state(db_session, target)
        label = (actor_role.value, sorted(r.value for r in target_roles), action)
        if allowed:
            assert resp.status_code == 303, (*label, resp.status_code)
            assert after != before and audits_after > audits_before, label
        else:
            assert resp.status_code == 403, (*label, resp.status_code)
            assert after == before and audits_after == audits_before, label
            if actor_role in (Role.SYSADMIN, Role.LEAD_ADMIN):
                assert "you cannot grant" in resp.get_data(as_text=True), label
