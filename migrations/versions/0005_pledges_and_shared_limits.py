"""pledges and shared limits: residents' pledges, their goals and voids; tries counted
against limits where every worker sees them; a stable key for each campaign action

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 00:10:01.970976

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "limit_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_limit_hit")),
    )
    with op.batch_alter_table("limit_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_limit_hit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_limit_hit_key"), ["key"], unique=False)

    op.create_table(
        "pledge_goal",
        sa.Column("campaign_slug", sa.String(length=120), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("by", sa.Date(), nullable=True),
        sa.Column("label_vi", sa.String(length=120), nullable=True),
        sa.Column("label_en", sa.String(length=120), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_pledge_goal_account_id_account")
        ),
        sa.PrimaryKeyConstraint("campaign_slug", name=op.f("pk_pledge_goal")),
    )
    op.create_table(
        "pledge_void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_slug", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_pledge_void_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_void")),
    )
    with op.batch_alter_table("pledge_void", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pledge_void_campaign_slug"), ["campaign_slug"], unique=False
        )

    op.create_table(
        "pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_slug", sa.String(length=120), nullable=False),
        sa.Column("province_slug", sa.String(length=80), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("form_nonce", sa.String(length=40), nullable=False),
        sa.Column("void_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["void_id"], ["pledge_void.id"], name=op.f("fk_pledge_void_id_pledge_void")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge")),
        sa.UniqueConstraint("form_nonce", name=op.f("uq_pledge_form_nonce")),
    )
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pledge_campaign_slug"), ["campaign_slug"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pledge_made_at"), ["made_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledge_void_id"), ["void_id"], unique=False)

    op.create_table(
        "pledge_action",
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("action_key", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["pledge.id"],
            name=op.f("fk_pledge_action_pledge_id_pledge"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pledge_id", "action_key", name=op.f("pk_pledge_action")),
    )
    # Actions come from content and had no key: the next content load writes them again,
    # each with the key content now gives it (no pledge can point at them yet).
    op.execute("DELETE FROM campaign_action")
    with op.batch_alter_table("campaign_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=120), nullable=False))
        batch_op.create_unique_constraint(
            batch_op.f("uq_campaign_action_campaign_id_key"), ["campaign_id", "key"]
        )

    with op.batch_alter_table("site_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pledges", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("site_state", schema=None) as batch_op:
        batch_op.drop_column("pledges")

    with op.batch_alter_table("campaign_action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_campaign_action_campaign_id_key"), type_="unique")
        batch_op.drop_column("key")

    op.drop_table("pledge_action")
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_void_id"))
        batch_op.drop_index(batch_op.f("ix_pledge_made_at"))
        batch_op.drop_index(batch_op.f("ix_pledge_campaign_slug"))

    op.drop_table("pledge")
    with op.batch_alter_table("pledge_void", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_void_campaign_slug"))

    op.drop_table("pledge_void")
    op.drop_table("pledge_goal")
    with op.batch_alter_table("limit_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_limit_hit_key"))
        batch_op.drop_index(batch_op.f("ix_limit_hit_at"))

    op.drop_table("limit_hit")
