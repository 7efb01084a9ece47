"""plan actions: done, skip and snooze remembered per person and week

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:58:53.227217
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action != 'snooze' OR until IS NOT NULL", name=op.f("ck_plan_action_snooze_until")
        ),
        sa.CheckConstraint(
            "action IN ('done', 'skip', 'snooze')", name=op.f("ck_plan_action_action")
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_plan_action_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_plan_action_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
        sa.UniqueConstraint("person_id", "week", "action", name="uq_plan_action_person_week"),
    )
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_action_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_action_week"), ["week"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_action_week"))
        batch_op.drop_index(batch_op.f("ix_plan_action_person_id"))
    op.drop_table("plan_action")
