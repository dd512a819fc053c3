"""schools without a location or pupils on roll: the national directory (GIAS) has a few

Revision ID: 5c1d2e7a9b40
Revises: 912a1ff1ba2f
Create Date: 2026-11-30 12:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5c1d2e7a9b40"
down_revision = "912a1ff1ba2f"
branch_labels = None
depends_on = None

COLUMNS = (("latitude", sa.Float()), ("longitude", sa.Float()), ("pupils_on_roll", sa.Integer()))


def upgrade():
    with op.batch_alter_table("schools", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade():
    # A school the directory gave no location or roll cannot stay as it is: it takes 0 until imported again.
    for name, _type in COLUMNS:
        op.execute(sa.text(f"UPDATE schools SET {name} = 0 WHERE {name} IS NULL"))
    with op.batch_alter_table("schools", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
