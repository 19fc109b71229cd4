"""published changes and failed attempts: which search documents each data version
changed; tries at a password, counted where every worker sees them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 17:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "published_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_change")),
    )
    with op.batch_alter_table("published_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_published_change_version"), ["version"], unique=False)
    op.create_table(
        "failed_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_attempt")),
    )
    with op.batch_alter_table("failed_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_failed_attempt_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_failed_attempt_at"), ["at"], unique=False)


def downgrade():
    with op.batch_alter_table("failed_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failed_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_failed_attempt_key"))
    op.drop_table("failed_attempt")
    with op.batch_alter_table("published_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_change_version"))
    op.drop_table("published_change")
