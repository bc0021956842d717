"""Own the sandbox database: its declarative base, engine and per-request session.

The sandbox has its own metadata and engine (``SANDBOX_DATABASE_URL``) and no
foreign keys into the LMS, so it can be reset or moved alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import DeclarativeBase, Session

from lms.core.db import NAMING_CONVENTION, Database, register_database


class SandboxBase(DeclarativeBase):
    """Base class of every sandbox model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def get_sandbox_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["sandbox.db"]


def get_sandbox_session() -> Session:
    """Return the request's sandbox session, opening it on first use (closed with the LMS's at teardown)."""
    return get_sandbox_database().request_session()


def commit() -> None:
    """Commit the request's sandbox work (views call it once, at their edge)."""
    get_sandbox_session().commit()


def init_app(app: Flask) -> None:
    register_database(app, "sandbox.db", app.config["SANDBOX_DATABASE_URL"])
