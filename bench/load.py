"""Serve with gunicorn, load with wrk (or a paced Python driver), and read what came back.

Servers run on CPU 0 and the load generator on CPU 1 when ``taskset`` and two CPUs exist,
so the generator does not steal the server's time.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

SERVER_CPU, LOAD_CPU = "0", "1"


def _pinned(cpu: str) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", cpu]
    return []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """One gunicorn serving ``module:app`` with sync workers, its log in ``log``."""

    module: str
    env: dict[str, str]
    log: Path
    workers: int = 3
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, probe: str) -> None:
        cmd = [*_pinned(SERVER_CPU), sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
               "--worker-class", "sync", "--bind", self.host, "--timeout", "60", "--log-level", "warning",
               "--error-logfile", str(self.log), self.module]
        self.proc = subprocess.Popen(cmd, env={**os.environ, **self.env}, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.module} did not start:\n{self.log.read_text()[-3000:]}")
            try:
                status, _, _ = request(self.host, "GET", probe)
                if status < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.module} did not answer within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def log_count(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text) if self.log.exists() else 0


def request(host: str, method: str, path: str, *, body: dict | None = None, cookie: str | None = None,
            timeout: float = 30) -> tuple[int, dict[str, str], str]:
    """Send one request; return status, headers (lower-case names) and body."""
    conn = http.client.HTTPConnection(host, timeout=timeout)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def session_cookie(headers: dict[str, str], old: str | None = None) -> str | None:
    """Return "name=value" of the session cookie a response set (Secure cookies too: we are the browser)."""
    raw = headers.get("set-cookie", "")
    m = re.search(r"(lms_session=[^;]*)", raw)
    return m.group(1) if m else old


def sign_in(host: str, email: str, password: str, totp_secret: str | None = None) -> str:
    """Sign in as a browser does and return the session cookie it would then send: post the password (and
    the second factor), follow the redirect to the first page, and keep every cookie the server set (that
    page stores the form token in the session; a browser sends the cookie holding it from then on, so a
    benchmark sending the sign-in's cookie would make the server re-sign a new one on every request)."""
    status, headers, body = request(host, "POST", "/auth/login", body={"email": email, "password": password})
    cookie = session_cookie(headers)
    assert status == 303 and cookie, (email, status, body[:500])
    if totp_secret:
        import pyotp

        status, headers, body = request(host, "POST", "/auth/mfa", body={"code": pyotp.TOTP(totp_secret).now()},
                                        cookie=cookie)
        cookie = session_cookie(headers, cookie)
        assert status == 303, (email, status, body[:500])
    location = urllib.parse.urlsplit(headers.get("location", "/"))
    status, headers, body = request(host, "GET", location.path + (f"?{location.query}" if location.query else ""),
                                    cookie=cookie)
    assert status == 200, (email, location, status, body[:500])
    cookie = session_cookie(headers, cookie)
    status, headers, _ = request(host, "GET", "/", cookie=cookie)
    assert status == 200 and session_cookie(headers) is None, (email, "the session cookie still changes", status)
    return cookie


@dataclass
class Rate:
    """What one load run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(value: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        return float("nan")
    n, unit = float(m.group(1)), m.group(2)
    return {"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60000}[unit]


def wrk(host: str, path: str, *, seconds: int, connections: int = 6, cookie: str | None = None,
        form: dict | None = None) -> Rate:
    """Drive ``path`` as fast as it answers for ``seconds`` with wrk; 2xx and 3xx count as success."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if form is not None:
            lua.write('wrk.method = "POST"\n')
            lua.write(f'wrk.body = "{urllib.parse.urlencode(form)}"\n')
            lua.write('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
        if cookie:
            lua.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
    try:
        cmd = [*_pinned(LOAD_CPU), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
               "-s", lua.name, f"http://{host}{path}"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        # Sync workers close each connection after answering; wrk counts that as a "read" error.
        errors += int(m.group(1)) + int(m.group(3)) + int(m.group(4))
    # The latency distribution's own lines ("     50%   12.34ms"), not a "+/- Stdev" share ending in 50%.
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
    return Rate(rps=rps, p50_ms=p50, p99_ms=p99, requests=requests, errors=errors)


def interleaved(bare: Callable[[int], Rate], app: Callable[[int], Rate], *, slice_seconds: int,
                slices: int) -> tuple[Rate, Rate]:
    """Run the bare endpoint and the app in turn, ``slices`` runs of ``slice_seconds`` each, in the order
    bare-app-app-bare, bare-app-app-bare...: this machine's speed wanders by up to a fifth from minute to
    minute, and a drift over the measurement then falls on both sides alike instead of on the one measured
    second.  Returns each side's runs combined (:func:`combined`)."""
    runs: tuple[list[Rate], list[Rate]] = ([], [])
    for i in range(2 * slices):
        side = (0, 1, 1, 0)[i % 4]
        runs[side].append((bare, app)[side](slice_seconds))
    return combined(runs[0]), combined(runs[1])


def combined(rates: list[Rate]) -> Rate:
    """Runs of equal length as one: the mean rate, the requests' and errors' sums, the p50 weighted by each
    run's requests and the worst run's p99 (wrk reports percentiles per run; they do not add up exactly)."""
    requests = sum(r.requests for r in rates)
    p50 = sum(r.p50_ms * r.requests for r in rates) / requests if requests else max(r.p50_ms for r in rates)
    return Rate(rps=statistics.fmean(r.rps for r in rates), p50_ms=p50, p99_ms=max(r.p99_ms for r in rates),
                requests=requests, errors=sum(r.errors for r in rates))


@dataclass
class MixedResult:
    sent: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    #: kind (an action's ``label``, else the path without its numbers) → {status: count}
    by_kind: dict[str, dict[int, int]] = field(default_factory=dict)
    #: kind → (p50, p99) ms
    kind_ms: dict[str, tuple[float, float]] = field(default_factory=dict)


def _kind(item: tuple) -> str:
    if callable(item[1]):
        return getattr(item[1], "label", getattr(item[1], "__name__", "action"))
    return re.sub(r"/\d+", "/<id>", item[1])


def paced_mix(host: str, mix: list[tuple], *, rate: int, seconds: int, threads: int = 24) -> MixedResult:
    """Send ``rate`` requests a second for ``seconds`` (open loop: a slow answer does not slow the
    schedule), each drawn from ``mix`` = [(weight, path, cookie)] or [(weight, path, cookie, form)]
    (a form is POSTed) or [(weight, action)]: ``action(host)`` makes several requests (a test started,
    read, answered) and returns the status of the last; its latency is the whole action's.
    2xx and 3xx are successes."""
    rnd = random.Random(2026)
    total = rate * seconds
    weights = [item[0] for item in mix]
    plan = [rnd.choices(mix, weights)[0] for _ in range(total)]
    start = time.monotonic() + 0.5
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    by_kind: dict[str, dict[int, int]] = {}
    kind_latencies: dict[str, list[float]] = {}
    errors = [0]
    lock = threading.Lock()
    nxt = [0]

    def worker() -> None:
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= total:
                return
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            item = plan[i]
            t0 = time.monotonic()
            try:
                if callable(item[1]):
                    status = item[1](host)
                else:
                    _, path, cookie, *form = item
                    status, _, _ = request(host, "POST" if form else "GET", path, body=form[0] if form else None,
                                           cookie=cookie, timeout=30)
            except OSError:
                status = 0
            # Latency from when the request was due: waiting for a free sender counts too.
            took = (time.monotonic() - min(t0, max(due, start))) * 1000
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1
                kind = by_kind.setdefault(_kind(item), {})
                kind[status] = kind.get(status, 0) + 1
                kind_latencies.setdefault(_kind(item), []).append(took)
                if not 200 <= status < 400:
                    errors[0] += 1

    pin = bool(_pinned(LOAD_CPU)) and hasattr(os, "sched_setaffinity")
    if pin:  # the sender threads inherit this thread's CPU
        os.sched_setaffinity(0, {int(LOAD_CPU)})
    try:
        pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(seconds + 90)
    finally:
        if pin:
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    elapsed = time.monotonic() - start
    return MixedResult(sent=len(latencies), errors=errors[0], rps=len(latencies) / elapsed,
                       p50_ms=_percentile(latencies, 0.5), p99_ms=_percentile(latencies, 0.99),
                       statuses=statuses, by_kind=by_kind,
                       kind_ms={k: (_percentile(v, 0.5), _percentile(v, 0.99)) for k, v in kind_latencies.items()})


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if share == 0.5:
        return statistics.median(values)
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
