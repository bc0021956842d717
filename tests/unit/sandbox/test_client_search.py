"""Search before creating, and the likely-duplicate warning, as a real HMIS teaches them."""

from datetime import date

import pytest

from sandbox import services

ANA = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
       "DOB": date(1980, 5, 17), "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0}
BO = {**ANA, "FirstName": "Bo", "LastName": "Smith", "SSN": "287654321", "DOB": date(1990, 2, 3)}


@pytest.fixture
def ws(make_workspace):
    return make_workspace(1)


@pytest.fixture
def people(sandbox_session, ws, clock):
    return (services.save_client(sandbox_session, ws, ANA, now=clock.now),
            services.save_client(sandbox_session, ws, BO, now=clock.now))


def _ids(found):
    return {c.PersonalID for c in found}


def test_search_by_part_of_a_name_any_case_finds_the_client(sandbox_session, ws, people):
    ana, _ = people
    assert _ids(services.search_clients(sandbox_session, ws.id, name="dI")) == {ana.PersonalID}
    assert _ids(services.search_clients(sandbox_session, ws.id, name="ana diaz")) == {ana.PersonalID}
    assert services.search_clients(sandbox_session, ws.id, name="ana smith") == []


def test_search_by_date_of_birth_or_last_four_of_ssn(sandbox_session, ws, people):
    ana, bo = people
    assert _ids(services.search_clients(sandbox_session, ws.id, dob=date(1990, 2, 3))) == {bo.PersonalID}
    assert _ids(services.search_clients(sandbox_session, ws.id, ssn_last4="6789")) == {ana.PersonalID}
    assert services.search_clients(sandbox_session, ws.id, ssn_last4="6789", dob=date(1990, 2, 3)) == []


def test_search_with_nothing_to_search_for_returns_nothing(sandbox_session, ws, people):
    assert services.search_clients(sandbox_session, ws.id) == []
    assert services.search_clients(sandbox_session, ws.id, name="   ") == []


@pytest.mark.parametrize("typed", [{"name": "%"}, {"name": "_"}, {"ssn_last4": "%"}])
def test_search_wildcard_characters_are_taken_literally(sandbox_session, ws, people, typed):
    assert services.search_clients(sandbox_session, ws.id, **typed) == []


def test_likely_duplicates_same_ssn_or_same_dob_and_name(sandbox_session, ws, people):
    ana, _ = people
    same_ssn = {"FirstName": "Zed", "LastName": "Quinn", "SSN": "123456789", "DOB": date(2001, 1, 1)}
    assert _ids(services.likely_duplicates(sandbox_session, ws.id, same_ssn)) == {ana.PersonalID}
    same_dob_first_name = {"FirstName": "ANA", "LastName": "Lopez", "DOB": date(1980, 5, 17)}
    assert _ids(services.likely_duplicates(sandbox_session, ws.id, same_dob_first_name)) == {ana.PersonalID}
    same_full_name = {"FirstName": "ana", "LastName": "diaz", "DOB": date(1999, 1, 1)}
    assert _ids(services.likely_duplicates(sandbox_session, ws.id, same_full_name)) == {ana.PersonalID}


def test_likely_duplicates_none_for_a_new_person_or_the_client_itself(sandbox_session, ws, people):
    ana, _ = people
    stranger = {"FirstName": "Cy", "LastName": "Young", "SSN": "xxxxx6789", "DOB": date(1980, 5, 17)}
    assert services.likely_duplicates(sandbox_session, ws.id, stranger) == []
    assert services.likely_duplicates(sandbox_session, ws.id, ANA, exclude=ana.PersonalID) == []


def test_likely_duplicates_stay_inside_the_workspace(sandbox_session, people, make_workspace):
    other = make_workspace(2)
    assert services.likely_duplicates(sandbox_session, other.id, ANA) == []
