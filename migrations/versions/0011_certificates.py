"""certificates: one per person per fiscal year of annual training, with a public verification code

One new table and nothing else changed, so the downgrade drops it.  A certificate is
unique per (person, fiscal year) and its code is unique: two requests issuing at once
issue one, and a code names one certificate.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('issued_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('completed_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('user_id', 'fiscal_year', name='uq_certificates_user_id_fiscal_year')
    )


def downgrade() -> None:
    op.drop_table('certificates')
