"""per-person statistics kept at write time, marked stale by triggers

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-06 06:10:00

One row per person in ``person_stats``: the sufficient statistics of today's measures over
all their interactions (see ``netfolio.core.person_stats`` for the columns and the
invariant). Database triggers mark a row stale whenever a write changes its inputs, whichever
code path writes: a new person gets a fresh row of no contact (no interaction row can refer
to a person before it exists); adding or removing a participant marks every
participant of that interaction (the group size changed); editing an interaction's time,
channel, initiator or intent marks its participants. The session recomputes stale rows before
it commits; readers compute any row still stale on the fly. Every existing person starts stale
(the first write, or ``netfolio db upgrade``, fills the table).

On PostgreSQL the table is private like every other (owner-only row-level security, owner
from ``netfolio_acting_user()``, references checked) and granted to existing member roles.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Interaction columns the statistics read.
INPUTS = "at, utc_offset, channel, initiator, intent"
CELLS = tuple(f"n_{intent}_{who}" for intent in (
    "catch_up", "share", "give", "ask", "received", "asked_of_me") for who in ("them", "me"))
DAYS = ("first_day", "last_day", "last_ask_day", "last_received_day", "last_gave_day")
SQLITE_TRIGGERS = ("person_stats_person_ai", "person_stats_link_ai", "person_stats_link_ad",
                   "person_stats_link_au", "person_stats_interaction_au")


def _mark(interaction: str, true: str) -> str:
    return (f"UPDATE person_stats SET stale = {true} WHERE stale = NOT {true} AND person_id IN "
            f"(SELECT person_id FROM interaction_person WHERE interaction_id = {interaction})")


def _sqlite_triggers() -> list[str]:
    def one(pid: str) -> str:
        return f"UPDATE person_stats SET stale = 1 WHERE person_id = {pid} AND stale = 0;"

    return [
        "CREATE TRIGGER person_stats_person_ai AFTER INSERT ON person BEGIN "
        "INSERT INTO person_stats (person_id, owner_id, stale) VALUES (NEW.id, NEW.owner_id, 0); "
        "END",
        "CREATE TRIGGER person_stats_link_ai AFTER INSERT ON interaction_person BEGIN "
        f"{_mark('NEW.interaction_id', '1')}; END",
        "CREATE TRIGGER person_stats_link_ad AFTER DELETE ON interaction_person BEGIN "
        f"{one('OLD.person_id')} {_mark('OLD.interaction_id', '1')}; END",
        "CREATE TRIGGER person_stats_link_au AFTER UPDATE ON interaction_person BEGIN "
        f"{one('OLD.person_id')} {_mark('OLD.interaction_id', '1')}; "
        f"{_mark('NEW.interaction_id', '1')}; END",
        f"CREATE TRIGGER person_stats_interaction_au AFTER UPDATE OF {INPUTS} ON interaction "
        f"BEGIN {_mark('NEW.id', '1')}; END",
    ]


def _postgres_statements() -> list[str]:
    acting = "(SELECT netfolio_acting_user())"
    one = ("UPDATE person_stats SET stale = true WHERE person_id = OLD.person_id "
           "AND stale = false;")
    return [
        "ALTER TABLE person_stats ALTER COLUMN owner_id SET DEFAULT netfolio_acting_user()",
        "ALTER TABLE person_stats ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE person_stats FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_only ON person_stats USING (owner_id = {acting}) "
        f"WITH CHECK (owner_id = {acting})",
        "CREATE TRIGGER references_own_rows BEFORE INSERT OR UPDATE OF person_id "
        "ON person_stats FOR EACH ROW EXECUTE FUNCTION "
        "netfolio_check_references('person_id', 'person')",
        "CREATE FUNCTION netfolio_stats_person() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO person_stats (person_id, owner_id, stale) "
        "VALUES (NEW.id, NEW.owner_id, false); RETURN NULL; END $$",
        "CREATE FUNCTION netfolio_stats_link() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP <> 'INSERT' THEN "
        f"{one} {_mark('OLD.interaction_id', 'true')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_mark('NEW.interaction_id', 'true')}; END IF; "
        "RETURN NULL; END $$",
        "CREATE FUNCTION netfolio_stats_interaction() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {_mark('NEW.id', 'true')}; RETURN NULL; END $$",
        "CREATE TRIGGER person_stats_person AFTER INSERT ON person "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_stats_person()",
        "CREATE TRIGGER person_stats_link AFTER INSERT OR DELETE OR UPDATE ON interaction_person "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_stats_link()",
        f"CREATE TRIGGER person_stats_interaction AFTER UPDATE OF {INPUTS} ON interaction "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_stats_interaction()",
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "person_stats",
        sa.Column("owner_id", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False, server_default=sa.true()),
        *(sa.Column(c, sa.Integer(), nullable=False, server_default="0") for c in CELLS),
        sa.Column("weight_q", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("deep", sa.Integer(), nullable=False, server_default="0"),
        *(sa.Column(c, sa.Integer(), nullable=True) for c in DAYS),
        *(sa.Column(f"decayed_{k}", sa.Float(), nullable=False, server_default="0")
          for k in (1, 2, 3)),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"],
                                name=op.f("fk_person_stats_owner_id_app_user"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_person_stats_person_id_person"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_stats")),
    )
    op.create_index("ix_person_stats_stale", "person_stats", ["stale"], unique=False)
    for statement in _postgres_statements() if postgres else _sqlite_triggers():
        op.execute(statement)
    true = "true" if postgres else "1"
    op.execute(f"INSERT INTO person_stats (person_id, owner_id, stale) "
               f"SELECT id, owner_id, {true} FROM person")
    if postgres:
        roles = op.get_bind().exec_driver_sql("SELECT role_name FROM member_role").scalars()
        for role in roles:
            quoted = '"' + role.replace('"', '""') + '"'
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON person_stats TO {quoted}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS person_stats CASCADE")
        for fn in ("netfolio_stats_person()", "netfolio_stats_link()",
                   "netfolio_stats_interaction()"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn} CASCADE")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.drop_index("ix_person_stats_stale", table_name="person_stats")
        op.drop_table("person_stats")
