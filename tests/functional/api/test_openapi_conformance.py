"""Schemathesis generates calls from ``/api/v1/openapi.json``: no 500s, and every answer matches the document.

The calls are drawn from each operation's Hypothesis strategy (schemathesis' pytest
plugin does not run under the pytest this project uses), then sent to the app in
process and checked with schemathesis' own checks.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.api import rules, services
from lms.core.roles import Role

#: ``LMS_API_FUZZ_EXAMPLES=2000 LMS_API_FUZZ_RANDOM=1`` explores further by hand (new calls each run).
EXAMPLES = int(os.environ.get("LMS_API_FUZZ_EXAMPLES", "60"))
DERANDOMIZE = os.environ.get("LMS_API_FUZZ_RANDOM") != "1"


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def token_headers(db_session, clock, make_user, make_trainee):
    lead = make_user("lead.schema@example.org", roles=[Role.LEAD_ADMIN])
    make_trainee(), make_trainee(eligible=False)  # people for the calls to find
    _, secret = services.create_token(db_session, name="Schemathesis", scopes=list(rules.SCOPES),
                                      all_organisations=True, actor=lead, now=clock.now)
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _operations(api_schema):
    ops = [result.ok() for result in api_schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in ops} == {
        "GET /people/{person_id}", "GET /recertification/{fiscal_year}", "GET /credentials/queue",
        "POST /credentials", "GET /revocations/due"}
    return ops


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_answers_match_the_openapi_document(api_schema, token_headers, mode):
    from schemathesis.generation import GenerationMode

    ops = _operations(api_schema)
    strategy = st.one_of([op.as_strategy(generation_mode=GenerationMode(mode)) for op in ops])

    # Derandomized: the same calls every run, so a failure here is a bug, never luck.
    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=DERANDOMIZE)
    def check(case):
        case.call_and_validate(headers=token_headers)

    check()


def test_api_without_a_token_answers_401_as_documented(api_schema):
    strategy = st.one_of([op.as_strategy() for op in _operations(api_schema)])

    @given(case=strategy)
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=True)
    def check(case):
        response = case.call()
        assert response.status_code == 401, (case.path, response.status_code)
        assert response.json()["detail"]

    check()
