"""Request-wide security: CSRF, headers, cookies, production configuration, rate limits."""

import pytest

from lms.config import ConfigError, load_config
from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD, REDIS_URL, redis_available


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused_with_a_clear_page(self, client, make_user):
        user = make_user(roles=[Role.END_USER])
        resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
        assert resp.status_code == 400
        assert "expired" in resp.get_data(as_text=True).lower() or "form" in resp.get_data(as_text=True).lower()
        assert client.get("/session/status").get_json()["signed_in"] is False

    def test_post_with_the_page_token_is_accepted(self, client, make_user):
        import re

        user = make_user(roles=[Role.END_USER])
        html = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                                "csrf_token": token})
        assert resp.status_code == 303

    def test_logout_without_token_is_refused(self, client, make_user, login):
        user = make_user(roles=[Role.END_USER])
        import re

        html = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
        assert client.post("/auth/logout").status_code == 400
        assert client.get("/session/status").get_json()["signed_in"] is True


def test_every_response_carries_security_headers(client):
    resp = client.get("/auth/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in resp.headers  # plain HTTP in development


def test_session_cookie_is_httponly_and_samesite(client, make_user, login):
    user = make_user(roles=[Role.END_USER])
    resp = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signed_in_pages_are_not_cached(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_production_refuses_to_start_without_secret_and_database(tmp_path):
    with pytest.raises(ConfigError, match="LMS_SECRET_KEY, LMS_DATABASE_URL and LMS_SANDBOX_DATABASE_URL"):
        load_config(tmp_path, environ={"LMS_ENV": "production"})
    with pytest.raises(ConfigError, match="without LMS_DATABASE_URL and LMS_SANDBOX_DATABASE_URL"):
        load_config(tmp_path, environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "k" * 32})
    cfg = load_config(tmp_path, environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "k" * 32,
                                         "LMS_DATABASE_URL": "postgresql+psycopg://db/lms",
                                         "LMS_SANDBOX_DATABASE_URL": "postgresql+psycopg://db/sandbox"})
    assert cfg["HTTPS"] is True and cfg["MAIL_BACKEND"] == "smtp"


def test_production_uses_secure_cookies_and_hsts(tmp_path):
    from lms.app import create_app

    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 32, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    resp = app.test_client().get("/healthz")
    assert "max-age=" in resp.headers["Strict-Transport-Security"]


def test_environment_variables_are_parsed_and_bad_ones_refused(tmp_path):
    cfg = load_config(tmp_path, environ={"LMS_ARGON2_TIME_COST": "3", "LMS_HTTPS": "yes"})
    assert cfg["ARGON2_TIME_COST"] == 3 and cfg["HTTPS"] is True
    with pytest.raises(ConfigError, match="whole number"):
        load_config(tmp_path, environ={"LMS_ARGON2_TIME_COST": "lots"})


def test_unknown_page_gets_the_404_page_in_the_site_look(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404 and "Page not found" in resp.get_data(as_text=True)
    assert "usa-header" in resp.get_data(as_text=True)


@pytest.mark.redis
class TestRedisRateLimit:
    @pytest.fixture
    def app_overrides(self):
        reason = redis_available()
        if reason:
            pytest.skip(reason)
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        return {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_LOGIN": "3 per minute"}

    def test_sign_in_posts_are_limited_through_redis(self, app, client):
        import redis

        codes = [client.post("/auth/login", data={"email": "x@example.org", "password": "y"}).status_code
                 for _ in range(4)]
        assert codes[:3] == [401, 401, 401] and codes[3] == 429
        assert any(k for k in redis.Redis.from_url(REDIS_URL).keys("*"))  # the counters live in Redis
