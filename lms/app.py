"""Compose the application: the ONLY module that wires every package together."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import orm as sa_orm

from lms.config import load_config
from lms.core.web import Application

csrf = CSRFProtect()


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the Flask application (config: defaults, then LMS_* variables, then ``overrides``)."""
    instance_path = (overrides or {}).get("INSTANCE_PATH") or os.environ.get("LMS_INSTANCE_PATH") or str(
        Path(__file__).resolve().parents[1] / "instance"
    )
    app = Application(__name__, instance_path=instance_path, instance_relative_config=False)
    config = load_config(instance_path, overrides)
    app.config.update(config)
    app.config.update(
        SESSION_COOKIE_NAME="lms_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config["HTTPS"],
        # The server-side registry enforces the real timeouts; the cookie must not outlive them.
        PERMANENT_SESSION_LIFETIME=24 * 3600,  # the longest absolute timeout the settings allow
        # Nor is the cookie re-signed and re-sent on every request (only when its content changes): the
        # registry's "last seen" is what keeps a session alive, and signing costs every heartbeat.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session, which the registry already bounds
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        TESTING=config["ENV"] == "testing",
    )

    if config["ENV"] == "production":
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    from lms.auth.passwords import PasswordHashing
    from lms.core import converters, db

    converters.init_app(app)  # before any route uses <id:...>

    db.init_app(app)
    app.extensions["lms.passwords"] = PasswordHashing(
        memory_cost=config["ARGON2_MEMORY_COST"],
        time_cost=config["ARGON2_TIME_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )
    csrf.init_app(app)

    login_manager = LoginManager()
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to open that page."
    login_manager.login_message_category = "info"
    login_manager.init_app(app)

    from lms.core import security, views as core_views
    from lms.auth import views as auth_views
    from lms.orgs import views as orgs_views
    from lms.accounts import views as accounts_views
    from lms import training

    security.init_app(app)
    core_views.init_app(app)
    auth_views.init_app(app)
    orgs_views.init_app(app)
    accounts_views.init_app(app)
    training.init_app(app)
    from lms import credentials
    from lms.accounts import requests as access_requests
    from lms.accounts import revocations, sanctions

    access_requests.init_app(app)
    revocations.init_app(app)
    sanctions.init_app(app)
    credentials.init_app(app)
    from lms import recert

    recert.init_app(app)
    from lms import certificates

    certificates.init_app(app)
    from lms import api

    api.init_app(app)

    from lms import cli

    cli.init_app(app)

    # Feature packages outside lms/ plug themselves in.
    import practice_cases
    import quizzes
    import sandbox

    for package in (quizzes, practice_cases, sandbox):
        package.init_app(app)
    # Every model is imported by now: relate the mappers here, as a worker starts, rather than in the first
    # request each worker serves (~80 ms of it on the benchmark's machine).
    sa_orm.configure_mappers()

    if config["SCHEDULER_IN_PROCESS"]:
        from lms.scheduler import build_scheduler

        scheduler = build_scheduler(app)
        app.extensions["lms.scheduler"] = scheduler
        scheduler.start()
    return app
