"""Project stays in the sandbox: entry after consent, households, move-in, contacts, exit."""

import re

import pytest
import sqlalchemy as sa

from sandbox.models import CurrentLivingSituation, Enrollment, Exit, IncomeBenefits
from tests.functional.sandbox.conftest import ASSESSMENT, CLIENT, ENTRY, location_id
from tests.functional.sandbox.pages import (enrolled, field_errors, offered_project_id, opening_tag, project_of_type,
                                            selected_value)


def test_entry_without_roi_is_refused_with_a_clear_message(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": ""})
    personal_id = location_id(resp, "clients")
    project_id = project_of_type(sandbox_session)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 400 and "no current release of information" in resp.get_data(as_text=True)


def test_refused_roi_blocks_entry(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    trainee_client.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "0", "signed_on": "2026-10-20",
                                                                     "documentation": "verbal"})
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 400 and "refused to share" in resp.get_data(as_text=True)


def test_shelter_stay_from_entry_to_exit(trainee_client, make_sandbox_client, sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    enrollment_id = location_id(resp, "enrollments")
    assert resp.headers["Location"].endswith("/assessment/1")
    # The project-start assessment asks only what HUD asks of an adult head of household in ES.
    html = trainee_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "4.02 Income from any source" in html and "4.11 Survivor of domestic violence" in html
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "InformationDate": "2026-10-15"})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    # An update: income changed.
    update = {**ASSESSMENT, "EarnedAmount": "900.00", "TotalMonthlyIncome": "900.00", "InformationDate": "2026-10-25"}
    assert trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/2", data=update).status_code == 303
    # Exit, then the exit assessment.
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/exit",
                               data={"ExitDate": "2026-10-31", "Destination": "435", "DestinationSubsidyType": "431"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/assessment/3")
    exit_assessment = {k: v for k, v in ASSESSMENT.items() if not k.startswith("Domestic")}
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/3",
                               data={**exit_assessment, "InformationDate": "2026-10-31"})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    html = trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    assert "Exited 10/31/2026" in html
    stages = sorted(sandbox_session.execute(sa.select(IncomeBenefits.DataCollectionStage)).scalars())
    assert stages == [1, 2, 3]
    assert sandbox_session.execute(sa.select(Exit.DestinationSubsidyType)).scalar_one() == 431


def test_exit_before_start_is_refused_naming_the_field(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    enrollment_id = location_id(resp, "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/exit",
                               data={"ExitDate": "2026-10-01", "Destination": "410"})
    assert resp.status_code == 400 and "Project exit date: it cannot be before" in resp.get_data(as_text=True)


def test_street_outreach_records_current_living_situation(trainee_client, make_sandbox_client, sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id, "Street Outreach")
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    page = trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    assert re.search(r'name="record_id" type="hidden" value="[0-9a-f]{32}"', page)  # one-time id against double submits
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/contacts",
                               data={"InformationDate": "2026-10-20", "CurrentLivingSituation": "116",
                                     "LocationDetails": "Under the Grand Ave bridge"})
    assert resp.status_code == 303
    assert "Recorded the contact" in trainee_client.get(resp.headers["Location"]).get_data(as_text=True)


def test_add_a_child_to_the_household_from_the_heads_stay(trainee_client, make_sandbox_client, sandbox_session):

    head = make_sandbox_client(trainee_client)
    child = make_sandbox_client(trainee_client, FirstName="Lucia", SSN="", SSNDataQuality="99", DOB="2017-02-02",
                                VeteranStatus="", confirm_new="y")
    project_id = offered_project_id(trainee_client, head)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{head}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    assert "Lucia Lopez" in trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    resp = trainee_client.get(f"/sandbox/enrollments/{enrollment_id}/add-member?personal_id={child}")
    assert resp.status_code == 303 and "household=" in resp.headers["Location"]
    resp = trainee_client.post(resp.headers["Location"], data={"ProjectID": project_id, "EntryDate": "2026-10-15",
                                                               "RelationshipToHoH": "2", "DisablingCondition": "0"})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    households = set(sandbox_session.execute(sa.select(Enrollment.HouseholdID)).scalars())
    assert len(households) == 1
    # A second head of household in the same household is refused.
    third = make_sandbox_client(trainee_client, FirstName="Marco", SSN="", SSNDataQuality="99", confirm_new="y")
    resp = trainee_client.get(f"/sandbox/enrollments/{enrollment_id}/add-member?personal_id={third}")
    resp = trainee_client.post(resp.headers["Location"], data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 400 and "only one head of household" in resp.get_data(as_text=True)


def test_move_in_date_for_rapid_rehousing_inside_the_stay_only(trainee_client, make_sandbox_client, sandbox_session):

    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id, "PH - Rapid Re-Housing")
    entry = {**ENTRY, "LivingSituation": "101", "LOSUnderThreshold": "", "PreviousStreetESSH": ""}
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**entry, "ProjectID": project_id})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    enrollment_id = location_id(resp, "enrollments")
    assert "3.20 Housing move-in date" in trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    # Refused: the stay's page again (400), the date as typed and why beside the field, nothing recorded.
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/move-in", data={"MoveInDate": "2026-10-01"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'data-testid="move-in-error"' in page
    assert "cannot be before the project start date" in page and 'value="2026-10-01"' in page
    assert 'aria-describedby="MoveInDate-hint MoveInDate-error" aria-invalid="true"' in page
    assert sandbox_session.execute(sa.select(Enrollment.MoveInDate)).scalar_one() is None
    trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/move-in", data={"MoveInDate": "2026-10-20"})
    assert str(sandbox_session.execute(sa.select(Enrollment.MoveInDate)).scalar_one()) == "2026-10-20"
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/move-in", data={"MoveInDate": "soon"})
    assert resp.status_code == 400 and "Enter the date like 2026-10-01." in resp.get_data(as_text=True)
    assert 'value="soon"' in resp.get_data(as_text=True)
    assert str(sandbox_session.execute(sa.select(Enrollment.MoveInDate)).scalar_one()) == "2026-10-20"


def test_double_submit_of_an_update_or_a_contact_records_once(trainee_client, make_sandbox_client, sandbox_session):
    from sandbox.models import CurrentLivingSituation

    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id, "Street Outreach")
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    update = {**ASSESSMENT, "InformationDate": "2026-10-25", "record_id": "u" * 32}
    for _ in range(2):
        assert trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/2", data=update).status_code == 303
    assert sandbox_session.execute(sa.select(sa.func.count(IncomeBenefits.id))).scalar_one() == 1
    contact = {"InformationDate": "2026-10-20", "CurrentLivingSituation": "116", "record_id": "c" * 32}
    for _ in range(2):
        trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/contacts", data=contact)
    assert sandbox_session.execute(sa.select(sa.func.count(CurrentLivingSituation.id))).scalar_one() == 1


@pytest.mark.parametrize("type_label, shown", [("Emergency Shelter - Night-by-Night", True), ("Street Outreach", True),
                                               ("Emergency Shelter - Entry Exit", False)])
def test_the_contact_form_shows_on_a_stay_in_a_project_that_records_contacts(trainee_client, make_sandbox_client,
                                                                               type_label, shown):
    enrollment_id = enrolled(trainee_client, make_sandbox_client, type_label)
    html = trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    assert ("4.12 Current living situation contacts" in html) is shown


def test_enroll_coc_defaults_to_the_projects_coc_and_follows_a_change_of_project(trainee_client, make_sandbox_client,
                                                                                 sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    url = f"/sandbox/clients/{personal_id}/enroll"
    shelter, night = project_of_type(sandbox_session, 0), project_of_type(sandbox_session, 1)  # MO-606, MO-600
    html = trainee_client.get(url).get_data(as_text=True)
    assert re.search(rf'data-coc="MO-606"[^>]*value="{shelter}"', html)  # the page's script reads it
    html = trainee_client.post(url, data={"ProjectID": shelter, "coc_default": "", "continue": "1"}
                               ).get_data(as_text=True)
    assert selected_value(html, "EnrollmentCoC") == "MO-606" and 'id="coc_default" name="coc_default" value="MO-606"' in html
    # The project changes: the CoC filled in for the person follows it ...
    html = trainee_client.post(url, data={"ProjectID": night, "EnrollmentCoC": "MO-606", "coc_default": "MO-606",
                                          "continue": "1"}).get_data(as_text=True)
    assert selected_value(html, "EnrollmentCoC") == "MO-600"
    # ... but a CoC the person chose themselves stays.
    html = trainee_client.post(url, data={"ProjectID": night, "EnrollmentCoC": "MO-602", "coc_default": "MO-606",
                                          "continue": "1"}).get_data(as_text=True)
    assert selected_value(html, "EnrollmentCoC") == "MO-602"
    # Saving without having touched the CoC saves the project's.
    entry = {k: v for k, v in ENTRY.items() if k != "EnrollmentCoC"}
    resp = trainee_client.post(url, data={**entry, "ProjectID": shelter, "coc_default": ""})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    assert sandbox_session.execute(sa.select(Enrollment.EnrollmentCoC)).scalar_one() == "MO-606"


def test_enroll_continue_without_javascript_shows_the_questions_of_the_project_type(trainee_client,
                                                                                    make_sandbox_client,
                                                                                    sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    url = f"/sandbox/clients/{personal_id}/enroll"
    html = trainee_client.get(url).get_data(as_text=True)
    assert 'name="continue"' in html and "sandbox/static/sandbox.js" in html
    # No project yet: the hint shows; the type-dependent groups wait, disabled so nothing in them is sent.
    assert " hidden" not in opening_tag(html, "choose-project-hint")
    assert " hidden disabled" in opening_tag(html, "prior-b") and " hidden disabled" in opening_tag(html, "move-in")
    outreach, housing, rapid = (project_of_type(sandbox_session, t) for t in (4, 2, 13))
    continued = {}
    for name, project_id in (("outreach", outreach), ("housing", housing), ("rapid", rapid)):
        resp = trainee_client.post(url, data={"ProjectID": project_id, "continue": "1"})
        assert resp.status_code == 200
        continued[name] = resp.get_data(as_text=True)
    assert " hidden" in opening_tag(continued["outreach"], "prior-b")  # 3.917A: no break-in-homelessness questions
    assert " hidden" not in opening_tag(continued["housing"], "prior-b")  # 3.917B asks them
    assert " hidden" in opening_tag(continued["housing"], "move-in")  # transitional housing has no move-in date
    assert " hidden" not in opening_tag(continued["rapid"], "move-in")
    assert "Please fix" not in continued["rapid"]  # Continue checks nothing yet ...
    assert sandbox_session.execute(sa.select(sa.func.count(Enrollment.id))).scalar_one() == 0  # ... and saves nothing
    # The script finds, on each group, which project types it belongs to.
    assert 'data-when-field="ProjectID" data-when-values="3 9 10 13" data-when-attr="project-type"' in html


def test_a_refused_contact_shows_the_stay_again_with_each_problem_beside_its_field(trainee_client,
                                                                                  make_sandbox_client,
                                                                                  sandbox_session):
    outreach = enrolled(trainee_client, make_sandbox_client, "Street Outreach")
    resp = trainee_client.post(f"/sandbox/enrollments/{outreach}/contacts",
                               data={"InformationDate": "2099-01-01", "LocationDetails": "Under the Grand Ave bridge"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'data-testid="error-summary"' in html
    errors = field_errors(html)
    assert "not in the future" in errors["InformationDate"] and "choose where" in errors["CurrentLivingSituation"]
    assert 'value="Under the Grand Ave bridge"' in html  # what was typed is kept
    # A stay whose project records no contacts (the form is not shown there; a hand-made POST is refused).
    other = make_sandbox_client(trainee_client, FirstName="Lucia", LastName="Reyes", SSN="", SSNDataQuality="99",
                                DOB="1979-07-30", confirm_new="y")
    shelter = location_id(trainee_client.post(f"/sandbox/clients/{other}/enroll", data={
        **ENTRY, "ProjectID": offered_project_id(trainee_client, other)}), "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{shelter}/contacts",
                               data={"InformationDate": "2026-10-20", "CurrentLivingSituation": "116"})
    assert resp.status_code == 400 and "street outreach, night-by-night shelter" in resp.get_data(as_text=True)
    assert sandbox_session.execute(sa.select(sa.func.count(CurrentLivingSituation.id))).scalar_one() == 0
