"""CSE training: the agencies, job roles and e-mail domains the council lists, courses and their sessions (a venue
or a joining link, places the database keeps within the capacity), learners and their bookings (one live place per
learner per course), and the trainer and learner roles

Revision ID: 2e8e8d30c620
Revises: 38940d51199c
Create Date: 2026-11-30 19:03:52.681249

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2e8e8d30c620'
down_revision = '38940d51199c'
branch_labels = None
depends_on = None


OLD_ROLES = "role IN ('school', 'company', 'council', 'admin')"
NEW_ROLES = "role IN ('school', 'company', 'council', 'admin', 'trainer', 'learner')"


def change_role_check(before, after):
    """users.ck_users_role allows the roles in `after`.

    On SQLite a CHECK constraint is changed in the table's stored definition (SQLite's documented way for a change
    that no stored row can break: sqlite.org/lang_altertable.html, section 7), not by batch mode's copy of the table:
    dropping the old users table would cascade to every session and learner pointing at it."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
        bind.exec_driver_sql("PRAGMA writable_schema=ON")
        bind.execute(
            sa.text("UPDATE sqlite_master SET sql = replace(sql, :before, :after) WHERE type = 'table' AND name = 'users'"),
            {"before": before, "after": after},
        )
        bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
        bind.exec_driver_sql("PRAGMA writable_schema=OFF")
        stored = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").scalar()
        if after not in stored:
            raise RuntimeError("users has no role CHECK constraint in the expected form: change it by hand")
    else:
        op.drop_constraint(op.f('ck_users_role'), 'users', type_='check')
        op.create_check_constraint(op.f('ck_users_role'), 'users', after)


def upgrade():
    change_role_check(OLD_ROLES, NEW_ROLES)

    op.create_table('training_agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_agencies')),
    sa.UniqueConstraint('name', name=op.f('uq_training_agencies_name'))
    )
    op.create_table('training_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Enum('awareness', 'multi_agency', name='course_level', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('length_minutes', sa.Integer(), nullable=False),
    sa.Column('learning_outcomes', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length_minutes BETWEEN 15 AND 2880', name=op.f('ck_training_courses_length_minutes_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_courses'))
    )
    op.create_table('training_email_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_email_domains')),
    sa.UniqueConstraint('domain', name=op.f('uq_training_email_domains_domain'))
    )
    op.create_table('training_job_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_job_roles')),
    sa.UniqueConstraint('name', name=op.f('uq_training_job_roles_name'))
    )
    op.create_table('learners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('job_role_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['training_agencies.id'], name=op.f('fk_learners_agency_id_training_agencies'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['job_role_id'], ['training_job_roles.id'], name=op.f('fk_learners_job_role_id_training_job_roles'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learners_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learners')),
    sa.UniqueConstraint('user_id', name=op.f('uq_learners_user_id'))
    )
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learners_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learners_job_role_id'), ['job_role_id'], unique=False)

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('places_taken', sa.Integer(), nullable=False),
    sa.Column('venue_address', sa.Text(), nullable=False),
    sa.Column('access_information', sa.Text(), nullable=False),
    sa.Column('joining_link', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='training_session_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(venue_address = '') <> (joining_link = '')", name=op.f('ck_training_sessions_venue_or_online')),
    sa.CheckConstraint("status <> 'cancelled' OR cancel_reason <> ''", name=op.f('ck_training_sessions_cancellation_has_reason')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 500', name=op.f('ck_training_sessions_capacity_range')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_sessions_ends_after_start')),
    sa.CheckConstraint('places_taken >= 0 AND places_taken <= capacity', name=op.f('ck_training_sessions_places_within_capacity')),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_sessions_course_id_training_courses'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['trainer_id'], ['users.id'], name=op.f('fk_training_sessions_trainer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions')),
    sa.UniqueConstraint('id', 'course_id', name='uq_training_sessions_id_course')
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_training_sessions_day_starts_at', ['day', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('training_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('booked', 'waiting', 'offered', 'cancelled', 'attended', name='training_booking_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'offered' OR offer_expires_at IS NOT NULL", name=op.f('ck_training_bookings_offer_has_deadline')),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_bookings_course_id_training_courses'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_training_bookings_learner_id_learners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id', 'course_id'], ['training_sessions.id', 'training_sessions.course_id'], name='fk_training_bookings_session_course', ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_bookings'))
    )
    with op.batch_alter_table('training_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_bookings_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index('ix_training_bookings_session_status', ['session_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_training_bookings_live_learner_course', ['learner_id', 'course_id'], unique=True, sqlite_where=sa.text("status IN ('booked', 'waiting', 'offered')"), postgresql_where=sa.text("status IN ('booked', 'waiting', 'offered')"))



def downgrade():
    with op.batch_alter_table('training_bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_training_bookings_live_learner_course', sqlite_where=sa.text("status IN ('booked', 'waiting', 'offered')"), postgresql_where=sa.text("status IN ('booked', 'waiting', 'offered')"))
        batch_op.drop_index('ix_training_bookings_session_status')
        batch_op.drop_index(batch_op.f('ix_training_bookings_learner_id'))

    op.drop_table('training_bookings')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_trainer_id'))
        batch_op.drop_index('ix_training_sessions_day_starts_at')
        batch_op.drop_index(batch_op.f('ix_training_sessions_course_id'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learners_job_role_id'))
        batch_op.drop_index(batch_op.f('ix_learners_agency_id'))

    op.drop_table('learners')
    op.drop_table('training_job_roles')
    op.drop_table('training_email_domains')
    op.drop_table('training_courses')
    op.drop_table('training_agencies')
    # Trainers' and learners' accounts go with the roles (nothing else points at them once the tables are gone).
    op.execute(sa.text("DELETE FROM users WHERE role IN ('trainer', 'learner')"))
    change_role_check(NEW_ROLES, OLD_ROLES)
