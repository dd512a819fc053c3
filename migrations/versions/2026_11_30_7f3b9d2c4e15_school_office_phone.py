"""school office phone: the day sheet's number for the cast to call on the day

Revision ID: 7f3b9d2c4e15
Revises: 35daa7242640
Create Date: 2026-11-30 15:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7f3b9d2c4e15"
down_revision = "35daa7242640"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_phone", sa.String(length=40), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_column("office_phone")
