"""The read-only views other packages use: a workspace's records at one stage, and HUD's facts."""

from datetime import date

import pytest

import lms.hud as hud
from sandbox import services
from sandbox.validation import ValidationFailed

ADULT = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
         "DOB": date(1980, 5, 17), "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0}
START = {"EntryDate": date(2026, 11, 1), "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
         "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
         "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}


def test_workspace_records_hold_every_client_with_the_project_of_each_enrollment(sandbox_session, make_workspace, clock):
    ws, other = make_workspace(1), make_workspace(2)
    c = services.save_client(sandbox_session, ws, ADULT, now=clock.now)
    services.save_client(sandbox_session, other, {**ADULT, "FirstName": "Bo"}, now=clock.now)
    services.record_roi(sandbox_session, ws, c, consented=True, signed_on=date(2026, 11, 1), documentation="signed",
                        now=clock.now)
    shelter = next(p for p in services.projects(sandbox_session, ws.id) if p.ProjectType == hud.ES_EE)
    services.enroll(sandbox_session, ws, c, shelter, START, now=clock.now)
    [record] = services.workspace_records(sandbox_session, ws.id, hud.STAGE_ENTRY)
    assert record["Client"]["FirstName"] == "Ana"
    [e] = record["Enrollments"]
    assert e["Project"] == {"ProjectID": shelter.ProjectID, "ProjectName": shelter.ProjectName,
                            "ProjectType": hud.ES_EE}
    assert e["Enrollment"]["EntryDate"] == date(2026, 11, 1) and e["Exit"] is None


def test_workspace_records_refuse_an_unknown_stage(sandbox_session, make_workspace):
    with pytest.raises(ValidationFailed):
        services.workspace_records(sandbox_session, make_workspace(1).id, 4)
