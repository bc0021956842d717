"""course content: uploaded course videos (with captions and transcript) and edited course texts

Two new tables and nothing else changed, so the downgrade drops them.  Each holds versions: the
newest row of a course is its current video or text; earlier rows stay (the files too), so watch
progress and the audit log keep naming what they measured.  Written by hand, checked against the
models by tests/migrations.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:20:00
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('course_videos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('video_sha256', sa.String(length=64), nullable=False),
    sa.Column('duration', sa.Float(), nullable=False),
    sa.Column('captions_sha256', sa.String(length=64), nullable=False),
    sa.Column('transcript_sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_course_videos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_videos')),
    sa.UniqueConstraint('course', 'version', name='uq_course_videos_course_version')
    )
    op.create_table('course_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('resources', sa.JSON(), nullable=False),
    sa.Column('saved_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_course_texts_saved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_texts')),
    sa.UniqueConstraint('course', 'version', name='uq_course_texts_course_version')
    )


def downgrade() -> None:
    op.drop_table('course_texts')
    op.drop_table('course_videos')
