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


# --- ids beyond the database integer -------------------------------------------------------

HUGE_IDS = (2**31, 2**63, 10**20)


def _id_rules(app):
    from lms.core.converters import IdConverter

    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(conv, IdConverter) for conv in rule._converters.values())]


def test_every_integer_url_part_uses_the_id_converter(app):
    from werkzeug.routing import IntegerConverter

    from lms.core.converters import IdConverter

    plain = [rule.rule for rule in app.url_map.iter_rules()
             for conv in rule._converters.values()
             if isinstance(conv, IntegerConverter) and not isinstance(conv, IdConverter)]
    assert plain == [], f"use <id:...> instead of <int:...> (ids past 2**31-1 must be a 404): {plain}"
    assert len(_id_rules(app)) >= 12


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_id_beyond_the_database_integer_answers_404_on_every_id_route(app, make_user, make_agency, login, huge):
    from lms.core.converters import IdConverter

    agency = make_agency()
    admin = make_user(roles=[Role.LEAD_ADMIN])
    person = make_user(roles=[Role.END_USER], agency=agency)
    real = {"user_id": person.id, "grant_id": person.grants[0].id, "membership_id": person.memberships[0].id,
            "coc_id": agency.coc_id, "agency_id": agency.id, "obj_id": agency.id, "stage": 1}
    client = app.test_client()
    login(client, admin)
    checked = 0
    for rule in _id_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        id_args = [n for n, conv in rule._converters.items() if isinstance(conv, IdConverter)]
        for bad_arg in id_args:
            values = {name: real.get(name, "x") for name in rule.arguments}
            if "kind" in values:
                values["kind"] = "agencies"
            if "action" in values:
                values["action"] = "unlock"
            values[bad_arg] = huge
            url = _build(rule, values)
            resp = client.open(url, method=method)
            assert resp.status_code == 404, (rule.rule, bad_arg, url, resp.status_code)
            checked += 1
    assert checked >= 13


def _build(rule, values):
    """Fill ``rule`` with ``values`` as text (url_for would refuse the out-of-range ids)."""
    import re

    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule)


@pytest.mark.parametrize("text", ["0", "007", "١", "１", "-1", "2147483647"])
def test_id_that_is_not_plain_digits_in_range_answers_404(client, make_user, login, text):
    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    assert client.get(f"/admin/people/{text}").status_code == 404


# --- control characters ---------------------------------------------------------------------

CONTROL_SAMPLES = ["\x00", "a\x00b", "\x01", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x1f", "\x7f", "\x85", "\x9f"]


def _refused_for_control_characters(resp) -> bool:
    return resp.status_code == 400 and "control character" in resp.get_data(as_text=True)


@pytest.mark.parametrize("value", CONTROL_SAMPLES, ids=repr)
def test_sign_in_with_a_control_character_is_refused_with_400(client, make_user, value):
    user = make_user(roles=[Role.END_USER])
    resp = client.post("/auth/login", data={"email": user.email + value, "password": DEFAULT_PASSWORD})
    assert _refused_for_control_characters(resp)
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_people_search_with_nul_is_refused_with_400(client, make_user, login):
    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    resp = client.get("/admin/people?q=ab%00cd")
    assert _refused_for_control_characters(resp)
    assert "usa-header" in resp.get_data(as_text=True)


def test_admin_full_name_with_nul_is_refused_and_nothing_changes(client, db_session, make_user, login):
    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    person = make_user(roles=[Role.END_USER], full_name="Pat Before")
    resp = client.post(f"/admin/people/{person.id}/edit", data={"full_name": "Pat\x00After", "email": person.email})
    assert _refused_for_control_characters(resp)
    db_session.expire_all()
    assert db_session.get(type(person), person.id).full_name == "Pat Before"


def test_sandbox_search_with_nul_is_refused_with_400(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    assert _refused_for_control_characters(client.get("/sandbox/?name=Lo%00pez"))


def test_nul_in_the_address_is_refused_with_400(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    assert _refused_for_control_characters(client.get("/sandbox/clients/ab%00cd"))
    assert _refused_for_control_characters(client.get("/auth/reset/tok%00en"))


def test_control_character_in_a_field_name_or_file_name_is_refused(app, client, make_user, login, monkeypatch):
    import io

    from lms.core.web import FILES_ATTR

    login(client, make_user(roles=[Role.END_USER]))
    assert _refused_for_control_characters(client.post("/sandbox/reset", data={"con\x00firm": "RESET"}))
    monkeypatch.setattr(app.view_functions["sandbox.reset"], FILES_ATTR, True, raising=False)
    resp = client.post("/sandbox/reset", data={"confirm": "no", "file": (io.BytesIO(b"x"), "a\x00.csv")},
                       content_type="multipart/form-data")
    assert _refused_for_control_characters(resp)


def test_control_character_refusal_answers_json_to_a_json_client(client):
    resp = client.post("/auth/login", data={"email": "\x00"}, headers={"Accept": "application/json"})
    assert resp.status_code == 400 and "control character" in resp.get_json()["detail"]


@pytest.mark.parametrize("value", ["a\tb", "line one\r\nline two", "a\nb", "zero\u200bwidth", "\u200e\ufeffx",
                                   "Zoë Ångström", "名前"], ids=repr)
def test_tab_newline_format_and_non_ascii_characters_pass_the_guard(client, make_user, login, value):
    from urllib.parse import quote

    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    assert client.get(f"/admin/people?q={quote(value)}").status_code == 200


# --- whole numbers in the query string ------------------------------------------------------

@pytest.mark.parametrize("value", ["²", "１", "99999999999999999999"])
@pytest.mark.parametrize("path", ["/admin/people?page=", "/admin/audit?page=", "/admin/cocs?page=",
                                  "/admin/agencies?coc=", "/admin/projects?type=", "/admin/projects?agency="])
def test_number_in_the_query_string_that_is_not_plain_digits_is_ignored_not_500(client, make_user, login,
                                                                               path, value):
    from urllib.parse import quote

    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    assert client.get(path + quote(value)).status_code == 200


# --- JSON bodies ----------------------------------------------------------------------------

@pytest.mark.parametrize("body", [{"email": 1, "password": ["a", "b"]}, [1, 2], {"email": None}], ids=repr)
def test_sign_in_with_a_json_body_is_refused_with_400(client, body):
    resp = client.post("/auth/login", json=body)
    assert resp.status_code == 400 and "not JSON" in resp.get_data(as_text=True)


def test_json_body_to_an_admin_form_is_refused_and_creates_nothing(client, db_session, make_user, login):
    import sqlalchemy as sa

    from lms.orgs.models import Coc

    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    count = db_session.execute(sa.select(sa.func.count(Coc.id))).scalar_one()
    for body in ({"code": 1, "name": 2}, {"code": "MO-321", "name": "Json Coc"}):
        resp = client.post("/admin/cocs/new", json=body, headers={"Accept": "application/json"})
        assert resp.status_code == 400 and "not JSON" in resp.get_json()["detail"]
    assert db_session.execute(sa.select(sa.func.count(Coc.id))).scalar_one() == count


# --- uploaded files -------------------------------------------------------------------------

def test_file_sent_in_place_of_a_sign_in_field_is_refused_with_400(client):
    import io

    resp = client.post("/auth/login", data={"email": (io.BytesIO(b"a@example.org"), "email.txt"), "password": "x"},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and "does not take files" in resp.get_data(as_text=True)


def test_file_sent_to_an_admin_form_is_refused_and_creates_nothing(client, db_session, make_user, login):
    import io

    import sqlalchemy as sa

    from lms.orgs.models import Coc

    login(client, make_user(roles=[Role.LEAD_ADMIN]))
    resp = client.post("/admin/cocs/new", data={"code": (io.BytesIO(b"MO-321"), "code.txt"), "name": "File Coc"},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and "does not take files" in resp.get_data(as_text=True)
    assert db_session.execute(sa.select(Coc).where(Coc.name == "File Coc")).first() is None


def test_view_marked_to_accept_files_gets_them_past_the_guard(app, client, make_user, login, monkeypatch):
    import io

    from lms.core.web import FILES_ATTR

    login(client, make_user(roles=[Role.END_USER]))
    monkeypatch.setattr(app.view_functions["sandbox.reset"], FILES_ATTR, True, raising=False)
    resp = client.post("/sandbox/reset", data={"confirm": "no", "file": (io.BytesIO(b"x"), "clients.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and "Type RESET to confirm" in resp.get_data(as_text=True)


def test_a_verified_cookie_is_remembered_but_a_forged_or_expired_one_is_never_accepted(app, client, make_user,
                                                                                        login, monkeypatch):
    """The session interface skips verifying a cookie it verified before (the request path's cost), yet a
    cookie whose signature does not match, or that is older than the cookie lifetime, opens nothing."""
    import time

    from lms.core.security import CookieSessions

    login(client, make_user(roles=[Role.END_USER]))
    interface = app.session_interface
    assert isinstance(interface, CookieSessions)
    good = client.get_cookie("lms_session").value
    assert client.get("/session/status").get_json()["signed_in"] is True
    assert good in interface._verified

    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    other = app.test_client()
    other.set_cookie("lms_session", forged)
    assert other.get("/session/status").get_json()["signed_in"] is False
    assert forged not in interface._verified

    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/session/status").get_json()["signed_in"] is False


def test_rate_limits_are_checked_only_by_the_views_that_declare_one(app, client):
    """No default limits: Flask-Limiter's look-up before every request is not installed, and a limited view
    (sign-in) still answers 429 past its limit."""
    from lms.core.security import limiter

    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    app.config["RATELIMIT_LOGIN"] = "2 per minute"
    codes = [client.post("/auth/login", data={"email": "a@example.org", "password": "x"}).status_code
             for _ in range(3)]
    assert codes[-1] == 429 and 429 not in codes[:2]


def test_flask_limiter_hooks_run_only_for_requests_that_consulted_a_limit(app, client):
    """Its after-request and teardown hooks have nothing to do for the requests no limit protects (most of
    them); a limited API call gets its rate-limit headers, a limited page (sign-in) none: the person is told
    in words, and the headers' figures cost the limit store two more round trips."""
    from flask.globals import request_ctx

    touched: list[bool] = []

    @app.teardown_request
    def _note(_exc):  # registered last, so it runs first of the teardown hooks, after every after-request
        touched.append(hasattr(request_ctx._get_current_object(), "_limiter_request_context"))

    plain = client.get("/session/status")
    limited = client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    api_call = client.get("/api/v1/people/1", headers={"Authorization": "Bearer not-a-token"})
    assert touched == [False, True, True]
    assert api_call.status_code == 401 and "X-RateLimit-Limit" in api_call.headers
    assert "X-RateLimit-Limit" not in plain.headers and "X-RateLimit-Limit" not in limited.headers


def test_whether_a_hook_is_a_coroutine_is_asked_once_per_function_not_on_every_request(app, client, monkeypatch):
    import flask.app

    asked: list[object] = []
    real = flask.app.iscoroutinefunction
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda f: asked.append(f) or real(f))
    client.get("/session/status")
    first = len(asked)
    client.get("/session/status")
    assert first > 0 and len(asked) == first
