"""Issuing, revoking, the queue and its CSV, facts from other packages, projects added to an active user."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.auth.passwords import check_password
from lms.core.audit import AuditEvent
from lms.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lms.credentials import rules, services
from lms.credentials.models import ISSUED, REVOKED, LiveCredential
from lms.credentials.services import issuance


def _audits(db_session, action):
    return list(db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_issue_eligible_person_records_credential_and_audit(db_session, clock, make_trainee, make_user):
    person, admin = make_trainee(), make_user(roles=["sysadmin"])
    credential, password = services.issue(db_session, person, username="pat.person", now=clock.now, actor=admin)
    assert (credential.user_id, credential.username, credential.status) == (person.id, "pat.person", ISSUED)
    assert (credential.issued_by_id, credential.issued_at) == (admin.id, clock.now)
    [event] = _audits(db_session, "credentials.issued")
    assert event.actor_id == admin.id and event.details["username"] == "pat.person"
    assert password not in repr(event.details)


def test_issue_temporary_password_passes_the_password_policy(db_session, clock, make_trainee):
    person = make_trainee(full_name="Pat Person")
    _, password = services.issue(db_session, person, username="pat", now=clock.now)
    assert len(password) == services.TEMPORARY_PASSWORD_LENGTH
    assert check_password(password, username=person.email, extra_words=["Pat", "Person", "pat"]) == []


def test_issue_temporary_password_is_stored_nowhere(db_session, clock, make_trainee):
    person = make_trainee()
    credential, password = services.issue(db_session, person, username="pat", now=clock.now)
    db_session.flush()
    row = db_session.execute(sa.select(LiveCredential.__table__).where(LiveCredential.id == credential.id)).one()
    assert password not in repr(tuple(row))
    assert all(password not in repr(e.details) for e in db_session.execute(sa.select(AuditEvent)).scalars())


def test_issue_temporary_password_retries_until_policy_passes(db_session, clock, make_trainee, monkeypatch):
    person = make_trainee()
    candidates = iter(["password12", "Zq7vPw2kLm9xRt4B"])
    monkeypatch.setattr(issuance, "generate_password", lambda length: next(candidates))
    _, password = services.issue(db_session, person, username="pat", now=clock.now)
    assert password == "Zq7vPw2kLm9xRt4B"


def test_issue_ineligible_person_is_refused_with_every_reason(db_session, clock, make_trainee):
    person = make_trainee(eligible=False)
    with pytest.raises(services.NotEligible) as exc:
        services.issue(db_session, person, username="pat", now=clock.now)
    reasons = exc.value.reasons
    assert len(reasons) == 6  # no approved request; UPRA, three courses, practice case
    assert "There is no approved user access request" in reasons[0] and any("Practice case" in r for r in reasons)
    assert db_session.execute(sa.select(sa.func.count()).select_from(LiveCredential)).scalar_one() == 0


def test_issue_without_fact_providers_is_refused_as_unknown(db_session, clock, make_trainee, fact_desk):
    from lms.credentials import signals

    person = make_trainee()
    with signals.access_request_facts.muted(), signals.suspension_facts.muted():  # nobody answers
        with pytest.raises(services.NotEligible) as exc:
            services.issue(db_session, person, username="pat", now=clock.now)
    assert [r.split(":")[0] for r in exc.value.reasons] == [
        "An approved user access request cannot be confirmed", "Whether this person is suspended cannot be confirmed"]


def test_issue_suspended_person_is_refused(db_session, clock, make_trainee, fact_desk):
    person = make_trainee()
    fact_desk.suspensions[person.id] = rules.Answer(True, "until the agency reports the remedy")
    with pytest.raises(services.NotEligible, match="suspended"):
        services.issue(db_session, person, username="pat", now=clock.now)


def test_issue_twice_issues_once(db_session, clock, make_trainee):
    person = make_trainee()
    first, _ = services.issue(db_session, person, username="pat", now=clock.now)
    with pytest.raises(services.AlreadyIssued, match="already issued"):
        services.issue(db_session, person, username="pat", now=clock.now)
    assert [c.id for c in services.credentials_of(db_session, person)] == [first.id]
    assert len(_audits(db_session, "credentials.issued")) == 1


@pytest.mark.parametrize("taken", ["pat", "PAT"])
def test_issue_username_of_another_person_is_refused(db_session, clock, make_trainee, taken):
    services.issue(db_session, make_trainee(), username="pat", now=clock.now)
    with pytest.raises(services.UsernameRefused, match="already in use"):
        services.issue(db_session, make_trainee(), username=taken, now=clock.now)


def test_issue_username_once_revoked_stays_with_its_person(db_session, clock, make_trainee):
    first = make_trainee()
    credential, _ = services.issue(db_session, first, username="pat", now=clock.now)
    services.revoke(db_session, credential, reason="Left the agency", now=clock.now)
    with pytest.raises(services.UsernameRefused):
        services.issue(db_session, make_trainee(), username="pat", now=clock.now)
    again, _ = services.issue(db_session, first, username="pat", now=clock.now)
    assert again.id != credential.id and again.status == ISSUED


@pytest.mark.parametrize("username", ["", "pat person", "x" * 65, "pät"])
def test_issue_bad_username_is_refused(db_session, clock, make_trainee, username):
    with pytest.raises(services.UsernameRefused) as exc:
        services.issue(db_session, make_trainee(), username=username, now=clock.now)
    assert exc.value.field == "username" and exc.value.reasons


def test_issue_database_refuses_a_second_issued_credential(db_session, clock, make_trainee):
    person = make_trainee()
    services.issue(db_session, person, username="pat", now=clock.now)
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.add(LiveCredential(user_id=person.id, username="other", status=ISSUED, issued_at=clock.now))


def test_revoke_records_who_when_why(db_session, clock, make_trainee, make_user):
    admin = make_user(roles=["lead_admin"])
    credential, _ = services.issue(db_session, make_trainee(), username="pat", now=clock.now)
    clock.advance(days=1)
    services.revoke(db_session, credential, reason="Left the agency", now=clock.now, actor=admin)
    assert (credential.status, credential.revoked_at, credential.revoked_by_id, credential.revoke_reason) == (
        REVOKED, clock.now, admin.id, "Left the agency")
    with pytest.raises(Conflict):
        services.revoke(db_session, credential, reason="again", now=clock.now, actor=admin)


def test_revoke_without_reason_is_refused(db_session, clock, make_trainee):
    credential, _ = services.issue(db_session, make_trainee(), username="pat", now=clock.now)
    with pytest.raises(InvalidInput):
        services.revoke(db_session, credential, reason="  ", now=clock.now)


def test_queue_splits_eligible_and_waiting_and_leaves_out_holders(db_session, clock, make_trainee):
    ready, waiting, holder = make_trainee(), make_trainee(eligible=False), make_trainee()
    services.issue(db_session, holder, username="holder", now=clock.now)
    q = services.queue(db_session, now=clock.now)
    assert [r.person.id for r in q.eligible] == [ready.id]
    assert [r.person.id for r in q.waiting] == [waiting.id]
    assert services.count_to_issue(db_session, now=clock.now) == 1


def test_queue_filters_waiting_by_reason_kind_and_search(db_session, clock, make_trainee, fact_desk):
    a = make_trainee(full_name="Alex Untrained")
    b = make_trainee(full_name="Blair Suspended")
    fact_desk.suspensions[b.id] = rules.Answer(True)
    c = make_trainee(eligible=False, full_name="Casey New")
    assert {r.person.id for r in services.queue(db_session, now=clock.now, kind="account").waiting} == {b.id}
    assert {r.person.id for r in services.queue(db_session, now=clock.now, kind="access_request").waiting} == {c.id}
    assert [r.person.id for r in services.queue(db_session, now=clock.now, kind="practice").waiting] == [c.id]
    assert [r.person.id for r in services.queue(db_session, now=clock.now, search="blair").waiting] == [b.id]
    assert [r.person.id for r in services.queue(db_session, now=clock.now).eligible] == [a.id]


def test_queue_asks_fact_providers_once_for_everyone(db_session, clock, make_trainee, fact_desk):
    for _ in range(3):
        make_trainee()
    fact_desk.calls = 0
    services.queue(db_session, now=clock.now)
    assert fact_desk.calls == 1


def test_queue_csv_lists_people_and_reasons_without_passwords(db_session, clock, make_trainee):
    make_trainee(full_name="=HYPERLINK Eligible")
    make_trainee(eligible=False, full_name="Casey New")
    text = services.queue_csv(services.queue(db_session, now=clock.now))
    lines = text.splitlines()
    assert lines[0] == "Name,E-mail,Agencies,Status,Reasons not yet eligible"
    assert lines[1].startswith("'=HYPERLINK Eligible,") and ",Eligible," in lines[1]
    assert "Casey New" in lines[2] and "Not yet eligible" in lines[2] and "Practice case" in lines[2]
    assert "password" not in text.lower()


def _rep(make_user, person):
    """A representative of ``person``'s (first) agency."""
    from lms.core.roles import Role

    return make_user(roles=[Role.AGENCY_REP], agency=person.active_memberships[0].agency)


def test_add_projects_new_type_adds_practice_case_and_blocks_credentials(db_session, clock, make_trainee,
                                                                         make_project, make_user):
    from lms.training import services as training_services

    person = make_trainee()
    rep = _rep(make_user, person)
    agency = person.active_memberships[0].agency
    outreach = make_project(agency=agency, project_type=4)
    shelter = make_project(agency=agency, project_type=1)
    assert services.add_projects(db_session, person, [outreach, shelter], now=clock.now,
                                 actor=rep) == ["street_outreach"]
    assert training_services.current_plan(db_session, person).requirement_keys[-1] == "practice:street_outreach"
    eligibility = services.eligibility_of(db_session, person, now=clock.now)
    assert eligibility.codes == ["practice:street_outreach"]
    [event] = _audits(db_session, "credentials.projects_added")
    assert event.actor_id == rep.id


def test_add_projects_known_type_changes_nothing(db_session, clock, make_trainee, make_project, make_user):
    person = make_trainee()
    shelter = make_project(agency=person.active_memberships[0].agency, project_type=1)
    assert services.add_projects(db_session, person, [shelter], now=clock.now, actor=_rep(make_user, person)) == []
    assert services.eligibility_of(db_session, person, now=clock.now).eligible


def test_add_projects_twice_adds_the_practice_case_once(db_session, clock, make_trainee, make_project, make_user):
    from lms.training import services as training_services

    person = make_trainee()
    rep = _rep(make_user, person)
    outreach = make_project(agency=person.active_memberships[0].agency, project_type=4)
    assert services.add_projects(db_session, person, [outreach], now=clock.now, actor=rep) == ["street_outreach"]
    assert services.add_projects(db_session, person, [outreach], now=clock.now, actor=rep) == []
    keys = training_services.current_plan(db_session, person).requirement_keys
    assert keys.count("practice:street_outreach") == 1


def test_add_projects_of_another_agency_the_rep_also_represents_is_refused(db_session, clock, make_trainee,
                                                                          make_project, make_user):
    from lms.accounts.services import grant_role
    from lms.core.roles import Role

    person = make_trainee()
    rep = _rep(make_user, person)
    elsewhere = make_project(project_type=4)
    grant_role(db_session, rep, Role.AGENCY_REP, agency=elsewhere.agency, now=clock.now)
    with pytest.raises(InvalidInput, match="own agencies"):
        services.add_projects(db_session, person, [elsewhere], now=clock.now, actor=rep)


def test_add_projects_for_inactive_user_is_refused(db_session, clock, make_trainee, make_project, make_user):
    person = make_trainee()
    rep = _rep(make_user, person)
    person.is_active = False
    with pytest.raises(InvalidInput, match="deactivated"):
        services.add_projects(db_session, person, [make_project(agency=person.active_memberships[0].agency)],
                              now=clock.now, actor=rep)


def test_add_projects_without_plan_starts_one(db_session, clock, make_user, make_agency, make_project, fact_desk):
    from lms.core.roles import Role
    from lms.training import services as training_services

    agency = make_agency()
    person = make_user(roles=["end_user"], agency=agency)
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    services.add_projects(db_session, person, [make_project(agency=agency, project_type=4)], now=clock.now,
                          actor=rep)
    assert training_services.current_plan(db_session, person).requirement_keys == [
        "upra", "security_privacy", "data_standards", "cs_basics", "practice:street_outreach"]


def _plan_and_audits(db_session, person):
    from lms.training import services as training_services

    return (training_services.current_plan(db_session, person).requirement_keys,
            len(_audits(db_session, "credentials.projects_added")))


def test_add_projects_rep_of_another_agency_gets_not_found(db_session, clock, make_trainee, make_project,
                                                           make_user, make_agency):
    """The actor must represent the person's agency: another agency's representative learns nothing."""
    from lms.core.roles import Role

    person = make_trainee()
    stranger = make_user(roles=[Role.AGENCY_REP], agency=make_agency())
    outreach = make_project(agency=person.active_memberships[0].agency, project_type=4)
    before = _plan_and_audits(db_session, person)
    with pytest.raises(NotFound):
        services.add_projects(db_session, person, [outreach], now=clock.now, actor=stranger)
    assert _plan_and_audits(db_session, person) == before


def test_add_projects_project_of_an_agency_the_rep_does_not_represent_is_not_found(db_session, clock, make_trainee,
                                                                                   make_project, make_user):
    from lms.accounts.models import AgencyMembership

    person = make_trainee()
    rep = _rep(make_user, person)
    elsewhere = make_project(project_type=4)  # the person works there too; the rep does not represent it
    db_session.add(AgencyMembership(user_id=person.id, agency_id=elsewhere.agency_id, started_on=clock.now.date()))
    db_session.flush()
    db_session.refresh(person)
    before = _plan_and_audits(db_session, person)
    with pytest.raises(NotFound):
        services.add_projects(db_session, person, [elsewhere], now=clock.now, actor=rep)
    with pytest.raises(NotFound):
        services.chosen_projects(db_session, rep, [elsewhere.id])
    assert _plan_and_audits(db_session, person) == before


@pytest.mark.parametrize("role", ["end_user", "helpdesk", "sysadmin", "hmis_manager"])
def test_add_projects_without_a_role_for_it_is_refused(db_session, clock, make_trainee, make_project, make_user,
                                                      role):
    person = make_trainee()
    agency = person.active_memberships[0].agency
    actor = make_user(roles=[role], agency=agency, coc=agency.coc)
    before = _plan_and_audits(db_session, person)
    with pytest.raises(PermissionDenied):
        services.add_projects(db_session, person, [make_project(agency=agency, project_type=4)], now=clock.now,
                              actor=actor)
    assert _plan_and_audits(db_session, person) == before


def test_add_projects_lead_admin_may_act_for_any_agency(db_session, clock, make_trainee, make_project, make_user):
    from lms.core.roles import Role

    person = make_trainee()
    lead = make_user(roles=[Role.LEAD_ADMIN])
    outreach = make_project(agency=person.active_memberships[0].agency, project_type=4)
    assert services.add_projects(db_session, person, [outreach], now=clock.now, actor=lead) == ["street_outreach"]


def test_project_people_lists_active_current_members_of_the_reps_agencies(db_session, clock, make_user,
                                                                          make_agency):
    from lms.core.roles import Role

    agency, other = make_agency(), make_agency()
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency, full_name="Rita Rep")
    make_user(roles=["end_user"], agency=agency, full_name="Ann Active")
    make_user(roles=["end_user"], agency=agency, full_name="Dee Deactivated", active=False)
    make_user(roles=["end_user"], agency=other, full_name="Oli Other")
    left = make_user(roles=["end_user"], agency=agency, full_name="Lee Left")
    left.memberships[0].ended_on = clock.now.date()
    db_session.flush()
    assert [m.user.full_name for m in services.project_people(db_session, rep)] == ["Ann Active", "Rita Rep"]


def test_eligibility_of_upra_signed_before_the_current_version_does_not_count(db_session, clock, make_trainee):
    from lms.training import services as training_services

    person = make_trainee()
    clock.advance(hours=1)
    training_services.load_content(db_session, now=clock.now)  # a version published after the evidence
    clock.advance(hours=1)
    assert services.eligibility_of(db_session, person, now=clock.now).codes == ["upra"]


def test_facts_come_from_the_access_request_and_sanctions_packages(db_session, clock, make_agency, make_project,
                                                                   make_user, make_coc):
    """No stand-in: an approved request makes a trained person eligible; a recorded violation suspends them."""
    from datetime import date

    from lms.accounts.requests import services as request_services
    from lms.accounts.sanctions import services as sanction_services
    from lms.core.roles import Role
    from lms.training import rules as training_rules
    from lms.training import services as training_services

    coc = make_coc()
    agency = make_agency(coc=coc, apa_signed_on=date(2026, 6, 1), apa_renewal_due=date(2027, 6, 1))
    shelter = make_project(agency=agency, project_type=0)
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    manager = make_user(roles=[Role.HMIS_MANAGER], coc=coc)
    lead = make_user(roles=[Role.LEAD_ADMIN])
    req = request_services.submit(db_session, actor=rep, agency=agency, full_name="Pat New", email="pat@example.org",
                                  employment="employee", project_ids=[shelter.id], had_access_before=False,
                                  justification="Intake", now=clock.now, base_url="http://localhost")
    person = db_session.execute(sa.select(User).where(User.email == "pat@example.org")).scalar_one_or_none()
    assert person is None
    request_services.approve(db_session, req, actor=manager, now=clock.now, base_url="http://localhost")
    person = db_session.get(User, req.user_id)
    fy = training_rules.fiscal_year_of(clock.now)
    plan = training_services.current_plan(db_session, person)
    for key in plan.requirement_keys:
        training_services.record_evidence(db_session, person, key, fiscal_year=fy, achieved_at=clock.now,
                                          source="test", source_id=f"{person.id}-{key}")
    assert "practice:emergency_shelter" in plan.requirement_keys  # from the request's shelter project
    assert services.eligibility_of(db_session, person, now=clock.now).eligible

    sanction_services.record_violation(db_session, actor=lead, user_id=person.id, agency_id=agency.id,
                                       occurred_on=clock.now.date(), description="Shared a password",
                                       broke_law=False, now=clock.now, today=clock.now.date())
    reasons = services.eligibility_of(db_session, person, now=clock.now).reasons
    assert any(r.startswith("This person is suspended (The HMIS Lead has not reviewed") for r in reasons), reasons


def _revoke_access(db_session, clock, make_user, person, agency):
    from lms.accounts.revocations import services as revocations
    from lms.core.roles import Role

    rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    membership = next(m for m in person.memberships if m.agency_id == agency.id)
    return revocations.file_notice(db_session, rep=rep, membership_id=membership.id, kind="separation",
                                   effective_on=clock.now.date(), reason="Left the agency", now=clock.now)


def test_access_revoked_by_the_last_agency_revokes_the_live_credential(db_session, clock, make_trainee, make_user):
    person = make_trainee()
    credential, _ = services.issue(db_session, person, username="pat", now=clock.now)
    notice = _revoke_access(db_session, clock, make_user, person, person.memberships[0].agency)
    assert notice.applied_at is not None
    assert credential.status == REVOKED and f"revocation notice {notice.id}" in credential.revoke_reason
    assert services.issued_credential(db_session, person) is None


def test_access_revoked_by_one_of_two_agencies_keeps_the_live_credential(db_session, clock, make_trainee, make_user,
                                                                        make_agency):
    from lms.accounts.models import AgencyMembership

    person = make_trainee()
    other = make_agency()
    db_session.add(AgencyMembership(user_id=person.id, agency_id=other.id, started_on=clock.now.date()))
    db_session.flush()
    db_session.refresh(person)
    credential, _ = services.issue(db_session, person, username="pat", now=clock.now)
    _revoke_access(db_session, clock, make_user, person, person.memberships[0].agency)
    assert credential.status == ISSUED
