"""Helpers for the sandbox pages: a signed-in trainee and the HUD answers of a simple shelter stay."""

import re

import pytest

from lms.core.roles import Role

CLIENT = {"FirstName": "Maria", "LastName": "Lopez", "NameDataQuality": "1", "SSN": "xxxxx4321",
          "SSNDataQuality": "2", "DOB": "1988-04-12", "DOBDataQuality": "1", "Sex": "0", "White": "y",
          "HispanicLatinao": "y", "VeteranStatus": "0"}
ENTRY = {"EntryDate": "2026-10-15", "RelationshipToHoH": "1", "EnrollmentCoC": "MO-606", "DisablingCondition": "0",
         "LivingSituation": "116", "LengthOfStay": "4", "DateToStreetESSH": "2026-06-01",
         "TimesHomelessPastThreeYears": "1", "MonthsHomelessPastThreeYears": "105"}
NO_DISABILITIES = {**{f"Disability{t}": "0" for t in (5, 6, 7, 8, 9, 10)}}
ASSESSMENT = {"IncomeFromAnySource": "1", "Earned": "1", "EarnedAmount": "600.00", "TotalMonthlyIncome": "600.00",
              "BenefitsFromAnySource": "0", "InsuranceFromAnySource": "1", "Medicaid": "1",
              "DomesticViolenceSurvivor": "0", **NO_DISABILITIES}


@pytest.fixture
def trainee_client(app, make_user, make_agency, login):
    user = make_user(roles=[Role.END_USER], agency=make_agency())
    client = app.test_client()
    login(client, user)
    client.user = user
    return client


def location_id(resp, kind):
    return re.search(rf"/sandbox/{kind}/([0-9a-f]{{32}})", resp.headers["Location"]).group(1)


@pytest.fixture
def make_sandbox_client(clock):
    """Create a client with a current ROI through the pages; return its PersonalID."""

    def make(client, **overrides):
        client.get("/sandbox/")
        resp = client.post("/sandbox/clients/new", data={**CLIENT, **overrides, "record_id": ""})
        assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
        personal_id = location_id(resp, "clients")
        resp = client.post(f"/sandbox/clients/{personal_id}/roi", data={"consented": "1", "signed_on": "2026-10-15",
                                                                         "documentation": "signed"})
        assert resp.status_code == 303
        return personal_id

    return make
