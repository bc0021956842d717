"""Each page stays within its query budget (bench/harness.py BUDGETS) at any data volume.

Counts, not times: a page that starts issuing one query per row fails here even
on a small data set, because the budget is checked with more rows than it allows.
"""

import pytest
import sqlalchemy as sa

from bench.harness import (BUDGETS, SANDBOX_BUDGETS, count_loaded, count_queries, make_admin, page_exists, seed_volume,
                           seed_workspace, sign_in)
from lms.core.db import get_database
from lms.recert import services as recert
from tests.conftest import DEFAULT_PASSWORD


@pytest.fixture
def admin_client(app, db_session, clock):
    hashing = app.extensions["lms.passwords"]
    seed_volume(db_session, hashing, now=clock.now, cocs=3, agencies=30, projects_per_agency=2, people=60,
                audit_events=80)
    admin, secret = make_admin(db_session, hashing, now=clock.now, password=DEFAULT_PASSWORD)
    # The current recertification cycle, so that its pages (status, dashboard, exports) show every person.
    recert.open_cycle(db_session, recert.current_fiscal_year(db_session, clock.now), now=clock.now)
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


@pytest.fixture
def big_workspace_client(app, make_user, login, clock, monkeypatch):
    """A trainee whose workspace holds more clients with findings than one data-quality page shows."""
    from lms.core.roles import Role
    from sandbox import quality

    monkeypatch.setattr(quality, "CLIENTS_PER_PAGE", 10)
    user = make_user(roles=[Role.END_USER])
    with app.extensions["sandbox.db"].session() as sdb:
        seed_workspace(sdb, user.id, now=clock.now, clients=400)  # 40 clients with a finding
        sdb.commit()
    client = app.test_client()
    login(client, user)
    return client


@pytest.mark.parametrize("url", sorted(SANDBOX_BUDGETS))
def test_sandbox_page_large_workspace_stays_within_budget(app, big_workspace_client, url):
    from sandbox import quality
    from sandbox.db import SandboxBase
    from sandbox.views import workspace

    big_workspace_client.get(url)  # the first visit after a change counts the findings (and keeps the counts)
    with count_queries(app.extensions["sandbox.db"].engine) as counter, count_loaded(SandboxBase) as loaded:
        resp = big_workspace_client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    assert counter.count <= SANDBOX_BUDGETS[url], (url, counter.count, counter.statements)
    # The workspace and one page of the client list; on the data-quality page one page of clients with
    # their stays and income.
    rows = 1 + workspace.CLIENTS_PER_PAGE if url == "/sandbox/" else 1 + 6 * quality.CLIENTS_PER_PAGE
    assert loaded[0] <= rows, (url, loaded[0])


def test_sandbox_home_counts_findings_once_per_change_of_the_workspace(app, big_workspace_client):
    """The summary's counting reads every record: it runs on the first visit after a change, not on each."""
    engine = app.extensions["sandbox.db"].engine

    def visit() -> list[str]:
        with count_queries(engine) as counter:
            assert "40 missing" in big_workspace_client.get("/sandbox/").get_data(as_text=True)
        return [s for s in counter.statements if "income_benefits" in s]  # the counting query's mark

    assert visit() and not visit() and not visit()


def test_data_quality_page_shows_one_page_of_clients_and_counts_all(app, big_workspace_client):
    first = big_workspace_client.get("/sandbox/quality").get_data(as_text=True)
    last = big_workspace_client.get("/sandbox/quality?page=4").get_data(as_text=True)
    assert "40 clients with findings" in first and "Page 1 of 4" in first and "Page 4 of 4" in last
    assert first.count("SSN: not collected") == 10 == last.count("SSN: not collected")
    assert "40 missing" in big_workspace_client.get("/sandbox/").get_data(as_text=True)


def test_people_list_loads_rows_not_people(app, admin_client):
    """The list reads the columns it shows (and each person's roles as one string), never a ``User`` with its
    grants: only the signed-in administrator and their grant are loaded as entities."""
    from lms.accounts.models import RoleGrant, User

    for url in ("/admin/people?status=all", "/admin/people?role=end_user", "/admin/people?q=person"):
        with count_loaded(User) as users, count_loaded(RoleGrant) as grants:
            assert admin_client.get(url).status_code == 200
        assert users[0] <= 1 and grants[0] <= 1, (url, users[0], grants[0])


def test_people_list_sort_and_role_filter_are_indexed(app, admin_client):
    from lms.accounts import services

    engine = get_database(app).engine
    indexes = {ix["name"]: ix["column_names"] for table in ("users", "role_grants")
               for ix in sa.inspect(engine).get_indexes(table)}
    assert indexes["ix_users_full_name_id"] == ["full_name", "id"]
    assert indexes["ix_users_is_active_full_name_id"] == ["is_active", "full_name", "id"]
    assert indexes["ix_users_locked_full_name_id"] == ["full_name", "id"]
    assert indexes["ix_role_grants_role_user_id"] == ["role", "user_id"]
    if engine.dialect.name == "sqlite":
        def plan(query) -> str:
            sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
            with engine.connect() as conn:
                return " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))

        # Each status's page walks an index in order, and its count reads an index, not every person's row.
        for status, index in (("all", "ix_users_full_name_id"), ("active", "ix_users_is_active_full_name_id"),
                              ("inactive", "ix_users_is_active_full_name_id"),
                              ("locked", "ix_users_locked_full_name_id")):
            query = services.people_query(status=status)
            page = plan(query.limit(25))
            assert index in page and "TEMP B-TREE" not in page, (status, page)
            count = plan(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
            assert "INDEX" in count, (status, count)


# --- statements built once -------------------------------------------------------------------------

@pytest.fixture
def statement_keys():
    """The SQL statements whose cache keys SQLAlchemy works out while it is active (the test harness's own
    savepoints aside).  A statement object keeps its key; a statement built anew on each call (or each
    ``Session.get``) costs its construction plus its key every time, as much as a small query's run.
    Watched with a profile hook, not a patch: SQLAlchemy's own code must run exactly as in production."""
    import sys

    from sqlalchemy.sql import cache_key

    code = cache_key.HasCacheKey._generate_cache_key.__code__
    worked_out: list[str] = []

    def watch(frame, event, _arg):  # noqa: ANN001, ANN202
        if event == "call" and frame.f_code is code:
            name = type(frame.f_locals.get("self")).__name__
            if "Savepoint" not in name:  # (not str(statement): compiling it here would disturb the ORM's own)
                worked_out.append(f"{name} made in {frame.f_back.f_back.f_code.co_qualname}")

    sys.setprofile(watch)
    yield worked_out
    sys.setprofile(None)


@pytest.fixture
def trainee_in_training(app, make_user, login, db_session, clock):
    from lms.core.roles import Role
    from lms.training import services as training

    user = make_user(roles=[Role.END_USER])
    training.start_plan(db_session, user, practice_groups=["emergency_shelter"], now=clock.now)
    db_session.commit()
    client = app.test_client()
    login(client, user)
    return client


@pytest.mark.parametrize("url", ["/", "/training/", "/sandbox/", "/session/status", "/recertification"])
def test_the_trainees_hottest_pages_build_no_statement_per_request(trainee_in_training, statement_keys, url):
    """Their statements are built once per process: the second request works out no statement's key."""
    assert trainee_in_training.get(url).status_code == 200
    statement_keys.clear()
    assert trainee_in_training.get(url).status_code == 200
    assert statement_keys == [], statement_keys


def test_the_people_list_builds_no_statement_per_request(admin_client, statement_keys):
    assert admin_client.get("/admin/people").status_code == 200
    statement_keys.clear()
    assert admin_client.get("/admin/people?page=2").status_code == 200
    assert statement_keys == [], statement_keys


def test_a_test_taken_builds_only_the_orms_own_statements(app, trainee_in_training, db_session, clock, statement_keys):
    """October's busiest writes: start a test, read it, answer it.  What is left is made by the ORM itself on
    each call: the bulk INSERT of the drawn questions (start), the select-in load of the attempt's questions
    (page, answers) and the scoring UPDATE (answers), each annotated anew by the ORM when it runs."""
    import re

    from bench.harness import prepare_quizzes, unlock_tests
    from lms.accounts.models import User

    prepare_quizzes(db_session, now=clock.now)
    unlock_tests(db_session, list(db_session.execute(sa.select(User.id)).scalars()), now=clock.now)
    db_session.commit()
    for _ in range(2):  # the second round is the steady state
        statement_keys.clear()
        started = trainee_in_training.post("/quizzes/security_privacy/start", data={})
        assert started.status_code == 303 and "/quizzes/attempts/" in started.location
        at_start = list(statement_keys)
        statement_keys.clear()
        page = trainee_in_training.get(started.location).get_data(as_text=True)
        at_page = list(statement_keys)
        statement_keys.clear()
        answers = dict(re.findall(r'name="(q\d+)"[^>]*value="([^"]+)"', page))
        assert answers and trainee_in_training.post(started.location, data=answers).location.endswith("/result")
        at_answer = list(statement_keys)
    assert len(at_start) <= 2 and all(k.startswith("AnnotatedInsert") for k in at_start), at_start
    assert len(at_page) <= 1 and len(at_answer) <= 2, (at_page, at_answer)
    assert [k for k in at_answer if k.startswith("AnnotatedUpdate")] == [at_answer[-1]], at_answer
