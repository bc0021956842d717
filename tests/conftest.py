"""Shared fixtures: databases, the app, a client, factories and a sign-in helper.

Which database: SQLite by default; ``LMS_TEST_DATABASE=postgresql`` runs the
same suite on PostgreSQL (``LMS_TEST_POSTGRES_URL``, default the local server).
Each test runs inside a transaction rolled back at its end (warehouse's
``join_transaction_mode="create_savepoint"``), so tests never see each other's
rows.  Tests that need real commits (threads, a live server, concurrent jobs)
use ``committed_app``, which gets a fresh migrated database of its own.

The fixtures live in plugin modules under ``tests/fixtures/`` (databases, apps,
factories, servers); this file registers them, keeps the strict-skip hook, and
re-exports the names test modules import from ``tests.conftest``.

``LMS_TEST_STRICT=1`` (set by CI) turns every skipped test into a failure: CI
must have PostgreSQL, Redis and Chromium, so a skip there means a lost check.
"""

from __future__ import annotations

import os

import pytest

# Imported below before pytest loads them as plugins: rewrite their asserts as it would.
pytest.register_assert_rewrite("tests.fixtures")

from tests.fixtures.databases import POSTGRES_ADMIN_URL, _pg_url, postgres_available  # noqa: E402
from tests.fixtures.factories import DEFAULT_PASSWORD, signed_in_client, totp_now  # noqa: E402
from tests.fixtures.servers import REDIS_URL, redis_available  # noqa: E402

pytest_plugins = [
    "tests.fixtures.databases",
    "tests.fixtures.apps",
    "tests.fixtures.factories",
    "tests.fixtures.servers",
]

__all__ = ["DEFAULT_PASSWORD", "POSTGRES_ADMIN_URL", "REDIS_URL", "_pg_url", "postgres_available", "redis_available",
           "signed_in_client", "totp_now"]

STRICT = os.environ.get("LMS_TEST_STRICT") == "1"


# --- strict mode --------------------------------------------------------------------------

def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line(
            f"LMS_TEST_STRICT: {len(reporter.stats['skipped'])} test(s) skipped; CI treats a skip as a failure.",
            red=True,
        )
        session.exitstatus = 1
