"""User access requests, seeing them: the representative's list, the detail page, the manager's queue, the
home page panels and the navigation, for every role.
"""

from __future__ import annotations

import re
from datetime import date

from lms.core.roles import Role
from tests.conftest import signed_in_client as _client
from tests.functional.accounts.requests_world import _form, _requests, _submit
from tests.functional.accounts.requests_world import world  # noqa: F401 - the fixture


# --- seeing ----------------------------------------------------------------------------------------------

def test_rep_list_shows_only_own_agencys_requests_with_counts(app, login, world, db_session):
    _submit(app, login, world)
    other_client = _client(app, login, world.other_rep)
    other_client.post(f"/access/requests/new?agency={world.other.id}",
                      data=_form(world, email="oscar@example.org", full_name="Oscar Other",
                                 project_ids=[str(world.foreign.id)]))
    html = _client(app, login, world.rep).get("/access/requests").get_data(as_text=True)
    assert "Nina New" in html and "Oscar Other" not in html
    assert re.search(r"<strong>1</strong> waiting for a decision", html)
    assert "Nina New" not in other_client.get("/access/requests").get_data(as_text=True)


def test_detail_for_outsiders_is_404(app, login, world, db_session):
    _submit(app, login, world)
    [req] = _requests(db_session)
    for who in ("other_rep", "other_manager"):
        assert _client(app, login, getattr(world, who)).get(f"/access/requests/{req.id}").status_code == 404, who
    for who in ("sysadmin", "helpdesk", "trainee"):
        assert _client(app, login, getattr(world, who)).get(f"/access/requests/{req.id}").status_code == 403, who
    for who in ("rep", "manager", "lead"):
        assert _client(app, login, getattr(world, who)).get(f"/access/requests/{req.id}").status_code == 200, who


def test_queue_shows_own_cocs_requests_oldest_first(app, login, world, db_session, clock):
    _submit(app, login, world, email="first@example.org", full_name="First Person")
    clock.advance(seconds=3600)
    _submit(app, login, world, email="second@example.org", full_name="Second Person")
    html = _client(app, login, world.manager).get("/access/queue").get_data(as_text=True)
    assert html.index("First Person") < html.index("Second Person")
    assert "2 requests waiting" in html
    other = _client(app, login, world.other_manager).get("/access/queue").get_data(as_text=True)
    assert "First Person" not in other and "0 requests waiting" in other
    assert "First Person" in _client(app, login, world.lead).get("/access/queue").get_data(as_text=True)


def test_home_shows_rep_counts_and_manager_queue_count(app, login, world, db_session):
    _submit(app, login, world)
    rep_home = _client(app, login, world.rep).get("/").get_data(as_text=True)
    assert 'data-testid="home-requests"' in rep_home and "1 waiting for a decision" in rep_home
    manager_home = _client(app, login, world.manager).get("/").get_data(as_text=True)
    assert "Access requests to decide: 1" in manager_home and "Nina New" in manager_home
    other_home = _client(app, login, world.other_manager).get("/").get_data(as_text=True)
    assert "Access requests to decide: 0" in other_home and "Nina New" not in other_home
    trainee_home = _client(app, login, world.trainee).get("/").get_data(as_text=True)
    assert "home-requests" not in trainee_home and "home-queue" not in trainee_home


def test_navigation_offers_request_pages_only_to_roles_that_use_them(app, login, world):
    for who, expect in [("rep", {"/access/requests"}), ("manager", {"/access/queue"}), ("lead", {"/access/queue"}),
                        ("sysadmin", set()), ("helpdesk", set()), ("trainee", set())]:
        html = _client(app, login, getattr(world, who)).get("/").get_data(as_text=True)
        nav = html[html.index('aria-label="Primary navigation"'):html.index("</nav>")]
        found = {href for href in ("/access/requests", "/access/queue") if f'href="{href}"' in nav}
        assert found == expect, who


def test_home_panel_query_count_does_not_grow_with_requests(app, login, world, db_session, make_agency, make_project,
                                                            make_user):
    """Requests from several agencies of the CoC: a query per row (or per agency) would show here."""
    from bench.harness import count_queries
    from lms.core.db import get_database

    engine = get_database(app).engine
    counts = {}
    for n in (1, 6):
        while len(_requests(db_session)) < n:
            k = len(_requests(db_session))
            agency = make_agency(coc=world.coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
            project = make_project(agency=agency)
            rep = make_user(f"rep-{k}@example.org", roles=[Role.AGENCY_REP], agency=agency)
            _client(app, login, rep).post(f"/access/requests/new?agency={agency.id}",
                                          data=_form(world, email=f"p{k}@example.org", project_ids=[str(project.id)]))
        for who in ("rep", "manager"):
            client = _client(app, login, getattr(world, who))
            with count_queries(engine) as counter:
                assert client.get("/").status_code == 200
            counts[(who, n)] = counter.count
    assert counts[("rep", 1)] == counts[("rep", 6)] and counts[("manager", 1)] == counts[("manager", 6)], counts
