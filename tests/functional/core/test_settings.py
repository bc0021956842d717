"""The settings page: bad values are refused with a message beside the field, and nothing is saved."""

from lms.core import settings
from lms.core.roles import Role


def test_settings_full_width_digits_refused_with_message_and_400(client, db_session, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    resp = client.post("/admin/settings", data={"auth.idle_timeout_minutes": "１５"})
    assert resp.status_code == 400
    assert "digits 0 to 9" in resp.get_data(as_text=True)
    db_session.expire_all()
    db_session.info.pop("lms.settings", None)
    assert settings.get(db_session, "auth.idle_timeout_minutes") == 15


def test_settings_time_zone_unknown_refused_with_400(client, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    resp = client.post("/admin/settings", data={"core.time_zone": "Mars/Olympus"})
    assert resp.status_code == 400
    assert "time zone database" in resp.get_data(as_text=True)


def test_settings_time_zone_changed_is_saved_and_audited(client, db_session, make_user, login):
    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    resp = client.post("/admin/settings", data={"core.time_zone": "America/New_York"})
    assert resp.status_code == 303
    db_session.info.pop("lms.settings", None)
    assert settings.get(db_session, "core.time_zone") == "America/New_York"
