"""Organisation services: APA renewal default, validation, uniqueness, (de)activation and their audit rows."""

from datetime import date

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.errors import InvalidInput
from lms.core.roles import Role
from lms.orgs import services


def _actions(db_session) -> list[str]:
    return list(db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


@pytest.mark.parametrize("signed,due", [
    (date(2025, 10, 1), date(2026, 10, 1)),
    (date(2025, 12, 31), date(2026, 12, 31)),
    (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 February next year: 365 days later
])
def test_apa_renewal_after_signing_is_one_year_later(signed, due):
    assert services.apa_renewal_after(signed) == due


def test_save_coc_normalises_the_code_and_audits_creation(db_session, clock, make_user):
    admin = make_user(roles=[Role.SYSADMIN])
    coc = services.save_coc(db_session, None, code="  mo-604 ", name=" Kansas City ", now=clock.now, actor=admin)
    assert (coc.code, coc.name, coc.is_active) == ("MO-604", "Kansas City", True)
    assert "orgs.coc_created" in _actions(db_session)


def test_save_coc_unchanged_writes_no_audit_row(db_session, clock, make_coc):
    coc = make_coc(code="MO-606")
    before = len(_actions(db_session))
    services.save_coc(db_session, coc, code="MO-606", name=coc.name, now=clock.now, actor=None)
    assert len(_actions(db_session)) == before


def test_save_coc_taking_another_cocs_code_is_refused(db_session, clock, make_coc):
    make_coc(code="MO-606")
    other = make_coc(code="MO-500")
    with pytest.raises(InvalidInput, match="already a CoC with the code MO-606"):
        services.save_coc(db_session, other, code="mo-606", name="Renamed", now=clock.now, actor=None)


def test_save_agency_without_renewal_defaults_to_a_year_after_signing(db_session, clock, make_coc):
    agency = services.save_agency(db_session, None, coc=make_coc(), name="Harbor House",
                                  apa_signed_on=date(2026, 3, 15), apa_renewal_due=None, now=clock.now, actor=None)
    assert agency.apa_renewal_due == date(2027, 3, 15)


def test_save_agency_keeps_an_explicit_renewal_date(db_session, clock, make_coc):
    agency = services.save_agency(db_session, None, coc=make_coc(), name="Harbor House",
                                  apa_signed_on=date(2026, 3, 15), apa_renewal_due=date(2026, 12, 31),
                                  now=clock.now, actor=None)
    assert agency.apa_renewal_due == date(2026, 12, 31)


@pytest.mark.parametrize("signed,due,message", [
    (date(2027, 1, 1), None, "cannot be signed in the future"),
    (date(2026, 3, 15), date(2026, 3, 15), "must fall after the date it was signed"),
    (date(2026, 3, 15), date(2025, 3, 15), "must fall after the date it was signed"),
])
def test_save_agency_with_impossible_apa_dates_is_refused(db_session, clock, make_coc, signed, due, message):
    with pytest.raises(InvalidInput, match=message):
        services.save_agency(db_session, None, coc=make_coc(), name="Harbor House", apa_signed_on=signed,
                             apa_renewal_due=due, now=clock.now, actor=None)


def test_save_agency_same_name_in_the_same_coc_any_case_is_refused(db_session, clock, make_agency):
    existing = make_agency(name="Harbor House")
    with pytest.raises(InvalidInput, match="already has an agency called"):
        services.save_agency(db_session, None, coc=existing.coc, name="HARBOR HOUSE", apa_signed_on=None,
                             apa_renewal_due=None, now=clock.now, actor=None)


def test_save_agency_same_name_in_another_coc_is_allowed(db_session, clock, make_agency, make_coc):
    make_agency(name="Harbor House")
    agency = services.save_agency(db_session, None, coc=make_coc(), name="Harbor House", apa_signed_on=None,
                                  apa_renewal_due=None, now=clock.now, actor=None)
    assert agency.id is not None


def test_save_project_with_a_type_outside_hud_list_is_refused(db_session, clock, make_agency):
    with pytest.raises(InvalidInput, match="HUD's project types"):
        services.save_project(db_session, None, agency=make_agency(), name="Night shelter", project_type=99,
                              now=clock.now, actor=None)


def test_save_project_change_records_old_and_new_values(db_session, clock, make_project):
    project = make_project(project_type=0, name="Night shelter")
    services.save_project(db_session, project, agency=project.agency, name="Night shelter", project_type=1,
                          now=clock.now, actor=None)
    event = db_session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "orgs.project_changed")).scalar_one()
    assert project.project_type == 1 and event.details["project_type"] == "0 → 1"


def test_set_active_twice_changes_and_audits_once(db_session, clock, make_agency):
    agency = make_agency()
    assert services.set_active(db_session, agency, False, now=clock.now, actor=None) is True
    assert services.set_active(db_session, agency, False, now=clock.now, actor=None) is False
    assert agency.is_active is False
    assert _actions(db_session).count("orgs.agency_deactivated") == 1


def test_apa_overdue_only_after_the_renewal_date():
    from datetime import date

    from lms.orgs.models import Agency

    agency = Agency(name="A", apa_renewal_due=date(2026, 10, 1))
    assert not agency.apa_overdue(date(2026, 10, 1)) and agency.apa_overdue(date(2026, 10, 2))
    assert not Agency(name="B").apa_overdue(date(2026, 10, 2))


@pytest.mark.parametrize("existing, new", [("abc123", "ＡＢＣ１２３"), ("ＡＢＣ１２３", "abc123"),
                                           ("Straße House", "STRASSE HOUSE"), ("Harbor  House", "harbor house")])
def test_save_agency_name_differing_only_in_unicode_case_or_width_is_refused_on_the_name(
        db_session, clock, make_agency, existing, new):
    agency = make_agency(name=existing)
    with pytest.raises(InvalidInput) as exc:
        services.save_agency(db_session, None, coc=agency.coc, name=new, apa_signed_on=None, apa_renewal_due=None,
                             now=clock.now, actor=None)
    assert exc.value.field == "name" and existing in exc.value.message


def test_save_agency_keeping_its_own_name_is_allowed(db_session, clock, make_agency):
    agency = make_agency(name="ＡＢＣ１２３")
    saved = services.save_agency(db_session, agency, coc=agency.coc, name="ＡＢＣ１２３ ", apa_signed_on=None,
                                 apa_renewal_due=None, now=clock.now, actor=None)
    assert saved is agency


def test_save_project_name_differing_only_in_unicode_case_is_refused_on_the_name(db_session, clock, make_project):
    project = make_project(name="abc123")
    with pytest.raises(InvalidInput) as exc:
        services.save_project(db_session, None, agency=project.agency, name="ＡＢＣ１２３", project_type=0,
                              now=clock.now, actor=None)
    assert exc.value.field == "name"


def test_save_coc_code_with_full_width_digits_is_refused(db_session, clock):
    with pytest.raises(InvalidInput, match="two letters, a dash and three digits"):
        services.save_coc(db_session, None, code="MO-６０６", name="Wide", now=clock.now, actor=None)
