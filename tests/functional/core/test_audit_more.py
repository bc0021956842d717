"""The audit log: append-only in the database, never a secret, searchable by oversight roles only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from lms.accounts.roles import Role
from lms.core import audit
from lms.core.audit import AuditEvent
from lms.core.db import get_database


def _one_event(committed_app, clock):
    with get_database(committed_app).session() as s:
        ev = audit.record(s, action="test.event", now=clock.now, ip="10.1.2.3", role="helpdesk")
        s.commit()
        return ev.id


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
    ev = audit.record(db_session, action="test.event", now=clock.now)
    db_session.flush()
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
    assert "accounts.special_thing" in text and "accounts.other_thing" not in text
    day = clock.now.date().isoformat()
    text = client.get(f"/admin/audit?action=accounts.&since={day}&until={day}").get_data(as_text=True)
    assert "accounts.special_thing" in text and "accounts.other_thing" not in text


def test_audit_page_until_includes_last_second_of_the_day(client, db_session, make_user, login, clock):
    admin = make_user(roles=[Role.SYSADMIN])
    late = clock.now.replace(hour=23, minute=59, second=59, microsecond=500000)
    audit.record(db_session, action="accounts.late_thing", now=late, actor=admin)
    db_session.commit()
    login(client, admin)
    text = client.get(f"/admin/audit?until={late.date().isoformat()}").get_data(as_text=True)
    assert "accounts.late_thing" in text


def test_audit_page_bad_date_is_400(client, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    assert client.get("/admin/audit?since=yesterday").status_code == 400


@pytest.mark.parametrize("role", [Role.END_USER, Role.HELPDESK, Role.AGENCY_REP, Role.HMIS_MANAGER])
def test_audit_page_refused_to_non_oversight_roles(client, make_user, login, role, make_agency, make_coc):
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
