"""Each page stays within its query budget (bench/harness.py BUDGETS) at any data volume.

Counts, not times: a page that starts issuing one query per row fails here even
on a small data set, because the budget is checked with more rows than it allows.
"""

import pytest

from bench.harness import BUDGETS, count_queries, make_admin, page_exists, seed_volume, sign_in
from lms.core.db import get_database
from tests.conftest import DEFAULT_PASSWORD


@pytest.fixture
def admin_client(app, db_session, clock):
    hashing = app.extensions["lms.passwords"]
    seed_volume(db_session, hashing, now=clock.now, cocs=3, agencies=30, projects_per_agency=2, people=60,
                audit_events=80)
    admin, secret = make_admin(db_session, hashing, now=clock.now, password=DEFAULT_PASSWORD)
    db_session.commit()
    client = app.test_client()
    sign_in(client, admin.email, DEFAULT_PASSWORD, secret, clock)
    return client


@pytest.mark.parametrize("url", sorted(BUDGETS))
def test_page_within_query_budget(app, admin_client, url):
    assert page_exists(app, url), f"BUDGETS names {url}, which no route serves: fix or remove it"
    engine = get_database(app).engine
    with count_queries(engine) as counter:
        resp = admin_client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    assert counter.count <= BUDGETS[url], (url, counter.count, counter.statements)
