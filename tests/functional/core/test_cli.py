"""`flask --app wsgi users create EMAIL --role ROLE [--agency ID]`, and Argon2 settings."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.accounts.models import User


def _user(db_session, email):
    return db_session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def test_users_create_end_user_with_agency_prints_one_time_password(runner, db_session, make_agency):
    agency = make_agency()
    result = runner.invoke(args=["users", "create", "new.person@example.org", "--role", "end_user",
                                 "--agency", str(agency.id)])
    assert result.exit_code == 0, result.output
    password = re.search(r"One-time password.*: (\S+)", result.output).group(1)
    user = _user(db_session, "new.person@example.org")
    assert user is not None and user.must_change_password
    assert password not in user.password_hash
    from lms.auth.passwords import check_password
    assert check_password(password, username=user.email) == []


def test_users_create_sysadmin_without_agency(runner, db_session):
    result = runner.invoke(args=["users", "create", "admin2@example.org", "--role", "sysadmin"])
    assert result.exit_code == 0, result.output
    assert _user(db_session, "admin2@example.org").is_staff


def test_users_create_unknown_role_refused(runner, db_session):
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "wizard"])
    assert result.exit_code != 0 and "wizard" in result.output
    assert _user(db_session, "x@example.org") is None


def test_users_create_unknown_agency_refused(runner, db_session):
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "end_user", "--agency", "99999"])
    assert result.exit_code != 0 and "no agency 99999" in result.output
    assert _user(db_session, "x@example.org") is None


def test_users_create_agency_role_without_agency_refused(runner, db_session):
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "agency_rep"])
    assert result.exit_code != 0 and "needs an agency" in result.output
    assert _user(db_session, "x@example.org") is None


def test_users_create_bad_email_refused(runner):
    result = runner.invoke(args=["users", "create", "not-an-address", "--role", "sysadmin"])
    assert result.exit_code != 0 and "valid e-mail" in result.output


def test_users_create_duplicate_email_refused(runner, make_user):
    user = make_user()
    result = runner.invoke(args=["users", "create", user.email, "--role", "sysadmin"])
    assert result.exit_code != 0 and "already has the e-mail" in result.output


def test_argon2_defaults_meet_owasp():
    from lms.config import DEFAULTS

    assert DEFAULTS["ARGON2_MEMORY_COST"] >= 19456
    assert DEFAULTS["ARGON2_TIME_COST"] >= 2
    assert DEFAULTS["ARGON2_PARALLELISM"] >= 1


def test_argon2_params_are_configured_into_hashes(app):
    from argon2 import extract_parameters
    from argon2.low_level import Type

    hashed = app.extensions["lms.passwords"].hash("Tangerine-Kettle-42")
    params = extract_parameters(hashed)
    assert params.type is Type.ID
    assert params.memory_cost == app.config["ARGON2_MEMORY_COST"]
    assert params.time_cost == app.config["ARGON2_TIME_COST"]


def test_argon2_production_refuses_params_below_owasp(tmp_path):
    import pytest

    from lms.app import create_app
    from lms.config import ConfigError

    with pytest.raises(ConfigError):
        create_app({"ENV": "production", "SECRET_KEY": "k" * 32, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                    "INSTANCE_PATH": str(tmp_path), "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1})
