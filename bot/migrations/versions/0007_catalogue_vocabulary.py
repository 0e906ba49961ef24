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
    _describe_existing_products()


def _describe_existing_products() -> None:
    """A store that already holds products gets their categories and attribute keys, named by
    their keys and without shopper words, so its products stay valid and a products-only
    import keeps working; the retailer's categories.yml and attributes.yml then fill them in."""
    bind = op.get_bind()
    products = sa.table('products', sa.column('category', sa.String), sa.column('attributes', sa.JSON))
    rows = bind.execute(sa.select(products.c.category, products.c.attributes)).all()
    if not rows:
        return
    categories = sa.table(
        'categories', *(sa.column(c) for c in ('key', 'name_nl', 'name_en')),
        sa.column('words_nl', sa.JSON), sa.column('words_en', sa.JSON),
    )
    keys = sorted({row.category for row in rows})
    op.bulk_insert(categories, [
        {'key': k, 'name_nl': k, 'name_en': k, 'words_nl': [], 'words_en': []} for k in keys
    ])
    values: dict[str, list] = {}
    for row in rows:
        for key, value in (row.attributes or {}).items():
            values.setdefault(key, []).append(value)
    definitions = sa.table(
        'attribute_definitions', *(sa.column(c) for c in ('key', 'type', 'name_nl', 'name_en')),
        sa.column('words_nl', sa.JSON), sa.column('words_en', sa.JSON), sa.column('values', sa.JSON),
    )
    op.bulk_insert(definitions, [
        {'key': key, 'type': _type_of(found), 'name_nl': key, 'name_en': key,
         'words_nl': [], 'words_en': [], 'values': {}}
        for key, found in sorted(values.items())
    ])


def _type_of(values: list) -> str:
    if all(isinstance(v, bool) for v in values):
        return 'bool'
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return 'number'
    return 'text'


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('image_url')

    op.drop_table('attribute_definitions')
    op.drop_table('categories')
