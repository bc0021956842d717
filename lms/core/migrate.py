"""Run Alembic programmatically for the LMS database and the sandbox database.

Each database has its own Alembic environment: ``migrations/`` for the LMS and
``migrations/sandbox/`` for the sandbox, so either can be reset or upgraded alone.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]
LOCATIONS = {"lms": ROOT / "migrations", "sandbox": ROOT / "migrations" / "sandbox"}


def alembic_config(url: str, which: str = "lms") -> Config:
    """Return an Alembic config for ``which`` database at ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(LOCATIONS[which]))
    # ConfigParser interpolation would choke on "%" in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def available(which: str) -> bool:
    return (LOCATIONS[which] / "env.py").exists()


def upgrade(url: str, which: str = "lms", revision: str = "head") -> None:
    command.upgrade(alembic_config(url, which), revision)


def downgrade(url: str, which: str = "lms", revision: str = "base") -> None:
    command.downgrade(alembic_config(url, which), revision)


def check(url: str, which: str = "lms") -> None:
    """Raise if the models and the migrated schema differ (``alembic check``)."""
    command.check(alembic_config(url, which))
