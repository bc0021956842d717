"""A workspace with varied data, entered through the services, to export."""

from datetime import date

import pytest

import lms.hud as hud
from sandbox import services
from sandbox.csv.export import export_workspace


@pytest.fixture
def filled_workspace(sandbox_session, clock):
    sdb, now = sandbox_session, clock.now
    ws = services.create_workspace(sdb, "user:1", user_label="trainee1", now=now)
    shelter = next(p for p in services.projects(sdb, ws.id) if p.ProjectType == hud.ES_EE)
    outreach = next(p for p in services.projects(sdb, ws.id) if p.ProjectType == hud.SO)
    head = services.save_client(sdb, ws, {"FirstName": "Ana", "LastName": "Diaz, Jr.", "NameDataQuality": 1,
                                          "SSN": "xxxxx1234", "SSNDataQuality": 2, "DOB": date(1980, 5, 17),
                                          "DOBDataQuality": 1, "Sex": 0, "White": 1, "HispanicLatinao": 1,
                                          "AdditionalRaceEthnicity": 'Says "Tejana"', "VeteranStatus": 0}, now=now)
    child = services.save_client(sdb, ws, {"FirstName": "Leo", "LastName": "Diaz", "NameDataQuality": 1,
                                           "SSNDataQuality": 99, "DOB": date(2016, 1, 2), "DOBDataQuality": 1,
                                           "Sex": 1, "RaceNone": 9}, now=now)
    loner = services.save_client(sdb, ws, {"NameDataQuality": 9, "SSNDataQuality": 8, "DOBDataQuality": 8,
                                           "RaceNone": 8, "VeteranStatus": 8}, now=now)
    for c in (head, child, loner):
        services.record_roi(sdb, ws, c, consented=True, signed_on=date(2026, 10, 1), documentation="signed", now=now)
    entry = {"EntryDate": date(2026, 10, 1), "DisablingCondition": 1, "LivingSituation": 116, "LengthOfStay": 4,
             "DateToStreetESSH": date(2026, 3, 1), "TimesHomelessPastThreeYears": 2, "MonthsHomelessPastThreeYears": 107}
    e1 = services.enroll(sdb, ws, head, shelter, {**entry, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606"}, now=now)
    e2 = services.enroll(sdb, ws, child, shelter, {"EntryDate": date(2026, 10, 1), "RelationshipToHoH": 2,
                                                   "DisablingCondition": 0}, now=now, household_id=e1.HouseholdID)
    e3 = services.enroll(sdb, ws, loner, outreach, {**entry, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-600",
                                                    "DisablingCondition": 8}, now=now)
    dis = {t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}
    dis[9] = {"DisabilityResponse": 1, "IndefiniteAndImpairs": 1}
    services.record_assessment(sdb, ws, e1, 1, information_date=date(2026, 10, 1),
                               income={"IncomeFromAnySource": 1, "SSI": 1, "SSIAmount": "943.00", "Earned": 1,
                                       "EarnedAmount": "120.50", "TotalMonthlyIncome": "1063.50",
                                       "BenefitsFromAnySource": 1, "SNAP": 1, "InsuranceFromAnySource": 1,
                                       "Medicaid": 1},
                               disabilities=dis, health={"DomesticViolenceSurvivor": 1, "WhenOccurred": 2,
                                                         "CurrentlyFleeing": 0}, now=now)
    services.record_assessment(sdb, ws, e2, 1, information_date=date(2026, 10, 1),
                               income={"InsuranceFromAnySource": 1, "Medicaid": 1},
                               disabilities={t: {"DisabilityResponse": 0} for t in hud.DISABILITY_TYPES}, health=None,
                               now=now)
    services.exit_enrollment(sdb, ws, e1, {"ExitDate": date(2026, 10, 30), "Destination": 435,
                                           "DestinationSubsidyType": 431}, now=now)
    services.record_current_living_situation(sdb, ws, e3, {"InformationDate": date(2026, 10, 20),
                                                           "CurrentLivingSituation": 116,
                                                           "LocationDetails": "Riverside, near the depot"}, now=now)
    sdb.flush()
    return ws


@pytest.fixture
def good_set(filled_workspace, sandbox_session, clock, tmp_path):
    """The filled workspace exported, and an empty workspace to import it into."""
    out = tmp_path / "set"
    export_workspace(sandbox_session, filled_workspace.id, out, now=clock.now)
    target = services.create_workspace(sandbox_session, "user:9", user_label="trainee9", now=clock.now, seed=False)
    return out, target
