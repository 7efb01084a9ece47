"""the ledger's generation: a counter per owner that every committed write moves

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 05:45:00

``ledger_generation`` holds one row per owner: ``generation`` goes up by one in the same
transaction as every write to their network (:mod:`netfolio.core.generation` adds the
bump to each transaction that wrote, whichever code path wrote: a session, a bulk import,
another process). A server keys its cached measures on it, so the next page after a write
shows fresh figures. On PostgreSQL the table is private (owner-only row-level security, as
every private table), so a member's write moves only their own counter.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ACTING = "(SELECT netfolio_acting_user())"


def upgrade() -> None:
    op.create_table(
        "ledger_generation",
        sa.Column("owner_id", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("generation", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_ledger_generation_owner_id_app_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_ledger_generation")),
    )
    if op.get_bind().dialect.name == "postgresql":
        table = "ledger_generation"
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN owner_id '
                   "SET DEFAULT netfolio_acting_user()")
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY owner_only ON "{table}" USING (owner_id = {ACTING}) '
                   f"WITH CHECK (owner_id = {ACTING})")
        # members' own roles made before this revision may use it too
        rows = op.get_bind().exec_driver_sql("SELECT role_name FROM member_role").all()
        for (role,) in rows:
            op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO "{role}"')


def downgrade() -> None:
    op.drop_table("ledger_generation")
