"""The sandbox schema: its own migrations agree with the models, and upgrading keeps a trainee's work."""

from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import migrate
from lms.core.db import make_engine
from sandbox import services
from sandbox.db import SandboxBase
from sandbox.models import Client

NOW = datetime(2026, 11, 2, 15, tzinfo=timezone.utc)


def test_sandbox_metadata_has_no_foreign_key_outside_the_sandbox():
    sandbox_tables = set(SandboxBase.metadata.tables)
    for table in SandboxBase.metadata.tables.values():
        for fk in table.foreign_keys:
            assert fk.column.table.name in sandbox_tables, f"{table.name} -> {fk.target_fullname}"


def test_upgrade_again_keeps_work_in_progress_and_schema_matches_models(databases):
    url = databases.migrated("sandbox")
    engine = make_engine(url)
    try:
        with Session(engine) as sdb:
            ws = services.create_workspace(sdb, "user:1", user_label="user:1", now=NOW)
            services.save_client(sdb, ws, {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1,
                                           "SSNDataQuality": 99, "DOB": date(1980, 1, 1), "DOBDataQuality": 1,
                                           "White": 1}, now=NOW)
            sdb.commit()
        engine.dispose()
        migrate.upgrade(url, "sandbox")  # what `flask db upgrade` runs on every deploy
        migrate.check(url, "sandbox")  # raises if models and schema differ
        with Session(engine) as sdb:
            assert sdb.execute(sa.select(Client.FirstName)).scalars().all() == ["Ana"]
    finally:
        engine.dispose()


def test_every_money_column_holds_what_the_shared_money_rule_accepts():
    from sandbox import validation as rules

    money = [c for t in SandboxBase.metadata.tables.values() for c in t.columns if isinstance(c.type, sa.Numeric)]
    assert money, "the income amounts are Numeric columns"
    for column in money:
        assert (column.type.precision, column.type.scale) == (rules.MONEY_PRECISION, rules.MONEY_SCALE), column
