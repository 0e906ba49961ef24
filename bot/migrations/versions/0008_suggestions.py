"""sales suggestions: events, suppressions, cool-downs, back-in-stock, order additions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stock_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outbox_key', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_stock_subscriptions_customer_id_customers')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_subscriptions_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_subscriptions'))
    )
    with op.batch_alter_table('stock_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_subscriptions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_subscriptions_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_subscriptions_status'), ['status'], unique=False)

    op.create_table('suggestion_suppressions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_suggestion_suppressions_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_suppressions'))
    )
    with op.batch_alter_table('suggestion_suppressions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_suppressions_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_suppressions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_suppressions_reason'), ['reason'], unique=False)

    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=40), nullable=True),
    sa.Column('anchor_product_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.String(length=16), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('shown_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['anchor_product_id'], ['products.id'], name=op.f('fk_suggestions_anchor_product_id_products')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_suggestions_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_suggestions_order_id_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_suggestions_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions'))
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestions_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_rule'), ['rule'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestions_shown_at'), ['shown_at'], unique=False)

    op.create_table('order_additions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('flow', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('payment_token', sa.String(length=64), nullable=True),
    sa.Column('payment_url', sa.String(length=500), nullable=True),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_order_additions_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_additions_order_id_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_order_additions_product_id_products')),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], name=op.f('fk_order_additions_suggestion_id_suggestions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_additions')),
    sa.UniqueConstraint('payment_token', name=op.f('uq_order_additions_payment_token'))
    )
    with op.batch_alter_table('order_additions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_additions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_additions_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_additions_suggestion_id'), ['suggestion_id'], unique=False)

    op.create_table('suggestion_cooldowns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=True),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_suggestion_cooldowns_customer_id_customers')),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], name=op.f('fk_suggestion_cooldowns_suggestion_id_suggestions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_cooldowns'))
    )
    with op.batch_alter_table('suggestion_cooldowns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_cooldowns_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_cooldowns_customer_id'), ['customer_id'], unique=False)

    op.create_table('suggestion_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_suggestion_events_product_id_products')),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], name=op.f('fk_suggestion_events_suggestion_id_suggestions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_events'))
    )
    with op.batch_alter_table('suggestion_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_events_suggestion_id'), ['suggestion_id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), nullable=False, server_default='service'))



def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('purpose')

    with op.batch_alter_table('suggestion_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_events_suggestion_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_events_at'))

    op.drop_table('suggestion_events')
    with op.batch_alter_table('suggestion_cooldowns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_cooldowns_customer_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_cooldowns_conversation_id'))

    op.drop_table('suggestion_cooldowns')
    with op.batch_alter_table('order_additions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_additions_suggestion_id'))
        batch_op.drop_index(batch_op.f('ix_order_additions_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_additions_customer_id'))

    op.drop_table('order_additions')
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestions_shown_at'))
        batch_op.drop_index(batch_op.f('ix_suggestions_rule'))
        batch_op.drop_index(batch_op.f('ix_suggestions_product_id'))
        batch_op.drop_index(batch_op.f('ix_suggestions_order_id'))
        batch_op.drop_index(batch_op.f('ix_suggestions_customer_id'))
        batch_op.drop_index(batch_op.f('ix_suggestions_conversation_id'))

    op.drop_table('suggestions')
    with op.batch_alter_table('suggestion_suppressions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_suppressions_reason'))
        batch_op.drop_index(batch_op.f('ix_suggestion_suppressions_customer_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_suppressions_conversation_id'))

    op.drop_table('suggestion_suppressions')
    with op.batch_alter_table('stock_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_subscriptions_status'))
        batch_op.drop_index(batch_op.f('ix_stock_subscriptions_product_id'))
        batch_op.drop_index(batch_op.f('ix_stock_subscriptions_customer_id'))

    op.drop_table('stock_subscriptions')
