"""members' own database roles and server-side web sessions; on PostgreSQL, row-level
security keyed on the member's role, secrets no member can read, references checked
within one member's network

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-06 03:20:00

Before this revision every member used the one role netfolio connects as, and the policies
trusted the ``netfolio.user_id`` setting: whoever held the database URL could read every
member's rows by setting it, and the password hashes, API token hashes and the cookie
secret. From here on (see docs/security.md):

- ``netfolio_acting_user()`` is the acting user: for a member's own role
  (``member_role``), the member it maps to, whatever ``netfolio.user_id`` says; for the
  tables' owner (the server's role), ``netfolio.user_id``; for any other role, nobody.
  Every policy and every ``owner_id`` default calls it.
- A member's role is granted only the private tables, the directory, introduction
  requests, the field taxonomy and the non-secret columns of ``app_user``
  (:mod:`netfolio.core.roles` grants them when it creates a member's role). ``api_token``,
  ``server_setting``, ``web_session`` and ``app_user.password_hash`` are never granted;
  row-level security with no policy for anyone but the owner backs that up.
- A trigger on each reference between private tables checks, under the member's own
  policies, that the row referred to is visible: a foreign key would otherwise tell Bob
  whether Ana's person #42 exists (foreign key checks bypass row-level security).

On SQLite (a personal ledger) only the two tables are added.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None

#: Every private table (owner_id): those of 0004, the search index (0007) and the sync
#: sources (0008), all with owner-scoped policies.
OWNED = (
    "person", "person_email", "person_phone", "person_link", "person_field", "person_tag",
    "ask", "interaction", "interaction_person", "introduction", "knows", "import_run",
    "import_change", "possible_duplicate", "job_change", "plan_action", "setting",
    "share_rule", "person_search", "sync_source", "sync_cursor",
)
#: Tables no member role may read at all (the owner's only).
SECRET = ("api_token", "server_setting", "web_session")
#: References from a member's rows to another private table: (table, column, referred).
REFERENCES = (
    ("person_email", "person_id", "person"), ("person_phone", "person_id", "person"),
    ("person_link", "person_id", "person"), ("person_field", "person_id", "person"),
    ("person_tag", "person_id", "person"),
    ("interaction_person", "interaction_id", "interaction"),
    ("interaction_person", "person_id", "person"), ("interaction", "ask_id", "ask"),
    ("ask", "person_id", "person"), ("introduction", "a_id", "person"),
    ("introduction", "b_id", "person"), ("introduction", "interaction_id", "interaction"),
    ("knows", "a_id", "person"), ("knows", "b_id", "person"),
    ("import_change", "run_id", "import_run"), ("possible_duplicate", "a_id", "person"),
    ("possible_duplicate", "b_id", "person"), ("possible_duplicate", "run_id", "import_run"),
    ("job_change", "person_id", "person"), ("job_change", "run_id", "import_run"),
    ("plan_action", "person_id", "person"), ("plan_action", "interaction_id", "interaction"),
    ("share_rule", "person_id", "person"), ("directory_entry", "person_id", "person"),
    ("person_search", "person_id", "person"), ("sync_cursor", "source_id", "sync_source"),
    ("sync_cursor", "run_id", "import_run"),
)
ACTING = "(SELECT netfolio_acting_user())"


def upgrade() -> None:
    op.create_table(
        "member_role",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"],
                                name=op.f("fk_member_role_user_id_app_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_member_role")),
        sa.UniqueConstraint("user_id", name=op.f("uq_member_role_user_id")),
    )
    op.create_table(
        "web_session",
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"],
                                name=op.f("fk_web_session_user_id_app_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key_sha256", name=op.f("pk_web_session")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _member_roles()


def _member_roles() -> None:
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    path = f'pg_catalog, "{schema}", pg_temp'  # pg_temp last: no temporary table shadows ours
    op.execute(f"""
        CREATE FUNCTION netfolio_acting_user() RETURNS integer
        LANGUAGE sql STABLE SET search_path = {path} AS $$
          SELECT CASE
            WHEN EXISTS (SELECT 1 FROM "{schema}".member_role m
                         WHERE m.role_name = current_user::text)
              THEN (SELECT m.user_id FROM "{schema}".member_role m
                    WHERE m.role_name = current_user::text)
            WHEN pg_has_role(current_user, (SELECT c.relowner FROM pg_class c
                             WHERE c.oid = '"{schema}".app_user'::regclass), 'MEMBER')
              THEN NULLIF(current_setting('netfolio.user_id', true), '')::integer
          END
        $$""")
    # Static queries (one cached plan each), not EXECUTE: this runs for every row written.
    checks = "\n".join(
        f"""              IF TG_ARGV[i + 1] = '{referred}' THEN
                seen := EXISTS (SELECT 1 FROM "{schema}"."{referred}" r WHERE r.id = ref);
              END IF;"""
        for referred in sorted({r for _, _, r in REFERENCES}))
    op.execute(f"""
        CREATE FUNCTION netfolio_check_references() RETURNS trigger
        LANGUAGE plpgsql SET search_path = {path} AS $$
        DECLARE
          i integer := 0;
          ref bigint;
          seen boolean;
          row jsonb;
        BEGIN
          -- The admin role (the tables' owner, which the web server uses) is trusted, and
          -- its services look every reference up within the acting user's network.
          IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c
                                        WHERE c.oid = TG_RELID), 'MEMBER') THEN
            RETURN NEW;
          END IF;
          row := to_jsonb(NEW);
          WHILE i < TG_NARGS LOOP
            ref := (row ->> TG_ARGV[i])::bigint;
            IF ref IS NOT NULL THEN
              seen := false;
{checks}
              IF NOT seen THEN
                RAISE EXCEPTION 'your network has no % #%', TG_ARGV[i + 1], ref
                  USING ERRCODE = 'foreign_key_violation';
              END IF;
            END IF;
            i := i + 2;
          END LOOP;
          RETURN NEW;
        END $$""")
    # member_role: a member's role reads its own row (the function above needs it).
    op.execute("ALTER TABLE member_role ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY own_role ON member_role FOR SELECT "
               "USING (role_name = current_user::text)")
    for table in SECRET:  # no policy: nobody but the owner (not forced) reads a row
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')

    for table in (*OWNED, "directory_entry"):
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN owner_id '
                   "SET DEFAULT netfolio_acting_user()")
    for table in OWNED:
        op.execute(f'DROP POLICY owner_only ON "{table}"')
        op.execute(f'CREATE POLICY owner_only ON "{table}" USING (owner_id = {ACTING}) '
                   f"WITH CHECK (owner_id = {ACTING})")
    for command in ("insert", "update", "delete"):
        op.execute(f'DROP POLICY owner_{command}s ON "directory_entry"')
    op.execute(f'CREATE POLICY owner_inserts ON "directory_entry" FOR INSERT '
               f"WITH CHECK (owner_id = {ACTING})")
    op.execute(f'CREATE POLICY owner_updates ON "directory_entry" FOR UPDATE '
               f"USING (owner_id = {ACTING}) WITH CHECK (owner_id = {ACTING})")
    op.execute(f'CREATE POLICY owner_deletes ON "directory_entry" FOR DELETE '
               f"USING (owner_id = {ACTING})")
    # The directory stays readable by every member (policy team_reads of 0004).
    party = f"{ACTING} IN (requester_id, introducer_id)"
    for policy in ("parties_read", "requester_asks", "parties_update"):
        op.execute(f'DROP POLICY {policy} ON "intro_request"')
    op.execute(f'CREATE POLICY parties_read ON "intro_request" FOR SELECT USING ({party})')
    op.execute('CREATE POLICY requester_asks ON "intro_request" FOR INSERT '
               f"WITH CHECK (requester_id = {ACTING})")
    op.execute(f'CREATE POLICY parties_update ON "intro_request" FOR UPDATE USING ({party}) '
               f"WITH CHECK ({party})")

    by_table: dict[str, list[str]] = {}
    for table, column, referred in REFERENCES:
        by_table.setdefault(table, []).extend([column, referred])
    for table, args in by_table.items():
        columns = ", ".join(args[0::2])
        quoted = ", ".join(f"'{a}'" for a in args)
        op.execute(
            f'CREATE TRIGGER references_own_rows BEFORE INSERT OR UPDATE OF {columns} '
            f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION netfolio_check_references({quoted})'
        )


def downgrade() -> None:
    raise NotImplementedError("0006 is not reversible: restore a backup taken before it")
