"""access requests: user access requests, their projects, invitations to set a first password

One open request per person (e-mail) and agency: a partial unique index on
(agency_id, email) where status = 'submitted', on SQLite and PostgreSQL alike,
so two submissions racing each other cannot both succeed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:08:54.632448
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('employment', sa.String(length=16), nullable=False),
    sa.Column('had_access_before', sa.Boolean(), nullable=False),
    sa.Column('justification', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("employment IN ('employee','volunteer','intern')", name=op.f('ck_access_requests_employment_known')),
    sa.CheckConstraint("status IN ('submitted','approved','denied','withdrawn')", name=op.f('ck_access_requests_status_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_access_requests_agency_id_agencies')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_access_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_access_requests_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_requests_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_requests'))
    )
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_requests_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index('ix_access_requests_status_submitted_at', ['status', 'submitted_at'], unique=False)
        batch_op.create_index('uq_access_requests_open_email', ['agency_id', 'email'], unique=True, sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))

    op.create_table('access_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('used_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['access_requests.id'], name=op.f('fk_access_invitations_request_id_access_requests')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_invitations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_invitations_token_hash'))
    )
    with op.batch_alter_table('access_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_invitations_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_invitations_user_id'), ['user_id'], unique=False)

    op.create_table('access_request_projects',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_access_request_projects_project_id_projects')),
    sa.ForeignKeyConstraint(['request_id'], ['access_requests.id'], name=op.f('fk_access_request_projects_request_id_access_requests')),
    sa.PrimaryKeyConstraint('request_id', 'project_id', name=op.f('pk_access_request_projects'))
    )


def downgrade() -> None:
    op.drop_table('access_request_projects')
    with op.batch_alter_table('access_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_invitations_user_id'))
        batch_op.drop_index(batch_op.f('ix_access_invitations_request_id'))

    op.drop_table('access_invitations')
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_access_requests_open_email', sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))
        batch_op.drop_index('ix_access_requests_status_submitted_at')
        batch_op.drop_index(batch_op.f('ix_access_requests_agency_id'))

    op.drop_table('access_requests')
