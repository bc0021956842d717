"""The app as the benchmark serves it: production settings, plus a count of SQL statements per request.

Each response carries ``X-Bench-Statements`` (statements on both databases); the benchmark
reads it from one request per page.  CSRF is off and the address rate limit raised so a
load generator can sign in repeatedly; nothing else differs from ``wsgi.py``.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import event

from lms.app import create_app

app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_LOGIN": "1000000 per minute"})


def _count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
    # Transaction bookkeeping is not a query (as in bench.harness.count_queries).
    if has_request_context() and not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
        g.bench_statements = g.get("bench_statements", 0) + 1


for _name in ("lms.db", "sandbox.db"):
    event.listen(app.extensions[_name].engine, "before_cursor_execute", _count)


@app.after_request
def _statements_header(response):  # noqa: ANN001
    response.headers["X-Bench-Statements"] = str(g.get("bench_statements", 0))
    return response
