"""people list status indexes: the active, inactive and locked people by name

The people list shows the active people by default (or the inactive, or the locked)
by (full_name, id), 25 at a time, with how many there are.  Without these indexes
the count read every person's row, and the inactive and locked lists walked the
whole name index to find their few.  (is_active, full_name, id) serves both the
count (from the index alone) and the page; the locked, a partial index on
(full_name, id) of the locked only, stays as small as their number.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_LOCKED = sa.text("locked_at IS NOT NULL")


def upgrade() -> None:
    op.create_index('ix_users_is_active_full_name_id', 'users', ['is_active', 'full_name', 'id'], unique=False)
    op.create_index('ix_users_locked_full_name_id', 'users', ['full_name', 'id'], unique=False,
                    sqlite_where=_LOCKED, postgresql_where=_LOCKED)


def downgrade() -> None:
    op.drop_index('ix_users_locked_full_name_id', table_name='users')
    op.drop_index('ix_users_is_active_full_name_id', table_name='users')
