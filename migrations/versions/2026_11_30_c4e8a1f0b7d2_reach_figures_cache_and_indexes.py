"""reach figures cache and indexes: a version every change to a count bumps, the figures computed under it, and
the indexes the reach queries' plans use (a season's performances by day; those in a state from a day on)

Revision ID: c4e8a1f0b7d2
Revises: 7f3b9d2c4e15
Create Date: 2026-11-30 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c4e8a1f0b7d2"
down_revision = "7f3b9d2c4e15"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reach_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reach_versions")),
    )
    op.execute(sa.text("INSERT INTO reach_versions (name, version) VALUES ('reach', 1)"))
    op.create_table(
        "reach_figures",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_reach_figures")),
    )
    with op.batch_alter_table("performances", schema=None) as batch_op:
        batch_op.create_index("ix_performances_season_id_day", ["season_id", "day"], unique=False)
        batch_op.create_index("ix_performances_status_day", ["status", "day"], unique=False)


def downgrade():
    with op.batch_alter_table("performances", schema=None) as batch_op:
        batch_op.drop_index("ix_performances_status_day")
        batch_op.drop_index("ix_performances_season_id_day")
    op.drop_table("reach_figures")
    op.drop_table("reach_versions")
