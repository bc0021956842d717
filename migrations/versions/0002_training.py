"""training: evidence ledger, training plans, UPRA

The evidence ledger and the signatures of the agreement are never changed or
deleted: a trigger refuses UPDATE and DELETE on both (SQLite and PostgreSQL),
like the audit log's.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:43:53.071162
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('upra_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('published_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upra_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_upra_versions_version'))
    )
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requirement', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('achieved_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evidence_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('user_id', 'requirement', 'source', 'source_id', name=op.f('uq_evidence_source'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_user_id_fiscal_year', ['user_id', 'fiscal_year'], unique=False)

    op.create_table('training_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('evidence_not_before', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_plans_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_plans'))
    )
    with op.batch_alter_table('training_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_plans_user_id'), ['user_id'], unique=False)

    op.create_table('upra_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['upra_versions.id'], name=op.f('fk_upra_policies_version_id_upra_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upra_policies')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_upra_policies_version_key')),
    sa.UniqueConstraint('version_id', 'position', name=op.f('uq_upra_policies_version_position'))
    )
    with op.batch_alter_table('upra_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upra_policies_version_id'), ['version_id'], unique=False)

    op.create_table('upra_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('signed_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('typed_name', sa.String(length=200), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_upra_signatures_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['upra_versions.id'], name=op.f('fk_upra_signatures_version_id_upra_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upra_signatures'))
    )
    with op.batch_alter_table('upra_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upra_signatures_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_upra_signatures_version_id'), ['version_id'], unique=False)

    op.create_table('plan_requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('requirement', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plans.id'], name=op.f('fk_plan_requirements_plan_id_training_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_requirements')),
    sa.UniqueConstraint('plan_id', 'requirement', name=op.f('uq_plan_requirements_plan_id'))
    )
    with op.batch_alter_table('plan_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_requirements_plan_id'), ['plan_id'], unique=False)

    _append_only_up()


APPEND_ONLY = ("evidence", "upra_signatures")


def _append_only_up() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(
                f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{table} rows are never changed or deleted'; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )
        else:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or deleted'); END"
                )


def _append_only_down() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def downgrade() -> None:
    _append_only_down()
    with op.batch_alter_table('plan_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_requirements_plan_id'))

    op.drop_table('plan_requirements')
    with op.batch_alter_table('upra_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upra_signatures_version_id'))
        batch_op.drop_index(batch_op.f('ix_upra_signatures_user_id'))

    op.drop_table('upra_signatures')
    with op.batch_alter_table('upra_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upra_policies_version_id'))

    op.drop_table('upra_policies')
    with op.batch_alter_table('training_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_plans_user_id'))

    op.drop_table('training_plans')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_user_id_fiscal_year')

    op.drop_table('evidence')
    op.drop_table('upra_versions')
