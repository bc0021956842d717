"""live sessions index: a person's live sessions, found without reading their ended ones

Every sign-in ends the person's live sessions (``UPDATE user_sessions ... WHERE user_id = ? AND ended_at
IS NULL``); through the index on user_id alone it read every session the person ever had, and a person
signs in most working days.  An index on (user_id, ended_at) finds the live ones directly and serves
every other look-up by person, so it replaces the one on user_id.  Written by hand, checked against the
models by tests/migrations.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 00:30:00
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_user_sessions_user_id_ended_at', 'user_sessions', ['user_id', 'ended_at'], unique=False)
    op.drop_index('ix_user_sessions_user_id', table_name='user_sessions')


def downgrade() -> None:
    op.create_index('ix_user_sessions_user_id', 'user_sessions', ['user_id'], unique=False)
    op.drop_index('ix_user_sessions_user_id_ended_at', table_name='user_sessions')
