"""Security headers and cookie flags, in testing and in production configuration."""

from __future__ import annotations

import pytest

from lms.accounts.roles import Role


def test_headers_present_on_every_page(client):
    resp = client.get("/auth/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in resp.headers


def test_session_cookie_httponly_and_samesite_lax(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    cookie = client.get_cookie("lms_session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


class TestProduction:
    @pytest.fixture
    def app_overrides(self):
        return {"ENV": "production", "ARGON2_MEMORY_COST": 19456, "ARGON2_TIME_COST": 2, "ARGON2_PARALLELISM": 1}

    def test_production_sends_hsts(self, client):
        resp = client.get("/auth/login", base_url="https://localhost")
        assert "max-age=" in resp.headers["Strict-Transport-Security"]

    def test_production_cookie_is_secure(self, app, client, make_user):
        from tests.conftest import DEFAULT_PASSWORD

        user = make_user(roles=[Role.END_USER])
        resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD},
                           base_url="https://localhost")
        set_cookie = resp.headers["Set-Cookie"]
        assert set_cookie.startswith("lms_session=")
        assert "Secure" in set_cookie and "HttpOnly" in set_cookie


def test_production_refuses_to_start_without_secret_key(tmp_path):
    from lms.app import create_app
    from lms.config import ConfigError

    with pytest.raises(ConfigError):
        create_app({"ENV": "production", "SECRET_KEY": None, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                    "INSTANCE_PATH": str(tmp_path)})
