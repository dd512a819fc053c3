"""schools in name and district order: lists of schools, and of their performances, sorted by school without a sort
of every row

Revision ID: b3f6d2a8c1e4
Revises: 930e263a3e10
Create Date: 2026-12-01 03:20:00

"""

from alembic import op

revision = "b3f6d2a8c1e4"
down_revision = "930e263a3e10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_schools_name_id", "schools", ["name", "id"], unique=False)
    op.create_index("ix_schools_district_name_id", "schools", ["district", "name", "id"], unique=False)
    op.create_index("ix_performances_school_id_day", "performances", ["school_id", "day"], unique=False)
    op.drop_index("ix_performances_school_id", table_name="performances")


def downgrade():
    op.create_index("ix_performances_school_id", "performances", ["school_id"], unique=False)
    op.drop_index("ix_performances_school_id_day", table_name="performances")
    op.drop_index("ix_schools_district_name_id", table_name="schools")
    op.drop_index("ix_schools_name_id", table_name="schools")
