"""lesson packs, follow-up lessons, evaluation, settings, tokens and outbox

Revision ID: a342568c16e4
Revises: ab8ac3e5b2cc
Create Date: 2026-11-25 22:20:42.628629

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a342568c16e4'
down_revision = 'ab8ac3e5b2cc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=80), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_send_after'), ['send_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_sent_at'), ['sent_at'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('account_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash'))
    )
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('lesson_packs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('production_id', sa.Integer(), nullable=False),
    sa.Column('year_group', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('learning_objectives', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year_group BETWEEN 7 AND 13', name=op.f('ck_lesson_packs_year_group_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lesson_packs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['production_id'], ['productions.id'], name=op.f('fk_lesson_packs_production_id_productions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_packs'))
    )
    with op.batch_alter_table('lesson_packs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_packs_production_id'), ['production_id'], unique=False)

    op.create_table('lesson_pack_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_lesson_pack_files_size_positive')),
    sa.ForeignKeyConstraint(['pack_id'], ['lesson_packs.id'], name=op.f('fk_lesson_pack_files_pack_id_lesson_packs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_pack_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_lesson_pack_files_stored_name'))
    )
    with op.batch_alter_table('lesson_pack_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_pack_files_pack_id'), ['pack_id'], unique=False)

    op.create_table('evaluation_returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('respondents', sa.Integer(), nullable=False),
    sa.Column('confident_before', sa.Integer(), nullable=False),
    sa.Column('confident_after', sa.Integer(), nullable=False),
    sa.Column('know_help_before', sa.Integer(), nullable=False),
    sa.Column('know_help_after', sa.Integer(), nullable=False),
    sa.Column('staff_rating', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('respondents >= 0 AND confident_before BETWEEN 0 AND respondents AND confident_after BETWEEN 0 AND respondents AND know_help_before BETWEEN 0 AND respondents AND know_help_after BETWEEN 0 AND respondents', name=op.f('ck_evaluation_returns_counts_within_respondents')),
    sa.CheckConstraint('staff_rating BETWEEN 1 AND 5', name=op.f('ck_evaluation_returns_staff_rating_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluation_returns_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_evaluation_returns_performance_id_performances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_returns')),
    sa.UniqueConstraint('performance_id', name='uq_evaluation_returns_performance_id')
    )
    op.create_table('follow_up_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('year_group', sa.Integer(), nullable=False),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.Column('excess_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('pupils BETWEEN 1 AND 1000', name=op.f('ck_follow_up_lessons_pupils_range')),
    sa.CheckConstraint('year_group BETWEEN 7 AND 13', name=op.f('ck_follow_up_lessons_year_group_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_follow_up_lessons_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pack_id'], ['lesson_packs.id'], name=op.f('fk_follow_up_lessons_pack_id_lesson_packs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_follow_up_lessons_performance_id_performances'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_follow_up_lessons_school_id_schools'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_lessons'))
    )
    with op.batch_alter_table('follow_up_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_lessons_performance_id'), ['performance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_lessons_school_id'), ['school_id'], unique=False)

    with op.batch_alter_table('seasons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_pence', sa.Integer(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wants_reminders', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('wants_reminders')

    with op.batch_alter_table('seasons', schema=None) as batch_op:
        batch_op.drop_column('cost_pence')

    with op.batch_alter_table('follow_up_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_lessons_school_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_lessons_performance_id'))

    op.drop_table('follow_up_lessons')
    op.drop_table('evaluation_returns')
    with op.batch_alter_table('lesson_pack_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_pack_files_pack_id'))

    op.drop_table('lesson_pack_files')
    with op.batch_alter_table('lesson_packs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_packs_production_id'))

    op.drop_table('lesson_packs')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_tokens_user_id'))

    op.drop_table('account_tokens')
    op.drop_table('settings')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_send_after'))

    op.drop_table('outbox_messages')
