"""Sandbox services: workspaces and access, households, idempotent entry, snapshots, data quality, resets."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.core import signals
from lms.core.errors import NotFound
from sandbox import hud, quality, services
from sandbox.models import Client, Project
from sandbox.rules import ValidationFailed

ADULT = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
         "DOB": date(1980, 5, 17), "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0}
START = {"EntryDate": date(2026, 10, 1), "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
         "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
         "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}


@pytest.fixture
def ws(sandbox_session, clock):
    return services.workspace_for_user(sandbox_session, 1, now=clock.now)


def _client(sdb, ws, clock, **kw):
    c = services.save_client(sdb, ws, {**ADULT, **kw}, now=clock.now)
    services.record_roi(sdb, ws, c, consented=True, signed_on=date(2026, 10, 1), documentation="signed", now=clock.now)
    return c


def _project(sdb, ws, project_type=hud.ES_EE):
    return next(p for p in services.projects(sdb, ws.id) if p.ProjectType == project_type)


def test_new_workspace_gets_the_default_projects_of_every_kind(sandbox_session, ws):
    types = {p.ProjectType for p in services.projects(sandbox_session, ws.id)}
    assert {hud.ES_EE, hud.ES_NBN, hud.SO, hud.TH, hud.PSH, hud.RRH, hud.HP} <= types


def test_demo_projects_become_the_catalogue_of_new_workspaces(runner, sandbox_session, clock):
    assert runner.invoke(args=["lms", "demo"]).exit_code == 0
    ws = services.workspace_for_user(sandbox_session, 77, now=clock.now)
    names = {p.ProjectName for p in services.projects(sandbox_session, ws.id)}
    assert "Greene County Coordinated Entry" in names and "Youth Alliance Safe Haven" in names


def test_only_the_owner_or_a_signal_approved_reviewer_may_read(ws):
    assert services.can_read(ws, 1) and not services.can_read(ws, 2)

    def reviewer(sender, user_id, workspace_ref):
        return user_id == 2 and workspace_ref == ws.ref

    signals.sandbox_workspace_access.connect(reviewer)
    try:
        assert services.can_read(ws, 2) and not services.can_read(ws, 3)
    finally:
        signals.sandbox_workspace_access.disconnect(reviewer)


def test_records_of_another_workspace_are_not_found(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock)
    other = services.workspace_for_user(sandbox_session, 2, now=clock.now)
    with pytest.raises(NotFound):
        services.get_client(sandbox_session, other.id, c.PersonalID)
    assert services.search_clients(sandbox_session, other.id, name="ana") == []


def test_household_with_two_heads_is_refused(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    partner = _client(sandbox_session, ws, clock, FirstName="Bea", SSN="223456789")
    e = services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed) as info:
        services.enroll(sandbox_session, ws, partner, _project(sandbox_session, ws), START, now=clock.now,
                        household_id=e.HouseholdID)
    assert "only one head of household" in info.value.reasons[0]
    member = services.enroll(sandbox_session, ws, partner, _project(sandbox_session, ws),
                             {**START, "RelationshipToHoH": 3, "EnrollmentCoC": None}, now=clock.now,
                             household_id=e.HouseholdID)
    assert member.HouseholdID == e.HouseholdID


def test_member_must_join_the_heads_project(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    kid = _client(sandbox_session, ws, clock, FirstName="Kid", DOB=date(2015, 1, 1), SSN="323456789", VeteranStatus=None)
    e = services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws), START, now=clock.now)
    with pytest.raises(ValidationFailed, match="same project"):
        services.enroll(sandbox_session, ws, kid, _project(sandbox_session, ws, hud.TH),
                        {"EntryDate": date(2026, 10, 1), "RelationshipToHoH": 2, "DisablingCondition": 0},
                        now=clock.now, household_id=e.HouseholdID)


def test_same_record_id_twice_makes_one_enrollment(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    a = services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws), START, now=clock.now, record_id="r" * 32)
    b = services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws), START, now=clock.now, record_id="r" * 32)
    assert a.id == b.id


def test_future_start_date_is_refused(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    with pytest.raises(ValidationFailed, match="future"):
        services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws),
                        {**START, "EntryDate": clock.now.date() + timedelta(days=1)}, now=clock.now)


def test_snapshot_speaks_hud_field_names_and_codes(sandbox_session, ws, clock):
    head = _client(sandbox_session, ws, clock)
    e = services.enroll(sandbox_session, ws, head, _project(sandbox_session, ws), START, now=clock.now)
    services.exit_enrollment(sandbox_session, ws, e, {"ExitDate": date(2026, 10, 20), "Destination": 410}, now=clock.now)
    snap = services.snapshot(sandbox_session, ws.id, head.PersonalID, hud.STAGE_EXIT)
    assert snap["Client"]["DOBDataQuality"] == 1 and snap["Client"]["FirstName"] == "Ana"
    stay = snap["Enrollments"][0]
    assert stay["Enrollment"]["LivingSituation"] == 116 and stay["Enrollment"]["EnrollmentCoC"] == "MO-606"
    assert stay["Exit"]["Destination"] == 410
    assert services.snapshot(sandbox_session, ws.id, head.PersonalID, hud.STAGE_ENTRY)["Enrollments"][0]["Exit"] is None


def test_data_quality_findings_in_the_style_of_q6(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, SSN=None, SSNDataQuality=99, RaceNone=9, White=0)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws),
                        {**START, "EntryDate": date(2026, 10, 1), "DisablingCondition": 8}, now=clock.now)
    found = {(f.element, f.kind) for f in quality.findings(sandbox_session, ws.id, c.PersonalID)}
    assert ("3.02", "missing") in found and ("3.04", "dk_pnta") in found and ("3.08", "dk_pnta") in found
    assert ("4.02", "missing") in found  # no income at project start
    assert ("3.10", "late") in found  # entered 32 days after the start
    assert quality.summary(quality.findings(sandbox_session, ws.id))["late"] >= 1
    assert e.EnrollmentID in {f.enrollment_id for f in quality.findings(sandbox_session, ws.id)}


def test_reset_workspace_empties_only_that_workspace(sandbox_session, ws, clock):
    _client(sandbox_session, ws, clock)
    other = services.workspace_for_user(sandbox_session, 2, now=clock.now)
    _client(sandbox_session, other, clock)
    services.reset_workspace(sandbox_session, ws, now=clock.now)
    count = sa.select(sa.func.count(Client.id))
    assert sandbox_session.execute(count.where(Client.workspace_id == ws.id)).scalar_one() == 0
    assert sandbox_session.execute(count.where(Client.workspace_id == other.id)).scalar_one() == 1
    assert sandbox_session.execute(sa.select(sa.func.count(Project.id)).where(Project.workspace_id == ws.id)
                                   ).scalar_one() > 0
