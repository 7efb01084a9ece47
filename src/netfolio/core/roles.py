"""Members' own PostgreSQL roles: who a connection is, and what a member's role may touch.

In a team database each member gets a login role of their own (``<database>_<username>``,
created by ``netfolio team add-user`` through the team's admin connection, with the
member's password). Row-level security (migration 0006) maps ``current_user`` to the
member through ``member_role``, so a member's role sees only that member's rows whatever
it sets, and it is granted nothing secret: not ``app_user.password_hash``, ``api_token``,
``server_setting`` or ``web_session``. The admin role (the tables' owner, which the web
server also uses) keeps acting for one user at a time through ``netfolio.user_id``.
See docs/security.md.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from netfolio.core import search
from netfolio.core.owned import owned_tables
from netfolio.errors import ConfigError, ValidationError

#: PostgreSQL's longest identifier, in bytes.
MAX_ROLE = 63


def private_tables() -> tuple[str, ...]:
    """Every table of one user's private network: the models that are :class:`Owned`, and
    the people search index (a table of the migrations, not a model). Derived, so that a
    new private table is granted to members, and attacked by the tests, without a list to
    keep by hand."""
    return (*sorted(t.name for t in owned_tables()), search.TABLE)


#: What a member's role may do, table by table (everything else: nothing).
MEMBER_GRANTS: dict[str, str] = {
    **{table: "SELECT, INSERT, UPDATE, DELETE"
       for table in (*private_tables(), "directory_entry")},
    "intro_request": "SELECT, INSERT, UPDATE",
    "field": "SELECT",
    "alembic_version": "SELECT",
    "member_role": "SELECT",
    "app_user": "SELECT (id, username, display_name, created_at)",
}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def is_postgres(db_session: Session) -> bool:
    return db_session.get_bind().dialect.name == "postgresql"


def member_of_role(db_session: Session) -> int | None:
    """The member this connection's own role is (None: the admin role, or SQLite)."""
    if not is_postgres(db_session):
        return None
    value = db_session.execute(text(
        "SELECT user_id FROM member_role WHERE role_name = current_user::text"
    )).scalar()
    return None if value is None else int(value)


def role_name_for(db_session: Session, username: str) -> str:
    """The role a member connects as: ``<database>_<username>``."""
    database = db_session.execute(text("SELECT current_database()")).scalar_one()
    name = f"{database}_{username}"
    if len(name.encode()) > MAX_ROLE:
        raise ValidationError(
            f"the member's database role {name!r} would be longer than {MAX_ROLE} bytes: "
            "choose a shorter username"
        )
    return name


def _require_admin(db_session: Session) -> None:
    if member_of_role(db_session) is not None:
        raise ConfigError("accounts are managed through the team's admin connection, not a "
                          "member's own database role (see docs/team.md)")
    may = db_session.execute(text(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    )).scalar()
    if not may:
        user = db_session.execute(text("SELECT current_user")).scalar()
        raise ConfigError(
            f"the database role {user!r} may not create roles: a team gives each member a "
            f"role of their own, so run `ALTER ROLE {user} CREATEROLE` as a superuser once "
            "(see docs/team.md)"
        )


def _verifier(db_session: Session, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed here by libpq, so that the
    password itself never reaches the server (nor its statement log)."""
    raw = db_session.connection().connection.dbapi_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:
        raise ConfigError("team accounts need the psycopg driver (postgresql+psycopg://...)")
    return bytes(pgconn.encrypt_password(password.encode(), role.encode(),
                                         b"scram-sha-256")).decode()


def set_member_role(*, db_session: Session, user_id: int, username: str, password: str) -> str:
    """Create (or give a new password to) member ``user_id``'s own login role; grant it
    what a member may touch. Returns the role's name."""
    _require_admin(db_session)
    role = db_session.execute(text(
        "SELECT role_name FROM member_role WHERE user_id = :u"), {"u": user_id}).scalar()
    if role is None:
        role = role_name_for(db_session, username)
        exists = db_session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                    {"r": role}).first()
        if exists:
            raise ConfigError(f"a database role {role!r} exists already and is not this "
                              "team's: drop it, or choose another username")
        verb = "CREATE"
        db_session.execute(text("INSERT INTO member_role (role_name, user_id) VALUES (:r, :u)"),
                           {"r": role, "u": user_id})
    else:
        verb = "ALTER"
    verifier = _verifier(db_session, role, password)
    # (ALTER may not name the attributes: PostgreSQL reserves that to superusers.)
    attributes = ("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION "
                  "NOBYPASSRLS" if verb == "CREATE" else "LOGIN")
    db_session.connection().exec_driver_sql(  # not text(): a verifier may hold ':x'
        f"{verb} ROLE {_ident(role)} {attributes} PASSWORD {_literal(verifier)}"
    )
    grant_members(db_session=db_session)
    return role


def grant_members(*, db_session: Session) -> None:
    """Grant every member's role what a member may touch, and no more (idempotent)."""
    roles = list(db_session.execute(text("SELECT role_name FROM member_role")).scalars())
    if not roles:
        return
    schema = db_session.execute(text("SELECT current_schema()")).scalar_one()
    tables = [t for t in MEMBER_GRANTS if t not in ("field", "alembic_version", "member_role",
                                                     "app_user")]
    sequences = list(db_session.execute(text(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(s.relname) FROM pg_class s "
        "JOIN pg_namespace n ON n.oid = s.relnamespace "
        "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
        "JOIN pg_class t ON t.oid = d.refobjid "
        "WHERE s.relkind = 'S' AND n.nspname = :s AND t.relname = ANY(CAST(:t AS text[]))"),
        {"s": schema, "t": tables}).scalars())
    for role in roles:
        who = _ident(role)
        db_session.execute(text(f"GRANT USAGE ON SCHEMA {_ident(schema)} TO {who}"))
        for table, privileges in MEMBER_GRANTS.items():
            db_session.execute(text(f"GRANT {privileges} ON {_ident(table)} TO {who}"))
        for seq in sequences:
            db_session.execute(text(f"GRANT USAGE ON SEQUENCE {seq} TO {who}"))



__all__ = [
    "MEMBER_GRANTS",
    "grant_members",
    "is_postgres",
    "member_of_role",
    "role_name_for",
    "set_member_role",
]
