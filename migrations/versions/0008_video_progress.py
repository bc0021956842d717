"""video progress: how much of each course video version a person has watched

One new table and nothing else changed, so the downgrade drops it.  A row per person, course and
video file (its SHA-256): a changed video starts afresh.  Written by hand, checked against the
models by tests/migrations.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 21:10:00
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=40), nullable=False),
    sa.Column('video_hash', sa.String(length=64), nullable=False),
    sa.Column('intervals', sa.JSON(), nullable=False),
    sa.Column('position', sa.Float(), nullable=False),
    sa.Column('seconds_watched', sa.Float(), nullable=False),
    sa.Column('updated_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_video_progress_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_progress')),
    sa.UniqueConstraint('user_id', 'course', 'video_hash', name='uq_video_progress_user_course_video')
    )


def downgrade() -> None:
    op.drop_table('video_progress')
