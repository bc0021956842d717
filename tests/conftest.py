"""Shared fixtures: databases, the app, a client, factories and a sign-in helper.

Which database: SQLite by default; ``LMS_TEST_DATABASE=postgresql`` runs the
same suite on PostgreSQL (``LMS_TEST_POSTGRES_URL``, default the local server).
Each test runs inside a transaction rolled back at its end (warehouse's
``join_transaction_mode="create_savepoint"``), so tests never see each other's
rows.  Tests that need real commits (threads, a live server, concurrent jobs)
use ``committed_app``, which gets a fresh migrated database of its own.

``LMS_TEST_STRICT=1`` (set by CI) turns every skipped test into a failure: CI
must have PostgreSQL, Redis and Chromium, so a skip there means a lost check.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pyotp
import pytest
import sqlalchemy as sa

from lms.core.clock import FrozenClock

DEFAULT_PASSWORD = "Tangerine-Kettle-42"
#: A Monday in November, well inside FY2027; tests needing other dates move the clock.
START = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)
POSTGRES_ADMIN_URL = os.environ.get("LMS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKEND = os.environ.get("LMS_TEST_DATABASE", "sqlite")
STRICT = os.environ.get("LMS_TEST_STRICT") == "1"

#: Cheap Argon2 for tests (the production defaults are tested on their own).
FAST_ARGON2 = {"ARGON2_MEMORY_COST": 64, "ARGON2_TIME_COST": 1, "ARGON2_PARALLELISM": 1}


# --- strict mode --------------------------------------------------------------------------

def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line(
            f"LMS_TEST_STRICT: {len(reporter.stats['skipped'])} test(s) skipped; CI treats a skip as a failure.",
            red=True,
        )
        session.exitstatus = 1


# --- servers ------------------------------------------------------------------------------

def postgres_available() -> str | None:
    """Return None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({type(exc).__name__}: {exc})"


def redis_available() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"Redis is not reachable at {REDIS_URL} ({type(exc).__name__}: {exc})"


def _pg_url(dbname: str) -> str:
    base = sa.engine.make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+psycopg", database=dbname)
    return base.render_as_string(hide_password=False)


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


class DatabaseFactory:
    """Make empty or migrated databases of the backend under test, and drop them afterwards."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self.created: list[str] = []
        self._templates: dict[str, str] = {}

    def empty(self, label: str = "db") -> str:
        name = f"lms_test_{label}_{uuid.uuid4().hex[:10]}"
        if self.backend == "postgresql":
            _pg_admin(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            return _pg_url(name)
        return f"sqlite:///{self.tmp / (name + '.sqlite3')}"

    def migrated(self, which: str = "lms") -> str:
        """Return a fresh database at head, copied from a template migrated once."""
        from lms.core import migrate

        if which not in self._templates:
            url = self.empty(f"tpl_{which}")
            migrate.upgrade(url, which)
            self._templates[which] = url
        template = self._templates[which]
        if self.backend == "postgresql":
            name = f"lms_test_{which}_{uuid.uuid4().hex[:10]}"
            tpl_name = sa.engine.make_url(template).database
            _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{tpl_name}"')
            self.created.append(name)
            return _pg_url(name)
        src = Path(sa.engine.make_url(template).database)
        dst = self.tmp / f"lms_test_{which}_{uuid.uuid4().hex[:10]}.sqlite3"
        shutil.copyfile(src, dst)
        return f"sqlite:///{dst}"

    def template(self, which: str = "lms") -> str:
        self.migrated(which)
        return self._templates[which]

    def drop_all(self) -> None:
        for name in self.created:
            try:
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: BLE001 - best effort clean-up
                pass


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    if BACKEND == "postgresql":
        reason = postgres_available()
        if reason:
            pytest.skip(reason)
    factory = DatabaseFactory(BACKEND, tmp_path_factory.mktemp("databases"))
    yield factory
    factory.drop_all()


# --- the app ------------------------------------------------------------------------------

@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def _make_app(url: str, sandbox_url: str, instance: Path, clock: FrozenClock, **overrides: Any):
    from lms.app import create_app

    config = {
        "ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": url,
        "SANDBOX_DATABASE_URL": sandbox_url,
        "INSTANCE_PATH": str(instance),
        "MAIL_FOLDER": str(instance / "mail"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_LOGIN": "10000 per minute",
        "RATELIMIT_API": "10000 per minute",
        "BASE_URL": "http://localhost",
        **FAST_ARGON2,
        **overrides,
    }
    app = create_app(config)
    app.extensions["lms.clock"] = clock
    return app


@pytest.fixture(scope="session")
def template_url(databases: DatabaseFactory) -> str:
    return databases.template("lms")


@pytest.fixture(scope="session")
def sandbox_template_url(databases: DatabaseFactory) -> str:
    from lms.core import migrate

    if not migrate.available("sandbox"):
        return databases.empty("sandbox")
    return databases.template("sandbox")


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(template_url: str, sandbox_template_url: str, tmp_path: Path, clock: FrozenClock,
        app_overrides: dict[str, Any]):
    """An app whose LMS database work is rolled back after the test."""
    from sqlalchemy.orm import sessionmaker

    from lms.core.db import get_database

    app = _make_app(template_url, sandbox_template_url, tmp_path / "instance", clock, **app_overrides)
    database = get_database(app)
    connection = database.engine.connect()
    outer = connection.begin()
    database.session_factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                            expire_on_commit=False)
    # The sandbox database gets the same treatment: its work is rolled back too.
    sandbox_db = app.extensions["sandbox.db"]
    sandbox_connection = sandbox_db.engine.connect()
    sandbox_outer = sandbox_connection.begin()
    sandbox_db.session_factory = sessionmaker(bind=sandbox_connection, join_transaction_mode="create_savepoint",
                                              expire_on_commit=False)
    yield app
    sandbox_outer.rollback()
    sandbox_connection.close()
    sandbox_db.engine.dispose()
    outer.rollback()
    connection.close()
    database.engine.dispose()


@pytest.fixture
def committed_app(databases: DatabaseFactory, tmp_path: Path, clock: FrozenClock, app_overrides: dict[str, Any]):
    """An app on a fresh database of its own where commits are real (threads, live server)."""
    from lms.core.db import get_database

    sandbox = databases.migrated("sandbox") if _sandbox_migrations() else databases.empty("sandbox")
    app = _make_app(databases.migrated("lms"), sandbox, tmp_path / "instance", clock, **app_overrides)
    yield app
    get_database(app).engine.dispose()
    app.extensions["sandbox.db"].engine.dispose()


def _sandbox_migrations() -> bool:
    from lms.core import migrate

    return migrate.available("sandbox")


@pytest.fixture
def db_session(app):
    """A session on the test's database (commit() here only releases a savepoint)."""
    from lms.core.db import get_database

    # No app context is held open here: Flask would reuse it for every request, and
    # ``g`` would leak from one request to the next.
    session = get_database(app).session()
    yield session
    session.close()


@pytest.fixture
def sandbox_session(app):
    """A session on the test's sandbox database (rolled back after the test)."""
    session = app.extensions["sandbox.db"].session()
    yield session
    session.close()


@pytest.fixture
def make_workspace(sandbox_session, clock):
    """Create a sandbox workspace: a trainee's own (``user_id``) or one named by ``ref``; seeded with projects."""
    counter = iter(range(1, 100000))

    def make(user_id: int | None = None, *, ref: str | None = None, seed: bool = True):
        from sandbox import services

        if ref is None:
            return services.workspace_for_user(sandbox_session, user_id or 90000 + next(counter), now=clock.now)
        return services.create_workspace(sandbox_session, ref, user_label=ref[:32], now=clock.now, seed=seed)

    return make


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories ----------------------------------------------------------------------------

@pytest.fixture
def make_coc(db_session, clock):
    counter = iter(range(100, 1000))

    def make(code: str | None = None, name: str | None = None):
        from lms.orgs.models import Coc

        n = next(counter)
        coc = Coc(code=code or f"MO-{n}", name=name or f"Test CoC {n}", created_at=clock.now)
        db_session.add(coc)
        db_session.commit()
        return coc

    return make


@pytest.fixture
def make_agency(db_session, clock, make_coc):
    counter = iter(range(1, 10000))

    def make(coc=None, name: str | None = None, **kw):
        from lms.orgs.models import Agency

        agency = Agency(coc=coc or make_coc(), name=name or f"Agency {next(counter)}", created_at=clock.now, **kw)
        db_session.add(agency)
        db_session.commit()
        return agency

    return make


@pytest.fixture
def make_project(db_session, clock, make_agency):
    counter = iter(range(1, 10000))

    def make(agency=None, project_type: int = 0, name: str | None = None):
        from lms.orgs.models import Project

        project = Project(agency=agency or make_agency(), project_type=project_type,
                          name=name or f"Project {next(counter)}", created_at=clock.now)
        db_session.add(project)
        db_session.commit()
        return project

    return make


@pytest.fixture
def make_user(app, db_session, clock):
    """Create a person with ``roles`` (Role values); agency roles are scoped to ``agency``, HMIS manager to ``coc``."""
    counter = iter(range(1, 100000))

    def make(email: str | None = None, *, roles=(), full_name: str | None = None, password: str = DEFAULT_PASSWORD,
             totp: bool | None = None, must_change_password: bool = False, agency=None, coc=None, active: bool = True):
        from lms.accounts import services
        from lms.accounts.roles import Role

        hashing = app.extensions["lms.passwords"]
        n = next(counter)
        user, _ = services.create_user(db_session, hashing, email=email or f"person{n}@example.org",
                                       full_name=full_name or f"Pat Person{n}", password=password, now=clock.now)
        user.must_change_password = must_change_password
        for role in roles:
            role = Role(role)
            services.grant_role(db_session, user, role, now=clock.now,
                                agency=agency if role in (Role.AGENCY_REP, Role.END_USER) else None,
                                coc=coc if role is Role.HMIS_MANAGER else None)
        if agency is not None:
            services.add_membership(db_session, user, agency, started_on=clock.now.date(), now=clock.now)
        if totp is None:
            totp = user.is_staff
        if totp:
            user.totp_secret = pyotp.random_base32()
            user.totp_enrolled_at = clock.now
        user.is_active = active
        db_session.commit()
        return user

    return make


def totp_now(user, clock) -> str:
    return pyotp.TOTP(user.totp_secret).at(clock.now)


def signed_in_client(app, login, user):
    """A test client of ``app`` with ``user`` signed in through the real forms (``login`` is the fixture)."""
    client = app.test_client()
    login(client, user)
    return client


@pytest.fixture
def login(clock) -> Callable[..., Any]:
    """Sign ``user`` in through the real forms (password, then TOTP when enrolled)."""

    def do(client, user, password: str = DEFAULT_PASSWORD, *, expect_ok: bool = True):
        resp = client.post("/auth/login", data={"email": user.email, "password": password})
        if user.totp_secret and resp.status_code in (302, 303) and "/auth/mfa" in resp.headers.get("Location", ""):
            clock.advance(seconds=30)  # a fresh time step: each code is accepted once
            resp = client.post("/auth/mfa", data={"code": totp_now(user, clock)})
        if expect_ok:
            assert resp.status_code in (302, 303), resp.get_data(as_text=True)[:2000]
        return resp

    return do


# --- servers started by tests: SMTP, the app over HTTP, a headless browser ------------------

class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy

        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Start an SMTP server on a free loopback port; yields the sink (``.messages``, ``.port``)."""
    from aiosmtpd.controller import Controller

    import socket

    with socket.socket() as probe:  # a free loopback port (aiosmtpd cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.host, sink.port = "127.0.0.1", port
    yield sink
    controller.stop()


@pytest.fixture
def live_server(committed_app):
    """Serve ``committed_app`` over real HTTP on a free loopback port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, committed_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


CHROMIUM = os.environ.get("LMS_TEST_CHROMIUM", "/usr/bin/chromium")


def chromium_available() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set LMS_TEST_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e .[test])"
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    reason = chromium_available()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page (own cookies) for one test."""
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def committed_session(committed_app):
    """A session on ``committed_app``'s database whose commits are real."""
    from lms.core.db import get_database

    session = get_database(committed_app).session()
    yield session
    session.close()
