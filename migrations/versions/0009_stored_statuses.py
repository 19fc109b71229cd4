"""stored statuses: each indicator's status, kept when its data or the date moves, so
lists page and scoreboards count in SQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 03:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stored_status", sa.String(length=30), server_default="no_data", nullable=False
            )
        )
        for name in ("stored_without_target", "stored_report_overdue", "stored_deadline_passed"):
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
        batch_op.create_index(batch_op.f("ix_indicator_stored_status"), ["stored_status"])
    with op.batch_alter_table("site_state", schema=None) as batch_op:
        # Empty: the first reader computes every status (app/indicators/stored.py).
        batch_op.add_column(sa.Column("statuses_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("statuses_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("site_state", schema=None) as batch_op:
        batch_op.drop_column("statuses_on")
        batch_op.drop_column("statuses_version")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_stored_status"))
        for name in (
            "stored_deadline_passed",
            "stored_report_overdue",
            "stored_without_target",
            "stored_status",
        ):
            batch_op.drop_column(name)
