"""What the benchmark runs against: throwaway PostgreSQL databases, Redis for the rate limits, and the
environment of the served app (production settings)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

PG_ADMIN = os.environ.get("LMS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_urls() -> tuple[str, str] | None:
    try:
        import psycopg
        import sqlalchemy as sa

        urls = []
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            for which in ("lms", "sandbox"):
                name = f"lms_bench_{which}_{uuid.uuid4().hex[:8]}"
                conn.execute(f'CREATE DATABASE "{name}"')
                urls.append(sa.engine.make_url(PG_ADMIN).set(drivername="postgresql+psycopg", database=name)
                            .render_as_string(hide_password=False))
        return urls[0], urls[1]
    except Exception as exc:  # noqa: BLE001
        print(f"\n[PostgreSQL] not reachable ({type(exc).__name__}: {exc}): skipped.")
        return None


def drop_postgres(url: str) -> None:
    import psycopg
    import sqlalchemy as sa

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)')


def settle(url: str) -> None:
    """After seeding, what autovacuum does to a PostgreSQL database within a minute of a large change:
    vacuum (an index-only count needs the visibility map) and gather the planner's statistics.  A
    benchmark run straight after a bulk load would otherwise time plans made without them (a sort of
    every person instead of an index walk), which no running installation has.  SQLite: nothing (the
    application never runs ANALYZE there, so neither does the benchmark)."""
    import psycopg
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return
    with psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def rate_limit_storage() -> str:
    """Production keeps the rate limits in Redis, shared by every worker (deploy/env.example): so does the
    benchmark when Redis answers (``LMS_BENCH_REDIS_URL``, default database 14 on 127.0.0.1:6379).
    Without it, Flask-Limiter's in-process store, which starts a timer thread on most limited requests
    (sign-in among them) and so costs more than production's."""
    url = os.environ.get("LMS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return url
    except Exception as exc:  # noqa: BLE001
        print(f"[Redis] not reachable at {url} ({type(exc).__name__}): rate limits kept in each worker's memory.")
        return "memory://"


def env_for(url: str, sandbox_url: str, instance: Path) -> dict[str, str]:
    return {"LMS_ENV": "production", "LMS_SECRET_KEY": "bench-" + uuid.uuid4().hex, "LMS_DATABASE_URL": url,
            "LMS_SANDBOX_DATABASE_URL": sandbox_url, "LMS_INSTANCE_PATH": str(instance),
            "LMS_MAIL_BACKEND": "folder", "LMS_MAIL_FOLDER": str(instance / "mail"),
            "LMS_RATELIMIT_STORAGE_URI": rate_limit_storage()}


