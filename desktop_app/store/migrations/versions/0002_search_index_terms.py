"""search index: postings ordered by name length, term dictionary, deletion variants, prefixes

Revision ID: 0002
Revises: 0001

The search tables hold derived data only. The upgrade empties them; the application rebuilds the
index when it finds names without postings (search_index.ensure_built), and every import rebuilds it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('search_terms')
    op.execute('DELETE FROM search_names')
    op.execute('DELETE FROM search_identifiers')
    with op.batch_alter_table('search_names', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forms', sa.Text(), nullable=False, server_default=''))
    op.create_table('search_terms',
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('nlen', sa.SmallInteger(), nullable=False),
    sa.Column('name_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term', 'nlen', 'name_id'),
    sqlite_with_rowid=False
    )
    op.create_table('search_vocab',
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term'),
    sqlite_with_rowid=False
    )
    op.create_table('search_deletes',
    sa.Column('variant', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('variant', 'term'),
    sqlite_with_rowid=False
    )
    op.create_table('search_prefixes',
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('rank', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'rank'),
    sqlite_with_rowid=False
    )


def downgrade() -> None:
    op.drop_table('search_prefixes')
    op.drop_table('search_deletes')
    op.drop_table('search_vocab')
    op.drop_table('search_terms')
    op.execute('DELETE FROM search_names')
    op.execute('DELETE FROM search_identifiers')
    with op.batch_alter_table('search_names', schema=None) as batch_op:
        batch_op.drop_column('forms')
    op.create_table('search_terms',
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('name_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term', 'name_id')
    )
