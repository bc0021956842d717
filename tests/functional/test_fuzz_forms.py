"""Fuzz every form of the app with bad input: never a 500, and a refused request changes nothing.

No list of forms is kept here.  The test walks the URL map (like
``test_role_matrix.py``), fills each route's URL parts with real rows, signs in as
someone the route's access declaration (``lms.core.web.ACCESS_ATTR``) lets in,
renders every page that person can open and reads its ``<form>`` fields.  Then, for
every route that takes a POST and every page that reads its query string (its
search form's fields and every other name the view asks ``request.args`` for),
Hypothesis sends a fixed, small number of examples: the form as the page filled
it (with good answers where it left a field empty), with one or two fields
replaced by control and format characters, huge and negative numbers, NaN and
Infinity, impossible dates, over-long strings, other scripts' digits, wrong
types, or left out, or sent twice; plus explicit "sweeps" that put one bad value
in every field of a kind at once (every number NaN, every date 9999-12-31 ...), and
each form sent as JSON and with files in its fields.

Each example runs inside a savepoint of both databases that is rolled back
afterwards, so every example starts from the same world.  The checks:

* no answer is a 500 (every one found is reported with the last line of its traceback);
* a refused request (4xx, or a redirect that flashes an error), and any GET, changed no row
  of either database, except the bookkeeping a few sign-in pages keep on purpose
  (``BOOKKEEPING``).

``test_fuzzer_reaches_every_post_route`` fails when a route that takes a POST is
added without the fuzzer being able to reach it (an unknown URL part, no page
showing its form, no role that may post it).

The fuzzing runs by area, one test file each, so a failure names a part of the application and the
areas can run apart: ``test_fuzz_forms_accounts.py`` (sign-in, people, access requests, revocations,
sanctions, API tokens), ``test_fuzz_forms_training.py`` (training, quizzes, practice cases, credentials,
recertification, certificates), ``test_fuzz_forms_sandbox.py`` and ``test_fuzz_forms_admin.py``
(organisations, the core's pages, the API, and any blueprint no other area names).  The machinery is in
:mod:`tests.functional.fuzzing`; this file checks the fuzzer itself.
"""

from __future__ import annotations

from tests.functional.fuzzing.runner import fuzz_all
from tests.functional.fuzzing.targets import AREAS, routes, targets_of
from tests.functional.fuzzing.values import NO_FORM
from tests.functional.fuzzing.world import world  # noqa: F401 - the fixture


def test_fuzzer_reaches_every_post_route(world):
    targets = targets_of(world)
    post_rules = {r.endpoint for r in routes(world.app) if "POST" in r.methods}
    reached = {t.endpoint for t in targets if t.method == "POST" and (t.form is not None or t.endpoint in NO_FORM)}
    assert post_rules and reached == post_rules, f"POST routes the fuzzer does not reach: {post_rules - reached}"
    # The searches and filters are fuzzed too.
    get_forms = {t.endpoint for t in targets if t.method == "GET"}
    assert {"accounts.people", "orgs.agencies", "core.audit_log", "sandbox.home"} <= get_forms, get_forms
    # Every blueprint an area names exists (a renamed one would otherwise move to the other area unseen).
    named, blueprints = set().union(*AREAS.values()), {t.endpoint.split(".", 1)[0] for t in targets}
    assert named <= blueprints, named - blueprints


def test_fuzzer_reports_a_planted_500_and_a_planted_refusal_that_wrote(world, monkeypatch):
    """The checks above can fail: a view that crashes and one that writes before refusing are both reported."""
    from lms.core import audit
    from lms.core.clock import utcnow
    from lms.core.db import get_db_session

    def crashes(**_kw):
        raise RuntimeError("planted crash")

    def writes_then_refuses(**_kw):
        audit.record(get_db_session(), action="planted.write", now=utcnow())
        get_db_session().commit()
        return "refused", 400

    targets = [t for t in targets_of(world) if t.label in ("/admin/cocs/new", "/admin/people/<user_id>/edit")]
    monkeypatch.setitem(world.app.view_functions, "orgs.coc_form", crashes)
    monkeypatch.setitem(world.app.view_functions, "accounts.edit_person", writes_then_refuses)
    report = "\n".join(fuzz_all(world, targets))
    assert "500 POST /admin/cocs" in report and "RuntimeError: planted crash" in report
    assert "changed lms.audit_events: POST /admin/people/<user_id>/edit" in report
