"""Training pages: the checklist, reading and signing the agreement, signed copies and who may read them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.core.roles import Role
from lms.training import services
from lms.training.models import Evidence, UpraSignature


def _form(version, user, **overrides):
    data = {"version_id": str(version.id), "policy": [str(p.id) for p in version.policies],
            "full_name": user.full_name}
    data.update(overrides)
    return data


@pytest.fixture
def trainee(make_user, make_agency):
    return make_user(roles=[Role.END_USER], agency=make_agency(), full_name="Terry Trainee")


@pytest.fixture
def trainee_client(app, trainee, login):
    client = app.test_client()
    login(client, trainee)
    return client


def _signatures(db_session):
    return db_session.execute(sa.select(sa.func.count()).select_from(UpraSignature)).scalar_one()


# --- the checklist -----------------------------------------------------------------------------

def test_checklist_lists_every_requirement_with_next_step_and_progress(trainee_client, trainee, db_session, clock, upra):
    services.start_plan(db_session, trainee, practice_groups=["emergency_shelter"], now=clock.now)
    db_session.commit()
    resp = trainee_client.get("/training/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for label in ("User Policy and Responsibility Agreement", "Security and Privacy Awareness training",
                  "HMIS Data Standards training", "Community Services® Basics training",
                  "Practice case: Emergency shelter"):
        assert label in html
    assert html.count("Not yet completed") == 5
    assert '<progress id="training-progress"' in html and 'max="5" value="0"' in html
    assert "0 of 5 requirements completed" in html
    assert 'href="/training/upra"' in html
    assert "coming soon" not in html.lower()
    assert "fiscal year 2027" in html


def test_checklist_courses_link_to_their_tests(trainee_client, upra):
    html = trainee_client.get("/training/").get_data(as_text=True)
    for key in ("security_privacy", "data_standards"):
        item = re.search(rf'data-requirement="{key}">(.*?)</li>', html, re.S).group(1)
        assert f'href="/quizzes/{key}"' in item and "Watch the video and take the test" in item and "Not yet completed" in item


def test_checklist_navigation_item_for_every_role(app, make_user, make_agency, login):
    agency = make_agency()
    for role in Role:
        client = app.test_client()
        login(client, make_user(roles=[role], agency=agency, coc=agency.coc))
        assert 'href="/training/"' in client.get("/").get_data(as_text=True), role


def test_checklist_anonymous_is_sent_to_sign_in(client):
    resp = client.get("/training/")
    assert resp.status_code in (302, 303) and "/auth/login" in resp.headers["Location"]


# --- signing -----------------------------------------------------------------------------------

def test_upra_page_shows_every_policy_with_a_checkbox(trainee_client, upra):
    html = trainee_client.get("/training/upra").get_data(as_text=True)
    assert html.count('name="policy"') == len(upra.policies)
    for policy in upra.policies:
        assert f'<label class="usa-checkbox__label" for="policy-{policy.id}">' in html
    assert 'autocomplete="name"' in html


def test_upra_sign_records_and_checklist_shows_it_met(trainee_client, trainee, db_session, upra):
    resp = trainee_client.post("/training/upra", data=_form(upra, trainee, full_name=" terry   TRAINEE "))
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/training/")
    html = trainee_client.get("/training/").get_data(as_text=True)
    assert "You signed the agreement" in html
    assert re.search(r'data-testid="status-upra">Completed<', html)
    assert "1 of 3 requirements completed" in html
    signature = db_session.execute(sa.select(UpraSignature)).scalar_one()
    assert signature.typed_name == "terry   TRAINEE" and signature.ip == "127.0.0.1"
    assert f'href="/training/upra/signatures/{signature.id}"' in html


def test_upra_sign_double_submit_records_one(trainee_client, trainee, db_session, upra):
    first = trainee_client.post("/training/upra", data=_form(upra, trainee))
    second = trainee_client.post("/training/upra", data=_form(upra, trainee))
    assert (first.status_code, second.status_code) == (303, 303)
    assert "already signed" in trainee_client.get("/training/").get_data(as_text=True)
    assert _signatures(db_session) == 1
    assert db_session.execute(sa.select(sa.func.count()).select_from(Evidence)).scalar_one() == 1


def test_upra_page_after_signing_shows_the_signature_and_no_form(trainee_client, trainee, upra):
    trainee_client.post("/training/upra", data=_form(upra, trainee))
    html = trainee_client.get("/training/upra").get_data(as_text=True)
    assert "You signed this version" in html and 'name="policy"' not in html


def test_upra_sign_unchecked_policy_is_refused_and_keeps_the_checks(trainee_client, trainee, db_session, upra):
    data = _form(upra, trainee, policy=[str(p.id) for p in upra.policies[:-1]])
    resp = trainee_client.post("/training/upra", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "1 policy is not checked" in html
    assert html.count(" checked>") == len(upra.policies) - 1
    assert 'value="Terry Trainee"' in html
    assert _signatures(db_session) == 0


def test_upra_sign_forged_policy_id_is_refused(trainee_client, trainee, db_session, upra):
    data = _form(upra, trainee)
    data["policy"] = data["policy"] + ["424242"]
    resp = trainee_client.post("/training/upra", data=data)
    assert resp.status_code == 400 and "does not match the current agreement" in resp.get_data(as_text=True)
    assert _signatures(db_session) == 0


@pytest.mark.parametrize("version_id", ["999", "abc", "", "1" * 30])
def test_upra_sign_other_version_is_refused(trainee_client, trainee, db_session, upra, version_id):
    resp = trainee_client.post("/training/upra", data=_form(upra, trainee, version_id=version_id))
    assert resp.status_code == 409 and "newer version" in resp.get_data(as_text=True)
    assert _signatures(db_session) == 0


@pytest.mark.parametrize("name, fragment", [
    ("Someone Else", "does not match the name on your account, Terry Trainee"),
    ("Terry\u200bTrainee", "control or invisible"),
    ("", "Type your full name"),
])
def test_upra_sign_bad_name_is_refused_beside_the_field(trainee_client, trainee, db_session, upra, name, fragment):
    resp = trainee_client.post("/training/upra", data=_form(upra, trainee, full_name=name))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert re.search(r'<span class="usa-error-message" id="full_name-error" role="alert">[^<]*' + re.escape(fragment),
                     html)
    assert 'aria-invalid="true"' in html
    assert _signatures(db_session) == 0


def test_upra_page_before_publication_says_so(trainee_client):
    resp = trainee_client.get("/training/upra")
    assert resp.status_code == 200 and "has not been published yet" in resp.get_data(as_text=True)


def test_upra_sign_before_publication_is_refused(trainee_client, trainee):
    resp = trainee_client.post("/training/upra", data={"version_id": "1", "policy": ["1"], "full_name": "x"})
    assert resp.status_code == 404 and "not been published" in resp.get_data(as_text=True)


# --- signed copies and staff reading ---------------------------------------------------------------

@pytest.fixture
def signed(trainee_client, trainee, db_session, upra):
    trainee_client.post("/training/upra", data=_form(upra, trainee))
    return db_session.execute(sa.select(UpraSignature)).scalar_one()


def test_signed_copy_owner_can_view_and_print(trainee_client, signed):
    resp = trainee_client.get(f"/training/upra/signatures/{signed.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'data-testid="signed-name">Terry Trainee<' in html and "127.0.0.1" in html
    assert "training/static/training.css" in html and "data-print" in html
    assert "November 2, 2026 at 9:00 AM CST" in html  # 15:00 UTC shown in Chicago time


def test_training_stylesheet_has_print_rules(client):
    css = client.get("/training/static/training.css").get_data(as_text=True)
    assert "@media print" in css


@pytest.mark.parametrize("roles, scope", [([Role.END_USER], "same"), ([Role.HELPDESK], None),
                                          ([Role.AGENCY_REP], "other"), ([Role.HMIS_MANAGER], "other")])
def test_signed_copy_other_people_get_404(app, make_user, make_agency, login, signed, trainee, roles, scope):
    agency = trainee.active_memberships[0].agency if scope == "same" else make_agency()
    other = make_user(roles=roles, agency=agency, coc=agency.coc)
    client = app.test_client()
    login(client, other)
    assert client.get(f"/training/upra/signatures/{signed.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.LEAD_ADMIN, Role.HMIS_MANAGER])
def test_signed_copy_staff_can_view(app, make_user, login, signed, trainee, role):
    staff = make_user(roles=[role], coc=trainee.active_memberships[0].agency.coc)
    client = app.test_client()
    login(client, staff)
    resp = client.get(f"/training/upra/signatures/{signed.id}")
    assert resp.status_code == 200 and "Terry Trainee" in resp.get_data(as_text=True)
    person = client.get(f"/training/people/{trainee.id}")
    html = person.get_data(as_text=True)
    assert person.status_code == 200 and f"/training/upra/signatures/{signed.id}" in html
    assert "Read and sign" not in html  # staff cannot sign for the trainee


def test_person_page_trainee_is_refused(trainee_client, trainee):
    assert trainee_client.get(f"/training/people/{trainee.id}").status_code == 403


def test_person_page_manager_of_another_coc_gets_404(app, make_user, make_agency, login, trainee):
    manager = make_user(roles=[Role.HMIS_MANAGER], coc=make_agency().coc)
    client = app.test_client()
    login(client, manager)
    assert client.get(f"/training/people/{trainee.id}").status_code == 404


def test_signed_copy_unknown_id_is_404(trainee_client):
    assert trainee_client.get("/training/upra/signatures/987654").status_code == 404


# --- agency representatives: their agencies' current members ---------------------------------------

@pytest.fixture
def rep_of(app, make_user, login):
    """Sign in a representative of ``agency``; return (client, rep)."""
    def make(agency, **kw):
        rep = make_user(roles=[Role.AGENCY_REP], agency=agency, **kw)
        client = app.test_client()
        login(client, rep)
        return client, rep

    return make


def _end_memberships(db_session, user, clock):
    for m in user.active_memberships:
        m.ended_on = clock.now.date()
    db_session.commit()


def _nav(html):
    return re.search(r'<nav aria-label="Primary navigation".*?</nav>', html, re.S).group(0)


def test_rep_reads_their_members_record_and_signed_copy(rep_of, signed, trainee):
    client, _ = rep_of(trainee.active_memberships[0].agency)
    resp = client.get(f"/training/people/{trainee.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Training of Terry Trainee" in html
    assert "1 of 3 requirements completed" in html and f"/training/upra/signatures/{signed.id}" in html
    assert "Read and sign" not in html  # the representative cannot sign for their member
    copy = client.get(f"/training/upra/signatures/{signed.id}")
    assert copy.status_code == 200 and 'data-testid="signed-name">Terry Trainee<' in copy.get_data(as_text=True)


@pytest.mark.parametrize("case", ["other_agency", "former_member"])
def test_rep_gets_404_for_people_not_theirs(rep_of, make_agency, db_session, clock, signed, trainee, case):
    if case == "other_agency":
        client, _ = rep_of(make_agency(coc=trainee.active_memberships[0].agency.coc))  # same CoC, other agency
    else:
        client, _ = rep_of(trainee.active_memberships[0].agency)
        _end_memberships(db_session, trainee, clock)
    assert client.get(f"/training/people/{trainee.id}").status_code == 404
    assert client.get(f"/training/upra/signatures/{signed.id}").status_code == 404
    assert f'href="/training/people/{trainee.id}"' not in client.get("/training/people").get_data(as_text=True)


def test_rep_unknown_person_is_404(rep_of, make_agency):
    client, _ = rep_of(make_agency())
    assert client.get("/training/people/987654").status_code == 404
    assert client.get("/training/upra/signatures/987654").status_code == 404


def test_training_records_rep_sees_only_their_people(rep_of, make_user, make_agency, db_session, clock, trainee):
    agency = trainee.active_memberships[0].agency
    outsider = make_user(roles=[Role.END_USER], agency=make_agency(coc=agency.coc), full_name="Olly Outsider")
    former = make_user(roles=[Role.END_USER], agency=agency, full_name="Fern Former")
    _end_memberships(db_session, former, clock)
    client, rep = rep_of(agency)
    resp = client.get("/training/people")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "the current members of the agencies you represent" in html
    assert f'href="/training/people/{trainee.id}"' in html and f'href="/training/people/{rep.id}"' in html
    assert "Olly Outsider" not in html and "Fern Former" not in html and "2 people found." in html
    assert "/training/people" not in _nav(html)  # reached from the home page, not the header


def test_home_rep_sees_their_peoples_progress_and_next_step(rep_of, make_user, make_agency, db_session, clock,
                                                            trainee, trainee_client, upra):
    agency = trainee.active_memberships[0].agency
    trainee_client.post("/training/upra", data=_form(upra, trainee))
    services.start_plan(db_session, trainee, practice_groups=["emergency_shelter"], now=clock.now)
    outsider = make_user(roles=[Role.END_USER], agency=make_agency(coc=agency.coc), full_name="Olly Outsider")
    former = make_user(roles=[Role.END_USER], agency=agency, full_name="Fern Former")
    _end_memberships(db_session, former, clock)
    client, rep = rep_of(agency, full_name="Rita Rep")
    html = client.get("/").get_data(as_text=True)
    panel = re.search(r'data-testid="home-training-people".*?</section>', html, re.S).group(0)
    row = re.search(rf'data-person="{trainee.id}">(.*?)</li>', panel, re.S).group(1)
    assert f'href="/training/people/{trainee.id}"' in row and "Terry Trainee" in row
    assert "1 of 5 done" in row and 'max="5" value="1"' in row
    assert "Next: Security and Privacy Awareness training." in row
    assert f'data-person="{rep.id}"' in panel and "Olly Outsider" not in panel and "Fern Former" not in panel
    assert f'data-person="{outsider.id}"' not in panel and 'href="/training/people"' in panel
    assert 'data-testid="training-summary"' not in html  # staff: no checklist of their own here
    assert "/training/people" not in _nav(html)


def test_home_rep_lists_ten_and_links_to_all_in_a_fixed_number_of_queries(app, rep_of, make_user, make_agency,
                                                                          db_session, clock, monkeypatch):
    import time

    from bench.harness import count_queries
    from lms.core import settings
    from lms.core.db import get_database

    # The process's copy of the settings goes stale after CACHE_SECONDS of real time; on a slow run that
    # reload would land in one count and not the other.
    frozen = time.monotonic()
    monkeypatch.setattr(settings, "_monotonic", lambda: frozen)
    agency = make_agency()
    client, _ = rep_of(agency)
    engine = get_database(app).engine
    first = make_user(roles=[Role.END_USER], agency=agency)
    services.start_plan(db_session, first, practice_groups=["street_outreach"], now=clock.now)
    db_session.commit()
    with count_queries(engine) as few:
        small = client.get("/").get_data(as_text=True)
    for i in range(12):
        person = make_user(roles=[Role.END_USER], agency=agency)
        services.start_plan(db_session, person, practice_groups=["street_outreach"], now=clock.now)
    db_session.commit()
    with count_queries(engine) as many:
        html = client.get("/").get_data(as_text=True)
    assert "Open the training records" in small and small.count("data-person=") == 2
    panel = re.search(r'data-testid="home-training-people".*?</section>', html, re.S).group(0)
    assert panel.count("data-person=") == 10 and "All 14 people's training records" in panel
    # The count of everyone is the one query more once the list is cut; nothing grows with the people.
    assert many.count <= few.count + 1, many.statements


# --- the home page -----------------------------------------------------------------------------------

def test_home_shows_the_trainees_checklist_summary(trainee_client, trainee, upra):
    html = trainee_client.get("/").get_data(as_text=True)
    assert 'data-testid="training-summary"' in html
    assert "0 of 3 requirements completed" in html and "Next: User Policy and Responsibility Agreement." in html
    trainee_client.post("/training/upra", data=_form(upra, trainee))
    html = trainee_client.get("/").get_data(as_text=True)
    assert "1 of 3 requirements completed" in html and "Next: Security and Privacy Awareness training." in html


def test_home_of_staff_has_no_checklist_summary(app, make_user, login):
    client = app.test_client()
    login(client, make_user(roles=[Role.SYSADMIN]))
    assert 'data-testid="training-summary"' not in client.get("/").get_data(as_text=True)


# --- training records (staff) -------------------------------------------------------------------------

def test_training_records_admin_finds_anyone_by_name(app, make_user, login, trainee):
    client = app.test_client()
    login(client, make_user(roles=[Role.SYSADMIN]))
    html = client.get("/training/people?q=terry").get_data(as_text=True)
    assert "1 person found." in html and f'href="/training/people/{trainee.id}"' in html


def test_training_records_manager_sees_only_own_coc(app, make_user, make_agency, login, trainee):
    outsider = make_user(roles=[Role.END_USER], agency=make_agency(), full_name="Olly Outsider")
    manager = make_user(roles=[Role.HMIS_MANAGER], coc=trainee.active_memberships[0].agency.coc)
    client = app.test_client()
    login(client, manager)
    html = client.get("/training/people").get_data(as_text=True)
    assert f'href="/training/people/{trainee.id}"' in html
    assert f'href="/training/people/{outsider.id}"' not in html and "of your own CoCs" in html


def test_training_records_trainee_is_refused(trainee_client):
    assert trainee_client.get("/training/people").status_code == 403
