"""released performances, lapse warnings and freed place offers: performances released for want of confirmation
are recorded as such (not as a school's decline), the council and company are warned once before one lapses, and a
freed place is offered first, with a hold, to the waiting requests it fits best

Revision ID: 35daa7242640
Revises: 5c1d2e7a9b40
Create Date: 2026-11-30 11:59:35.125065

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '35daa7242640'
down_revision = '5c1d2e7a9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('place_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('cast_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('freed_performance_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('held_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cast_id'], ['casts.id'], name=op.f('fk_place_offers_cast_id_casts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['freed_performance_id'], ['performances.id'], name=op.f('fk_place_offers_freed_performance_id_performances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_place_offers_request_id_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['season_id'], ['seasons.id'], name=op.f('fk_place_offers_season_id_seasons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_place_offers_slot_id_slots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_offers')),
    sa.UniqueConstraint('freed_performance_id', 'request_id', name='uq_place_offers_freed_performance_request')
    )
    with op.batch_alter_table('place_offers', schema=None) as batch_op:
        batch_op.create_index('ix_place_offers_place', ['cast_id', 'day', 'slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_offers_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_offers_season_id'), ['season_id'], unique=False)

    with op.batch_alter_table('performances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lapse_warned_at', sa.DateTime(timezone=True), nullable=True))

    # Performances the hourly job released before this revision were stored as declined: date their release from
    # the audit log, or, where that has been purged, from the reason the job wrote and the last change (unless the
    # log still shows a school's own decline).
    op.execute(
        sa.text(
            "UPDATE performances SET released_at = (SELECT MIN(audit_events.at) FROM audit_events"
            " WHERE audit_events.action = 'performance.released' AND audit_events.object_type = 'performance'"
            " AND audit_events.object_id = performances.id)"
            " WHERE status = 'declined' AND EXISTS (SELECT 1 FROM audit_events"
            " WHERE audit_events.action = 'performance.released' AND audit_events.object_type = 'performance'"
            " AND audit_events.object_id = performances.id)"
        )
    )
    op.execute(
        sa.text(
            "UPDATE performances SET released_at = updated_at"
            " WHERE status = 'declined' AND released_at IS NULL AND status_reason LIKE 'not confirmed by %'"
            " AND NOT EXISTS (SELECT 1 FROM audit_events WHERE audit_events.object_type = 'performance'"
            " AND audit_events.object_id = performances.id AND audit_events.action = 'performance.declined')"
        )
    )


def downgrade():
    with op.batch_alter_table('performances', schema=None) as batch_op:
        batch_op.drop_column('lapse_warned_at')
        batch_op.drop_column('released_at')

    with op.batch_alter_table('place_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_offers_season_id'))
        batch_op.drop_index(batch_op.f('ix_place_offers_request_id'))
        batch_op.drop_index('ix_place_offers_place')

    op.drop_table('place_offers')
