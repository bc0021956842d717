"""Configuration: defaults, then LMS_* environment variables, then overrides; production validation."""

from __future__ import annotations

import pytest

from lms.config import ConfigError, load_config


def test_config_environment_overrides_defaults(tmp_path):
    config = load_config(tmp_path, environ={"LMS_MAIL_MAX_ATTEMPTS": "9", "LMS_HTTPS": "yes"})
    assert config["MAIL_MAX_ATTEMPTS"] == 9 and config["HTTPS"] is True


def test_config_overrides_beat_environment(tmp_path):
    config = load_config(tmp_path, {"MAIL_MAX_ATTEMPTS": 2}, environ={"LMS_MAIL_MAX_ATTEMPTS": "9"})
    assert config["MAIL_MAX_ATTEMPTS"] == 2


def test_config_bad_number_in_environment_refused_with_message(tmp_path):
    with pytest.raises(ConfigError, match="LMS_MAIL_MAX_ATTEMPTS must be a whole number"):
        load_config(tmp_path, environ={"LMS_MAIL_MAX_ATTEMPTS": "lots"})


def test_config_development_defaults_to_sqlite_in_instance(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    assert config["SECRET_KEY"]


def test_config_production_without_database_url_refused(tmp_path):
    with pytest.raises(ConfigError, match="LMS_DATABASE_URL"):
        load_config(tmp_path, environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "k" * 32})


def test_config_production_turns_on_https(tmp_path):
    config = load_config(tmp_path, environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "k" * 32,
                                            "LMS_DATABASE_URL": "postgresql://db/lms",
                                            "LMS_SANDBOX_DATABASE_URL": "postgresql://db/sandbox"})
    assert config["HTTPS"] is True
