"""Cache each workspace's data-quality counts per version of its records (the sandbox home's summary).

Revision ID: s0003
Revises: s0002
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = 's0003'
down_revision = 's0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces') as batch:
        batch.add_column(sa.Column('data_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table('workspace_quality',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('computed_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_workspace_quality_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_workspace_quality'))
    )


def downgrade() -> None:
    op.drop_table('workspace_quality')
    with op.batch_alter_table('workspaces') as batch:
        batch.drop_column('data_version')
