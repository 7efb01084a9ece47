"""users and the team: an owner on every private row, the shared directory, introduction
requests; on PostgreSQL, row-level security so that each user reads and writes only their own

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 06:10:00

Every existing row goes to user 1, ``me``: a personal ledger keeps working as it did. On
PostgreSQL, ``owner_id`` then defaults to the transaction's acting user
(``netfolio.user_id``) and the policies below let a user see only their own private rows,
every member's directory entries, and the introduction requests they are part of.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Every private table (see netfolio.core.models.Owned), parents before children.
OWNED = (
    "person", "person_email", "person_phone", "person_link", "person_field", "person_tag",
    "ask", "interaction", "interaction_person", "introduction", "knows", "import_run",
    "import_change", "possible_duplicate", "job_change", "plan_action",
)
OWNER_INDEXED = ("person", "person_field", "interaction", "interaction_person", "ask", "knows")
#: Settings of the ledger itself, not of its user: they move to server_setting.
SERVER_KEYS = ("taxonomy_version", "web_password_hash", "web_session_secret")
#: The acting user of the transaction, or NULL when none is set (then nothing is visible).
ACTING_USER = "NULLIF(current_setting('netfolio.user_id', true), '')::integer"


def _owner_column() -> sa.Column[int]:
    return sa.Column("owner_id", sa.Integer(), nullable=False, server_default=sa.text("1"))


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.execute(
        sa.text(
            "INSERT INTO app_user (id, username, display_name, password_hash, created_at) "
            "VALUES (1, 'me', 'Me', NULL, CURRENT_TIMESTAMP)"
        )
    )
    if postgres:
        op.execute("SELECT setval(pg_get_serial_sequence('app_user', 'id'), 1)")
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"],
                                name=op.f("fk_api_token_user_id_app_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_token_token_sha256")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"], unique=False)

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_owner_column())
            batch_op.create_foreign_key(
                f"fk_{table}_owner_id_app_user", "app_user", ["owner_id"], ["id"],
                ondelete="CASCADE",
            )
            if table in OWNER_INDEXED:
                batch_op.create_index(f"ix_{table}_owner_id", ["owner_id"], unique=False)
            if table == "person":
                batch_op.drop_constraint("uq_person_linkedin_url", type_="unique")
                batch_op.create_unique_constraint(
                    "uq_person_owner_linkedin_url", ["owner_id", "linkedin_url"]
                )
            elif table == "person_email":
                batch_op.drop_constraint("uq_person_email_email", type_="unique")
                batch_op.create_unique_constraint(
                    "uq_person_email_owner_email", ["owner_id", "email"]
                )
            elif table == "interaction":
                batch_op.drop_constraint("uq_interaction_source_key", type_="unique")
                batch_op.create_unique_constraint(
                    "uq_interaction_owner_source_key", ["owner_id", "source_key"]
                )

    # The settings become per user: (owner_id, key) is the key.
    if postgres:
        op.execute("ALTER TABLE setting RENAME CONSTRAINT pk_setting TO pk_setting_v3")
    op.rename_table("setting", "setting_v3")
    op.create_table(
        "setting",
        _owner_column(),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_setting_owner_id_app_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "key", name=op.f("pk_setting")),
    )
    op.create_table(
        "server_setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_server_setting")),
    )
    server = ", ".join(f"'{key}'" for key in SERVER_KEYS)
    op.execute(f"INSERT INTO server_setting (key, value) "
               f"SELECT key, value FROM setting_v3 WHERE key IN ({server})")
    op.execute(f"INSERT INTO setting (owner_id, key, value) "
               f"SELECT 1, key, value FROM setting_v3 WHERE key NOT IN ({server})")
    op.drop_table("setting_v3")

    op.create_table(
        "share_rule",
        _owner_column(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("share", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(person_id IS NULL) != (field IS NULL)",
                           name=op.f("ck_share_rule_one_target")),
        sa.ForeignKeyConstraint(["field"], ["field.slug"],
                                name=op.f("fk_share_rule_field_field"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_share_rule_owner_id_app_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_share_rule_person_id_person"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_rule")),
        sa.UniqueConstraint("owner_id", "field", name="uq_share_rule_owner_field"),
        sa.UniqueConstraint("owner_id", "person_id", name="uq_share_rule_owner_person"),
    )
    op.create_index(op.f("ix_share_rule_person_id"), "share_rule", ["person_id"], unique=False)
    op.create_table(
        "directory_entry",
        _owner_column(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("org_key", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("title_key", sa.String(length=300), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("bucket IN (0, 1, 2)", name=op.f("ck_directory_entry_bucket")),
        sa.ForeignKeyConstraint(["field"], ["field.slug"],
                                name=op.f("fk_directory_entry_field_field"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_directory_entry_owner_id_app_user"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_directory_entry_person_id_person"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_entry")),
        sa.UniqueConstraint("owner_id", "person_id", name="uq_directory_entry_owner_person"),
    )
    op.create_index("ix_directory_entry_org_key", "directory_entry", ["org_key"],
                    unique=False, postgresql_ops={"org_key": "text_pattern_ops"})
    op.create_index("ix_directory_entry_field_rank", "directory_entry",
                    ["field", "bucket", "name_key", "id"], unique=False)
    op.create_index("ix_directory_entry_rank", "directory_entry", ["bucket", "name_key", "id"],
                    unique=False)
    op.create_table(
        "intro_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("introducer_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("target_name", sa.String(length=300), nullable=False),
        sa.Column("target_organisation", sa.String(length=300), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=300), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("requester_id != introducer_id",
                           name=op.f("ck_intro_request_not_self")),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'withdrawn')",
                           name=op.f("ck_intro_request_status")),
        sa.ForeignKeyConstraint(["entry_id"], ["directory_entry.id"],
                                name=op.f("fk_intro_request_entry_id_directory_entry"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["introducer_id"], ["app_user.id"],
                                name=op.f("fk_intro_request_introducer_id_app_user"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requester_id"], ["app_user.id"],
                                name=op.f("fk_intro_request_requester_id_app_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_request")),
    )
    for column in ("introducer_id", "requester_id", "status"):
        op.create_index(op.f(f"ix_intro_request_{column}"), "intro_request", [column],
                        unique=False)
    if postgres:
        _row_level_security()


def _row_level_security() -> None:
    """Policies: private rows to their owner; the directory readable by every member;
    a request to its requester and introducer. FORCE applies them to the tables' owner
    too (the role netfolio connects as); only superusers and BYPASSRLS roles escape them,
    and netfolio refuses to serve a team through one (see netfolio.core.users)."""
    for table in (*OWNED, "setting", "share_rule", "directory_entry"):
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN owner_id SET DEFAULT {ACTING_USER}')
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        if table == "directory_entry":
            op.execute(f'CREATE POLICY team_reads ON "{table}" FOR SELECT USING (true)')
            for command, clause in (("INSERT", "WITH CHECK"), ("UPDATE", "USING"),
                                    ("DELETE", "USING")):
                check = f" WITH CHECK (owner_id = {ACTING_USER})" if command == "UPDATE" else ""
                op.execute(
                    f'CREATE POLICY owner_{command.lower()}s ON "{table}" FOR {command} '
                    f"{clause} (owner_id = {ACTING_USER}){check}"
                )
        else:
            op.execute(
                f'CREATE POLICY owner_only ON "{table}" USING (owner_id = {ACTING_USER}) '
                f"WITH CHECK (owner_id = {ACTING_USER})"
            )
    party = f"{ACTING_USER} IN (requester_id, introducer_id)"
    op.execute('ALTER TABLE "intro_request" ENABLE ROW LEVEL SECURITY')
    op.execute('ALTER TABLE "intro_request" FORCE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY parties_read ON "intro_request" FOR SELECT USING ({party})')
    op.execute(
        'CREATE POLICY requester_asks ON "intro_request" FOR INSERT '
        f"WITH CHECK (requester_id = {ACTING_USER})"
    )
    op.execute(
        f'CREATE POLICY parties_update ON "intro_request" FOR UPDATE USING ({party}) '
        f"WITH CHECK ({party})"
    )


def downgrade() -> None:
    raise NotImplementedError(
        "0004 gives every row an owner; going back would merge every user's network into one"
    )
