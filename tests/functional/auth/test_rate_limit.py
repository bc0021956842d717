"""Flask-Limiter on Redis really limits sign-in attempts (per client address)."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import REDIS_URL, redis_available

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def _need_redis():
    reason = redis_available()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_LOGIN": "3 per minute"}


@pytest.fixture
def client(app):
    # The limit is per client address: a fresh address per test keeps earlier runs' counters out.
    c = app.test_client()
    n = uuid.uuid4().int
    c.environ_base["REMOTE_ADDR"] = f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"
    return c


def test_login_posts_over_limit_refused_429(client):
    data = {"email": "nobody@example.org", "password": "Wrong-Password-1"}
    statuses = [client.post("/auth/login", data=data).status_code for _ in range(4)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429
    resp = client.post("/auth/login", data=data)
    assert resp.status_code == 429
    assert "Too many requests" in resp.get_data(as_text=True)


def test_login_limit_counts_in_redis(app, client):
    import redis

    client.post("/auth/login", data={"email": "nobody@example.org", "password": "Wrong-Password-1"})
    r = redis.Redis.from_url(REDIS_URL)
    keys = r.keys(f"*/{client.environ_base['REMOTE_ADDR']}/auth.login/*")
    assert keys, "the limiter wrote its counter to Redis"


def test_login_get_is_not_limited(client):
    assert all(client.get("/auth/login").status_code == 200 for _ in range(6))
