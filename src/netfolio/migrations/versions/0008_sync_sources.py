"""sync sources (IMAP, CalDAV, CardDAV, ICS URLs) and where each sync got to

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-06 03:10:00

Both tables are private (an ``owner_id``): on PostgreSQL, row-level security lets each user
see only their own sources, as for every other private table (see 0004).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The acting user of the transaction (as in 0004).
ACTING_USER = "NULLIF(current_setting('netfolio.user_id', true), '')::integer"


def _owner_column() -> sa.Column[int]:
    return sa.Column("owner_id", sa.Integer(), nullable=False, server_default=sa.text("1"))


def upgrade() -> None:
    op.create_table(
        "sync_source",
        _owner_column(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("username", sa.String(length=320), nullable=True),
        sa.Column("password_env", sa.String(length=100), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(length=10), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("last_counts", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('imap', 'caldav', 'carddav', 'ics')", name=op.f("ck_sync_source_kind")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_sync_source_owner_id_app_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_source")),
        sa.UniqueConstraint("owner_id", "name", name="uq_sync_source_owner_name"),
    )
    op.create_table(
        "sync_cursor",
        _owner_column(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=500), nullable=False),
        sa.Column("validity", sa.String(length=100), nullable=True),
        sa.Column("position", sa.String(length=500), nullable=True),
        sa.Column("modseq", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_sync_cursor_owner_id_app_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["import_run.id"],
                                name=op.f("fk_sync_cursor_run_id_import_run"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["source_id"], ["sync_source.id"],
                                name=op.f("fk_sync_cursor_source_id_sync_source"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_cursor")),
    )
    op.create_index(op.f("ix_sync_cursor_source_id"), "sync_cursor", ["source_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table in ("sync_source", "sync_cursor"):
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN owner_id SET DEFAULT {ACTING_USER}')
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY owner_only ON "{table}" USING (owner_id = {ACTING_USER}) '
                f"WITH CHECK (owner_id = {ACTING_USER})"
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_cursor_source_id"), table_name="sync_cursor")
    op.drop_table("sync_cursor")
    op.drop_table("sync_source")
