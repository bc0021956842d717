"""Alembic environment of the LMS database (the sandbox has its own in migrations/sandbox)."""

from __future__ import annotations

from alembic import context

from lms.core.db import Base, make_engine
import lms.models  # noqa: F401  - registers every LMS model on Base.metadata
import quizzes.models  # noqa: F401  - the quizzes package keeps its tables in the LMS database
import practice_cases.models  # noqa: F401  - the practice-case workflow keeps its tables in the LMS database

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = make_engine(config.get_main_option("sqlalchemy.url"))
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
