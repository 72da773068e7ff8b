"""interviews; submissions' interview and practice flag

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('interviews',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_by_key_id', sa.Integer(), nullable=False),
    sa.Column('candidate_name', sa.String(length=200), nullable=False),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('time_limit_s', sa.Integer(), nullable=True),
    sa.Column('attempts_limit', sa.Integer(), nullable=True),
    sa.Column('hidden_feedback', sa.String(length=20), nullable=True),
    sa.Column('invite_token_hash', sa.String(length=64), nullable=False),
    sa.Column('candidate_key_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_reason', sa.String(length=20), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['candidate_key_id'], ['api_keys.id'], ),
    sa.ForeignKeyConstraint(['created_by_key_id'], ['api_keys.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_key_id'),
    sa.UniqueConstraint('invite_token_hash')
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_completed_at'), ['completed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_created_by_key_id'), ['created_by_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_ends_at'), ['ends_at'], unique=False)

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interview_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('practice', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_submissions_interview_id'), ['interview_id'], unique=False)
        batch_op.create_foreign_key('fk_submissions_interview_id', 'interviews', ['interview_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint('fk_submissions_interview_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_submissions_interview_id'))
        batch_op.drop_column('practice')
        batch_op.drop_column('interview_id')

    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_ends_at'))
        batch_op.drop_index(batch_op.f('ix_interviews_created_by_key_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_completed_at'))

    op.drop_table('interviews')
