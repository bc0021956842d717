"""What the sandbox forms refuse: each problem a 400 beside its field, never a 500 or a stored row."""

import pytest
import sqlalchemy as sa

from sandbox.models import Client
from tests.functional.sandbox.conftest import ASSESSMENT, CLIENT, ENTRY
from tests.functional.sandbox.pages import enrolled, field_errors, offered_project_id


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


def test_empty_new_client_form_reports_every_problem_once_each_beside_its_field(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={"record_id": ""})
    errors = field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400
    assert set(errors) == {"NameDataQuality", "SSNDataQuality", "DOBDataQuality", "RaceNone"}
    assert all(message.count(":") == 1 for message in errors.values())  # one message per field, not two


def test_quality_left_at_select_is_a_400_naming_it_not_a_database_error(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    for quality in ("NameDataQuality", "SSNDataQuality", "DOBDataQuality"):
        resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, quality: "", "record_id": ""})
        assert resp.status_code == 400 and quality in field_errors(resp.get_data(as_text=True)), quality
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0


def test_full_name_quality_without_a_name_shows_one_name_problem(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "FirstName": "", "LastName": "",
                                                             "record_id": ""})
    errors = field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400 and "LastName" not in errors
    assert errors["FirstName"].count("Name: ") == 1


def test_nul_in_search_or_client_text_is_a_400_with_a_message(trainee_client):
    trainee_client.get("/sandbox/")
    assert trainee_client.get("/sandbox/?name=Ana%00").status_code == 400
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "LastName": "Lo\x00pez", "record_id": ""})
    assert resp.status_code == 400 and "control character" in resp.get_data(as_text=True)
    assert trainee_client.get("/sandbox/clients/ab%00cd").status_code == 400  # refused before any view runs


def test_nul_in_other_destination_is_refused_beside_it(trainee_client, make_sandbox_client):
    enrollment_id = enrolled(trainee_client, make_sandbox_client)
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/exit",
                               data={"ExitDate": "2026-10-20", "Destination": "17", "OtherDestination": "car\x00"})
    assert resp.status_code == 400 and "control character" in resp.get_data(as_text=True)


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "-Infinity", "infinity", "1e9999", "12345678901.00"])
def test_non_finite_or_huge_amount_is_a_400_beside_its_field(trainee_client, make_sandbox_client, amount):
    enrollment_id = enrolled(trainee_client, make_sandbox_client)
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "EarnedAmount": amount, "InformationDate": "2026-10-15"})
    assert resp.status_code == 400 and "EarnedAmount" in field_errors(resp.get_data(as_text=True))


def test_tampered_record_id_is_a_400_and_stores_nothing(trainee_client, sandbox_session):
    trainee_client.get("/sandbox/")
    for record_id in ("a" * 33, "a\x00b", "<script>"):
        resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "record_id": record_id})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and ("one-time id" in html or "control character" in html)
    assert sandbox_session.execute(sa.select(sa.func.count(Client.id))).scalar_one() == 0


def test_dates_before_1900_are_refused_on_the_pages(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                               data={**ENTRY, "ProjectID": project_id, "DateToStreetESSH": "0001-01-01"})
    assert resp.status_code == 400 and "DateToStreetESSH" in field_errors(resp.get_data(as_text=True))


def test_an_unreadable_date_is_reported_with_every_rule_problem_at_once(trainee_client):
    trainee_client.get("/sandbox/")
    resp = trainee_client.post("/sandbox/clients/new", data={**CLIENT, "DOB": "31/12/1990", "NameDataQuality": "",
                                                             "FirstName": "A" * 51, "record_id": ""})
    errors = field_errors(resp.get_data(as_text=True))
    assert resp.status_code == 400 and {"DOB", "NameDataQuality", "FirstName"} <= set(errors)
    assert "Date of birth: enter it" not in errors["DOB"]  # the date's own error, not a second "missing" one
