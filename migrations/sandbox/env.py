"""Alembic environment of the sandbox database (its own, so the sandbox migrates and resets alone)."""

from __future__ import annotations

from alembic import context

import sandbox.models  # noqa: F401  - registers every sandbox model on SandboxBase.metadata
from lms.core.db import make_engine
from sandbox.db import SandboxBase

config = context.config
target_metadata = SandboxBase.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, compare_type=True,
                      version_table="sandbox_alembic_version")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = make_engine(config.get_main_option("sqlalchemy.url"))
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                          version_table="sandbox_alembic_version")
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
