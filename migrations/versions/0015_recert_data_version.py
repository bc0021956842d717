"""recertification data version: a one-row counter, and evidence indexed by when it was achieved

The dashboard keeps what it rendered per process, keyed by the counter that every commit changing its
data raises (lms/recert/changes.py), and asks on each request when the next evidence dated ahead of now
falls (the index).  The downgrade drops both.  Written by hand, checked against the models by
tests/migrations.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('recert_data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recert_data_version'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])
    op.create_index('ix_evidence_achieved_at', 'evidence', ['achieved_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_evidence_achieved_at', table_name='evidence')
    op.drop_table('recert_data_version')
