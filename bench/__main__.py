"""Prove the request-path targets and the October rush: each page's rate against a bare endpoint, then the mix.

    python3 manage.py bench [--seconds 6] [--mixed-seconds 60] [--rate 250] [--pool 60]
                            [--only-mixed] [--no-postgres]
    python3 manage.py bench --csv-import [--csv-clients 10000]   # only the HMIS CSV import (bench/hmis_csv_set.py)
    python3 manage.py bench --profile PATH [--as trainee]          # where one page's time goes (bench/profile.py)

For SQLite, then for a throwaway PostgreSQL database (when one answers on
127.0.0.1:5432, ``LMS_TEST_POSTGRES_URL``): seed people, a trainee with an empty
sandbox and one with 10,000 clients, the question banks (retake cool-down 0); serve
the app (``bench.served``, production settings) and a bare Flask app (``bench.bare``)
each with gunicorn, 3 sync workers, on CPU 0; drive each with wrk on CPU 1, page by page,
``--seconds`` (6) s each in alternating slices of half that, bare-app-app-bare (sign-in: three
times over, its Argon2 answers only ~50 a second), in the same run (``--only-mixed`` skips this).  Prints, and writes
to ``bench/results.md``: both rates, their ratio against the target, p50/p99 latency
and SQL statements per request.

Then the October rush (``bench.october``), ten times the expected October load:
``--pool`` people spread over the 5,000 (``--people``) sign in, their course videos
recorded as watched, and for ``--mixed-seconds`` (60) s at ``--rate`` (250) a second,
open loop, they send 70% session heartbeats, 15% video heartbeats, 5% test
submissions (start a test, read it, answer every question: three requests, timed as
one) and 10% checklist pages (``/training/``, ``/recertification``, ``/``).  Reported:
sent, achieved rate, p50/p99, statuses per kind of request, "database is locked" and
tracebacks in the server log, tests submitted and attempts the database recorded.
Beside a slow page (``bench.beside``): the video heartbeat (a write) alone, then while a
manager downloads the recertification dashboard's XLSX of 5,000 people over and over: a
slow read must not hold the writes up (it once took SQLite's write lock for its length).

The exit code is 1 when a page misses its target, the heartbeats kept less than 0.4 of their
rate beside the slow page (``bench.beside.FLOOR``), or the mix had an error, a lock, a traceback
or a submitted test without its recorded attempt.  The whole run takes about 8 minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench.backends import drop_postgres, env_for, postgres_urls, rate_limit_storage, settle
from bench.harness import BUDGETS, add_people, make_admin, prepare_quizzes, seed_volume, seed_workspace
from bench import beside, october
from bench.load import Rate, Server, interleaved, paced_mix, request, sign_in, wrk

PASSWORD = "Bench-Password-2026"
BARE_PASSWORD = "Bench-Bare-Password-2026"
RESULTS = Path(__file__).resolve().parent / "results.md"
#: The watch-progress report (quizzes.views.video_progress) and what the player posts: [start, end] just played.
VIDEO_PROGRESS = "/quizzes/%s/video/progress"
VIDEO_COURSES = ("security_privacy", "data_standards", "cs_basics")
HEARTBEAT = {"start": "0", "end": "10"}

#: label → (target ratio on SQLite, on PostgreSQL); None: measured, no target.
TARGETS: dict[str, tuple[float | None, float | None]] = {
    "session status (heartbeat)": (0.40, 0.30),
    "video heartbeat (watch-progress POST)": (0.30, None),
    "trainee home": (0.25, 0.25),
    "sandbox home, empty workspace": (0.25, 0.25),
    "sandbox home, 10,000 clients": (None, None),
    "people list p.1, 50 people": (None, None),
    "people list p.1, 5,000 people": (0.08, 0.08),
    "recertification dashboard p.1, 5,000 people": (0.08, 0.08),
    "sign-in (no TOTP) vs Argon2id verify": (0.85, 0.85),
}


@dataclass
class Row:
    label: str
    bare: Rate
    app: Rate
    #: Statements per request ("1/6": 1 for a kept page, 6 to render it), or None when not counted.
    statements: str | None
    target: float | None

    @property
    def ratio(self) -> float:
        return self.app.rps / self.bare.rps if self.bare.rps else 0.0


def _seed(env: dict[str, str], args: argparse.Namespace):
    """Migrate and seed; return (app, hashing, agency ids) for seeding more later."""
    from lms.accounts import services
    from lms.app import create_app
    from lms.core import migrate
    from lms.core.db import get_database
    from lms.core.roles import Role
    from lms.orgs.models import Agency

    migrate.upgrade(env["LMS_DATABASE_URL"], "lms")
    migrate.upgrade(env["LMS_SANDBOX_DATABASE_URL"], "sandbox")
    app = create_app({"ENV": "testing", "SECRET_KEY": "seed", "DATABASE_URL": env["LMS_DATABASE_URL"],
                      "SANDBOX_DATABASE_URL": env["LMS_SANDBOX_DATABASE_URL"], "INSTANCE_PATH": env["LMS_INSTANCE_PATH"]})
    hashing = app.extensions["lms.passwords"]  # production's Argon2 parameters: sign-ins are real
    now = datetime.now(timezone.utc)
    users = {}
    with get_database(app).session() as s:
        seed_volume(s, hashing, now=now, cocs=4, agencies=20, projects_per_agency=2, people=args.small_people,
                    audit_events=1000)
        agency = s.query(Agency).first()
        for key in ("trainee", "big", "signer", "viewer"):
            user, _ = services.create_user(s, hashing, email=f"{key}@bench.invalid", full_name=f"Bench {key.title()}",
                                           now=now, password=PASSWORD)
            user.must_change_password = False
            services.grant_role(s, user, Role.END_USER, now=now, agency=agency)
            users[key] = user.id
        admin, secret = make_admin(s, hashing, now=now, password=PASSWORD)
        users["admin"], users["secret"] = admin.id, secret
        agency_ids = [a.id for a in s.query(Agency).all()]
        # The current fiscal year's recertification cycle, for the dashboard.
        from lms.recert import services as recert

        recert.open_cycle(s, recert.current_fiscal_year(s, now), now=now)
        # Before the server starts (its workers keep a copy of the settings): banks loaded, retakes at once.
        prepare_quizzes(s, now=now)
        s.commit()
    with app.extensions["sandbox.db"].session() as sdb:
        seed_workspace(sdb, users["big"], now=now, clients=args.clients)
        sdb.commit()
    settle(env["LMS_DATABASE_URL"])
    settle(env["LMS_SANDBOX_DATABASE_URL"])
    return app, hashing, agency_ids, users


def _more_people(app, hashing, agency_ids: list[int], start: int, count: int) -> None:
    from lms.core.db import get_database

    with get_database(app).session() as s:
        add_people(s, password_hash=hashing.hash(PASSWORD), agency_ids=agency_ids, start=start, count=count,
                   now=datetime.now(timezone.utc))
        s.commit()
    settle(app.config["DATABASE_URL"])


# --- signing in over HTTP --------------------------------------------------------------------------

def _sign_in(host: str, email: str, secret: str | None = None) -> str:
    return sign_in(host, email, PASSWORD, secret)


def _statements(host: str, path: str, cookie: str | None, form: dict | None = None) -> str:
    """Statements of a request in the steady state, the fewest and the most over six: after a first one
    (which may create the person's sandbox workspace or count its data quality once).  A kept page
    (lms.core.kept_pages) is rendered once per worker: "1/6" says it is served with 1 statement, and rendered
    with 6 by a worker that has not kept it (the requests land on the workers in turn).  The most also counts
    what a worker does now and then on any request: read the settings again (every 5 s), mark the session
    seen (once a minute)."""
    request(host, "POST" if form else "GET", path, body=form, cookie=cookie)
    counts = []
    for _ in range(6):
        status, headers, body = request(host, "POST" if form else "GET", path, body=form, cookie=cookie)
        assert status == 200, (path, status, body[:500])
        counts.append(int(headers.get("x-bench-statements", -1)))
    return str(counts[-1]) if min(counts) == max(counts) else f"{min(counts)}/{max(counts)}"


# --- one backend -----------------------------------------------------------------------------------

def run_backend(label: str, url: str, sandbox_url: str, tmp: Path,
                args: argparse.Namespace) -> tuple[list[Row], dict, beside.Beside | None]:
    instance = tmp / f"instance-{label.lower()}"
    instance.mkdir()
    env = env_for(url, sandbox_url, instance)
    t0 = time.monotonic()
    app, hashing, agency_ids, users = _seed(env, args)
    print(f"\n[{label}] seeded {args.small_people} people and a {args.clients:,}-client workspace "
          f"in {time.monotonic() - t0:.0f} s")
    bare = Server("bench.bare:app", env, tmp / f"bare-{label}.log")
    served = Server("bench.served:app", env, tmp / f"app-{label}.log")
    rows: list[Row] = []
    slow: beside.Beside | None = None
    try:
        bare.start("/ok")
        served.start("/healthz")
        trainee = _sign_in(served.host, "trainee@bench.invalid")
        big = _sign_in(served.host, "big@bench.invalid")
        admin = _sign_in(served.host, "bench.admin@bench.invalid", users["secret"])
        viewer = _sign_in(served.host, "viewer@bench.invalid")
        target_col = 0 if label == "SQLite" else 1

        def measure(name: str, path: str, cookie: str | None, *, form: dict | None = None,
                    bare_path: str = "/ok", bare_form: dict | None = None, count: bool | None = None,
                    slices: int = 2) -> None:
            count = form is None if count is None else count
            statements = _statements(served.host, path, cookie, form) if count else None
            b, a = interleaved(lambda seconds: wrk(bare.host, bare_path, seconds=seconds, form=bare_form),
                               lambda seconds: wrk(served.host, path, seconds=seconds, cookie=cookie, form=form),
                               slice_seconds=_slice_seconds(args), slices=slices)
            row = Row(name, b, a, statements, TARGETS[name][target_col])
            rows.append(row)
            _print_row(row)

        _print_header(label)
        if not args.only_mixed:
            measure("session status (heartbeat)", "/session/status", trainee)
            # The player's report every ten seconds: lock the person's progress row, update it, commit (the first
            # report creates the row; the rest, counted, update it, as while a video plays).  The bare endpoint
            # answers the same POST without reading it.
            measure("video heartbeat (watch-progress POST)", VIDEO_PROGRESS % VIDEO_COURSES[0], viewer,
                    form=HEARTBEAT, bare_form=HEARTBEAT, count=True)
            measure("trainee home", "/", trainee)
            measure("sandbox home, empty workspace", "/sandbox/", trainee)
            measure("sandbox home, 10,000 clients", "/sandbox/", big)
            measure("people list p.1, 50 people", "/admin/people", admin)
        _more_people(app, hashing, agency_ids, args.small_people, args.people - args.small_people)
        if not args.only_mixed:
            measure("people list p.1, 5,000 people", "/admin/people", admin)
            measure("recertification dashboard p.1, 5,000 people", "/recertification/dashboard", admin)
            measure("sign-in (no TOTP) vs Argon2id verify", "/auth/login", None,
                    form={"email": "signer@bench.invalid", "password": PASSWORD},
                    bare_path="/argon2", bare_form={"password": BARE_PASSWORD}, slices=6)
            slow = beside.run(served, heartbeat=VIDEO_PROGRESS % VIDEO_COURSES[1], form=HEARTBEAT, cookie=viewer,
                              slow_cookie=admin, slice_seconds=_slice_seconds(args))
            print(f"Beside a slow page: {slow.describe()}", flush=True)
        mixed_info = _october_rush(label, served, app, args)
    finally:
        served.stop()
        bare.stop()
        from lms.core.db import get_database

        get_database(app).engine.dispose()
        app.extensions["sandbox.db"].engine.dispose()
    return rows, mixed_info, slow


def _october_rush(label: str, served: Server, app, args: argparse.Namespace) -> dict:
    """The October mix (bench.october) from a pool of signed-in people: paced load, then the server log's
    errors and locks and the test attempts the database recorded."""
    emails = october.pool_emails(args.people, args.pool)
    user_ids = october.prepare(app, emails)
    t0 = time.monotonic()
    cookies = october.sign_in_pool(served.host, emails, PASSWORD)
    print(f"[{label}] {len(cookies)} of {args.people:,} people signed in for the October mix "
          f"in {time.monotonic() - t0:.0f} s", flush=True)
    takers = october.QuizTakers(cookies)
    attempts_before = october.recorded_attempts(app, user_ids)
    locked_before = served.log_count("database is locked")
    tracebacks_before = served.log_count("Traceback")
    mixed = paced_mix(served.host, october.mix(cookies, takers), rate=args.rate, seconds=args.mixed_seconds)
    recorded = october.recorded_attempts(app, user_ids) - attempts_before
    info = {"rate": args.rate, "seconds": args.mixed_seconds, "sent": mixed.sent, "rps": mixed.rps,
            "errors": mixed.errors, "p50": mixed.p50_ms, "p99": mixed.p99_ms,
            "locked": served.log_count("database is locked") - locked_before, "statuses": mixed.statuses,
            "log_errors": served.log_count("Traceback") - tracebacks_before, "people": len(cookies),
            "submitted": takers.submitted, "recorded": recorded, "problems": dict(takers.problems),
            "by_kind": october.summary(mixed), "unexpected": october.unexpected(mixed, takers)}
    print(f"October mix {args.rate}/s for {args.mixed_seconds} s over {len(cookies)} of {args.people:,} people "
          f"({october.DESCRIPTION}): {mixed.sent} sent, {mixed.rps:.0f}/s, p50 {mixed.p50_ms:.1f} ms, "
          f"p99 {mixed.p99_ms:.1f} ms, {mixed.errors} errors, {info['locked']} \"database is locked\", "
          f"{info['log_errors']} tracebacks, {info['unexpected']} answers other than 200 (303 for a test); "
          f"{takers.submitted} tests submitted, {recorded} attempts recorded")
    print(f"  by request: {info['by_kind']}")
    if takers.problems:
        print(f"  test submissions broken: {takers.problems}")
    return info


def _rush_failed(mixed: dict) -> bool:
    return bool(mixed["errors"] or mixed["locked"] or mixed["log_errors"] or mixed["unexpected"]
                or mixed["recorded"] != mixed["submitted"])


def _print_header(label: str) -> None:
    print(f"\n[{label}] gunicorn, 3 sync workers on CPU 0; wrk on CPU 1")
    print(f"{'request':<40} {'bare/s':>8} {'app/s':>8} {'ratio':>6} {'target':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'SQL':>4} {'errors':>6}")


def _slice_seconds(args: argparse.Namespace) -> int:
    return max(args.seconds // 2, 1)


def _verdict(row: Row) -> str:
    if row.target is None:
        return "-"
    return f"{row.target:.2f}" + (" ok" if row.ratio >= row.target else " MISS")


def _print_row(row: Row) -> None:
    sql = "-" if row.statements is None else str(row.statements)
    print(f"{row.label:<40} {row.bare.rps:>8.0f} {row.app.rps:>8.0f} {row.ratio:>6.2f} {_verdict(row):>7} "
          f"{row.app.p50_ms:>7.1f} {row.app.p99_ms:>7.1f} {sql:>4} {row.app.errors:>6}", flush=True)


def _markdown(results: dict[str, tuple[list[Row], dict, beside.Beside | None]], args: argparse.Namespace) -> str:
    limits = "Redis, as in production" if rate_limit_storage().startswith("redis") else "each worker's memory"
    lines = [f"# Benchmark results ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)", "",
             f"`python3 manage.py bench`: gunicorn with 3 sync workers pinned to CPU 0, wrk on CPU 1, "
             f"each request's rate compared with a bare Flask endpoint's (`/ok`, or one Argon2id verify for "
             f"sign-in) served the same way in the same run, {args.seconds} s each ({3 * args.seconds} s for "
             f"sign-in) in alternating slices of {_slice_seconds(args)} s (bare, app, app, bare, ...: a drift of the "
             f"machine's speed falls on both); p50 weighted over the slices, p99 the worst slice's; rate limits in "
             f"{limits}. "
             f"SQL = statements per request, the fewest and the most of six (\"1/6\": a kept page served with 1, "
             "rendered with 6; the most also counts what comes now and then: a worker reading the settings again, "
             "every 5 s, and the session's 'last seen' written, once a minute).", ""]
    for label, (rows, mixed, slow) in results.items():
        lines += [f"## {label}", ""]
        if rows:  # none with --only-mixed
            lines += ["| request | bare req/s | app req/s | ratio | target | p50 ms | p99 ms | SQL | errors |",
                      "|---|---:|---:|---:|---|---:|---:|---:|---:|"]
        for r in rows:
            lines.append(f"| {r.label} | {r.bare.rps:.0f} | {r.app.rps:.0f} | {r.ratio:.2f} | {_verdict(r)} | "
                         f"{r.app.p50_ms:.1f} | {r.app.p99_ms:.1f} | "
                         f"{'-' if r.statements is None else r.statements} | {r.app.errors} |")
        if slow is not None:
            lines += ["", f"Beside a slow page (`bench/beside.py`): {slow.describe()}."]
        lines += ["", f"October mix, {mixed['rate']} requests/s for {mixed['seconds']} s over {mixed['people']} "
                      f"signed-in people of {args.people:,} ({october.DESCRIPTION}): "
                      f"{mixed['sent']} sent at {mixed['rps']:.0f}/s, "
                      f"p50 {mixed['p50']:.1f} ms, p99 {mixed['p99']:.1f} ms, **{mixed['errors']} errors, "
                      f"{mixed['locked']} \"database is locked\", {mixed['log_errors']} tracebacks** in the server "
                      f"log; {mixed['unexpected']} answers other than 200 (303 for a test); "
                      f"{mixed['submitted']} tests submitted, {mixed['recorded']} attempts recorded.", "",
                  f"By request: {mixed['by_kind']}.", ""]
    budgets = ", ".join(f"`{p}` {n}" for p, n in BUDGETS.items() if p.startswith("/admin/people"))
    lines += [f"Query budgets (asserted by `tests/functional/test_query_budgets.py`): {budgets}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=6,
                        help="time on each side (bare, app) for each request, in two alternating slices")
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--rate", type=int, default=250, help="requests per second of the mixed load")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--small-people", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--pool", type=int, default=60,
                        help="people of --people signed in to drive the October mix (tests, checklists, heartbeats)")
    parser.add_argument("--only-mixed", action="store_true", help="skip the page-by-page runs: only the October mix")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--csv-import", action="store_true",
                        help="only the HMIS CSV import of a statewide-LSA-sized set (bench/hmis_csv_set.py)")
    parser.add_argument("--csv-clients", type=int, default=10000, help="clients in that set")
    if sys.argv[1:2] == ["--profile"]:
        from bench.profile import main as profile

        profile(sys.argv[2:])
        return
    args = parser.parse_args()
    if args.csv_import:
        from bench.hmis_csv_set import run as run_csv_import

        run_csv_import(args.csv_clients)
        return

    started = time.monotonic()
    results: dict[str, tuple[list[Row], dict, beside.Beside | None]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        results["SQLite"] = run_backend("SQLite", f"sqlite:///{tmp_path / 'lms.sqlite3'}",
                                        f"sqlite:///{tmp_path / 'sandbox.sqlite3'}", tmp_path, args)
        if not args.no_postgres and (urls := postgres_urls()):
            try:
                results["PostgreSQL"] = run_backend("PostgreSQL", *urls, tmp_path, args)
            finally:
                for url in urls:
                    drop_postgres(url)
    args.output.write_text(_markdown(results, args), encoding="utf-8")
    missed = [f"{label}: {r.label}" for label, (rows, _, _) in results.items() for r in rows
              if r.target is not None and r.ratio < r.target]
    failed = [label for label, (_, mixed, _) in results.items() if _rush_failed(mixed)]
    held_up = [label for label, (_, _, slow) in results.items() if slow is not None and slow.failed]
    print(f"\nWrote {args.output} in {time.monotonic() - started:.0f} s.")
    if missed:
        print("Below target: " + "; ".join(missed))
    if failed:
        print("October mix had errors, locks, tracebacks or unrecorded tests: " + ", ".join(failed))
    if held_up:
        print("Heartbeats held up beside a slow page (or it failed): " + ", ".join(held_up))
    sys.exit(1 if missed or failed or held_up else 0)


if __name__ == "__main__":
    main()
