"""preview performances: performances for school staff and parents before pupils see the drama, the seats staff
book for named colleagues, each school's link for parents (stored hashed) and the parents' bookings, with a
seats-taken counter the database keeps within the seats

Revision ID: 38940d51199c
Revises: e1a7c3b5d9f2
Create Date: 2026-11-30 19:01:52.606468

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '38940d51199c'
down_revision = 'e1a7c3b5d9f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('parent_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_parent_links_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_parent_links_token_hash'))
    )
    with op.batch_alter_table('parent_links', schema=None) as batch_op:
        batch_op.create_index('uq_parent_links_current_school', ['school_id'], unique=True, sqlite_where=sa.text('replaced_at IS NULL'), postgresql_where=sa.text('replaced_at IS NULL'))

    op.create_table('previews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('production_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('venue_address', sa.String(length=300), nullable=False),
    sa.Column('access_information', sa.Text(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('all_schools', 'district', 'schools', name='preview_audience', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='preview_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seats BETWEEN 1 AND 2000', name=op.f('ck_previews_seats_range')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= seats', name=op.f('ck_previews_seats_taken_within_seats')),
    sa.ForeignKeyConstraint(['production_id'], ['productions.id'], name=op.f('fk_previews_production_id_productions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_previews'))
    )
    with op.batch_alter_table('previews', schema=None) as batch_op:
        batch_op.create_index('ix_previews_day', ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_previews_production_id'), ['production_id'], unique=False)

    op.create_table('parent_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('preview_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('parent_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('awaiting', 'held', 'waiting', 'cancelled', 'attended', name='parent_booking_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirm_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('names_removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('seats BETWEEN 1 AND 4', name=op.f('ck_parent_bookings_seats_range')),
    sa.ForeignKeyConstraint(['preview_id'], ['previews.id'], name=op.f('fk_parent_bookings_preview_id_previews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_parent_bookings_school_id_schools'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_bookings')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_parent_bookings_token_hash'))
    )
    with op.batch_alter_table('parent_bookings', schema=None) as batch_op:
        batch_op.create_index('ix_parent_bookings_preview_email', ['preview_id', 'email'], unique=False)
        batch_op.create_index('ix_parent_bookings_preview_school', ['preview_id', 'school_id'], unique=False)
        batch_op.create_index('ix_parent_bookings_preview_state', ['preview_id', 'state', 'joined_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_bookings_school_id'), ['school_id'], unique=False)

    op.create_table('preview_schools',
    sa.Column('preview_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['preview_id'], ['previews.id'], name=op.f('fk_preview_schools_preview_id_previews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_preview_schools_school_id_schools'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('preview_id', 'school_id', name=op.f('pk_preview_schools'))
    )
    op.create_table('preview_staff_seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('preview_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('colleague_name', sa.String(length=120), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('names_removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_preview_staff_seats_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['preview_id'], ['previews.id'], name=op.f('fk_preview_staff_seats_preview_id_previews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_preview_staff_seats_school_id_schools'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preview_staff_seats'))
    )
    with op.batch_alter_table('preview_staff_seats', schema=None) as batch_op:
        batch_op.create_index('ix_preview_staff_seats_preview_school', ['preview_id', 'school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preview_staff_seats_school_id'), ['school_id'], unique=False)



def downgrade():
    with op.batch_alter_table('preview_staff_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_staff_seats_school_id'))
        batch_op.drop_index('ix_preview_staff_seats_preview_school')

    op.drop_table('preview_staff_seats')
    op.drop_table('preview_schools')
    with op.batch_alter_table('parent_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_bookings_school_id'))
        batch_op.drop_index('ix_parent_bookings_preview_state')
        batch_op.drop_index('ix_parent_bookings_preview_school')
        batch_op.drop_index('ix_parent_bookings_preview_email')

    op.drop_table('parent_bookings')
    with op.batch_alter_table('previews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_previews_production_id'))
        batch_op.drop_index('ix_previews_day')

    op.drop_table('previews')
    with op.batch_alter_table('parent_links', schema=None) as batch_op:
        batch_op.drop_index('uq_parent_links_current_school', sqlite_where=sa.text('replaced_at IS NULL'), postgresql_where=sa.text('replaced_at IS NULL'))

    op.drop_table('parent_links')
