"""quizzes: question bank versions, their questions and choices, attempts and the questions drawn

Five new tables and nothing else changed, so the downgrade drops them (children first).
A bank version is never edited: a changed file is loaded as the next version, and each
attempt keeps the version it was drawn from.  Reviewed by hand after autogenerate.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 20:32:54.853437
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quiz_banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_banks')),
    sa.UniqueConstraint('course', 'version', name='uq_quiz_banks_course_version')
    )
    op.create_table('quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=40), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('started_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('correct_count', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['bank_id'], ['quiz_banks.id'], name=op.f('fk_quiz_attempts_bank_id_quiz_banks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_attempts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts'))
    )
    op.create_index(op.f('ix_quiz_attempts_bank_id'), 'quiz_attempts', ['bank_id'], unique=False)
    op.create_index('ix_quiz_attempts_user_id_course_started_at', 'quiz_attempts', ['user_id', 'course', 'started_at'], unique=False)
    op.create_table('quiz_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['quiz_banks.id'], name=op.f('fk_quiz_questions_bank_id_quiz_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_questions')),
    sa.UniqueConstraint('bank_id', 'key', name='uq_quiz_questions_bank_key')
    )
    op.create_index(op.f('ix_quiz_questions_bank_id'), 'quiz_questions', ['bank_id'], unique=False)
    op.create_table('quiz_attempt_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choice_order', sa.JSON(), nullable=False),
    sa.Column('chosen', sa.JSON(), nullable=True),
    sa.Column('correct', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempts.id'], name=op.f('fk_quiz_attempt_questions_attempt_id_quiz_attempts')),
    sa.ForeignKeyConstraint(['question_id'], ['quiz_questions.id'], name=op.f('fk_quiz_attempt_questions_question_id_quiz_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt_questions')),
    sa.UniqueConstraint('attempt_id', 'position', name='uq_quiz_attempt_questions_attempt_position')
    )
    op.create_index(op.f('ix_quiz_attempt_questions_attempt_id'), 'quiz_attempt_questions', ['attempt_id'], unique=False)
    op.create_index(op.f('ix_quiz_attempt_questions_question_id'), 'quiz_attempt_questions', ['question_id'], unique=False)
    op.create_table('quiz_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['quiz_questions.id'], name=op.f('fk_quiz_choices_question_id_quiz_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_choices')),
    sa.UniqueConstraint('question_id', 'position', name='uq_quiz_choices_question_position')
    )
    op.create_index(op.f('ix_quiz_choices_question_id'), 'quiz_choices', ['question_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_quiz_choices_question_id'), table_name='quiz_choices')
    op.drop_table('quiz_choices')
    op.drop_index(op.f('ix_quiz_attempt_questions_question_id'), table_name='quiz_attempt_questions')
    op.drop_index(op.f('ix_quiz_attempt_questions_attempt_id'), table_name='quiz_attempt_questions')
    op.drop_table('quiz_attempt_questions')
    op.drop_index(op.f('ix_quiz_questions_bank_id'), table_name='quiz_questions')
    op.drop_table('quiz_questions')
    op.drop_index('ix_quiz_attempts_user_id_course_started_at', table_name='quiz_attempts')
    op.drop_index(op.f('ix_quiz_attempts_bank_id'), table_name='quiz_attempts')
    op.drop_table('quiz_attempts')
    op.drop_table('quiz_banks')
