"""training completions: one row per person trained at a level on a day (a session attended, with its certificate's
verification code, or an imported e-learning record), which the training reach figures count

Revision ID: 930e263a3e10
Revises: 2e8e8d30c620
Create Date: 2026-11-30 22:56:26.130539

"""

from alembic import op
import sqlalchemy as sa

revision = "930e263a3e10"
down_revision = "2e8e8d30c620"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("job_role_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "awareness", "multi_agency", name="course_level", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("certificate_code", sa.String(length=43), nullable=True),
        sa.Column("source_reference", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(booking_id IS NULL) <> (source_reference IS NULL)", name=op.f("ck_training_completions_one_source")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["training_agencies.id"],
            name=op.f("fk_training_completions_agency_id_training_agencies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["training_bookings.id"],
            name=op.f("fk_training_completions_booking_id_training_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_role_id"],
            ["training_job_roles.id"],
            name=op.f("fk_training_completions_job_role_id_training_job_roles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completions")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_training_completions_booking_id")),
        sa.UniqueConstraint("certificate_code", name=op.f("uq_training_completions_certificate_code")),
        sa.UniqueConstraint("source_reference", name=op.f("uq_training_completions_source_reference")),
    )
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_completions_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_completions_job_role_id"), ["job_role_id"], unique=False)
        batch_op.create_index(
            "ix_training_completions_level_email_day", ["level", "email", "completed_on", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_completions_level_email_day")
        batch_op.drop_index(batch_op.f("ix_training_completions_job_role_id"))
        batch_op.drop_index(batch_op.f("ix_training_completions_agency_id"))

    op.drop_table("training_completions")
