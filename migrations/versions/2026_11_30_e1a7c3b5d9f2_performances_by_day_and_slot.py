"""performances by day and slot: the list of every season's performances, in date and time order, read from an index

Revision ID: e1a7c3b5d9f2
Revises: d9a4c7e2b1f3
Create Date: 2026-11-30 18:50:00

"""

from alembic import op

revision = "e1a7c3b5d9f2"
down_revision = "d9a4c7e2b1f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_performances_day_slot_id_id", "performances", ["day", "slot_id", "id"], unique=False)


def downgrade():
    op.drop_index("ix_performances_day_slot_id_id", table_name="performances")
