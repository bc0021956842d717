"""Training services: the evidence ledger, plans, publishing and signing the agreement, the checklist."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.errors import Conflict, InvalidInput, NotFound
from lms.core.roles import Role
from lms.training import services
from lms.training.models import Evidence, UpraSignature, UpraVersion

UTC = timezone.utc


def _sign(db_session, user, version, clock, **kw):
    args = dict(version_id=version.id, checked=[str(p.id) for p in version.policies], typed_name=user.full_name,
                now=clock.now, ip="192.0.2.7")
    args.update(kw)
    return services.sign_upra(db_session, user, **args)


def _count(db_session, model) -> int:
    return db_session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


# --- evidence ----------------------------------------------------------------------------------

def test_record_evidence_same_source_twice_records_once(db_session, make_user, clock):
    user = make_user()
    first = services.record_evidence(db_session, user, "cs_basics", fiscal_year=2027, achieved_at=clock.now,
                                     source="quiz_attempt", source_id=12)
    again = services.record_evidence(db_session, user, "cs_basics", fiscal_year=2027,
                                     achieved_at=clock.now + timedelta(hours=1), source="quiz_attempt", source_id="12")
    assert again.id == first.id and again.achieved_at == clock.now
    assert _count(db_session, Evidence) == 1


def test_record_evidence_other_source_records_another(db_session, make_user, clock):
    user = make_user()
    for source_id in (1, 2):
        services.record_evidence(db_session, user, "cs_basics", fiscal_year=2027, achieved_at=clock.now,
                                 source="quiz_attempt", source_id=source_id)
    assert _count(db_session, Evidence) == 2


@pytest.mark.parametrize("requirement", ["practice:castle", "upra ", "anything"])
def test_record_evidence_unknown_requirement_is_refused(db_session, make_user, clock, requirement):
    with pytest.raises(InvalidInput):
        services.record_evidence(db_session, make_user(), requirement, fiscal_year=2027, achieved_at=clock.now,
                                 source="quiz_attempt", source_id=1)


def test_evidence_for_returns_only_that_fiscal_year(db_session, make_user, clock):
    user, other = make_user(), make_user()
    services.record_evidence(db_session, user, "upra", fiscal_year=2026, achieved_at=clock.now - timedelta(days=60),
                             source="s", source_id=1)
    services.record_evidence(db_session, user, "upra", fiscal_year=2027, achieved_at=clock.now, source="s", source_id=2)
    services.record_evidence(db_session, other, "upra", fiscal_year=2027, achieved_at=clock.now, source="s", source_id=3)
    assert [e.source_id for e in services.evidence_for(db_session, user, 2027)] == ["2"]
    assert [e.source_id for e in services.all_evidence(db_session, user)] == ["1", "2"]


@pytest.mark.parametrize("statement", ["UPDATE evidence SET fiscal_year = 1999", "DELETE FROM evidence"])
def test_evidence_rows_cannot_be_changed_or_deleted_in_the_database(db_session, make_user, clock, statement):
    services.record_evidence(db_session, make_user(), "upra", fiscal_year=2027, achieved_at=clock.now,
                             source="s", source_id=1)
    db_session.flush()
    with pytest.raises(sa.exc.DBAPIError):
        with db_session.begin_nested():
            db_session.execute(sa.text(statement))


def test_evidence_delete_through_the_orm_is_refused(db_session, make_user, clock):
    ev = services.record_evidence(db_session, make_user(), "upra", fiscal_year=2027, achieved_at=clock.now,
                                  source="s", source_id=1)
    db_session.flush()
    db_session.delete(ev)
    with pytest.raises(RuntimeError, match="never changed or deleted"):
        db_session.flush()


# --- plans ---------------------------------------------------------------------------------------

def test_start_plan_lists_upra_courses_and_practice_groups(db_session, make_user, clock):
    user = make_user()
    plan = services.start_plan(db_session, user, practice_groups=["street_outreach"], now=clock.now)
    assert plan.requirement_keys == ["upra", "security_privacy", "data_standards", "cs_basics",
                                     "practice:street_outreach"]
    assert plan.evidence_not_before is None
    assert services.current_plan(db_session, user).id == plan.id


def test_start_plan_repeat_ignores_earlier_evidence(db_session, make_user, clock):
    user = make_user()
    services.record_evidence(db_session, user, "cs_basics", fiscal_year=2027, achieved_at=clock.now,
                             source="s", source_id=1)
    services.start_plan(db_session, user, practice_groups=[], now=clock.now + timedelta(days=1), repeat=True)
    status = {s.key: s for s in services.checklist(db_session, user, now=clock.now + timedelta(days=2)).statuses}
    assert not status["cs_basics"].met


def test_start_plan_unknown_group_is_refused(db_session, make_user, clock):
    with pytest.raises(InvalidInput, match="known kinds of project"):
        services.start_plan(db_session, make_user(), practice_groups=["castle"], now=clock.now)


# --- publishing the agreement ------------------------------------------------------------------

def test_load_content_twice_publishes_once(db_session, clock):
    first = services.load_content(db_session, now=clock.now)
    second = services.load_content(db_session, now=clock.now)
    assert "published" in first[0] and "already published" in second[0]
    assert _count(db_session, UpraVersion) == 1
    version = services.current_upra(db_session)
    assert len(version.policies) >= 12


def test_shipped_agreement_states_the_manuals_numbers(upra):
    text = " ".join(p.text for p in upra.policies)
    for fragment in ("within 72 hours", "within 24 hours", "three (3) business days", "at least eight characters",
                     "unencrypted e-mail", "30 days", "legitimate business purposes", "more than one workstation"):
        assert fragment in text, fragment


def test_load_upra_changed_text_under_same_version_is_refused(db_session, clock, tmp_path):
    data = json.loads((services.DATA_DIR / "upra_v1.json").read_text())
    services.load_content(db_session, now=clock.now)
    data["policies"][0]["text"] += " Changed."
    path = tmp_path / "upra_v1.json"
    path.write_text(json.dumps(data))
    with pytest.raises(Conflict, match="never changes"):
        services.load_upra(db_session, path, now=clock.now)


def test_load_upra_new_version_becomes_current(db_session, clock, tmp_path):
    data = json.loads((services.DATA_DIR / "upra_v1.json").read_text())
    services.load_content(db_session, now=clock.now)
    data["version"] = 2
    (tmp_path / "upra_v2.json").write_text(json.dumps(data))
    services.load_content(db_session, now=clock.now, directory=tmp_path)
    assert services.current_upra(db_session).version == 2


@pytest.mark.parametrize("mutate, fragment", [
    (lambda d: d.update(version=0), "version"),
    (lambda d: d.update(policies=[]), "policies"),
    (lambda d: d["policies"].append(dict(d["policies"][0])), "appears twice"),
    (lambda d: d["policies"][0].update(text=""), "policy 1 needs text"),
])
def test_load_upra_invalid_file_is_refused(db_session, clock, tmp_path, mutate, fragment):
    data = json.loads((services.DATA_DIR / "upra_v1.json").read_text())
    mutate(data)
    path = tmp_path / "upra_v5.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InvalidInput, match=fragment):
        services.load_upra(db_session, path, now=clock.now)


# --- signing --------------------------------------------------------------------------------

def test_sign_upra_records_signature_evidence_and_audit(db_session, make_user, clock, upra):
    user = make_user(full_name="Dana Q. Trainee")
    signature, created = _sign(db_session, user, upra, clock, typed_name="  dana q.  TRAINEE ")
    assert created
    assert (signature.version_id, signature.fiscal_year, signature.signed_at, signature.ip) == (
        upra.id, 2027, clock.now, "192.0.2.7")
    [ev] = services.evidence_for(db_session, user, 2027)
    assert (ev.requirement, ev.source, ev.source_id) == ("upra", "upra_signature", str(signature.id))
    actions = db_session.execute(sa.select(AuditEvent.action)).scalars().all()
    assert "training.upra_signed" in actions


def test_sign_upra_twice_records_one_signature(db_session, make_user, clock, upra):
    user = make_user()
    first, created = _sign(db_session, user, upra, clock)
    clock.advance(seconds=2)
    again, created_again = _sign(db_session, user, upra, clock)
    assert created and not created_again and again.id == first.id
    assert _count(db_session, UpraSignature) == 1 and _count(db_session, Evidence) == 1


def test_sign_upra_in_a_new_fiscal_year_records_another(db_session, make_user, clock, upra):
    user = make_user()
    _sign(db_session, user, upra, clock)
    clock.now = datetime(2027, 10, 1, 5, 0, tzinfo=UTC)  # midnight Oct 1 in Chicago: FY2028
    signature, created = _sign(db_session, user, upra, clock)
    assert created and signature.fiscal_year == 2028


def test_sign_upra_unchecked_policy_is_refused(db_session, make_user, clock, upra):
    user = make_user()
    with pytest.raises(services.UpraRefused, match="1 policy is not checked") as exc:
        _sign(db_session, user, upra, clock, checked=[str(p.id) for p in upra.policies[1:]])
    assert exc.value.policy_problems and not exc.value.name_problems
    assert _count(db_session, UpraSignature) == 0


def test_sign_upra_forged_policy_id_is_refused(db_session, make_user, clock, upra):
    checked = [str(p.id) for p in upra.policies] + ["999999"]
    with pytest.raises(services.UpraRefused, match="does not match the current agreement"):
        _sign(db_session, make_user(), upra, clock, checked=checked)


def test_sign_upra_old_version_is_refused(db_session, make_user, clock, upra, tmp_path):
    data = json.loads((services.DATA_DIR / "upra_v1.json").read_text())
    data["version"] = 2
    (tmp_path / "upra_v2.json").write_text(json.dumps(data))
    services.load_content(db_session, now=clock.now, directory=tmp_path)
    with pytest.raises(Conflict, match="newer version"):
        _sign(db_session, make_user(), upra, clock)


def test_sign_upra_before_any_version_is_refused(db_session, make_user, clock):
    with pytest.raises(NotFound, match="not been published"):
        services.sign_upra(db_session, make_user(), version_id=1, checked=[], typed_name="x", now=clock.now)


@pytest.mark.parametrize("typed, fragment", [
    ("Someone Else", "does not match the name on your account"),
    ("", "Type your full name"),
    ("Pat\x00Person", "control or invisible"),
    ("Pat Person\r\n", "control or invisible"),
])
def test_sign_upra_bad_name_is_refused(db_session, make_user, clock, upra, typed, fragment):
    user = make_user(full_name="Pat Person")
    with pytest.raises(services.UpraRefused, match=fragment) as exc:
        _sign(db_session, user, upra, clock, typed_name=typed)
    assert exc.value.name_problems and not exc.value.policy_problems


def test_sign_upra_every_reason_is_reported(db_session, make_user, clock, upra):
    with pytest.raises(services.UpraRefused) as exc:
        _sign(db_session, make_user(), upra, clock, checked=[], typed_name="Nobody")
    assert len(exc.value.reasons) == 2


def test_sign_upra_after_repeat_plan_records_a_new_signature(db_session, make_user, clock, upra):
    user = make_user()
    first, _ = _sign(db_session, user, upra, clock)
    clock.advance(days=3)
    services.start_plan(db_session, user, practice_groups=[], now=clock.now, repeat=True)
    clock.advance(minutes=5)
    second, created = _sign(db_session, user, upra, clock)
    assert created and second.id != first.id


# --- the checklist and who may read it ---------------------------------------------------------

def test_checklist_new_version_asks_to_sign_again(db_session, make_user, clock, upra, tmp_path):
    user = make_user()
    _sign(db_session, user, upra, clock)
    assert services.checklist(db_session, user, now=clock.now).statuses[0].met
    data = json.loads((services.DATA_DIR / "upra_v1.json").read_text())
    data["version"] = 2
    (tmp_path / "upra_v2.json").write_text(json.dumps(data))
    clock.advance(days=1)
    services.load_content(db_session, now=clock.now, directory=tmp_path)
    upra_status = services.checklist(db_session, user, now=clock.now).statuses[0]
    assert not upra_status.met and "new version" in upra_status.note


def test_checklist_new_fiscal_year_asks_to_sign_again(db_session, make_user, clock, upra):
    user = make_user()
    _sign(db_session, user, upra, clock)
    later = datetime(2027, 10, 1, 5, 0, tzinfo=UTC)
    data = services.checklist(db_session, user, now=later)
    assert data.fiscal_year == 2028 and not data.statuses[0].met and "fiscal year 2027" in data.statuses[0].note


def test_may_view_training_of_self_staff_own_manager_and_rep(make_user, make_agency, make_coc):
    agency, elsewhere = make_agency(), make_agency()
    trainee = make_user(roles=[Role.END_USER], agency=agency)
    assert services.may_view_training_of(trainee, trainee)
    assert not services.may_view_training_of(make_user(roles=[Role.END_USER], agency=agency), trainee)
    assert services.may_view_training_of(make_user(roles=[Role.SYSADMIN]), trainee)
    assert services.may_view_training_of(make_user(roles=[Role.LEAD_ADMIN]), trainee)
    assert services.may_view_training_of(make_user(roles=[Role.HMIS_MANAGER], coc=agency.coc), trainee)
    assert not services.may_view_training_of(make_user(roles=[Role.HMIS_MANAGER], coc=elsewhere.coc), trainee)
    assert not services.may_view_training_of(make_user(roles=[Role.HELPDESK]), trainee)
    assert not services.may_view_training_of(make_user(roles=[Role.AGENCY_REP], agency=elsewhere), trainee)


def _end_memberships(db_session, user, clock):
    for m in user.active_memberships:
        m.ended_on = clock.now.date()
    db_session.commit()


def test_may_view_training_of_rep_reads_only_current_members_of_agencies_they_represent(
        db_session, make_user, make_agency, clock):
    agency, elsewhere = make_agency(), make_agency()
    same_coc = make_agency(coc=agency.coc)
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    member = make_user(roles=[Role.END_USER], agency=agency)
    outsider = make_user(roles=[Role.END_USER], agency=elsewhere)
    neighbour = make_user(roles=[Role.END_USER], agency=same_coc)  # same CoC, not the rep's agency
    former = make_user(roles=[Role.END_USER], agency=agency)
    _end_memberships(db_session, former, clock)
    assert services.may_view_training_of(rep, member)
    assert not services.may_view_training_of(rep, outsider)
    assert not services.may_view_training_of(rep, neighbour)
    assert not services.may_view_training_of(rep, former)


def test_training_records_query_rep_lists_current_members_of_their_agencies_only(
        db_session, make_user, make_agency, clock):
    agency, second, elsewhere = make_agency(), make_agency(), make_agency()
    rep = make_user(roles=[Role.AGENCY_REP], agency=agency)
    from lms.accounts import services as accounts

    accounts.grant_role(db_session, rep, Role.AGENCY_REP, agency=second, now=clock.now)
    db_session.commit()
    member = make_user(roles=[Role.END_USER], agency=agency, full_name="Ann Member")
    other_member = make_user(roles=[Role.END_USER], agency=second, full_name="Bo Member")
    make_user(roles=[Role.END_USER], agency=elsewhere, full_name="Cy Outsider")
    former = make_user(roles=[Role.END_USER], agency=agency, full_name="Di Former")
    _end_memberships(db_session, former, clock)
    listed = list(db_session.execute(services.training_records_query(rep)).scalars())
    assert {u.id for u in listed} == {rep.id, member.id, other_member.id}
    assert all(services.may_view_training_of(rep, u) for u in listed)
    assert [u.id for u in db_session.execute(services.training_records_query(rep, "bo")).scalars()] == [
        other_member.id]


def test_training_records_query_represented_only_leaves_out_the_managers_coc(db_session, make_user, make_agency,
                                                                              clock):
    agency = make_agency()
    neighbour = make_user(roles=[Role.END_USER], agency=make_agency(coc=agency.coc))
    member = make_user(roles=[Role.END_USER], agency=agency)
    both = make_user(roles=[Role.HMIS_MANAGER], coc=agency.coc)
    from lms.accounts import services as accounts

    accounts.grant_role(db_session, both, Role.AGENCY_REP, agency=agency, now=clock.now)
    db_session.commit()
    everyone = {u.id for u in db_session.execute(services.training_records_query(both)).scalars()}
    mine = {u.id for u in db_session.execute(
        services.training_records_query(both, represented_only=True)).scalars()}
    assert everyone == {neighbour.id, member.id} and mine == {member.id}


def test_checklists_match_each_persons_checklist_in_a_fixed_number_of_queries(app, db_session, make_user, clock,
                                                                              upra):
    from bench.harness import count_queries
    from lms.core.db import get_database

    people = [make_user(roles=[Role.END_USER]) for _ in range(6)]
    services.start_plan(db_session, people[0], practice_groups=["emergency_shelter"], now=clock.now)
    services.start_plan(db_session, people[1], practice_groups=[], now=clock.now)
    clock.advance(seconds=60)
    services.start_plan(db_session, people[1], practice_groups=["street_outreach"], now=clock.now, repeat=True)
    _sign(db_session, people[0], upra, clock, now=clock.now)
    _sign(db_session, people[2], upra, clock, now=clock.now)
    services.record_evidence(db_session, people[0], "security_privacy", fiscal_year=2027, achieved_at=clock.now,
                             source="test", source_id="1")
    db_session.commit()
    engine = get_database(app).engine
    with count_queries(engine) as few:
        services.checklists(db_session, people[:2], now=clock.now)
    with count_queries(engine) as many:
        together = services.checklists(db_session, people, now=clock.now)
    assert few.count == many.count <= 4, many.statements
    for person in people:
        alone = services.checklist(db_session, person, now=clock.now)
        assert together[person.id].statuses == alone.statuses and together[person.id].plan == alone.plan
    assert together[people[0].id].progress.met == 2 and together[people[1].id].statuses[-1].key == \
        "practice:street_outreach"
    assert services.checklists(db_session, [], now=clock.now) == {}


def test_sign_upra_two_tabs_at_once_record_one_signature(committed_app, committed_session, clock):
    """Two requests signing at the same moment (two tabs) leave one signature, on SQLite and PostgreSQL."""
    import threading

    from lms.accounts import services as accounts
    from lms.core.db import get_database

    user, _ = accounts.create_user(committed_session, committed_app.extensions["lms.passwords"],
                                   email="twotabs@example.org", full_name="Two Tabs", password="Tangerine-Kettle-42",
                                   now=clock.now)
    services.load_content(committed_session, now=clock.now)
    version = services.current_upra(committed_session)
    checked = [str(p.id) for p in version.policies]
    committed_session.commit()  # and hold no transaction (on SQLite: no write lock) while the threads run
    barrier, results, errors = threading.Barrier(2), [], []

    def sign() -> None:
        with get_database(committed_app).session() as s:
            barrier.wait()  # before any query: on SQLite each transaction takes the write lock when it begins
            try:
                me = s.get(type(user), user.id)
                results.append(services.sign_upra(s, me, version_id=version.id, checked=checked,
                                                  typed_name="Two Tabs", now=clock.now)[1])
                s.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and sorted(results) == [False, True]
    count = committed_session.execute(sa.select(sa.func.count()).select_from(UpraSignature)
                                      .where(UpraSignature.user_id == user.id)).scalar_one()
    assert count == 1
