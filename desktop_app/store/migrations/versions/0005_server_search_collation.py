"""search index on PostgreSQL: byte-order collation for terms and normalized names

Revision ID: 0005
Revises: 0004

Search reads terms and names by range and in order ("prefix >= ? AND < ?", "ORDER BY term"). SQLite
compares text byte by byte; a PostgreSQL database created with a language locale (en_US.UTF-8, say)
would order them differently and find other candidates. With COLLATE "C" both compare the same way,
so a server gives the same results as a laptop. SQLite is left as it is.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = [
    ('search_names', 'norm', sa.Text()),
    ('search_terms', 'term', sa.String(length=100)),
    ('search_vocab', 'term', sa.String(length=100)),
    ('search_deletes', 'term', sa.String(length=100)),
    ('search_prefixes', 'prefix', sa.String(length=12)),
    ('search_prefixes', 'term', sa.String(length=100)),
]


def _retype(collation: str | None) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column, type_ in COLUMNS:
        new = type_.copy()
        new.collation = collation
        op.alter_column(table, column, type_=new, existing_nullable=False)


def upgrade() -> None:
    _retype('C')


def downgrade() -> None:
    _retype(None)
