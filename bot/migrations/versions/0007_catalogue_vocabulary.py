"""catalogue vocabulary: categories, attribute definitions, product image URL

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name_nl', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('words_nl', sa.JSON(), nullable=False),
    sa.Column('words_en', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('key', name=op.f('uq_categories_key'))
    )
    op.create_table('attribute_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('name_nl', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('words_nl', sa.JSON(), nullable=False),
    sa.Column('words_en', sa.JSON(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribute_definitions')),
    sa.UniqueConstraint('key', name=op.f('uq_attribute_definitions_key'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_url', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('image_url')

    op.drop_table('attribute_definitions')
    op.drop_table('categories')
