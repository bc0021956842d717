"""The audit log: append-only in the database itself, never a secret, searchable by oversight roles.

Searches by date follow the local day and refuse impossible dates with a message, and a settings change is audited
with its old and new value.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from lms.core import audit, settings
from lms.core.audit import AuditEvent
from lms.core.db import get_database
from lms.core.roles import Role


def test_audit_rows_cannot_be_changed_or_deleted_even_with_raw_sql(db_session, clock):
    audit.record(db_session, action="test.event", now=clock.now, ip="127.0.0.1")
    db_session.commit()
    for sql in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        nested = db_session.begin_nested()
        with pytest.raises(sa.exc.DBAPIError):
            db_session.execute(sa.text(sql))
        nested.rollback()
    assert db_session.execute(sa.select(AuditEvent.action)).scalar_one() == "test.event"


def _recorded(db_session) -> AuditEvent:
    return db_session.execute(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def test_an_event_is_written_at_once_in_the_sessions_transaction(db_session, clock, make_user):
    """One statement at the call, nothing left for the ORM's unit of work (every sign-in records one or two);
    undone with the rest of the transaction's work."""
    from bench.harness import count_queries

    actor = make_user()
    db_session.commit()
    events = sa.select(sa.func.count()).select_from(AuditEvent)
    before = db_session.execute(events).scalar_one()
    actor.full_name = "Pending Change"  # not flushed by recording: an event names things by id
    with count_queries(db_session.get_bind().engine) as counter:
        audit.record(db_session, action="test.event", now=clock.now, actor=actor, target=actor, ip="10.0.0.1",
                     count=2, what="a thing")
    assert [q.split()[0] for q in counter.statements] == ["INSERT"] and not db_session.new
    assert actor in db_session.dirty
    with db_session.no_autoflush:
        ev = _recorded(db_session)
    assert (ev.action, ev.actor_id, ev.target_type, ev.target_id, ev.ip, ev.details, ev.occurred_at) == (
        "test.event", actor.id, "user", str(actor.id), "10.0.0.1", {"count": 2, "what": "a thing"}, clock.now)
    db_session.rollback()
    assert db_session.execute(events).scalar_one() == before


def test_audit_orm_refuses_update(db_session, clock):
    audit.record(db_session, action="test.event", now=clock.now)
    db_session.commit()
    ev = _recorded(db_session)
    ev.action = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        db_session.flush()
    db_session.rollback()


@pytest.mark.parametrize("key", ["password", "new_password", "totp_code", "reset_token", "secret"])
def test_audit_refuses_details_that_look_like_secrets(db_session, clock, key):
    with pytest.raises(ValueError):
        audit.record(db_session, action="test.event", now=clock.now, **{key: "x"})


def test_sign_in_is_audited_with_who_when_and_where(client, make_user, login, db_session):
    user = make_user(roles=[Role.END_USER])
    login(client, user)
    ev = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "auth.login")).scalar_one()
    assert ev.actor_id == user.id and ev.target_id == str(user.id) and ev.ip == "127.0.0.1"
    assert ev.occurred_at is not None


def test_a_sign_in_is_one_event_or_two_with_a_second_factor(client, app, make_user, login, db_session):
    """The password alone: "Signed in".  With a second factor: "Password accepted", then the code, then
    "Signed in" (the half-way step shows who knew the password but never gave the code)."""
    trainee = make_user(roles=[Role.END_USER])
    admin = make_user(roles=[Role.LEAD_ADMIN])
    login(client, trainee)
    login(app.test_client(), admin)

    def actions(user) -> list[str]:
        return list(db_session.execute(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)
                                       .order_by(AuditEvent.id)).scalars())

    assert actions(trainee) == ["auth.login"]
    assert actions(admin) == ["auth.password_accepted", "auth.mfa_passed", "auth.login"]


def test_audit_page_searches_by_action_and_actor(client, make_user, login, db_session, clock):
    admin = make_user(email="admin@example.org", roles=[Role.LEAD_ADMIN])
    other = make_user(email="other@example.org", roles=[Role.END_USER])
    audit.record(db_session, action="accounts.special_thing", now=clock.now, actor=other)
    db_session.commit()
    login(client, admin)
    html = client.get("/admin/audit?action=accounts.special").get_data(as_text=True)
    assert ">Special thing</td>" in html and ">Signed in</td>" not in html
    html = client.get("/admin/audit?actor=other@example.org").get_data(as_text=True)
    assert ">Special thing</td>" in html
    assert client.get("/admin/audit?since=not-a-date&page=abc").status_code in (200, 400)


def test_audit_page_refused_to_non_oversight_roles(app, make_user, make_agency, login):
    agency = make_agency()
    for role in (Role.END_USER, Role.HELPDESK, Role.AGENCY_REP, Role.HMIS_MANAGER):
        c = app.test_client()
        login(c, make_user(roles=[role], agency=agency, coc=agency.coc))
        assert c.get("/admin/audit").status_code == 403


def test_settings_change_is_validated_and_audited(client, make_user, login, db_session):
    login(client, make_user(roles=[Role.SYSADMIN]))
    bad = client.post("/admin/settings", data={"auth.idle_timeout_minutes": "banana"})
    assert bad.status_code == 400
    ok = client.post("/admin/settings", data={"auth.idle_timeout_minutes": "20"})
    assert ok.status_code == 303
    db_session.expire_all()
    assert settings.get(db_session, "auth.idle_timeout_minutes") == 20
    ev = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "settings.changed")).scalar_one()
    assert ev.target_id == "auth.idle_timeout_minutes" and ev.details["new"] == 20


def test_audit_page_shows_names_and_labels_in_words_and_local_time(client, make_user, login, db_session, clock):
    from lms.accounts import services as accounts

    admin = make_user(email="admin@example.org", full_name="Ada Admin", roles=[Role.LEAD_ADMIN])
    person = make_user(full_name="Pia Person", roles=[Role.END_USER])
    accounts.grant_role(db_session, person, Role.HELPDESK, now=clock.now, actor=admin)
    audit.record(db_session, action="auth.session_superseded", now=clock.now, actor=person, target=person)
    audit.record(db_session, action="sandbox.workspace_reset", now=clock.now, actor=admin,
                 workspace=f"user:{person.id}")
    db_session.commit()
    login(client, admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Role granted" in html and "Role: Helpdesk reviewer" in html and "Pia Person" in html
    assert ">Signed out elsewhere by a new sign-in</td>" in html and ">auth.session_superseded<" not in html
    assert "Pia Person&#39;s sandbox" in html and f"user:{person.id}" not in html
    assert f"user {person.id}" not in html and "Ada Admin" in html
    assert "11/02/2026 9:00 AM CST" in html and "(UTC)" not in html


def test_audit_page_times_follow_the_time_zone_setting(client, make_user, login, db_session, clock):
    admin = make_user(roles=[Role.LEAD_ADMIN])
    settings.change(db_session, "core.time_zone", "America/New_York", actor=admin, now=clock.now)
    db_session.commit()
    login(client, admin)
    assert "11/02/2026 10:00 AM EST" in client.get("/admin/audit").get_data(as_text=True)


def test_every_audit_action_recorded_in_the_code_has_a_label():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    found = set()
    for package in ("lms", "sandbox", "quizzes", "practice_cases"):
        for path in (root / package).rglob("*.py"):
            found |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
            found |= set(re.findall(r'_audit\("([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    # Actions built from a variable part, spelled out.
    found |= {"auth.session_expired_idle", "auth.session_expired_absolute"}
    found |= {f"orgs.{kind}_{state}" for kind in ("coc", "agency", "project") for state in ("deactivated", "reactivated")}
    import importlib
    import pkgutil

    import lms

    for module in pkgutil.walk_packages(lms.__path__, "lms."):  # every package registers its own labels
        importlib.import_module(module.name)

    assert found and sorted(a for a in found if a not in audit.ACTION_LABELS) == []


def _one_event(committed_app, clock):
    with get_database(committed_app).session() as s:
        audit.record(s, action="test.event", now=clock.now, ip="10.1.2.3", role="helpdesk")
        s.commit()
        return _recorded(s).id


@pytest.mark.parametrize("sql", ["UPDATE audit_events SET action = 'forged' WHERE id = :id",
                                 "DELETE FROM audit_events WHERE id = :id"])
def test_audit_row_change_refused_by_database(committed_app, clock, sql):
    ev_id = _one_event(committed_app, clock)
    engine = get_database(committed_app).engine
    with pytest.raises(DatabaseError):
        with engine.begin() as conn:
            conn.execute(sa.text(sql), {"id": ev_id})
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT action FROM audit_events WHERE id = :id"), {"id": ev_id}).scalar_one() \
            == "test.event"


def test_audit_insert_allowed_by_database(committed_app, clock):
    _one_event(committed_app, clock)
    _one_event(committed_app, clock)
    with get_database(committed_app).session() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one() == 2


def test_audit_orm_update_refused(db_session, clock):
    audit.record(db_session, action="test.event", now=clock.now)
    ev = _recorded(db_session)
    ev.action = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        db_session.flush()


@pytest.mark.parametrize("key", ["password", "new_password", "totp_secret", "reset_token", "recovery_code"])
def test_audit_record_refuses_secret_details(db_session, clock, key):
    with pytest.raises(ValueError):
        audit.record(db_session, action="test.event", now=clock.now, **{key: "x"})


def test_audit_after_sign_ins_holds_no_password(client, db_session, make_user, login):
    from tests.conftest import DEFAULT_PASSWORD

    user = make_user(roles=[Role.END_USER])
    client.post("/auth/login", data={"email": user.email, "password": "Wrong-Password-77"})
    login(client, user)
    rows = db_session.execute(sa.select(AuditEvent)).scalars().all()
    assert rows
    dumped = " ".join(f"{r.action} {r.details} {r.target_id} {r.ip}" for r in rows)
    assert DEFAULT_PASSWORD not in dumped and "Wrong-Password-77" not in dumped


def test_audit_page_searches_by_action_and_date(client, db_session, make_user, login, clock):
    admin = make_user(roles=[Role.LEAD_ADMIN])
    audit.record(db_session, action="accounts.special_thing", now=clock.now, actor=admin)
    audit.record(db_session, action="accounts.other_thing", now=clock.now - timedelta(days=3), actor=admin)
    db_session.commit()
    login(client, admin)
    text = client.get("/admin/audit?action=accounts.special").get_data(as_text=True)
    assert "Special thing" in text and "Other thing" not in text
    day = clock.now.date().isoformat()
    text = client.get(f"/admin/audit?action=accounts.&since={day}&until={day}").get_data(as_text=True)
    assert "Special thing" in text and "Other thing" not in text


def test_audit_page_until_includes_last_second_of_the_local_day(client, db_session, make_user, login, clock):
    admin = make_user(roles=[Role.SYSADMIN])
    # 11:59:59.5 PM in Chicago on 2 November is already 3 November in UTC.
    late = datetime(2026, 11, 2, 23, 59, 59, 500000, tzinfo=ZoneInfo("America/Chicago"))
    audit.record(db_session, action="accounts.late_thing", now=late, actor=admin)
    audit.record(db_session, action="accounts.next_day_thing", now=late + timedelta(seconds=1), actor=admin)
    db_session.commit()
    login(client, admin)
    text = client.get("/admin/audit?until=2026-11-02").get_data(as_text=True)
    assert "Late thing" in text and "Next day thing" not in text
    text = client.get("/admin/audit?since=11/03/2026").get_data(as_text=True)
    assert "Next day thing" in text and "Late thing" not in text


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=9999-12-31", "since=0001-01-01", "until=0001-01-01",
                                   "since=0001-01-01&until=9999-12-31", "until=12/31/9999"])
def test_audit_page_dates_at_the_ends_of_the_calendar_are_no_bound_not_500(client, db_session, make_user, login,
                                                                            clock, query):
    admin = make_user(roles=[Role.SYSADMIN])
    login(client, admin)
    resp = client.get(f"/admin/audit?{query}")
    assert resp.status_code == 200


@pytest.mark.parametrize("value", ["2026-02-30", "２０２６-１１-０２", "13/01/2026", "10000-01-01"])
def test_audit_page_impossible_date_is_400_with_a_message(client, make_user, login, value):
    login(client, make_user(roles=[Role.SYSADMIN]))
    resp = client.get(f"/admin/audit?since={value}")
    assert resp.status_code == 400 and "must be a real day, like 12/01/2026" in resp.get_data(as_text=True)


def test_audit_page_bad_date_is_400(client, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    assert client.get("/admin/audit?since=yesterday").status_code == 400


@pytest.mark.parametrize("role", [Role.END_USER, Role.HELPDESK, Role.AGENCY_REP, Role.HMIS_MANAGER])
def test_audit_page_refused_to_each_non_oversight_role(client, make_user, login, role, make_agency, make_coc):
    login(client, make_user(roles=[role], agency=make_agency(), coc=make_coc()))
    assert client.get("/admin/audit").status_code in (403, 404)


def test_settings_change_is_audited(client, db_session, make_user, login):
    admin = make_user(roles=[Role.LEAD_ADMIN])
    login(client, admin)
    resp = client.post("/admin/settings", data={"auth.idle_timeout_minutes": "20"})
    assert resp.status_code == 303
    ev = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "settings.changed")).scalar_one()
    assert ev.actor_id == admin.id and ev.target_id == "auth.idle_timeout_minutes"
    assert ev.details["old"] == 15 and ev.details["new"] == 20


def test_settings_bad_value_refused_with_message_not_saved(client, db_session, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    resp = client.post("/admin/settings", data={"auth.idle_timeout_minutes": "soon"})
    assert 400 <= resp.status_code < 500
    assert db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "settings.changed")).first() is None


def test_settings_page_refused_to_end_user(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    assert client.post("/admin/settings", data={"auth.idle_timeout_minutes": "600"}).status_code in (403, 404)
