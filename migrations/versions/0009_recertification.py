"""recertification: cycles per fiscal year, reminders mailed, suspensions for missed recertification

Three new tables and nothing else changed, so the downgrade drops them (children first).
A cycle is unique per fiscal year, a reminder per (cycle, person, reminder point) and a
suspension per (cycle, person): the constraints make every job safe to repeat.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:30:00
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recert_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('opened_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reminder_days', sa.String(length=100), nullable=False),
    sa.Column('overdue_every_days', sa.Integer(), nullable=False),
    sa.Column('carry_over_days', sa.Integer(), nullable=False),
    sa.Column('enforced_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_recert_cycles_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recert_cycles')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_recert_cycles_fiscal_year'))
    )
    op.create_table('recert_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('sent_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['recert_cycles.id'], name=op.f('fk_recert_reminders_cycle_id_recert_cycles')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_recert_reminders_outbox_message_id_outbox_messages')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recert_reminders_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recert_reminders')),
    sa.UniqueConstraint('cycle_id', 'user_id', 'key', name='uq_recert_reminders_cycle_id_user_id_key')
    )
    op.create_index(op.f('ix_recert_reminders_cycle_id'), 'recert_reminders', ['cycle_id'], unique=False)
    op.create_index(op.f('ix_recert_reminders_user_id'), 'recert_reminders', ['user_id'], unique=False)
    op.create_table('recert_suspensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('lifted_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('lift_reason', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['recert_cycles.id'], name=op.f('fk_recert_suspensions_cycle_id_recert_cycles')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recert_suspensions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recert_suspensions')),
    sa.UniqueConstraint('cycle_id', 'user_id', name='uq_recert_suspensions_cycle_id_user_id')
    )
    op.create_index('ix_recert_suspensions_user_id_lifted_at', 'recert_suspensions', ['user_id', 'lifted_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_recert_suspensions_user_id_lifted_at', table_name='recert_suspensions')
    op.drop_table('recert_suspensions')
    op.drop_index(op.f('ix_recert_reminders_user_id'), table_name='recert_reminders')
    op.drop_index(op.f('ix_recert_reminders_cycle_id'), table_name='recert_reminders')
    op.drop_table('recert_reminders')
    op.drop_table('recert_cycles')
