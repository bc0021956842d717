"""Where a request's time goes: one page, in this process, against the bare endpoint, with a profile.

    python3 manage.py bench --profile /session/status [--as trainee|big|viewer|admin|nobody] [--requests 2000]
                                      [--people 50] [--postgres] [--form name=value ...] [--bare /argon2]

Seeds a small world like the benchmark's (SQLite in a temporary folder, or a throwaway
PostgreSQL database), signs the person in, then calls the production app's WSGI
callable directly with the same request ``--requests`` times: no server, no sockets,
so the figure is the application's own cost per request.  Prints microseconds per
request for the app and for ``bench.bare``, their ratio (gunicorn's own cost, about a
third of a millisecond per request on this machine, comes on top of both) and the
functions that took the time (cProfile, by own time and by cumulative time).

This is the tool for finding what to make faster; ``python3 manage.py bench`` is the
one that proves a target.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from werkzeug.test import EnvironBuilder

WHO = ("trainee", "big", "viewer", "admin", "nobody")


def _environ_factory(path: str, cookie: str | None, form: dict | None):
    builder = EnvironBuilder(path=path, method="POST" if form else "GET", data=form,
                             headers={"Cookie": cookie} if cookie else {})
    base = builder.get_environ()
    body = base["wsgi.input"].read()

    def make() -> dict:
        env = dict(base)
        env["wsgi.input"] = io.BytesIO(body)
        return env

    return make


def _time(app, make, n: int) -> float:
    def start_response(status, headers, exc_info=None):  # noqa: ANN001, ARG001
        return lambda _data: None

    t0 = time.perf_counter()
    for _ in range(n):
        for _chunk in app(make(), start_response):
            pass
    return (time.perf_counter() - t0) / n * 1e6


def run(path: str, who: str, n: int, postgres: bool, form: dict | None = None, people: int = 50,
        bare_path: str = "/ok", bare_form: dict | None = None) -> None:
    from bench.__main__ import PASSWORD, _more_people, _seed
    from bench.backends import drop_postgres, env_for, postgres_urls

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        urls = postgres_urls() if postgres else None
        if postgres and not urls:
            raise SystemExit("PostgreSQL is not reachable")
        url, sandbox_url = urls or (f"sqlite:///{tmp_path / 'lms.sqlite3'}", f"sqlite:///{tmp_path / 'sb.sqlite3'}")
        instance = tmp_path / "instance"
        instance.mkdir()
        env = env_for(url, sandbox_url, instance)
        try:
            app0, hashing, agency_ids, users = _seed(env, SimpleNamespace(small_people=50, clients=100))
            if people > 50:
                _more_people(app0, hashing, agency_ids, 50, people - 50)
            os.environ.update(env)
            from bench.bare import app as bare
            from lms.app import create_app

            app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_LOGIN": "1000000 per minute"})
            client = app.test_client()
            cookie = None
            if who != "nobody":
                cookie = _signed_in_cookie(client, who, users)
            make = _environ_factory(path, cookie, form)
            probe = client.open(path, method="POST" if form else "GET", data=form)  # the jar holds the cookie
            print(f"{path} as {who}: HTTP {probe.status_code} {probe.location or ''}, {len(probe.data)} bytes: "
                  f"{probe.data[:80]!r}")
            from bench.harness import count_queries

            with count_queries(app.extensions["lms.db"].engine) as lms_sql, \
                    count_queries(app.extensions["sandbox.db"].engine) as sandbox_sql:
                _time(app.wsgi_app, make, 1)
            for statement in lms_sql.statements + sandbox_sql.statements:
                print("  SQL:", " ".join(statement.split())[:150])
            bare_make = _environ_factory(bare_path, None, bare_form or form)
            _time(app.wsgi_app, make, 50)
            _time(bare.wsgi_app, bare_make, 50)
            # The best of five rounds each (this machine's speed wanders by a fifth from minute to minute).
            app_us = min(_time(app.wsgi_app, make, max(n // 5, 1)) for _ in range(5))
            bare_us = min(_time(bare.wsgi_app, bare_make, max(n // 5, 1)) for _ in range(5))
            gunicorn_us = 330.0
            print(f"app {app_us:.0f} µs/request, bare ({bare_path}) {bare_us:.0f} µs/request; in-process ratio "
                  f"{bare_us / app_us:.2f}; with ~{gunicorn_us:.0f} µs of gunicorn on each: "
                  f"{(bare_us + gunicorn_us) / (app_us + gunicorn_us):.2f}")
            if os.environ.get("BENCH_PROFILE_SAMPLE"):  # for a sampling profiler outside: py-spy record -- ...
                _time(app.wsgi_app, make, n * 5)
                return
            profiler = cProfile.Profile()
            profiler.enable()
            _time(app.wsgi_app, make, n)
            profiler.disable()
            for key in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(int(os.environ.get("BENCH_PROFILE_LINES", 30)))
                print(out.getvalue())
        finally:
            if urls:
                for u in urls:
                    drop_postgres(u)


def _signed_in_cookie(client, who: str, users: dict) -> str:
    from bench.__main__ import PASSWORD

    email = "bench.admin@bench.invalid" if who == "admin" else f"{who}@bench.invalid"
    resp = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code == 303, resp.status_code
    if who == "admin":
        import pyotp

        resp = client.post("/auth/mfa", data={"code": pyotp.TOTP(users["secret"]).now()})
        assert resp.status_code == 303, resp.status_code
    assert client.get(resp.location).status_code == 200  # as a browser: the first page puts the form token in
    return "lms_session=" + client.get_cookie("lms_session").value


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python3 manage.py bench --profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="who", choices=WHO, default="trainee")
    parser.add_argument("--people", type=int, default=50, help="people in the world (the benchmark's lists: 5000)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--form", action="append", default=[], metavar="NAME=VALUE", help="POST this field")
    parser.add_argument("--bare", default="/ok", help="the bare endpoint to compare with (/argon2 for a sign-in)")
    args = parser.parse_args(argv)
    form = dict(item.split("=", 1) for item in args.form) or None
    from bench.bare import PASSWORD as BARE_PASSWORD

    bare_form = {"password": BARE_PASSWORD} if args.bare == "/argon2" else None
    run(args.path, args.who, args.requests, args.postgres, form, args.people, args.bare, bare_form)
