"""revocations and sanctions: revocation notices, violations, suspensions

Three new tables and nothing else changed, so the downgrade simply drops them (children
first).  The unique (user, agency, effective day) on revocation_notices makes a second
click of the same notice fail instead of filing it twice.  Reviewed by hand after
autogenerate; chained after 0003 on main (other helpers' migrations may be re-chained
at merge).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:26:06.464034
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('revocation_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('applied_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('credential_due_on', sa.Date(), nullable=False),
    sa.Column('deactivated_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('deactivated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('separation','duties','transfer')", name=op.f('ck_revocation_notices_kind_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_revocation_notices_agency_id_agencies')),
    sa.ForeignKeyConstraint(['deactivated_by_id'], ['users.id'], name=op.f('fk_revocation_notices_deactivated_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_revocation_notices_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_revocation_notices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revocation_notices')),
    sa.UniqueConstraint('user_id', 'agency_id', 'effective_on', name=op.f('uq_revocation_notices_user_id'))
    )
    with op.batch_alter_table('revocation_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revocation_notices_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revocation_notices_applied_at'), ['applied_at'], unique=False)
        batch_op.create_index('ix_revocation_notices_queue', ['deactivated_at', 'credential_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_revocation_notices_user_id'), ['user_id'], unique=False)

    op.create_table('violations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('broke_law', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reviewed_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('remedy', sa.Text(), nullable=True),
    sa.Column('remedied_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('remedied_by_id', sa.Integer(), nullable=True),
    sa.Column('panel_decision', sa.String(length=16), nullable=True),
    sa.Column('panel_note', sa.Text(), nullable=True),
    sa.Column('panel_decided_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('panel_recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("panel_decision IS NULL OR panel_decision IN ('retain','terminate')", name=op.f('ck_violations_panel_known')),
    sa.CheckConstraint("status != 'confirmed' OR tier IS NOT NULL", name=op.f('ck_violations_confirmed_has_tier')),
    sa.CheckConstraint("status IN ('pending_review','confirmed','dismissed')", name=op.f('ck_violations_status_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_violations_agency_id_agencies')),
    sa.ForeignKeyConstraint(['panel_recorded_by_id'], ['users.id'], name=op.f('fk_violations_panel_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_violations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['remedied_by_id'], ['users.id'], name=op.f('fk_violations_remedied_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_violations_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_violations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_violations'))
    )
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_violations_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_violations_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index('ix_violations_user_id_status', ['user_id', 'status'], unique=False)

    op.create_table('suspensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('violation_id', sa.Integer(), nullable=False),
    sa.Column('started_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('lifted_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lift_reason', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_suspensions_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_suspensions_user_id_users')),
    sa.ForeignKeyConstraint(['violation_id'], ['violations.id'], name=op.f('fk_suspensions_violation_id_violations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suspensions')),
    sa.UniqueConstraint('violation_id', name=op.f('uq_suspensions_violation_id'))
    )
    with op.batch_alter_table('suspensions', schema=None) as batch_op:
        batch_op.create_index('ix_suspensions_user_id_lifted_at', ['user_id', 'lifted_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('suspensions', schema=None) as batch_op:
        batch_op.drop_index('ix_suspensions_user_id_lifted_at')

    op.drop_table('suspensions')
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.drop_index('ix_violations_user_id_status')
        batch_op.drop_index(batch_op.f('ix_violations_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_violations_agency_id'))

    op.drop_table('violations')
    with op.batch_alter_table('revocation_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revocation_notices_user_id'))
        batch_op.drop_index('ix_revocation_notices_queue')
        batch_op.drop_index(batch_op.f('ix_revocation_notices_applied_at'))
        batch_op.drop_index(batch_op.f('ix_revocation_notices_agency_id'))

    op.drop_table('revocation_notices')
