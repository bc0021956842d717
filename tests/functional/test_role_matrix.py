"""Walk the whole URL map: every route declares who may reach it, and refuses everyone else.

The access decorators in ``lms.core.web`` (``public``, ``signed_in``, ``require``)
mark each view with ``_lms_access``.  This test needs no list of routes: any
route a package adds is checked the moment it exists.
"""

from __future__ import annotations

import pytest

from lms.core.roles import Role
from lms.core.web import ACCESS_ATTR

#: Endpoints that serve files, not pages.
EXEMPT = {"static"}
DUMMY = {"int": "1", "string": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000", "any": "x"}


def _routes(app):
    """Yield (endpoint, url, method, access) for every route, one URL per value of an ``any(...)`` part."""
    import itertools

    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        options = {}
        for name in rule.arguments:
            conv = rule._converters[name]
            kind = type(conv).__name__.replace("Converter", "").lower()
            options[name] = sorted(conv.items) if kind == "any" else [DUMMY.get(kind, "1")]
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
    client = app.test_client()
    login(client, user)
    checked = 0
    for endpoint, url, method, access in _routes(app):
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
