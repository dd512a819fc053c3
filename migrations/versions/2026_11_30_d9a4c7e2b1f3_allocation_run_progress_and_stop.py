"""allocation run progress and stop: the best so far while a run works, and a person's request to stop it early

Revision ID: d9a4c7e2b1f3
Revises: c4e8a1f0b7d2
Create Date: 2026-11-30 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d9a4c7e2b1f3"
down_revision = "c4e8a1f0b7d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("allocation_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("stop_requested_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("allocation_runs", schema=None) as batch_op:
        batch_op.drop_column("stop_requested_at")
        batch_op.drop_column("progress")
