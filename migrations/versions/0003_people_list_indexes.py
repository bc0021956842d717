"""people list indexes: sort by name, filter by role

The people list orders by (full_name, id) and pages through it: with this index the
database walks 25 rows instead of sorting every person.  The role filter finds who
holds a role through (role, user_id).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:00:00.000000
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_users_full_name_id', 'users', ['full_name', 'id'], unique=False)
    op.create_index('ix_role_grants_role_user_id', 'role_grants', ['role', 'user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_role_grants_role_user_id', table_name='role_grants')
    op.drop_index('ix_users_full_name_id', table_name='users')
