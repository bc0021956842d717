"""Each database's schema is made only by its migrations: upgrade, compare with the models, downgrade."""

import pytest
import sqlalchemy as sa

from lms.core import migrate

DATABASES = [name for name in migrate.LOCATIONS if migrate.available(name)]


@pytest.mark.parametrize("which", DATABASES)
def test_upgrade_empty_database_to_head_matches_the_models(databases, which):
    url = databases.empty(f"mig_{which}")
    migrate.upgrade(url, which)
    migrate.check(url, which)  # raises when models and schema differ


@pytest.mark.parametrize("which", DATABASES)
def test_downgrade_to_base_then_upgrade_again(databases, which):
    url = databases.empty(f"down_{which}")
    migrate.upgrade(url, which)
    migrate.downgrade(url, which, "base")
    engine = sa.create_engine(url.replace("postgresql+psycopg", "postgresql+psycopg"))
    try:
        tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version", "sandbox_alembic_version"}
    finally:
        engine.dispose()
    assert tables == set()
    migrate.upgrade(url, which)
    migrate.check(url, which)


def test_both_environments_exist():
    assert set(DATABASES) == {"lms", "sandbox"}


def test_cli_upgrades_both_databases(runner, databases, app):
    lms_url, sandbox_url = databases.empty("cli_lms"), databases.empty("cli_sb")
    app.config["DATABASE_URL"], app.config["SANDBOX_DATABASE_URL"] = lms_url, sandbox_url
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "lms database upgraded" in result.output and "sandbox database upgraded" in result.output
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
