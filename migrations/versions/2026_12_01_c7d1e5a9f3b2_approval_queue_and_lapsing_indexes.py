"""the approval queue and performances about to lapse by index: users by role, approval state and age; performances
by status and confirm-by date

Revision ID: c7d1e5a9f3b2
Revises: b3f6d2a8c1e4
Create Date: 2026-12-01 20:15:00

"""

from alembic import op

revision = "c7d1e5a9f3b2"
down_revision = "b3f6d2a8c1e4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_users_role_approval_state_created_at", "users", ["role", "approval_state", "created_at"], unique=False
    )
    op.create_index("ix_performances_status_confirm_by", "performances", ["status", "confirm_by"], unique=False)


def downgrade():
    op.drop_index("ix_performances_status_confirm_by", table_name="performances")
    op.drop_index("ix_users_role_approval_state_created_at", table_name="users")
