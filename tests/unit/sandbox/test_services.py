"""Sandbox services: workspaces and access, households, idempotent entry, snapshots, data quality, resets."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.core import signals
from lms.core.errors import NotFound
import lms.hud as hud
from sandbox import quality, services
from sandbox.models import Client, Project
from sandbox.quality.checks import summary
from sandbox.services.records import snapshot
from sandbox.validation import ValidationFailed

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
    snap = snapshot(sandbox_session, ws.id, head.PersonalID, hud.STAGE_EXIT)
    assert snap["Client"]["DOBDataQuality"] == 1 and snap["Client"]["FirstName"] == "Ana"
    stay = snap["Enrollments"][0]
    assert stay["Enrollment"]["LivingSituation"] == 116 and stay["Enrollment"]["EnrollmentCoC"] == "MO-606"
    assert stay["Exit"]["Destination"] == 410
    assert snapshot(sandbox_session, ws.id, head.PersonalID, hud.STAGE_ENTRY)["Enrollments"][0]["Exit"] is None


def test_data_quality_findings_in_the_style_of_q6(sandbox_session, ws, clock):
    c = _client(sandbox_session, ws, clock, SSN=None, SSNDataQuality=99, RaceNone=9, White=0)
    e = services.enroll(sandbox_session, ws, c, _project(sandbox_session, ws),
                        {**START, "EntryDate": date(2026, 10, 1), "DisablingCondition": 8}, now=clock.now)
    found = {(f.element, f.kind) for f in quality.findings(sandbox_session, ws.id, c.PersonalID)}
    assert ("3.02", "missing") in found and ("3.04", "dk_pnta") in found and ("3.08", "dk_pnta") in found
    assert ("4.02", "missing") in found  # no income at project start
    assert ("3.10", "late") in found  # entered 32 days after the start
    assert summary(quality.findings(sandbox_session, ws.id))["late"] >= 1
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


# --- what the database requires, the rules ask for first ---------------------------------------

#: Columns the services fill themselves (keys, links, stamps, defaults), per form-backed table.
FILLED_BY_SERVICES = {
    "clients": {"PersonalID", "VeteranStatus", *(c for c, _ in hud.RACE_COLUMNS)},
    "enrollments": {"EnrollmentID", "PersonalID", "ProjectID", "HouseholdID"},
    "exits": {"ExitID", "EnrollmentID", "PersonalID"},
    "current_living_situations": {"CurrentLivingSitID", "EnrollmentID", "PersonalID"},
    "income_benefits": {"IncomeBenefitsID", "EnrollmentID", "PersonalID"},
    "health_and_dv": {"HealthAndDVID", "EnrollmentID", "PersonalID", "DataCollectionStage"},
    "disabilities": {"DisabilitiesID", "EnrollmentID", "PersonalID", "DataCollectionStage", "DisabilityType"},
}
ALWAYS_FILLED = {"id", "workspace_id", "DateCreated", "DateUpdated", "UserID"}


def _not_null(model):
    return {c.name for c in model.__table__.columns if not c.nullable} - ALWAYS_FILLED


def _refused_fields(call):
    with pytest.raises(ValidationFailed) as exc:
        call()
    fields = [p.field for p in exc.value.problems]
    assert len(fields) == len(set(fields)), fields  # each problem once
    # Disabilities are answered per type: "Disability5" is the DisabilityResponse of type 5.
    return set(fields) | ({"DisabilityResponse"} if any(f.startswith("Disability") for f in fields) else set())


def test_every_not_null_column_of_every_form_backed_table_is_asked_for_by_its_rules(sandbox_session, ws, clock):
    from sandbox.models import (CSV_MODELS, CurrentLivingSituation, Disabilities, Enrollment, Exit, HealthAndDV,
                                IncomeBenefits)

    sdb, now = sandbox_session, clock.now
    # Organizations and projects are seeded, never typed: every other HUD table has a form.
    assert set(FILLED_BY_SERVICES) == {m.__tablename__ for m, _ in CSV_MODELS.values()} - {"organizations", "projects"}
    asked = {"clients": _refused_fields(lambda: services.save_client(sdb, ws, {}, now=now))}
    client = _client(sdb, ws, clock)
    outreach = _project(sdb, ws, hud.SO)
    asked["enrollments"] = _refused_fields(lambda: services.enroll(sdb, ws, client, outreach, {}, now=now))
    e = services.enroll(sdb, ws, client, outreach, {**START, "EntryDate": date(2026, 10, 1)}, now=now)
    asked["exits"] = _refused_fields(lambda: services.exit_enrollment(sdb, ws, e, {}, now=now))
    asked["current_living_situations"] = _refused_fields(
        lambda: services.record_current_living_situation(sdb, ws, e, {}, now=now))
    stage = _refused_fields(lambda: services.record_assessment(sdb, ws, e, hud.STAGE_UPDATE, information_date=None,
                                                               income={}, disabilities={}, health={}, now=now))
    asked["income_benefits"] = asked["health_and_dv"] = asked["disabilities"] = stage
    for model in (Client, Enrollment, Exit, CurrentLivingSituation, IncomeBenefits, HealthAndDV, Disabilities):
        table = model.__tablename__
        missing = _not_null(model) - FILLED_BY_SERVICES[table] - asked[table]
        assert not missing, f"{table}: the database requires {sorted(missing)} but the rules do not ask for them"


@pytest.mark.parametrize("field", ["FirstName", "MiddleName", "LastName", "NameSuffix", "AdditionalRaceEthnicity"])
def test_client_text_with_nul_is_refused_on_its_field(sandbox_session, ws, clock, field):
    with pytest.raises(ValidationFailed) as exc:
        services.save_client(sandbox_session, ws, {**ADULT, field: "Ana\x00"}, now=clock.now)
    assert [p.field for p in exc.value.problems] == [field]


def test_client_text_format_characters_are_dropped_before_saving(sandbox_session, ws, clock):
    c = services.save_client(sandbox_session, ws, {**ADULT, "FirstName": "\u200bAna\ufeff", "LastName": "Di\u200daz"},
                             now=clock.now)
    assert (c.FirstName, c.LastName) == ("Ana", "Diaz")


@pytest.mark.parametrize("record_id", ["x" * 33, "a\x00b", "a b"])
def test_create_with_a_damaged_record_id_is_refused_not_stored(sandbox_session, ws, clock, record_id):
    with pytest.raises(ValidationFailed) as exc:
        services.save_client(sandbox_session, ws, ADULT, now=clock.now, record_id=record_id)
    assert "record_id" in {p.field for p in exc.value.problems}
    client = _client(sandbox_session, ws, clock)
    with pytest.raises(ValidationFailed, match="one-time id"):
        services.enroll(sandbox_session, ws, client, _project(sandbox_session, ws), START, now=clock.now,
                        record_id=record_id)


@pytest.mark.parametrize("lookup", ["a\x00b", "x" * 33, "../x", "²", "١٢", "1" * 31])
def test_lookup_of_an_id_the_sandbox_cannot_have_made_is_not_found(sandbox_session, ws, lookup):
    with pytest.raises(NotFound):
        services.get_client(sandbox_session, ws.id, lookup)
    assert services.household(sandbox_session, ws.id, lookup) == []
    with pytest.raises(NotFound):
        services.get_workspace(sandbox_session, lookup)


def test_search_with_nul_is_refused_not_sent_to_the_database(sandbox_session, ws):
    with pytest.raises(ValidationFailed):
        services.search_clients(sandbox_session, ws.id, name="Ana\x00")
    with pytest.raises(ValidationFailed):
        services.search_clients(sandbox_session, ws.id, ssn_last4="12\x003")


@pytest.mark.parametrize("field, when", [("EntryDate", date(1, 1, 1)), ("DateToStreetESSH", date(1899, 1, 1)),
                                         ("EntryDate", date(9999, 12, 31))])
def test_enroll_dates_outside_1900_to_today_are_refused(sandbox_session, ws, clock, field, when):
    client = _client(sandbox_session, ws, clock)
    with pytest.raises(ValidationFailed) as exc:
        services.enroll(sandbox_session, ws, client, _project(sandbox_session, ws), {**START, field: when},
                        now=clock.now)
    assert field in {p.field for p in exc.value.problems}


def test_enroll_with_everything_missing_names_the_relationship_once(sandbox_session, ws, clock):
    client = _client(sandbox_session, ws, clock)
    with pytest.raises(ValidationFailed) as exc:
        services.enroll(sandbox_session, ws, client, _project(sandbox_session, ws), {}, now=clock.now)
    assert [p.field for p in exc.value.problems].count("RelationshipToHoH") == 1
