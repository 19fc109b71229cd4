"""campaign posts: the updates editors write for a campaign, in both languages

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 00:25:44.212948

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_slug", sa.String(length=120), nullable=False),
        sa.Column("title_vi", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("text_vi", sa.String(), nullable=False),
        sa.Column("text_en", sa.String(), nullable=True),
        sa.Column("body_html_vi", sa.String(), nullable=False),
        sa.Column("body_html_en", sa.String(), nullable=True),
        sa.Column("event_day", sa.Date(), nullable=True),
        sa.Column("event_place", sa.String(length=200), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_campaign_post_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_post")),
    )
    with op.batch_alter_table("campaign_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_post_campaign_slug"), ["campaign_slug"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_post_published_at"), ["published_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("campaign_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_post_published_at"))
        batch_op.drop_index(batch_op.f("ix_campaign_post_campaign_slug"))

    op.drop_table("campaign_post")
