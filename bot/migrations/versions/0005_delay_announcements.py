"""delay announcements: carrier events, delay episodes, vouchers, the outbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('carrier_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=128), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('eta', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=24), nullable=True),
    sa.Column('applied', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_carrier_events_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_carrier_events_event_id'))
    )
    op.create_index(op.f('ix_carrier_events_shipment_id'), 'carrier_events', ['shipment_id'], unique=False)
    op.create_table('delay_episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('open_key', sa.String(length=64), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('old_date', sa.Date(), nullable=False),
    sa.Column('new_date', sa.Date(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_reason', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_delay_episodes_order_id_orders')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_delay_episodes_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delay_episodes')),
    sa.UniqueConstraint('open_key', name=op.f('uq_delay_episodes_open_key'))
    )
    op.create_index(op.f('ix_delay_episodes_order_id'), 'delay_episodes', ['order_id'], unique=False)
    op.create_index(op.f('ix_delay_episodes_shipment_id'), 'delay_episodes', ['shipment_id'], unique=False)
    op.create_table('vouchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['delay_episodes.id'], name=op.f('fk_vouchers_episode_id_delay_episodes')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_vouchers_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers')),
    sa.UniqueConstraint('code', name=op.f('uq_vouchers_code')),
    sa.UniqueConstraint('order_id', name=op.f('uq_vouchers_order_id'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=300), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('intent', sa.String(length=80), nullable=False),
    sa.Column('entities', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('sent_to', sa.String(length=300), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_by', sa.String(length=64), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_outbox_messages_customer_id_customers')),
    sa.ForeignKeyConstraint(['episode_id'], ['delay_episodes.id'], name=op.f('fk_outbox_messages_episode_id_delay_episodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_messages_dedup_key'))
    )
    op.create_index(op.f('ix_outbox_messages_customer_id'), 'outbox_messages', ['customer_id'], unique=False)
    op.create_index(op.f('ix_outbox_messages_episode_id'), 'outbox_messages', ['episode_id'], unique=False)
    op.create_index(op.f('ix_outbox_messages_next_attempt_at'), 'outbox_messages', ['next_attempt_at'], unique=False)
    op.create_index(op.f('ix_outbox_messages_status'), 'outbox_messages', ['status'], unique=False)
    op.create_table('sender_pacing',
    sa.Column('sender', sa.String(length=100), nullable=False),
    sa.Column('next_slot_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sender', name=op.f('pk_sender_pacing'))
    )


def downgrade() -> None:
    op.drop_table('sender_pacing')
    op.drop_index(op.f('ix_outbox_messages_status'), table_name='outbox_messages')
    op.drop_index(op.f('ix_outbox_messages_next_attempt_at'), table_name='outbox_messages')
    op.drop_index(op.f('ix_outbox_messages_episode_id'), table_name='outbox_messages')
    op.drop_index(op.f('ix_outbox_messages_customer_id'), table_name='outbox_messages')
    op.drop_table('outbox_messages')
    op.drop_table('vouchers')
    op.drop_index(op.f('ix_delay_episodes_shipment_id'), table_name='delay_episodes')
    op.drop_index(op.f('ix_delay_episodes_order_id'), table_name='delay_episodes')
    op.drop_table('delay_episodes')
    op.drop_index(op.f('ix_carrier_events_shipment_id'), table_name='carrier_events')
    op.drop_table('carrier_events')
