"""A client's record in the sandbox: duplicates, double submits, the release of information as the next step."""

import re

import sqlalchemy as sa

from sandbox.models import Client
from tests.functional.sandbox.conftest import CLIENT, ENTRY, location_id
from tests.functional.sandbox.pages import offered_project_id


def test_likely_duplicate_must_be_confirmed(trainee_client, make_sandbox_client, sandbox_session):
    make_sandbox_client(trainee_client)
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": ""})
    assert resp.status_code == 400 and "may already be in the HMIS" in resp.get_data(as_text=True)
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": "", "confirm_new": "y"})
    assert resp.status_code == 303


def test_double_submit_creates_one_client(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    data = {**CLIENT, "record_id": "a" * 32}
    first = trainee_client.post("/sandbox/clients/new", data=data)
    second = trainee_client.post("/sandbox/clients/new", data={**data, "confirm_new": "y"})
    assert first.status_code == second.status_code == 303
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 1


def test_client_page_without_consent_shows_the_roi_step_instead_of_project_entry(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    personal_id = location_id(trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": ""}),
                              "clients")
    html = trainee_client.get(f"/sandbox/clients/{personal_id}").get_data(as_text=True)
    assert "Next step: record the release of information" in html and 'href="#roi"' in html
    assert "Enter into a project" not in html and f"/sandbox/clients/{personal_id}/enroll" not in html
    # The project-start page itself explains instead of offering a form that can only fail at save.
    resp = trainee_client.get(f"/sandbox/clients/{personal_id}/enroll")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Record the release of information first" in page
    assert 'name="ProjectID"' not in page and f"/sandbox/clients/{personal_id}#roi" in page
    # With consent on file, project entry is offered and the next-step box is gone.
    trainee_client.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "1", "signed_on": "2026-10-15",
                                                                     "documentation": "signed"})
    html = trainee_client.get(f"/sandbox/clients/{personal_id}").get_data(as_text=True)
    assert "Enter into a project" in html and "Next step" not in html


def test_client_page_after_refusal_explains_no_project_entry(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    trainee_client.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "0", "signed_on": "2026-10-20",
                                                                     "documentation": "verbal"})
    html = trainee_client.get(f"/sandbox/clients/{personal_id}").get_data(as_text=True)
    assert "No project entry without consent" in html and "refused to share" in html
    assert "Enter into a project" not in html


def test_a_refused_release_shows_the_client_page_again_with_why_beside_each_field(trainee_client, make_sandbox_client,
                                                                                  sandbox_session):
    from sandbox.models import ReleaseOfInformation

    personal_id = make_sandbox_client(trainee_client)
    before = sandbox_session.execute(sa.select(sa.func.count()).select_from(ReleaseOfInformation)).scalar_one()
    url = f"/sandbox/clients/{personal_id}/roi"
    # Nothing chosen: each field says what it needs (a 400, the page itself, not a redirect).
    resp = trainee_client.post(url, data={"signed_on": ""})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "<h1>" in page
    for message in ("Say whether the client consents or refuses.", "Enter the date.", "Choose the documentation."):
        assert message in page
    # A date in the future: the rule's own words, beside the date, and what was chosen kept.
    resp = trainee_client.post(url, data={"consented": "1", "signed_on": "2099-01-01", "documentation": "signed"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "the release cannot be signed in the future" in page
    assert 'value="2099-01-01"' in page
    after = sandbox_session.execute(sa.select(sa.func.count()).select_from(ReleaseOfInformation)).scalar_one()
    assert after == before


def test_client_page_shows_dates_in_the_us_form(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    html = trainee_client.get(f"/sandbox/clients/{personal_id}").get_data(as_text=True)
    assert "04/12/1988" in html and "signed 10/15/2026, valid until 10/15/2027" in html
    assert '<td data-label="Start">10/15/2026</td>' in html  # the project stay's start
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", html.split("<main")[1].split('type="date"')[0])
