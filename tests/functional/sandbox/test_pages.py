"""Data entry in the sandbox pages, as an HMIS does it: search, client, ROI, entry, assessments, exit."""

import re

import sqlalchemy as sa

from sandbox.models import Client, Enrollment, Exit, IncomeBenefits
from tests.functional.sandbox.conftest import ASSESSMENT, CLIENT, ENTRY, location_id


def _project(client, name_part="Emergency Shelter"):
    html = client.get("/sandbox/").get_data(as_text=True)
    return html


def _project_id(client, personal_id, type_label="Emergency Shelter - Entry Exit"):
    html = client.get(f"/sandbox/clients/{personal_id}/enroll").get_data(as_text=True)
    return re.search(rf'<option value="([0-9a-f]{{32}})">[^<]*\({re.escape(type_label)}\)</option>', html).group(1)


def test_search_first_then_create_offers_the_new_client_link(trainee_client):
    html = trainee_client.get("/sandbox/?name=Maria+Lopez").get_data(as_text=True)
    assert "0 clients found" in html and "Not found: create a new client" in html
    assert trainee_client.get("/sandbox/?ssn4=12").status_code == 400


def test_create_client_and_find_them_by_name_dob_and_ssn(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    for query in ("name=lopez", "dob=1988-04-12", "ssn4=4321"):
        assert "Maria Lopez" in trainee_client.get(f"/sandbox/?{query}").get_data(as_text=True), query


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


def test_client_rule_problem_is_shown_beside_the_field(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "DOBDataQuality": "99", "record_id": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Date of birth quality: a date of birth was entered" in html
    assert 'id="DOBDataQuality-error"' in html


def test_bad_codes_and_dates_are_400_not_500(trainee_client):
    trainee_client.get("/sandbox/")
    for bad in ({"Sex": "7"}, {"Sex": "abc"}, {"DOB": "12/31/1990"}, {"NameDataQuality": "1e9"}):
        resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, **bad, "record_id": ""})
        assert resp.status_code == 400, bad


def test_entry_without_roi_is_refused_with_a_clear_message(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": ""})
    personal_id = location_id(resp, "clients")
    project_id = _project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 400 and "no current release of information" in resp.get_data(as_text=True)


def test_refused_roi_blocks_entry(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    trainee_client.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "0", "signed_on": "2026-10-20",
                                                                     "documentation": "verbal"})
    project_id = _project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 400 and "refused to share" in resp.get_data(as_text=True)


def test_shelter_stay_from_entry_to_exit(trainee_client, make_sandbox_client, sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
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
    assert "Exited 2026-10-31" in html
    stages = sorted(sandbox_session.execute(sa.select(IncomeBenefits.DataCollectionStage)).scalars())
    assert stages == [1, 2, 3]
    assert sandbox_session.execute(sa.select(Exit.DestinationSubsidyType)).scalar_one() == 431


def test_exit_before_start_is_refused_naming_the_field(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    enrollment_id = location_id(resp, "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/exit",
                               data={"ExitDate": "2026-10-01", "Destination": "410"})
    assert resp.status_code == 400 and "Project exit date: it cannot be before" in resp.get_data(as_text=True)


def test_assessment_amounts_that_do_not_add_up_are_refused(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "TotalMonthlyIncome": "700.00", "InformationDate": "2026-10-15"})
    assert resp.status_code == 400 and "is not the sum of the amounts" in resp.get_data(as_text=True)


def test_street_outreach_records_current_living_situation(trainee_client, make_sandbox_client, sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id, "Street Outreach")
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    page = trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    assert re.search(r'name="record_id" type="hidden" value="[0-9a-f]{32}"', page)  # one-time id against double submits
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/contacts",
                               data={"InformationDate": "2026-10-20", "CurrentLivingSituation": "116",
                                     "LocationDetails": "Under the Grand Ave bridge"})
    assert resp.status_code == 303
    assert "Recorded the contact" in trainee_client.get(resp.headers["Location"]).get_data(as_text=True)


def test_data_quality_page_lists_findings(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client, SSN="", SSNDataQuality="99")
    html = trainee_client.get("/sandbox/quality").get_data(as_text=True)
    assert "SSN: not collected" in html


def test_export_download_is_a_zip_of_the_ten_files(trainee_client, make_sandbox_client):
    import io
    import zipfile

    make_sandbox_client(trainee_client)
    resp = trainee_client.get("/sandbox/export.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(resp.data)).namelist())
    assert {"Export.csv", "Client.csv", "Enrollment.csv", "CurrentLivingSituation.csv"} <= names and len(names) == 10


def test_reset_my_workspace_needs_confirmation_and_is_audited(trainee_client, make_sandbox_client, sandbox_session,
                                                               db_session):
    from lms.core.audit import AuditEvent

    make_sandbox_client(trainee_client)
    assert trainee_client.post("/sandbox/reset", data={"confirm": "yes"}).status_code == 400
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 1
    assert trainee_client.post("/sandbox/reset", data={"confirm": "RESET"}).status_code == 303
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0
    assert db_session.execute(sa.select(AuditEvent.action).where(
        AuditEvent.action == "sandbox.workspace_reset")).scalar_one()


def test_another_trainee_gets_404_for_my_client_enrollment_and_pages(app, trainee_client, make_sandbox_client,
                                                                     make_user, login):
    from lms.core.roles import Role

    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    other = app.test_client()
    login(other, make_user(roles=[Role.END_USER]))
    for url in (f"/sandbox/clients/{personal_id}", f"/sandbox/clients/{personal_id}/edit",
                f"/sandbox/clients/{personal_id}/enroll", f"/sandbox/enrollments/{enrollment_id}",
                f"/sandbox/enrollments/{enrollment_id}/assessment/1", f"/sandbox/enrollments/{enrollment_id}/exit"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "1", "signed_on": "2026-10-15",
                                                                   "documentation": "signed"}).status_code == 404
    # Their search and export never show my client.
    assert "Maria Lopez" not in other.get("/sandbox/?name=maria").get_data(as_text=True)
    import io
    import zipfile

    zf = zipfile.ZipFile(io.BytesIO(other.get("/sandbox/export.zip").data))
    assert personal_id not in zf.read("Client.csv").decode()


def test_add_a_child_to_the_household_from_the_heads_stay(trainee_client, make_sandbox_client, sandbox_session):

    head = make_sandbox_client(trainee_client)
    child = make_sandbox_client(trainee_client, FirstName="Lucia", SSN="", SSNDataQuality="99", DOB="2017-02-02",
                                VeteranStatus="", confirm_new="y")
    project_id = _project_id(trainee_client, head)
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
    project_id = _project_id(trainee_client, personal_id, "PH - Rapid Re-Housing")
    entry = {**ENTRY, "LivingSituation": "101", "LOSUnderThreshold": "", "PreviousStreetESSH": ""}
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**entry, "ProjectID": project_id})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    enrollment_id = location_id(resp, "enrollments")
    assert "3.20 Housing move-in date" in trainee_client.get(f"/sandbox/enrollments/{enrollment_id}").get_data(as_text=True)
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/move-in", data={"MoveInDate": "2026-10-01"},
                               follow_redirects=True)
    assert "cannot be before the project start date" in resp.get_data(as_text=True)
    trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/move-in", data={"MoveInDate": "2026-10-20"})
    assert str(sandbox_session.execute(sa.select(Enrollment.MoveInDate)).scalar_one()) == "2026-10-20"
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/move-in", data={"MoveInDate": "soon"})
    assert resp.status_code == 303
    assert str(sandbox_session.execute(sa.select(Enrollment.MoveInDate)).scalar_one()) == "2026-10-20"


def test_first_visit_to_any_page_keeps_the_new_workspace(trainee_client, sandbox_session):
    from sandbox.models import Project, Workspace

    trainee_client.get("/sandbox/quality")
    trainee_client.get("/sandbox/reset")
    assert sandbox_session.execute(sa.select(sa.func.count(Workspace.id))).scalar_one() == 1
    first = set(sandbox_session.execute(sa.select(Project.ProjectID)).scalars())
    trainee_client.get("/sandbox/")
    assert set(sandbox_session.execute(sa.select(Project.ProjectID)).scalars()) == first


def test_double_submit_of_an_update_or_a_contact_records_once(trainee_client, make_sandbox_client, sandbox_session):
    from sandbox.models import CurrentLivingSituation

    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id, "Street Outreach")
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
