#!/usr/bin/env python3
"""Set everything up and run the app or the tests, with nothing pre-installed but Python 3.11+.

    python3 manage.py demo        # venv, dependencies, migrations, demo world, http://127.0.0.1:5000
    python3 manage.py demo --port 8000 --host 0.0.0.0   # the same on another address
    python3 manage.py test        # venv, dependencies, the whole suite (SQLite, then PostgreSQL if reachable)
    python3 manage.py bench       # benchmarks and query-count budgets

Only the standard library is used here: this file creates ``.venv`` and runs
everything else inside it.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None, check: bool = True) -> int:
    proc = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and proc.returncode != 0:
        sys.exit(proc.returncode)
    return proc.returncode


def ensure_env() -> None:
    """Create .venv and install the project with its test extras when pyproject.toml changed."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed (this is %d.%d)." % sys.version_info[:2])
    if not PY.exists():
        say(f"Creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != want:
        say("Installing dependencies (first run only; later runs skip this)")
        # The build backend's notices (setuptools' editable-install warning) are for package authors,
        # not for someone starting the demo: keep the first run's output to what they need.
        quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip", env=quiet)
        run(PY, "-m", "pip", "install", "--quiet", "-e", ".[test]", env=quiet)
        STAMP.write_text(want)


def flask(*args: str, env: dict[str, str] | None = None) -> None:
    run(PY, "-m", "flask", "--app", "wsgi", *args, env=env)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def serve_address(argv: list[str]) -> tuple[str, int, list[str]]:
    """Take ``--host``/``-h`` and ``--port``/``-p`` (either ``--port 8000`` or ``--port=8000``) out of argv.

    Returns the host, the port and the other arguments (passed on to ``flask run``).
    """
    host, port, rest = "127.0.0.1", "5000", []
    names = {"--host": "host", "-h": "host", "--port": "port", "-p": "port"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if name in names and (eq or i + 1 < len(argv)):
            if not eq:
                value = argv[i + 1]
                i += 1
            if names[name] == "host":
                host = value
            else:
                port = value
        else:
            rest.append(arg)
        i += 1
    if not port.isdigit() or not 0 < int(port) < 65536:
        sys.exit(f"--port must be a number from 1 to 65535 (got {port!r}).")
    return host, int(port), rest


def cmd_demo(argv: list[str]) -> None:
    host, port, rest = serve_address(argv)
    ensure_env()
    env = dict(os.environ)
    url = f"http://{host}:{port}"
    # E-mailed links (password reset) point at the address actually served, unless set explicitly.
    env.setdefault("LMS_BASE_URL", url)
    say("Upgrading the databases")
    flask("db", "upgrade", env=env)
    say("Seeding the demo world (passwords are printed once, below)")
    flask("lms", "demo", env=env)
    env["LMS_SCHEDULER_IN_PROCESS"] = "1"
    say(f"Starting the app at {url} (Ctrl+C stops it)")
    flask("run", "--host", host, "--port", str(port), "--no-reload", *rest, env=env)


def cmd_test(argv: list[str]) -> None:
    """Run the suite on SQLite, then on PostgreSQL when a server answers (always with --require-services)."""
    require = "--require-services" in argv
    argv = [a for a in argv if a != "--require-services"]
    ensure_env()
    env = dict(os.environ)
    if require:
        env["LMS_TEST_STRICT"] = "1"
    say("Test suite on SQLite")
    failed = run(PY, "-m", "pytest", *argv, env={**env, "LMS_TEST_DATABASE": "sqlite"}, check=False)
    if require or port_open("127.0.0.1", 5432):
        say("Test suite on PostgreSQL")
        failed |= run(PY, "-m", "pytest", *argv, env={**env, "LMS_TEST_DATABASE": "postgresql"}, check=False)
    else:
        say("PostgreSQL is not running on 127.0.0.1:5432: skipped the PostgreSQL pass "
            "(start it, or set LMS_TEST_POSTGRES_URL, to run it).")
    sys.exit(1 if failed else 0)


def cmd_bench(argv: list[str]) -> None:
    ensure_env()
    run(PY, "-m", "bench", *argv)


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "bench": cmd_bench}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
