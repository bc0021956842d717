"""Send the bad input: the sweeps and Hypothesis's examples per target, each in savepoints rolled back.

Reports every distinct 500 (with the last line of its traceback), and every refused request (or GET)
that changed a row of either database.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.functional.fuzzing.forms import Form
from tests.functional.fuzzing.targets import Target, area_of, targets_of
from tests.functional.fuzzing.values import (BOOKKEEPING, EXAMPLES, FILES, FIXED_FIELDS, GOOD_VALUES, JSON_BODY,
                                             MISSING, SWEEP, bad_change)
from tests.functional.fuzzing.world import World


def _snapshot(connections) -> dict[str, list[tuple]]:
    """Every row of every table of both databases."""
    rows: dict[str, list[tuple]] = {}
    for label, conn in connections:
        for table in sa.inspect(conn).get_table_names():
            result = conn.execute(sa.text(f'SELECT * FROM "{table}"'))
            rows[f"{label}.{table}"] = sorted((tuple(r) for r in result), key=repr)
    return rows


def _changed(before, after, allowed: set[str]) -> list[str]:
    return [name for name in before if before[name] != after.get(name) and name.split(".", 1)[1] not in allowed]


class _Capture(logging.Handler):
    """Keep the last line of the traceback of every error the app logs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            import traceback

            self.last = traceback.format_exception_only(*record.exc_info[:2])[-1].strip().splitlines()[0][:240]


def _payload(form: Form, changes: dict[str, Any]) -> MultiDict:
    """The form as the page filled it (good answers where the page left a field empty), then the changes."""
    data = MultiDict()
    for name, value in form.pairs:
        if name not in changes:
            data.add(name, form.baseline(name))
    sent = {name for name, _ in form.pairs}
    for name in form.names:  # boxes the page left unticked that a good answer ticks
        if name not in sent and name not in changes and (name in form.good or name in GOOD_VALUES):
            data.add(name, form.baseline(name))
    for name, change in changes.items():
        if change is MISSING:
            continue
        for value in (change if isinstance(change, list) else [change]):
            data.add(name, value)
    return data


def _flashed_error(client) -> bool:
    with client.session_transaction() as sess:
        return any(category == "error" for category, _ in sess.get("_flashes", []))


@dataclass
class _Findings:
    crashes: dict[tuple[str, str], str] = field(default_factory=dict)
    dirty: dict[tuple[str, str], str] = field(default_factory=dict)


def _sweeps(form: Form, names: list[str]) -> list[dict[str, Any]]:
    """The explicit examples: each SWEEP value in every field of its kind at once, then every field left out,
    then every field sent twice."""
    by_kind: dict[str, list[str]] = {}
    for name in names:
        by_kind.setdefault(form.kind(name), []).append(name)
    sweeps = [{name: value(form.baseline(name)) if callable(value) else value for name in by_kind[kind]}
              for kind, values in SWEEP.items() if kind in by_kind for value in values]
    sweeps.append({name: MISSING for name in names})
    sweeps.append({name: [str(form.baseline(name)), str(form.baseline(name))] for name in names})
    return sweeps


def _fuzz(target: Target, client, cookies: dict, connections, before, capture: _Capture, found: _Findings) -> None:
    """Send the sweeps and ``EXAMPLES`` random bad versions of the target's form, each in savepoints rolled
    back afterwards."""
    form = target.form or Form(page=target.url, action=target.url, method=target.method)
    names = [n for n in form.names if n not in FIXED_FIELDS]
    route = f"{target.method} {target.label or target.url}"
    one_change = st.sampled_from(names + ["unexpected"]).flatmap(
        lambda name: st.tuples(st.just(name), bad_change(form.kind(name))))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(changes=st.lists(one_change, min_size=1, max_size=2).map(dict))
    def send(changes):
        client._cookies = dict(cookies)
        data = _payload(form, changes)
        savepoints = [conn.begin_nested() for _, conn in connections]
        try:
            capture.last = None
            if target.method == "GET":
                resp = client.get(target.url, query_string=data)
            elif JSON_BODY in changes:
                resp = client.post(target.url, json={name: [1, None, 2.5] for name in names})
            elif FILES in changes:
                resp = client.post(target.url, content_type="multipart/form-data",
                                   data={name: (io.BytesIO(b"x,y\n"), f"{name}.csv") for name in names})
            else:
                resp = client.post(target.url, data=data)
            example = f"{resp.status_code} {_short(changes)}"
            if resp.status_code >= 500:
                found.crashes.setdefault((route, capture.last or f"HTTP {resp.status_code}"), example)
            elif (target.method == "GET" or 400 <= resp.status_code < 500
                  or (resp.status_code in (302, 303) and _flashed_error(client))):
                changed = _changed(before, _snapshot(connections), BOOKKEEPING.get(target.endpoint, set()))
                if changed:
                    found.dirty.setdefault((route, ", ".join(changed)), example)
        finally:
            for savepoint in reversed(savepoints):
                savepoint.rollback()

    for sweep in _sweeps(form, names) + ([{JSON_BODY: True}, {FILES: True}] if target.method == "POST" else []):
        send = example(changes=sweep)(send)
    send()


def _short(changes: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={(v[:20] + f'...({len(v)})') if isinstance(v, str) and len(v) > 20 else v!r}"
                     for k, v in changes.items())
    return text[:400]


def fuzz_all(world: World, targets: list[Target]) -> list[str]:
    """Fuzz ``targets``; return one line (and an example) per distinct 500 and per refusal that changed rows."""
    from lms.core.db import get_database

    app = world.app
    connections = [("lms", get_database(app).session_factory.kw["bind"]),
                   ("sandbox", app.extensions["sandbox.db"].session_factory.kw["bind"])]
    # Each example gets back the browser's cookies (a sign-out or a password change must not leak into the next).
    cookies = {who: dict(c._cookies) for who, c in world.clients.items()}
    before = _snapshot(connections)
    capture, found = _Capture(), _Findings()
    app.logger.addHandler(capture)
    try:
        for target in targets:
            _fuzz(target, world.clients[target.who], cookies[target.who], connections, before, capture, found)
    finally:
        app.logger.removeHandler(capture)
    report = [f"500 {route}: {last}\n    e.g. {example}" for (route, last), example in sorted(found.crashes.items())]
    report += [f"refused (or a GET) but changed {tables}: {route}\n    e.g. {example}"
               for (route, tables), example in sorted(found.dirty.items())]
    return report


def assert_area_is_clean(world: World, area: str) -> None:
    """Fuzz every target of ``area`` (see :data:`tests.functional.fuzzing.targets.AREAS`); fail with the report."""
    targets = [t for t in targets_of(world) if area_of(t.endpoint) == area]
    assert targets, f"no form of the {area!r} area to fuzz"
    report = fuzz_all(world, targets)
    assert not report, f"{len(report)} problem(s) in {len(targets)} forms:\n" + "\n".join(report)
