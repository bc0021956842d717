"""The sandbox schema: its own migrations agree with the models, and upgrading keeps a trainee's work."""

import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import migrate
from lms.core.db import make_engine
import lms.hud as hud
from sandbox import services
from sandbox.db import SandboxBase
from sandbox.models import ALL_MODELS, KEPT_MODELS, Client, Enrollment, IncomeBenefits, Organization, Project

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


#: Columns of the sandbox's own beside HUD's: the row id, the workspace, and the project's CoC code.
OWN_COLUMNS = {"id", "workspace_id", "coc_code"}
HUD_FILES = sorted(set(hud.csv_files()) - {"Export.csv"})


def _spec(column: sa.Column) -> tuple:
    """Describe a model column the way HUD's column list does: (name, type, string length, nullable)."""
    kind = column.type
    if isinstance(kind, sa.Numeric):
        return column.name, f"money({kind.precision},{kind.scale})", None, column.nullable
    if isinstance(kind, sa.String):
        return column.name, "string", kind.length, column.nullable
    names = {sa.Integer: "integer", sa.Date: "date", sa.DateTime: "datetime"}
    return column.name, next(v for k, v in names.items() if type(kind) is k), None, column.nullable


def _hud_spec(file_name: str) -> list[tuple]:
    """What ``hud.columns`` says one file's columns are (money as Numeric(12, 2), text 255 long unless HUD
    says otherwise; a file kept as it comes requires only its key)."""
    key = ALL_MODELS[file_name][1] if file_name in KEPT_MODELS else None
    out = []
    for col in hud.columns(file_name):
        if col.name in hud.EXPORT_ONLY:
            continue
        nullable = col.name != key if key else not col.required
        if col.is_money:
            out.append((col.name, "money(12,2)", None, nullable))
        else:
            out.append((col.name, col.type, (col.limit or 255) if col.type == "string" else None, nullable))
    return out


def test_every_hmis_csv_file_but_export_has_a_model():
    assert sorted(ALL_MODELS) == HUD_FILES


@pytest.mark.parametrize("file_name", HUD_FILES)
def test_model_columns_match_the_hud_column_spec(file_name):
    model = ALL_MODELS[file_name][0]
    found = [_spec(c) for c in model.__table__.columns if c.name not in OWN_COLUMNS]
    assert found == _hud_spec(file_name)


def test_column_spec_comparison_sees_a_wrong_length():
    wrong = sa.Column("PersonalID", sa.String(31), nullable=False)
    assert _spec(wrong) not in _hud_spec("Client.csv")


def test_generated_column_blocks_are_what_the_generator_writes():
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, str(root / "scripts" / "gen_sandbox_models.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_models_are_named_by_their_package_so_a_flush_inserts_parents_first(make_workspace, sandbox_session):
    """The flush orders inserts by ``module.Class``: every model keeps the name ``sandbox.models.<Class>``
    (as when they were one module), so a client, its enrollment and its income go in parents first."""
    assert {m.class_.__module__ for m in SandboxBase.registry.mappers} == {"sandbox.models"}
    sdb, ws = sandbox_session, make_workspace(ref="flush:order", seed=False)
    row = {"workspace_id": ws.id, "DateCreated": datetime(2026, 11, 2), "DateUpdated": datetime(2026, 11, 2),
           "UserID": "u"}
    sdb.add_all([Organization(**row, OrganizationID="o", OrganizationName="O", VictimServiceProvider=0),
                 Project(**row, ProjectID="p", OrganizationID="o", ProjectName="P", ProjectType=0,
                         OperatingStartDate=date(2020, 1, 1), ContinuumProject=1)])
    sdb.flush()
    sdb.add_all([IncomeBenefits(**row, IncomeBenefitsID="i", EnrollmentID="e", PersonalID="c",
                                InformationDate=date(2026, 11, 2)),
                 Enrollment(**row, EnrollmentID="e", PersonalID="c", ProjectID="p", EntryDate=date(2026, 11, 2),
                            HouseholdID="h"),
                 Client(**row, PersonalID="c", NameDataQuality=99, SSNDataQuality=99, DOBDataQuality=99,
                        VeteranStatus=99, **{col: 0 for col, _ in hud.RACE_COLUMNS})])
    sdb.flush()  # IntegrityError (a foreign key) if a child went in before its parent
    assert sdb.scalar(sa.select(IncomeBenefits.EnrollmentID).where(IncomeBenefits.workspace_id == ws.id)) == "e"
