"""initial schema

Revision ID: b54cfdb1c839
Revises: 
Create Date: 2026-11-25 21:41:40.588566

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b54cfdb1c839'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('productions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('audience_cap', sa.Integer(), nullable=False),
    sa.CheckConstraint('audience_cap BETWEEN 1 AND 1000', name=op.f('ck_productions_audience_cap_range')),
    sa.CheckConstraint('duration_minutes BETWEEN 10 AND 240', name=op.f('ck_productions_duration_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_productions')),
    sa.UniqueConstraint('title', name=op.f('uq_productions_title'))
    )
    op.create_table('schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('urn', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phase', sa.String(length=50), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('pupils_on_roll', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('hall_capacity', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('hall_capacity IS NULL OR hall_capacity BETWEEN 1 AND 2000', name=op.f('ck_schools_hall_capacity_range')),
    sa.CheckConstraint('priority BETWEEN 1 AND 3', name=op.f('ck_schools_priority_range')),
    sa.CheckConstraint('pupils_on_roll >= 0', name=op.f('ck_schools_pupils_on_roll_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools')),
    sa.UniqueConstraint('urn', name=op.f('uq_schools_urn'))
    )
    op.create_table('seasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('request_deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'open', 'published', name='season_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('speed_kmh', sa.Float(), nullable=False),
    sa.Column('road_factor', sa.Float(), nullable=False),
    sa.Column('changeover_minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_seasons_ends_after_start')),
    sa.CheckConstraint('request_deadline <= ends_on', name=op.f('ck_seasons_deadline_within_season')),
    sa.CheckConstraint('speed_kmh > 0 AND road_factor >= 1 AND changeover_minutes >= 0', name=op.f('ck_seasons_travel_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seasons')),
    sa.UniqueConstraint('name', name=op.f('uq_seasons_name'))
    )
    op.create_table('blackout_days',
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_blackout_days_season_id_seasons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('season_id', 'day', name=op.f('pk_blackout_days'))
    )
    op.create_table('casts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('max_per_day', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_per_day BETWEEN 1 AND 3', name=op.f('ck_casts_max_per_day_range')),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_casts_season_id_seasons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_casts')),
    sa.UniqueConstraint('season_id', 'name', name='uq_casts_season_name')
    )
    with op.batch_alter_table('casts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casts_season_id'), ['season_id'], unique=False)

    op.create_table('season_productions',
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('production_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['production_id'], ['productions.id'], name=op.f('fk_season_productions_production_id_productions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_season_productions_season_id_seasons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('season_id', 'production_id', name=op.f('pk_season_productions'))
    )
    op.create_table('slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_slots_season_id_seasons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slots')),
    sa.UniqueConstraint('season_id', 'code', name='uq_slots_season_code'),
    sa.UniqueConstraint('season_id', 'starts_at', name='uq_slots_season_starts_at')
    )
    with op.batch_alter_table('slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slots_season_id'), ['season_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.Enum('school', 'company', 'council', 'admin', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('approval_state', sa.Enum('pending', 'approved', 'refused', name='approval_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'school') = (school_id IS NOT NULL)", name=op.f('ck_users_school_staff_have_a_school')),
    sa.CheckConstraint("approval_state <> 'refused' OR refusal_reason <> ''", name=op.f('ck_users_refusal_has_reason')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_users_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_school_id'), ['school_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_audit_events_school_id_schools'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_school_id'), ['school_id'], unique=False)

    op.create_table('cast_dates',
    sa.Column('cast_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['cast_id'], ['casts.id'], name=op.f('fk_cast_dates_cast_id_casts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cast_id', 'day', name=op.f('pk_cast_dates'))
    )
    op.create_table('cast_productions',
    sa.Column('cast_id', sa.Integer(), nullable=False),
    sa.Column('production_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cast_id'], ['casts.id'], name=op.f('fk_cast_productions_cast_id_casts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['production_id'], ['productions.id'], name=op.f('fk_cast_productions_production_id_productions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('cast_id', 'production_id', name=op.f('pk_cast_productions'))
    )
    op.create_table('requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('production_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'withdrawn', name='request_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('staff_in_hall', sa.Integer(), nullable=False),
    sa.Column('dsl_name', sa.String(length=200), nullable=False),
    sa.Column('dsl_email', sa.String(length=254), nullable=False),
    sa.Column('dsl_phone', sa.String(length=40), nullable=False),
    sa.Column('access_notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('made_on_behalf', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('staff_in_hall >= 1', name=op.f('ck_requests_staff_in_hall_at_least_one')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_requests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['production_id'], ['productions.id'], name=op.f('fk_requests_production_id_productions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_requests_school_id_schools'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_requests_season_id_seasons'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests')),
    sa.UniqueConstraint('id', 'school_id', name='uq_requests_id_school_id')
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_season_id'), ['season_id'], unique=False)
        batch_op.create_index('uq_requests_live_school_production', ['season_id', 'school_id', 'production_id'], unique=True, sqlite_where=sa.text("status <> 'withdrawn'"), postgresql_where=sa.text("status <> 'withdrawn'"))

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('performances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('cast_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('provisional', 'confirmed', 'declined', 'cancelled', 'delivered', name='performance_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('pupils_planned', sa.Integer(), nullable=False),
    sa.Column('pupils_attended', sa.Integer(), nullable=True),
    sa.Column('support_requests', sa.Integer(), nullable=True),
    sa.Column('confirm_by', sa.Date(), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('pupils_attended IS NULL OR pupils_attended >= 0', name=op.f('ck_performances_pupils_attended_not_negative')),
    sa.CheckConstraint('pupils_planned >= 1', name=op.f('ck_performances_pupils_planned_positive')),
    sa.CheckConstraint('support_requests IS NULL OR support_requests >= 0', name=op.f('ck_performances_support_requests_not_negative')),
    sa.ForeignKeyConstraint(['cast_id'], ['casts.id'], name=op.f('fk_performances_cast_id_casts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['request_id', 'school_id'], ['requests.id', 'requests.school_id'], name='fk_performances_request_school', ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_performances_school_id_schools'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_performances_season_id_seasons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_performances_slot_id_slots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performances'))
    )
    with op.batch_alter_table('performances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performances_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performances_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performances_season_id'), ['season_id'], unique=False)
        batch_op.create_index('uq_performances_active_cast_slot', ['cast_id', 'day', 'slot_id'], unique=True, sqlite_where=sa.text("status NOT IN ('declined', 'cancelled')"), postgresql_where=sa.text("status NOT IN ('declined', 'cancelled')"))
        batch_op.create_index('uq_performances_active_school_slot', ['school_id', 'day', 'slot_id'], unique=True, sqlite_where=sa.text("status NOT IN ('declined', 'cancelled')"), postgresql_where=sa.text("status NOT IN ('declined', 'cancelled')"))

    op.create_table('request_dates',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('preferred', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_dates_request_id_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'day', name=op.f('pk_request_dates'))
    )
    op.create_table('request_slots',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_slots_request_id_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_request_slots_slot_id_slots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('request_id', 'slot_id', name=op.f('pk_request_slots'))
    )
    op.create_table('request_year_groups',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('year_group', sa.Integer(), nullable=False),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.CheckConstraint('pupils BETWEEN 1 AND 1000', name=op.f('ck_request_year_groups_pupils_range')),
    sa.CheckConstraint('year_group BETWEEN 7 AND 13', name=op.f('ck_request_year_groups_year_group_range')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_year_groups_request_id_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'year_group', name=op.f('pk_request_year_groups'))
    )


def downgrade():
    op.drop_table('request_year_groups')
    op.drop_table('request_slots')
    op.drop_table('request_dates')
    with op.batch_alter_table('performances', schema=None) as batch_op:
        batch_op.drop_index('uq_performances_active_school_slot', sqlite_where=sa.text("status NOT IN ('declined', 'cancelled')"), postgresql_where=sa.text("status NOT IN ('declined', 'cancelled')"))
        batch_op.drop_index('uq_performances_active_cast_slot', sqlite_where=sa.text("status NOT IN ('declined', 'cancelled')"), postgresql_where=sa.text("status NOT IN ('declined', 'cancelled')"))
        batch_op.drop_index(batch_op.f('ix_performances_season_id'))
        batch_op.drop_index(batch_op.f('ix_performances_school_id'))
        batch_op.drop_index(batch_op.f('ix_performances_request_id'))

    op.drop_table('performances')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('uq_requests_live_school_production', sqlite_where=sa.text("status <> 'withdrawn'"), postgresql_where=sa.text("status <> 'withdrawn'"))
        batch_op.drop_index(batch_op.f('ix_requests_season_id'))
        batch_op.drop_index(batch_op.f('ix_requests_school_id'))

    op.drop_table('requests')
    op.drop_table('cast_productions')
    op.drop_table('cast_dates')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_school_id'))
        batch_op.drop_index('ix_audit_events_object')

    op.drop_table('audit_events')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_school_id'))

    op.drop_table('users')
    with op.batch_alter_table('slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slots_season_id'))

    op.drop_table('slots')
    op.drop_table('season_productions')
    with op.batch_alter_table('casts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casts_season_id'))

    op.drop_table('casts')
    op.drop_table('blackout_days')
    op.drop_table('seasons')
    op.drop_table('schools')
    op.drop_table('productions')
