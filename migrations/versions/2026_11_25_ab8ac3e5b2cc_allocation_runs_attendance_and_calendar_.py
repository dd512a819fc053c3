"""allocation runs, attendance and calendar feeds

Revision ID: ab8ac3e5b2cc
Revises: b54cfdb1c839
Create Date: 2026-11-25 21:48:57.717608

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ab8ac3e5b2cc'
down_revision = 'b54cfdb1c839'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('kind', 'owner_id', name='uq_calendar_feeds_kind_owner')
    )
    op.create_table('allocation_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'discarded', 'published', name='run_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('time_limit_seconds', sa.Integer(), nullable=False),
    sa.Column('instance', sa.JSON(), nullable=False),
    sa.Column('allocation', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('pupils_reached', sa.Integer(), nullable=True),
    sa.Column('weighted', sa.Integer(), nullable=True),
    sa.Column('bound', sa.Float(), nullable=True),
    sa.Column('schools_served', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_allocation_runs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_allocation_runs_season_id_seasons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_runs'))
    )
    with op.batch_alter_table('allocation_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_runs_season_id'), ['season_id'], unique=False)
        batch_op.create_index('uq_allocation_runs_one_active', ['season_id'], unique=True, sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))

    op.create_table('performance_attendance',
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('year_group', sa.Integer(), nullable=False),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.CheckConstraint('pupils BETWEEN 0 AND 1000', name=op.f('ck_performance_attendance_pupils_range')),
    sa.CheckConstraint('year_group BETWEEN 7 AND 13', name=op.f('ck_performance_attendance_year_group_range')),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_performance_attendance_performance_id_performances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('performance_id', 'year_group', name=op.f('pk_performance_attendance'))
    )


def downgrade():
    op.drop_table('performance_attendance')
    with op.batch_alter_table('allocation_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_allocation_runs_one_active', sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))
        batch_op.drop_index(batch_op.f('ix_allocation_runs_season_id'))

    op.drop_table('allocation_runs')
    op.drop_table('calendar_feeds')
