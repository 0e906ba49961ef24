"""refund progress on returns: amount, method and dates

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_amount_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('refund_method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('paid_at')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('received_at')
        batch_op.drop_column('refund_method')
        batch_op.drop_column('refund_amount_cents')
