"""worker pool stats: each grading worker's warm-pool figures, for /metrics

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('worker_pool_stats',
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('worker')
    )
    with op.batch_alter_table('worker_pool_stats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_pool_stats_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('worker_pool_stats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_pool_stats_updated_at'))

    op.drop_table('worker_pool_stats')
