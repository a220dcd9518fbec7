"""entities.note: what a register says about an entity's parents (GLEIF reporting exceptions, fund relations)

Revision ID: 0003_gleif_entity_note
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_gleif_entity_note'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_column('note')
