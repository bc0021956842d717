"""Assessments in the sandbox: questions grouped by data element, amounts checked by the server."""

import re

from tests.functional.sandbox.conftest import ASSESSMENT, ENTRY, location_id
from tests.functional.sandbox.pages import offered_project_id


def test_assessment_amounts_that_do_not_add_up_are_refused(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "TotalMonthlyIncome": "700.00", "InformationDate": "2026-10-15"})
    assert resp.status_code == 400 and "is not the sum of the amounts" in resp.get_data(as_text=True)


def test_assessment_groups_questions_by_data_element_with_amounts_after_their_source(trainee_client,
                                                                                     make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client)
    project_id = offered_project_id(trainee_client, personal_id)
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
    project_id = offered_project_id(trainee_client, personal_id)
    enrollment_id = location_id(trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                                                    data={**ENTRY, "ProjectID": project_id}), "enrollments")
    resp = trainee_client.post(f"/sandbox/enrollments/{enrollment_id}/assessment/1",
                               data={**ASSESSMENT, "Unemployment": "0", "UnemploymentAmount": "50.00",
                                     "TotalMonthlyIncome": "650.00", "InformationDate": "2026-10-15"})
    assert resp.status_code == 400
    assert "an amount is entered but the source is not marked Yes" in resp.get_data(as_text=True)
