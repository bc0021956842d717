"""Data entry in the sandbox pages, as an HMIS does it: search, client, ROI, entry, assessments, exit."""

import re

import pytest
import sqlalchemy as sa

from sandbox.models import Client, Enrollment, Exit, IncomeBenefits, Project
from tests.functional.sandbox.conftest import ASSESSMENT, CLIENT, ENTRY, location_id


def _project(client, name_part="Emergency Shelter"):
    html = client.get("/sandbox/").get_data(as_text=True)
    return html


def _project_id(client, personal_id, type_label="Emergency Shelter - Entry Exit"):
    html = client.get(f"/sandbox/clients/{personal_id}/enroll").get_data(as_text=True)
    return re.search(rf'<option [^>]*value="([0-9a-f]{{32}})"[^>]*>[^<]*\({re.escape(type_label)}\)</option>',
                     html).group(1)


def test_search_first_then_create_offers_the_new_client_link(trainee_client):
    html = trainee_client.get("/sandbox/?first_name=Maria&last_name=Lopez").get_data(as_text=True)
    assert "0 clients found" in html and "Not found: create a new client" in html
    assert trainee_client.get("/sandbox/?ssn4=12").status_code == 400


def test_create_client_and_find_them_by_name_dob_and_ssn(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    for query in ("last_name=lopez", "first_name=maria", "first_name=maria&last_name=lopez", "dob=1988-04-12",
                  "ssn4=4321"):
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


def _project_of_type(sandbox_session, project_type=0):
    return sandbox_session.execute(sa.select(Project.ProjectID).where(Project.ProjectType == project_type)).scalar_one()


def test_entry_without_roi_is_refused_with_a_clear_message(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": ""})
    personal_id = location_id(resp, "clients")
    project_id = _project_of_type(sandbox_session)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    assert resp.status_code == 400 and "no current release of information" in resp.get_data(as_text=True)


def test_refused_roi_blocks_entry(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    trainee_client.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "0", "signed_on": "2026-10-20",
                                                                     "documentation": "verbal"})
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
    assert "Exited 10/31/2026" in html
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


def test_export_download_is_a_zip_of_every_hmis_csv_file(trainee_client, make_sandbox_client):
    import io
    import zipfile

    make_sandbox_client(trainee_client)
    resp = trainee_client.get("/sandbox/export.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(resp.data)).namelist())
    assert {"Export.csv", "Client.csv", "Enrollment.csv", "ProjectCoC.csv", "User.csv", "Services.csv"} <= names
    assert len(names) == 24


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
    assert "Maria Lopez" not in other.get("/sandbox/?first_name=maria").get_data(as_text=True)
    assert "Maria Lopez" not in other.get("/sandbox/").get_data(as_text=True)
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


def _enrolled(client, make_sandbox_client, type_label="Emergency Shelter - Entry Exit"):
    personal_id = make_sandbox_client(client)
    project_id = _project_id(client, personal_id, type_label)
    return location_id(client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id}),
                       "enrollments")


def _field_errors(html):
    return dict(re.findall(r'id="([A-Za-z0-9_]+)-error"[^>]*>([^<]*)<', html))


def test_empty_new_client_form_reports_every_problem_once_each_beside_its_field(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={"record_id": ""})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400
    assert set(errors) == {"NameDataQuality", "SSNDataQuality", "DOBDataQuality", "RaceNone"}
    assert all(message.count(":") == 1 for message in errors.values())  # one message per field, not two


def test_quality_left_at_select_is_a_400_naming_it_not_a_database_error(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    for quality in ("NameDataQuality", "SSNDataQuality", "DOBDataQuality"):
        resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, quality: "", "record_id": ""})
        assert resp.status_code == 400 and quality in _field_errors(resp.get_data(as_text=True)), quality
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0


def test_full_name_quality_without_a_name_shows_one_name_problem(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "FirstName": "", "LastName": "",
                                                             "record_id": ""})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400 and "LastName" not in errors
    assert errors["FirstName"].count("Name: ") == 1


def test_nul_in_search_or_client_text_is_a_400_with_a_message(trainee_client):
    trainee_client.get("/sandbox/")
    assert trainee_client.get("/sandbox/?name=Ana%00").status_code == 400
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "LastName": "Lo\x00pez", "record_id": ""})
    assert resp.status_code == 400 and "control character" in resp.get_data(as_text=True)
    assert trainee_client.get("/sandbox/clients/ab%00cd").status_code == 400  # refused before any view runs


def test_nul_in_other_destination_is_refused_beside_it(trainee_client, make_sandbox_client):
    enrollment_id = _enrolled(trainee_client, make_sandbox_client)
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/exit",
                               data={"ExitDate": "2026-10-20", "Destination": "17", "OtherDestination": "car\x00"})
    assert resp.status_code == 400 and "control character" in resp.get_data(as_text=True)


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "-Infinity", "infinity", "1e9999", "12345678901.00"])
def test_non_finite_or_huge_amount_is_a_400_beside_its_field(trainee_client, make_sandbox_client, amount):
    enrollment_id = _enrolled(trainee_client, make_sandbox_client)
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "EarnedAmount": amount, "InformationDate": "2026-10-15"})
    assert resp.status_code == 400 and "EarnedAmount" in _field_errors(resp.get_data(as_text=True))


def test_tampered_record_id_is_a_400_and_stores_nothing(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    for record_id in ("a" * 33, "a\x00b", "<script>"):
        resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": record_id})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and ("one-time id" in html or "control character" in html)
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0


def test_dates_before_1900_are_refused_on_the_pages(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                               data={**ENTRY, "ProjectID": project_id, "DateToStreetESSH": "0001-01-01"})
    assert resp.status_code == 400 and "DateToStreetESSH" in _field_errors(resp.get_data(as_text=True))


def test_sandbox_pages_and_the_export_download_are_never_cached(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    for url in ("/sandbox/export.zip", "/sandbox/", "/sandbox/quality"):
        assert trainee_client.get(url).headers["Cache-Control"] == "no-store", url


def test_an_unreadable_date_is_reported_with_every_rule_problem_at_once(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "DOB": "31/12/1990", "NameDataQuality": "",
                                                             "FirstName": "A" * 51, "record_id": ""})
    errors = _field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400 and {"DOB", "NameDataQuality", "FirstName"} <= set(errors)
    assert "Date of birth: enter it" not in errors["DOB"]  # the date's own error, not a second "missing" one


# --- what a new user met: the next step, defaults, grouping, lists, names and dates ----------------

def _select_block(html, select_id):
    return re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)


def _selected(html, select_id):
    found = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*\bselected\b',
                      _select_block(html, select_id))
    return (found.group(1) or found.group(2)) if found else ""


def _wrapper(html, testid):
    """The opening tag of the element with this data-testid."""
    return re.search(rf'<[^>]*data-testid="{testid}"[^>]*>', html).group(0)


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


def test_enroll_coc_defaults_to_the_projects_coc_and_follows_a_change_of_project(trainee_client, make_sandbox_client,
                                                                                 sandbox_session):
    personal_id = make_sandbox_client(trainee_client)
    url = f"/sandbox/clients/{personal_id}/enroll"
    shelter, night = _project_of_type(sandbox_session, 0), _project_of_type(sandbox_session, 1)  # MO-606, MO-600
    html = trainee_client.get(url).get_data(as_text=True)
    assert re.search(rf'data-coc="MO-606"[^>]*value="{shelter}"', html)  # the page's script reads it
    html = trainee_client.post(url, data={"ProjectID": shelter, "coc_default": "", "continue": "1"}
                               ).get_data(as_text=True)
    assert _selected(html, "EnrollmentCoC") == "MO-606" and 'id="coc_default" name="coc_default" value="MO-606"' in html
    # The project changes: the CoC filled in for the person follows it ...
    html = trainee_client.post(url, data={"ProjectID": night, "EnrollmentCoC": "MO-606", "coc_default": "MO-606",
                                          "continue": "1"}).get_data(as_text=True)
    assert _selected(html, "EnrollmentCoC") == "MO-600"
    # ... but a CoC the person chose themselves stays.
    html = trainee_client.post(url, data={"ProjectID": night, "EnrollmentCoC": "MO-602", "coc_default": "MO-606",
                                          "continue": "1"}).get_data(as_text=True)
    assert _selected(html, "EnrollmentCoC") == "MO-602"
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
    assert " hidden" not in _wrapper(html, "choose-project-hint")
    assert " hidden disabled" in _wrapper(html, "prior-b") and " hidden disabled" in _wrapper(html, "move-in")
    outreach, housing, rapid = (_project_of_type(sandbox_session, t) for t in (4, 2, 13))
    continued = {}
    for name, project_id in (("outreach", outreach), ("housing", housing), ("rapid", rapid)):
        resp = trainee_client.post(url, data={"ProjectID": project_id, "continue": "1"})
        assert resp.status_code == 200
        continued[name] = resp.get_data(as_text=True)
    assert " hidden" in _wrapper(continued["outreach"], "prior-b")  # 3.917A: no break-in-homelessness questions
    assert " hidden" not in _wrapper(continued["housing"], "prior-b")  # 3.917B asks them
    assert " hidden" in _wrapper(continued["housing"], "move-in")  # transitional housing has no move-in date
    assert " hidden" not in _wrapper(continued["rapid"], "move-in")
    assert "Please fix" not in continued["rapid"]  # Continue checks nothing yet ...
    assert sandbox_session.execute(sa.select(sa.func.count(Enrollment.id))).scalar_one() == 0  # ... and saves nothing
    # The script finds, on each group, which project types it belongs to.
    assert 'data-when-field="ProjectID" data-when-values="3 9 10 13" data-when-attr="project-type"' in html


def test_assessment_groups_questions_by_data_element_with_amounts_after_their_source(trainee_client,
                                                                                     make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    html = trainee_client.get(resp.headers["Location"]).get_data(as_text=True)
    legends = re.findall(r'<legend class="usa-legend usa-legend--large">([^<]*)</legend>', html)
    assert legends == ["4.02 Income and Sources", "4.03 Non-Cash Benefits", "4.04 Health Insurance",
                       "4.05 Physical Disability", "4.06 Developmental Disability", "4.07 Chronic Health Condition",
                       "4.08 HIV/AIDS", "4.09 Mental Health Disorder", "4.10 Substance Use Disorder",
                       "4.11 Domestic Violence"]
    income = re.search(r'data-testid="element-4.02">(.*?)</fieldset>\s*<fieldset class="usa-fieldset sandbox-element"',
                       html, re.S).group(1)
    assert 'id="EarnedAmount"' in income and 'id="TotalMonthlyIncome"' in income and 'id="SNAP"' not in income
    # Each amount follows its source: shown by the script only for "Yes"; without the script it is simply there.
    assert re.search(r'<fieldset class="sandbox-when" data-when-field="Earned" data-when-values="1">\s*'
                     r'<div class="usa-form-group">\s*<label class="usa-label" for="EarnedAmount">', html)
    assert 'data-when-field="Disability10" data-when-values="1 2 3"' in html


def test_assessment_amount_without_its_source_is_still_refused_by_the_server(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "Unemployment": "0", "UnemploymentAmount": "50.00",
                                     "TotalMonthlyIncome": "650.00", "InformationDate": "2026-10-15"})
    assert resp.status_code == 400
    assert "an amount is entered but the source is not marked Yes" in resp.get_data(as_text=True)


def test_home_lists_my_clients_by_name_in_pages(trainee_client, make_sandbox_client, monkeypatch):
    from sandbox.views import workspace

    html = trainee_client.get("/sandbox/").get_data(as_text=True)
    assert "You have no clients yet" in html
    for first, last in (("Zoe", "Young"), ("Ann", "Abbott"), ("Mia", "Moore")):
        make_sandbox_client(trainee_client, FirstName=first, LastName=last, SSN="", SSNDataQuality="99",
                            confirm_new="y")
    html = trainee_client.get("/sandbox/").get_data(as_text=True)
    listed = re.findall(r'/sandbox/clients/[0-9a-f]{32}">([^<]+)</a>', html.split('<h2 id="my-clients">')[1])
    assert listed == ["Ann Abbott", "Mia Moore", "Zoe Young"]
    monkeypatch.setattr(workspace, "CLIENTS_PER_PAGE", 2)
    first = trainee_client.get("/sandbox/").get_data(as_text=True).split('<h2 id="my-clients">')[1]
    second = trainee_client.get("/sandbox/?page=2").get_data(as_text=True).split('<h2 id="my-clients">')[1]
    assert "Ann Abbott" in first and "Zoe Young" not in first and "Page 1 of 2" in first
    assert "Zoe Young" in second and "Ann Abbott" not in second


def test_empty_search_explains_and_still_shows_my_clients(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    resp = trainee_client.get("/sandbox/?first_name=&last_name=&dob=&ssn4=")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Type a first or last name, a date of birth or the last 4" in html
    assert "Maria Lopez" in html.split('<h2 id="my-clients">')[1]


def test_not_found_create_carries_each_searched_field_into_the_same_field(trainee_client):
    html = trainee_client.get("/sandbox/?last_name=Lopez&dob=1988-04-12&ssn4=4321").get_data(as_text=True)
    link = re.search(r'href="(/sandbox/clients/new[^"]*)"[^>]*>Not found: create a new client', html).group(1)
    form = trainee_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'id="LastName" [^>]*value="Lopez"', form) and re.search(r'id="FirstName" [^>]*value=""', form)
    assert 'value="1988-04-12"' in form and 'value="xxxxx4321"' in form
    html = trainee_client.get("/sandbox/?first_name=Maria").get_data(as_text=True)
    link = re.search(r'href="(/sandbox/clients/new[^"]*)"', html).group(1)
    assert link == "/sandbox/clients/new?first=Maria"


def test_data_quality_rows_name_the_client(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client, SSN="", SSNDataQuality="99")
    html = trainee_client.get("/sandbox/quality").get_data(as_text=True)
    assert f'href="/sandbox/clients/{personal_id}">Maria Lopez</a>' in html and "Open client" not in html


def test_client_page_shows_dates_in_the_us_form(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = _project_id(trainee_client, personal_id)
    trainee_client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id})
    html = trainee_client.get(f"/sandbox/clients/{personal_id}").get_data(as_text=True)
    assert "04/12/1988" in html and "signed 10/15/2026, valid until 10/15/2027" in html
    assert '<td data-label="Start">10/15/2026</td>' in html  # the project stay's start
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", html.split("<main")[1].split('type="date"')[0])


def test_apr_q6_page_shows_every_table_accessibly_and_refuses_bad_periods(trainee_client, make_sandbox_client):
    from html.parser import HTMLParser

    personal_id = make_sandbox_client(trainee_client)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                               data={**ENTRY, "ProjectID": _project_id(trainee_client, personal_id)})
    assert resp.status_code == 303
    assert "/sandbox/quality/apr" in trainee_client.get("/sandbox/quality").get_data(as_text=True)
    resp = trainee_client.get("/sandbox/quality/apr")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "1 client." in html
    for key in ("q6a", "q6b", "q6c", "q6d", "q6e", "missouri", "q6f"):
        # Each table scrolls inside a labelled, focusable region and has a caption.
        assert (f'<div class="usa-table-container--scrollable" tabindex="0" role="region" '
                f'aria-labelledby="{key}-caption">') in html
        assert f'<caption id="{key}-caption">' in html
    assert "Partner Agencies are required to enter all data into the HMIS within 72 hours" in html
    # The client's SSN is partial (a data issue): 1 of 1 client in the overall score.
    assert re.search(r'<th scope="row" class="minw-15">Overall Score</th>\s*(<td[^>]*>.*?</td>\s*){3}<td[^>]*>1</td>\s*'
                     r'<td[^>]*>100.00%</td>', html)

    class Cells(HTMLParser):
        rows_without_header = 0

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.first = True
            elif tag in ("td", "th") and getattr(self, "first", False):
                self.first = False
                if tag == "td" or dict(attrs).get("scope") not in ("row", "col"):
                    self.rows_without_header += 1

    parser = Cells()
    parser.feed(html)
    assert parser.rows_without_header == 0
    ok = trainee_client.get("/sandbox/quality/apr?start=2026-10-01&end=2026-10-31")
    assert ok.status_code == 200 and "from 10/01/2026 up to 10/31/2026" in ok.get_data(as_text=True)
    for bad, message in (("start=yesterday", "Report start: enter a date like 2026-10-01."),
                         ("end=9999-12-31", "Report end: choose a date from 01/01/1900 to today."),
                         ("start=2026-10-30&end=2026-10-01", "Report start: choose a date on or before the report end.")):
        resp = trainee_client.get(f"/sandbox/quality/apr?{bad}")
        assert resp.status_code == 400 and message in resp.get_data(as_text=True), bad
