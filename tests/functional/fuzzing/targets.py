"""Targets: each route to fuzz, the URL with real rows, who sends it and its form (found by crawling).

Each target belongs to an area (:data:`AREAS`), fuzzed by its own test file, so a failure points at a part
of the application and the areas run apart.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import AnyConverter

from lms.core.roles import Role
from lms.core.web import ACCESS_ATTR
from tests.functional.fuzzing.forms import Form, read_forms
from tests.functional.fuzzing.values import ENDPOINT_GOOD, NO_FORM, PUBLIC_AS, VARIANT_ARGS
from tests.functional.fuzzing.world import World

#: The blueprints each area's test file fuzzes; every other blueprint is in :data:`OTHER_AREA`, so a new
#: one is fuzzed without being named here.
AREAS = {
    "accounts": {"auth", "session", "accounts", "access_requests", "revocations", "sanctions", "api_tokens"},
    "training": {"training", "quizzes", "practice_cases", "credentials", "recert", "certificates"},
    "sandbox": {"sandbox"},
}
#: The area of every other blueprint: organisations, the core's pages, the API ...
OTHER_AREA = "admin"


def area_of(endpoint: str) -> str:
    blueprint = endpoint.split(".", 1)[0]
    return next((area for area, blueprints in AREAS.items() if blueprint in blueprints), OTHER_AREA)


@dataclass
class Target:
    endpoint: str
    url: str
    method: str
    who: str
    form: Form | None
    #: The route as reported (real rows' ids stay placeholders, so reports compare across runs).
    label: str = ""


def _who(world: World, endpoint: str) -> str:
    access = getattr(world.app.view_functions[endpoint], ACCESS_ATTR, None)
    if isinstance(access, frozenset):
        role = Role.LEAD_ADMIN if Role.LEAD_ADMIN in access else sorted(access, key=lambda r: r.value)[0]
        world.make_client_for_role(role)
        return f"role:{role.value}"
    if access == "signed_in":
        return "user"
    if access == "public":
        return PUBLIC_AS.get(endpoint, "anon")
    if isinstance(access, str) and access.startswith("token:"):
        return "anon"  # API calls take a bearer token, never a browser's session
    raise AssertionError(f"{endpoint} declares no access (see test_role_matrix.py)")


def _urls(world: World, rule, *, every: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """Build the rule's URLs: every value of an ``any(...)`` or variant part, one real row for the others
    (every real row with ``every``).

    A world value may be a function of the other parts (``obj_id`` is a CoC, agency or project by ``kind``).
    """
    options: dict[str, list[Any]] = {}
    later: dict[str, Any] = {}
    for name in rule.arguments:
        conv = rule._converters[name]
        if isinstance(conv, AnyConverter):
            options[name] = sorted(conv.items)
        elif name not in world.url_values:
            raise AssertionError(f"the fuzzer has no real row for <{name}> of {rule.rule}: add one to the "
                                 f"world fixture of tests/functional/fuzzing/world.py")
        elif callable(world.url_values[name]):
            later[name] = world.url_values[name]
        else:
            values = world.url_values[name]
            options[name] = values if every or name in VARIANT_ARGS else values[:1]
    urls = []
    for combo in itertools.product(*options.values()):
        values = dict(zip(options, combo))
        values.update({name: pick(values) for name, pick in later.items()})
        urls.append((rule.build(values, append_unknown=False)[1], values))
    return urls


def routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.endpoint.endswith(".static")]


def _crawl(world: World) -> dict[str, list[tuple[str, Form]]]:
    """Open every GET page as everyone allowed to; index the forms found by the endpoint they send to."""
    adapter = world.app.url_map.bind("localhost")
    found: dict[str, list[tuple[str, Form]]] = {}
    for rule in routes(world.app):
        if "GET" not in rule.methods:
            continue
        # Every role the page admits: some forms show to one role only (a representative withdraws).
        access = getattr(world.app.view_functions[rule.endpoint], ACCESS_ATTR, None)
        whos = [_who(world, rule.endpoint)]
        if isinstance(access, frozenset):
            for role in sorted(access, key=lambda r: r.value):
                world.make_client_for_role(role)
                whos.append(f"role:{role.value}")
        for who, (url, _) in itertools.product(dict.fromkeys(whos), _urls(world, rule, every=True)):
            resp = world.clients[who].get(url)
            if not resp.content_type.startswith("text/html") or resp.status_code != 200:
                continue
            for form in read_forms(url, resp.get_data(as_text=True)):
                parts = urlsplit(form.action)
                try:
                    endpoint, _ = adapter.match(parts.path, method=form.method)
                except Exception:  # noqa: BLE001 - a form sending elsewhere is not ours to fuzz
                    continue
                form.action = parts.path
                found.setdefault(endpoint, []).append((form.action, form))
    return found


def _for_route(world: World, endpoint: str, form: Form | None) -> Form | None:
    """A copy of ``form`` (pages share forms) with the route's own good answers."""
    if form is None:
        return None
    return replace(form, names=list(form.names),
                   good={**ENDPOINT_GOOD.get(endpoint, {}), **world.good.get(endpoint, {})})


def targets_of(world: World) -> list[Target]:
    forms = _crawl(world)
    targets: list[Target] = []
    for rule in routes(world.app):
        if "POST" not in rule.methods:
            continue
        who = _who(world, rule.endpoint)
        candidates = [f for _, f in forms.get(rule.endpoint, []) if f.method == "POST"]
        variants: dict[tuple, list[str]] = {}
        for url, values in _urls(world, rule, every=True):
            variant = tuple((n, v) for n, v in values.items()
                            if n in VARIANT_ARGS or isinstance(rule._converters[n], AnyConverter))
            variants.setdefault(variant, []).append(url)
        for variant, urls in variants.items():
            # The URL whose own form a page shows (the move-in form shows only for a housing stay) ...
            url, form = next(((u, f) for u in urls for f in candidates if f.action == u), (urls[0], None))
            # ... else the same route's form for another row or action (Reactivate shows only for the inactive).
            form = form or (candidates or [None])[0]
            form = _for_route(world, rule.endpoint, form)
            if form is None and rule.endpoint not in NO_FORM:
                raise AssertionError(f"no page shows a form posting to {rule.rule} ({rule.endpoint}): make the "
                                     f"world show it, or add the route to NO_FORM with the reason")
            label = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: str(dict(variant).get(m.group(1), f"<{m.group(1)}>")),
                           rule.rule)
            targets.append(Target(rule.endpoint, url, "POST", who, form, label))
    # GET: one target per page that reads its query string, with its search form's fields if it has one,
    # and every other name its view reads (?page=, ?next=, ?household= ...).
    for rule in routes(world.app):
        if "GET" not in rule.methods or rule.endpoint in {t.endpoint for t in targets if t.method == "GET"}:
            continue
        get_forms = [f for _, f in forms.get(rule.endpoint, []) if f.method == "GET" and f.names]
        form = _for_route(world, rule.endpoint, get_forms[0] if get_forms else
                          Form(page=_urls(world, rule)[0][0], action=_urls(world, rule)[0][0], method="GET"))
        for name in sorted(world.query_names.get(rule.endpoint, set()) - set(form.names)):
            form.names.append(name)
        if form.names:
            targets.append(Target(rule.endpoint, form.action, "GET", _who(world, rule.endpoint), form, rule.rule))
    return targets
