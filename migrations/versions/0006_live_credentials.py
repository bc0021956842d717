"""live credentials: one row per issuance of live HMIS credentials

One issued credential per person and one person per issued user name, enforced
by partial unique indexes (status = 'issued'), so two racing submissions cannot
both issue.  Revoked rows stay: the history of who held which user name.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:50:00.000000
"""
import sqlalchemy as sa
from alembic import op

import lms.core.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_ISSUED = sa.text("status = 'issued'")


def upgrade() -> None:
    op.create_table(
        'live_credentials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('issued_at', lms.core.types.UTCDateTime(), nullable=False),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', lms.core.types.UTCDateTime(), nullable=True),
        sa.Column('revoke_reason', sa.String(length=500), nullable=True),
        sa.CheckConstraint("status IN ('issued','revoked')", name=op.f('ck_live_credentials_status_known')),
        sa.CheckConstraint("status != 'revoked' OR revoked_at IS NOT NULL",
                           name=op.f('ck_live_credentials_revoked_has_time')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_live_credentials_issued_by_id_users')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'],
                                name=op.f('fk_live_credentials_revoked_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_credentials_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_credentials')),
    )
    op.create_index(op.f('ix_live_credentials_user_id'), 'live_credentials', ['user_id'], unique=False)
    op.create_index(op.f('ix_live_credentials_username'), 'live_credentials', ['username'], unique=False)
    op.create_index('uq_live_credentials_issued_user', 'live_credentials', ['user_id'], unique=True,
                    sqlite_where=_ISSUED, postgresql_where=_ISSUED)
    op.create_index('uq_live_credentials_issued_username', 'live_credentials', ['username'], unique=True,
                    sqlite_where=_ISSUED, postgresql_where=_ISSUED)


def downgrade() -> None:
    op.drop_index('uq_live_credentials_issued_username', table_name='live_credentials')
    op.drop_index('uq_live_credentials_issued_user', table_name='live_credentials')
    op.drop_index(op.f('ix_live_credentials_username'), table_name='live_credentials')
    op.drop_index(op.f('ix_live_credentials_user_id'), table_name='live_credentials')
    op.drop_table('live_credentials')
