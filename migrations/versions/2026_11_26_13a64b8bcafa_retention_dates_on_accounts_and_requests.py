"""retention dates on accounts and requests, and when a session last confirmed its password

Revision ID: 13a64b8bcafa
Revises: a342568c16e4
Create Date: 2026-11-26 00:20:36.771094

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13a64b8bcafa'
down_revision = 'a342568c16e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts_removed_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authenticated_at', sa.DateTime(timezone=True), nullable=True))

    # Accounts already deactivated or refused count their 12 months from the day this revision is applied.
    users = sa.table(
        "users",
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("active", sa.Boolean()),
        sa.column("approval_state", sa.String()),
    )
    op.execute(
        users.update()
        .where(sa.or_(users.c.active == sa.false(), users.c.approval_state == "refused"))
        .values(closed_at=datetime.now(UTC))
    )


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('authenticated_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_column('contacts_removed_at')
