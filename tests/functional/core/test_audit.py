"""The audit log: append-only in the database itself, never a secret, searchable by oversight roles."""

import pytest
import sqlalchemy as sa

from lms.core import audit, settings
from lms.core.audit import AuditEvent
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


def test_audit_orm_refuses_update(db_session, clock):
    ev = audit.record(db_session, action="test.event", now=clock.now)
    db_session.commit()
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


def test_audit_page_searches_by_action_and_actor(client, make_user, login, db_session, clock):
    admin = make_user(email="admin@example.org", roles=[Role.LEAD_ADMIN])
    other = make_user(email="other@example.org", roles=[Role.END_USER])
    audit.record(db_session, action="accounts.special_thing", now=clock.now, actor=other)
    db_session.commit()
    login(client, admin)
    html = client.get("/admin/audit?action=accounts.special").get_data(as_text=True)
    assert "accounts.special_thing" in html and "auth.login" not in html
    html = client.get("/admin/audit?actor=other@example.org").get_data(as_text=True)
    assert "accounts.special_thing" in html
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
