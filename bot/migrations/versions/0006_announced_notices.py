"""delay notices the bot announced, once per notice id

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('announced_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.String(length=120), nullable=False),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('order_number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('old_date', sa.Date(), nullable=True),
    sa.Column('new_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('voucher_code', sa.String(length=40), nullable=True),
    sa.Column('voucher_value_cents', sa.Integer(), nullable=True),
    sa.Column('voucher_expires', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_announced_notices_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announced_notices')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_announced_notices_notice_id'))
    )
    with op.batch_alter_table('announced_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announced_notices_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announced_notices_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('announced_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announced_notices_customer_id'))
        batch_op.drop_index(batch_op.f('ix_announced_notices_conversation_id'))

    op.drop_table('announced_notices')
