"""import runs, change log, possible duplicates, job changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:41:59.447793
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=1000), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_run_file_sha256"), ["file_sha256"], unique=False
        )

    op.create_table(
        "import_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=320), nullable=True),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_run.id"],
            name=op.f("fk_import_change_run_id_import_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_change")),
    )
    with op.batch_alter_table("import_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_change_run_id"), ["run_id"], unique=False)

    op.create_table(
        "job_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("old_title", sa.String(length=300), nullable=True),
        sa.Column("new_title", sa.String(length=300), nullable=True),
        sa.Column("old_organisation", sa.String(length=300), nullable=True),
        sa.Column("new_organisation", sa.String(length=300), nullable=True),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_job_change_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_run.id"],
            name=op.f("fk_job_change_run_id_import_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_change")),
    )
    with op.batch_alter_table("job_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_change_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_change_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_change_seen_on"), ["seen_on"], unique=False)

    op.create_table(
        "possible_duplicate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'merged', 'dismissed')", name=op.f("ck_possible_duplicate_status")
        ),
        sa.CheckConstraint("a_id < b_id", name=op.f("ck_possible_duplicate_ordered")),
        sa.ForeignKeyConstraint(
            ["a_id"],
            ["person.id"],
            name=op.f("fk_possible_duplicate_a_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["b_id"],
            ["person.id"],
            name=op.f("fk_possible_duplicate_b_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_run.id"],
            name=op.f("fk_possible_duplicate_run_id_import_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_possible_duplicate")),
        sa.UniqueConstraint("a_id", "b_id", name="uq_possible_duplicate_pair"),
    )
    with op.batch_alter_table("possible_duplicate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_possible_duplicate_a_id"), ["a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_possible_duplicate_b_id"), ["b_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_possible_duplicate_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_possible_duplicate_status"), ["status"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("possible_duplicate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_possible_duplicate_status"))
        batch_op.drop_index(batch_op.f("ix_possible_duplicate_run_id"))
        batch_op.drop_index(batch_op.f("ix_possible_duplicate_b_id"))
        batch_op.drop_index(batch_op.f("ix_possible_duplicate_a_id"))

    op.drop_table("possible_duplicate")
    with op.batch_alter_table("job_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_change_seen_on"))
        batch_op.drop_index(batch_op.f("ix_job_change_run_id"))
        batch_op.drop_index(batch_op.f("ix_job_change_person_id"))

    op.drop_table("job_change")
    with op.batch_alter_table("import_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_change_run_id"))

    op.drop_table("import_change")
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_run_file_sha256"))

    op.drop_table("import_run")
