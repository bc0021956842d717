"""page versions: each person's own counter and a shared one, raised by every change a kept page shows

A signed-in trainee's pages are kept per process, keyed by these counters (lms/core/page_versions.py,
lms/core/kept_pages.py).  The downgrade drops both.  Written by hand, checked against the models by
tests/migrations.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 22:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('page_data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_data_version'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('page_version', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('page_version')
    op.drop_table('page_data_version')
