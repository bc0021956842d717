"""API tokens: bearer tokens for /api/v1/, with their scopes and the CoCs and agencies they read

Two new tables and nothing else changed, so the downgrade drops them (children first).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:30:00
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('scopes', sa.String(length=300), nullable=False),
    sa.Column('all_organisations', sa.Boolean(), nullable=False),
    sa.Column('created_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('last_used_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_api_tokens_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('api_token_reach',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('coc_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(coc_id IS NULL) != (agency_id IS NULL)', name=op.f('ck_api_token_reach_one_organisation')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_api_token_reach_agency_id_agencies')),
    sa.ForeignKeyConstraint(['coc_id'], ['cocs.id'], name=op.f('fk_api_token_reach_coc_id_cocs')),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_api_token_reach_token_id_api_tokens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token_reach'))
    )
    with op.batch_alter_table('api_token_reach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_reach_token_id'), ['token_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('api_token_reach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_reach_token_id'))
    op.drop_table('api_token_reach')
    op.drop_table('api_tokens')
