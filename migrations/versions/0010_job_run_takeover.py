"""job runs: taken over when their process died, and caught up at the scheduler's start

Two columns on job_runs: when a later run found a run abandoned by its process, and
whether a run was made as the scheduler started, for a period missed while none ran.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken_over_at', lms.core.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('caught_up', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_column('caught_up')
        batch_op.drop_column('taken_over_at')
