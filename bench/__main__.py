"""Seed a realistic volume, time the main pages and check their query budgets.

    python3 manage.py bench [--people 5000] [--repeat 20] [--postgres]

Prints one row per page: median and 95th-percentile time, and SQL statements
per request against the budget.  Exits 1 when any page is over its budget.
Runs on a temporary SQLite database, and on a temporary PostgreSQL database too
when one answers on 127.0.0.1:5432 (``LMS_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import BUDGETS, count_queries, make_admin, page_exists, seed_volume, sign_in

PASSWORD = "Bench-Admin-Password-77"
PG_ADMIN = os.environ.get("LMS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_url() -> str | None:
    try:
        import psycopg

        name = f"lms_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        import sqlalchemy as sa

        return sa.engine.make_url(PG_ADMIN).set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False)
    except Exception:  # noqa: BLE001
        return None


def _drop_postgres(url: str) -> None:
    import psycopg
    import sqlalchemy as sa

    name = sa.engine.make_url(url).database
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(label: str, url: str, sandbox_url: str, instance: Path, args: argparse.Namespace) -> bool:
    from lms.app import create_app
    from lms.core import migrate
    from lms.core.clock import FrozenClock
    from lms.core.db import get_database

    migrate.upgrade(url, "lms")
    if migrate.available("sandbox"):
        migrate.upgrade(sandbox_url, "sandbox")
    clock = FrozenClock(datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc))
    app = create_app({"ENV": "testing", "SECRET_KEY": "bench", "DATABASE_URL": url, "SANDBOX_DATABASE_URL": sandbox_url,
                      "INSTANCE_PATH": str(instance), "WTF_CSRF_ENABLED": False, "RATELIMIT_LOGIN": "100000 per minute"})
    app.extensions["lms.clock"] = clock
    database = get_database(app)
    hashing = app.extensions["lms.passwords"]

    t0 = time.perf_counter()
    with database.session() as s:
        seed_volume(s, hashing, now=clock.now, people=args.people, agencies=args.agencies,
                    audit_events=args.audit_events)
        _, secret = make_admin(s, hashing, now=clock.now, password=PASSWORD)
        s.commit()
    print(f"\n[{label}] seeded {args.people} people, {args.agencies} agencies, {args.audit_events} audit events "
          f"in {time.perf_counter() - t0:.1f}s")

    t0 = time.perf_counter()
    client = app.test_client()
    sign_in(client, "bench.admin@bench.invalid", PASSWORD, secret, clock)
    print(f"[{label}] sign-in (password with production Argon2id + TOTP): {1000 * (time.perf_counter() - t0):.0f} ms")

    ok = True
    print(f"{'page':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'budget':>7}")
    for page, budget in BUDGETS.items():
        if not page_exists(app, page):
            print(f"{page:<44} {'(no such page in this build)':>36}")
            continue
        times, queries = [], 0
        for _ in range(args.repeat):
            with count_queries(database.engine) as counter:
                t = time.perf_counter()
                resp = client.get(page)
                times.append(1000 * (time.perf_counter() - t))
            queries = max(queries, counter.count)
            if resp.status_code != 200:
                print(f"{page}: HTTP {resp.status_code}")
                ok = False
                break
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        flag = "" if queries <= budget else "  OVER BUDGET"
        ok &= queries <= budget
        print(f"{page:<44} {statistics.median(times):>10.1f} {p95:>8.1f} {queries:>8} {budget:>7}{flag}")
    database.engine.dispose()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--audit-events", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ok &= run("SQLite", f"sqlite:///{tmp_path / 'lms.sqlite3'}", f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
                  tmp_path / "instance-sqlite", args)
        if not args.no_postgres:
            url, sandbox = _postgres_url(), _postgres_url()
            if url and sandbox:
                try:
                    ok &= run("PostgreSQL", url, sandbox, tmp_path / "instance-pg", args)
                finally:
                    _drop_postgres(url)
                    _drop_postgres(sandbox)
            else:
                print("\n[PostgreSQL] not reachable: skipped.")
    print("\nAll pages within their query budgets." if ok else "\nSome pages are over their query budgets.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
