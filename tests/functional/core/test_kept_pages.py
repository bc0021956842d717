"""Kept pages (lms/core/kept_pages.py) and the page versions that say when one is stale (lms/core/page_versions.py).

A trainee's home, checklist and sandbox home are rendered once and served again; every committed change to
what they show must be seen by the next request (the tests change rows as another process would: through a
session of their own, never telling the app), and nothing else may be served from a kept page: a staff
page, a page with a message to show once, another person's page.
"""

from __future__ import annotations

import gc
import re
from datetime import date

import pytest
import sqlalchemy as sa

from bench.harness import count_queries
from lms.accounts.models import User
from lms.core import audit, kept_pages, page_versions
from lms.core.db import get_database
from lms.core.driver import PreparedWrite
from lms.core.roles import Role
from lms.training import services as training
from lms.training.models import PlanRequirement, TrainingPlan
from sandbox.db import get_sandbox_database
from tests.conftest import DEFAULT_PASSWORD
from tests.functional.training.conftest import upra  # noqa: F401  (the published agreement)

FY = 2027


@pytest.fixture
def trainee(make_user, make_agency):
    return make_user(roles=[Role.END_USER], agency=make_agency(), full_name="Terry Trainee")


@pytest.fixture
def planned(trainee, db_session, clock):
    training.start_plan(db_session, trainee, practice_groups=["emergency_shelter"], now=clock.now)
    db_session.commit()
    return trainee


@pytest.fixture
def trainee_client(app, trainee, login):
    client = app.test_client()
    login(client, trainee)
    return client


def _versions(db_session, user) -> tuple[int, int]:
    own = db_session.execute(sa.select(User.page_version).where(User.id == user.id)).scalar_one()
    shared = db_session.execute(sa.select(page_versions.PageDataVersion.version)).scalar_one()
    return own, shared


def _get(app, client, url: str) -> tuple[str, int]:
    """The page's HTML and how many statements its request ran (on either database)."""
    with count_queries(get_database(app).engine) as lms, count_queries(get_sandbox_database(app).engine) as sandbox:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True), lms.count + sandbox.count


def _evidence(db_session, user, key: str, clock, n: int = 1) -> None:
    training.record_evidence(db_session, user, key, fiscal_year=FY, achieved_at=clock.now, source="test",
                             source_id=str(n))
    db_session.commit()


# --- served again, and only the session read --------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/training/", "/sandbox/"])
def test_a_trainees_page_is_rendered_once_then_served_with_only_the_session_read(app, planned, trainee_client, url):
    if url == "/sandbox/":
        _get(app, trainee_client, url)  # the first visit makes the workspace
    first, first_statements = _get(app, trainee_client, url)
    again, statements = _get(app, trainee_client, url)
    assert again == first
    # The session's read (with both page versions); the sandbox home reads its workspace's version too.
    assert statements == (2 if url == "/sandbox/" else 1) < first_statements


def test_a_change_to_the_trainees_own_rows_shows_at_once(app, planned, trainee_client, db_session, clock, upra):
    html, _ = _get(app, trainee_client, "/training/")
    assert "0 of 5 requirements completed" in html
    before = _versions(db_session, planned)
    _evidence(db_session, planned, "security_privacy", clock)
    own, shared = _versions(db_session, planned)
    assert own == before[0] + 1 and shared == before[1]  # theirs alone: nobody else's page is rendered again
    assert "1 of 5 requirements completed" in _get(app, trainee_client, "/training/")[0]
    assert "1 of 5" in _get(app, trainee_client, "/")[0]


def test_another_persons_change_leaves_the_trainees_page_kept(app, planned, trainee_client, make_user, db_session,
                                                              clock, upra):
    other = make_user(roles=[Role.END_USER])
    _get(app, trainee_client, "/training/")
    _evidence(db_session, other, "security_privacy", clock)
    assert _get(app, trainee_client, "/training/")[1] == 1


def test_a_shared_change_renders_every_page_again(app, planned, trainee_client, db_session):
    assert "Welcome, Terry Trainee" in _get(app, trainee_client, "/")[0]
    # An administrator corrects the name: other people's pages show it too, so the shared version rises.
    db_session.get(User, planned.id).full_name = "Terry Traynee"
    db_session.commit()
    assert "Welcome, Terry Traynee" in _get(app, trainee_client, "/")[0]


def test_a_role_granted_mid_session_is_not_hidden_by_a_kept_page(app, trainee, trainee_client, db_session, clock):
    from lms.accounts import services as accounts

    _get(app, trainee_client, "/")
    accounts.grant_role(db_session, db_session.get(User, trainee.id), Role.AGENCY_REP, now=clock.now,
                        agency=trainee.memberships[0].agency)
    db_session.commit()
    # A staff role: the second factor must be enrolled before any page opens (not the kept home page).
    assert trainee_client.get("/").status_code in (302, 303)


def _add_client(app, trainee, clock) -> None:
    from sandbox import services as sandbox

    with get_sandbox_database(app).session() as sdb:
        ws = sandbox.workspace_for_user(sdb, trainee.id, now=clock.now, create=False)
        sandbox.save_client(sdb, ws, {"FirstName": "Casey", "LastName": "Example", "NameDataQuality": 1,
                                      "SSNDataQuality": 99, "DOB": date(1980, 1, 1), "DOBDataQuality": 1, "White": 1},
                            now=clock.now)
        sdb.commit()


def test_the_sandbox_home_shows_a_new_client_at_once(app, trainee, trainee_client, clock):
    assert "Casey" not in _get(app, trainee_client, "/sandbox/")[0]
    _add_client(app, trainee, clock)  # as another process would
    assert "Casey" in _get(app, trainee_client, "/sandbox/")[0]


def test_starting_the_sandbox_over_empties_its_kept_home(app, trainee, trainee_client, clock):
    from sandbox import services as sandbox

    _get(app, trainee_client, "/sandbox/")
    _add_client(app, trainee, clock)
    assert "Casey" in _get(app, trainee_client, "/sandbox/")[0]
    with get_sandbox_database(app).session() as sdb:  # the reset's bulk deletes raise the workspace's version
        sandbox.reset_workspace(sdb, sandbox.workspace_for_user(sdb, trainee.id, now=clock.now, create=False),
                                now=clock.now)
        sdb.commit()
    assert "Casey" not in _get(app, trainee_client, "/sandbox/")[0]


def test_a_signed_out_browser_gets_no_kept_page(app, planned, trainee_client):
    _get(app, trainee_client, "/training/")
    trainee_client.post("/auth/logout")
    resp = trainee_client.get("/training/")
    assert resp.status_code in (302, 303) and "/auth/login" in resp.headers["Location"]


# --- never kept --------------------------------------------------------------------------------------

def test_a_staff_home_is_rendered_every_time(app, make_user, make_agency, login):
    rep = make_user(roles=[Role.AGENCY_REP], agency=make_agency())
    client = app.test_client()
    login(client, rep)
    _get(app, client, "/")
    assert _get(app, client, "/")[1] > 1


def test_a_message_to_show_once_is_shown_once_and_never_kept(app, planned, trainee_client):
    _get(app, trainee_client, "/training/")
    with trainee_client.session_transaction() as flask_session:
        flask_session["_flashes"] = [("success", "Thank you for signing.")]
    assert "Thank you for signing." in _get(app, trainee_client, "/training/")[0]
    html, statements = _get(app, trainee_client, "/training/")
    assert "Thank you for signing." not in html
    assert statements == 1  # the page kept before the message, served again


def test_a_kept_page_is_rendered_again_once_it_is_old(app, planned, trainee_client):
    now = [1000.0]
    kept_pages.store(app).clock = lambda: now[0]
    _get(app, trainee_client, "/training/")
    now[0] += kept_pages.SECONDS - 1
    assert _get(app, trainee_client, "/training/")[1] == 1
    now[0] += 1
    assert _get(app, trainee_client, "/training/")[1] > 1


def test_each_person_and_session_has_pages_of_their_own(app, planned, trainee_client, make_user, login):
    other = make_user(roles=[Role.END_USER], full_name="Olive Other")
    other_client = app.test_client()
    login(other_client, other)
    assert "Terry Trainee" in _get(app, trainee_client, "/")[0]
    html = _get(app, other_client, "/")[0]
    assert "Olive Other" in html and "Terry Trainee" not in html
    # The same person in a new session: the page's forms carry that session's CSRF token, so it is rendered.
    trainee_client.post("/auth/logout")
    login(trainee_client, planned)
    assert _get(app, trainee_client, "/")[1] > 1


def test_a_kept_pages_csrf_token_is_accepted(app, planned, login):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"email": planned.email, "password": DEFAULT_PASSWORD,
                                     "csrf_token": token})
    _get(app, client, "/")
    html, statements = _get(app, client, "/")
    assert statements == 1
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code in (302, 303)
    assert client.get("/session/status").get_json()["signed_in"] is False


# --- what raises which version ------------------------------------------------------------------------

def test_a_rolled_back_change_raises_nothing(db_session, trainee, clock):
    before = _versions(db_session, trainee)
    training.record_evidence(db_session, trainee, "security_privacy", fiscal_year=FY, achieved_at=clock.now,
                             source="test", source_id="1")
    db_session.flush()
    db_session.rollback()
    db_session.commit()
    assert _versions(db_session, trainee) == before


def test_rows_no_page_shows_raise_nothing(db_session, trainee, clock):
    before = _versions(db_session, trainee)
    audit.record(db_session, action="auth.login", now=clock.now, actor=trainee, target=trainee)
    db_session.get(User, trainee.id).last_login_at = clock.now  # the sign-in's bookkeeping
    db_session.commit()
    assert _versions(db_session, trainee) == before


def test_a_row_whose_parent_is_the_persons_raises_their_version_alone(db_session, planned):
    plan = db_session.execute(sa.select(TrainingPlan).where(TrainingPlan.user_id == planned.id)).scalar_one()
    requirement = db_session.execute(sa.select(PlanRequirement).where(PlanRequirement.plan_id == plan.id)).scalars().first()
    before = _versions(db_session, planned)
    requirement.position = requirement.position + 100
    db_session.commit()
    own, shared = _versions(db_session, planned)
    assert (own, shared) == (before[0] + 1, before[1])


def test_a_row_whose_person_cannot_be_told_raises_the_shared_version(db_session, planned):
    requirement = db_session.execute(sa.select(PlanRequirement)).scalars().first()
    db_session.expunge_all()  # its plan no longer in the session: whose it is cannot be told without a read
    before = _versions(db_session, planned)
    row = db_session.get(PlanRequirement, requirement.id)
    row.position = row.position + 100
    db_session.commit()
    assert _versions(db_session, planned)[1] == before[1] + 1


def test_a_bulk_statement_raises_the_versions_it_names_or_the_shared_one(db_session, planned):
    table = PlanRequirement.__table__
    before = _versions(db_session, planned)
    db_session.execute(sa.update(table).values(position=table.c.position + 1),
                       execution_options={page_versions.OWNERS_OPTION: [planned.id]})
    db_session.commit()
    assert _versions(db_session, planned) == (before[0] + 1, before[1])
    db_session.execute(sa.update(table).values(position=table.c.position + 1))
    db_session.commit()
    assert _versions(db_session, planned) == (before[0] + 1, before[1] + 1)


def test_every_write_straight_on_the_driver_is_to_a_table_no_page_shows():
    import lms.models  # noqa: F401  (every module holding a PreparedWrite)
    import quizzes.videos  # noqa: F401

    writes = [o for o in gc.get_objects() if isinstance(o, PreparedWrite)]
    assert writes
    for write in writes:
        table = write.statement.table.name
        if table == "users":  # the sign-in's mark: columns no page shows
            assert {c.key for c in write.statement._values} <= page_versions.UNSEEN_USER_COLUMNS, write.statement
        else:
            assert table in page_versions.UNSEEN, write.statement


def test_signing_in_and_taking_a_test_raise_the_trainees_own_version_alone(app, trainee, db_session, clock, login):
    """The October rush (sign-ins, tests, their evidence) must not empty everyone's kept pages."""
    from quizzes import services as quizzes
    from tests.functional.quizzes.conftest import answers, start, watch_videos

    quizzes.load_content(db_session, now=clock.now)
    db_session.commit()
    watch_videos(db_session, trainee, clock.now)
    before = _versions(db_session, trainee)
    client = app.test_client()
    login(client, trainee)
    assert _versions(db_session, trainee) == before  # the sign-in's rows are no page's
    attempt_id = start(client)
    assert client.post(f"/quizzes/attempts/{attempt_id}", data=answers(db_session, attempt_id)).status_code == 303
    db_session.expire_all()
    own, shared = _versions(db_session, trainee)
    assert own > before[0] and shared == before[1]


# --- the people list's count, kept per shared version ------------------------------------------------

def _people_found(app, client, url: str) -> tuple[int, list[str]]:
    with count_queries(get_database(app).engine) as counter:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    found = re.search(r"(\d+) (?:person|people) found", resp.get_data(as_text=True))
    return int(found.group(1)), counter.statements


def _counted(statements: list[str]) -> bool:
    return any(s.lstrip().upper().startswith("SELECT COUNT(*)") for s in statements)


def test_the_people_lists_count_is_kept_until_a_person_their_lock_or_their_roles_change(
        app, make_user, make_agency, login, db_session, clock):
    """The count of 5,000 people cost more than the rest of the page on PostgreSQL: it is kept per shared page
    version, which every change it follows raises (a new person, a lock, a role granted or withdrawn, even by
    a bulk statement that names its people)."""
    from lms.accounts import services as accounts
    from lms.accounts.models import RoleGrant

    admin = make_user(roles=[Role.LEAD_ADMIN])
    db_session.commit()
    client = app.test_client()
    login(client, admin)
    total, statements = _people_found(app, client, "/admin/people")
    assert _counted(statements)
    again, statements = _people_found(app, client, "/admin/people")
    assert again == total and not _counted(statements), statements

    person = make_user(roles=[Role.END_USER])
    db_session.commit()
    assert _people_found(app, client, "/admin/people")[0] == total + 1

    assert _people_found(app, client, "/admin/people?status=locked")[0] == 0
    db_session.get(User, person.id).locked_at = clock.now
    db_session.commit()
    assert _people_found(app, client, "/admin/people?status=locked")[0] == 1

    reps = "/admin/people?status=all&role=agency_rep"
    assert _people_found(app, client, reps)[0] == 0
    accounts.grant_role(db_session, db_session.get(User, person.id), Role.AGENCY_REP, now=clock.now,
                        agency=make_agency())
    db_session.commit()
    assert _people_found(app, client, reps)[0] == 1
    db_session.execute(sa.update(RoleGrant).where(RoleGrant.user_id == person.id, RoleGrant.role == "agency_rep")
                       .values(revoked_at=clock.now), execution_options={page_versions.OWNERS_OPTION: [person.id]})
    db_session.commit()
    assert _people_found(app, client, reps)[0] == 0


def test_a_kept_count_is_forgotten_after_the_pages_time(app, make_user, login, db_session, monkeypatch):
    """A change made outside the application (SQL by hand) raises no version: it shows within SECONDS."""
    admin = make_user(roles=[Role.LEAD_ADMIN])
    db_session.commit()
    client = app.test_client()
    login(client, admin)
    now = [1000.0]
    monkeypatch.setattr(kept_pages.store(app), "clock", lambda: now[0])
    _people_found(app, client, "/admin/people")
    assert not _counted(_people_found(app, client, "/admin/people")[1])
    now[0] += kept_pages.SECONDS
    assert _counted(_people_found(app, client, "/admin/people")[1])


def test_a_searchs_count_is_not_kept(app, make_user, login, db_session):
    """A search's statement is built anew for each request: keeping its count would only push pages out."""
    admin = make_user(roles=[Role.LEAD_ADMIN])
    db_session.commit()
    client = app.test_client()
    login(client, admin)
    kept_before = len(kept_pages.store(app)._pages)
    for _ in range(2):
        found, statements = _people_found(app, client, "/admin/people?q=example")
        assert _counted(statements) and found >= 1
    assert len(kept_pages.store(app)._pages) == kept_before
