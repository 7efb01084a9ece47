"""A member attacks the team database with plain SQL, connected AS their own database role.

Bob holds his own role (``<database>_bob``, made by ``netfolio team add-user``), as a
member of a team does; he has never held the admin URL. Every test here tries to read
another member's rows or a secret, to act as someone else, or to learn that another
member's row exists. Target: every attempt fails (docs/security.md gives the count).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from netfolio.core.roles import private_tables

pytestmark = pytest.mark.postgres

#: Private tables: every row has an owner and only the owner may read it.
PRIVATE = list(private_tables())
SECRETS = ["api_token", "server_setting", "web_session"]


@dataclass
class Attack:
    url: str
    ids: dict[str, int]
    #: Carl's rows per private table, as the admin counts them (each must be > 0)
    carl_rows: dict[str, int]
    carl_person: int
    bob_person: int

    def connect(self, member: str) -> psycopg.Connection[Any]:
        """A connection as ``member``'s own database role (never the admin's)."""
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        role = f"{url.database}_{member}"
        return psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=role,
                               autocommit=True)


def _libpq(url: str) -> dict[str, Any]:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return {"host": u.host, "port": u.port, "dbname": u.database, "user": u.username,
            "password": u.password, "autocommit": True}


@pytest.fixture
def attack(team: Any) -> Iterator[Attack]:
    """Carl joins Ana and Bob with a whole network (every private table has rows of his),
    an API token, a web session and the server's cookie secret in place."""
    from netfolio import demo
    from netfolio.core import models as m
    from netfolio.core.web_sessions import start_session
    from netfolio.network import Network
    from netfolio.web.app import session_secret

    admin = Network(team.url, user="ana")  # the admin URL, acting for someone
    carl_user = admin.team.add_user("carl", "carl-password-1", "Carl Sagan")
    session_secret(admin)
    carl = Network(team.url, user="carl")
    demo.write(carl.database, demo.generate(people=40, years=2, seed=3))
    carl.team.share(field="software")
    carl.team.create_token("nightly")
    entry = carl.team.directory()[0]
    team.ana.team.request_intro(entry.id, "Ana asks Carl: private to the two of them")
    with carl.session() as s:
        person = s.query(m.Person).order_by(m.Person.id).first()
        assert person is not None
        run = m.ImportRun(format="vcard", file_name="carl.vcf", file_sha256="0" * 64)
        s.add(run)
        s.flush()
        s.add_all([
            m.ImportChange(run_id=run.id, kind="person_added", person_id=person.id),
            m.PossibleDuplicate(a_id=person.id, b_id=person.id + 1, score=0.9,
                                reason="same name", run_id=run.id),
            m.JobChange(person_id=person.id, old_title="A", new_title="B",
                        seen_on=dt.date.today(), run_id=run.id),
            m.PlanAction(person_id=person.id, week=dt.date.today(), action="done",
                         on=dt.date.today()),
            m.PersonLink(person_id=person.id, url="https://example.org/carl", source="manual"),
        ])
        source = m.SyncSource(name="mail", kind="imap", url="imaps://mail.example.org",
                              username="carl", password_env="CARL_IMAP")
        s.add(source)
        s.flush()
        s.add(m.SyncCursor(source_id=source.id, collection="INBOX", validity="1",
                           position="42", run_id=run.id))
        carl_person = person.id
        start_session(db_session=s, user_id=carl_user.id, seconds=600)
    with psycopg.connect(**_libpq(team.url)) as conn:
        conn.execute("SELECT set_config('netfolio.user_id', %s, false)", (str(carl_user.id),))
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # type: ignore[index]
                  for t in PRIVATE}
        ids = dict(conn.execute("SELECT username, id FROM app_user").fetchall())
        conn.execute("SELECT set_config('netfolio.user_id', %s, false)", (str(ids["bob"]),))
        bob_person = conn.execute("SELECT id FROM person").fetchone()[0]  # type: ignore[index]
        conn.execute("ANALYZE")  # statistics of every table, for the pg_stats attempts
    yield Attack(team.url, ids, counts, carl_person, bob_person)
    carl.close()
    admin.close()


def test_the_attack_has_something_to_find(attack: Attack) -> None:
    """Carl has rows in every private table: an empty table would prove nothing."""
    empty = [t for t, n in attack.carl_rows.items() if n == 0]
    assert empty == [], empty


@pytest.mark.parametrize("how", [
    None,
    "SET netfolio.user_id = '{carl}'",
    "SELECT set_config('netfolio.user_id', '{carl}', false)",
    "SET SESSION netfolio.user_id = '{carl}'",
])
def test_no_private_row_of_another_member_is_read(attack: Attack, how: str | None) -> None:
    with attack.connect("bob") as conn:
        if how:
            conn.execute(how.format(carl=attack.ids["carl"]))
        for table in PRIVATE:
            rows = conn.execute(
                f'SELECT count(*), count(*) FILTER (WHERE owner_id <> %s) FROM "{table}"',
                (attack.ids["bob"],)).fetchone()
            assert rows is not None and rows[1] == 0, (table, how)
        assert conn.execute("SELECT count(*) FROM intro_request").fetchone() == (0,), how
        assert conn.execute("SELECT netfolio_acting_user()").fetchone() == (attack.ids["bob"],)


def test_every_table_with_an_owner_is_attacked_and_forces_row_security(attack: Attack) -> None:
    """The database itself says which tables hold owned rows: each must be one this suite
    attacks (or the team directory) and must force row-level security on its owner too."""
    with psycopg.connect(**_libpq(attack.url)) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'owner_id' "
            "AND NOT a.attisdropped WHERE c.relkind = 'r'").fetchall()
    owned = {name for name, _, _ in rows}
    assert owned - {"directory_entry"} == set(PRIVATE)
    assert [name for name, on, forced in rows if not (on and forced)] == []


def test_row_security_cannot_be_switched_off(attack: Attack) -> None:
    with attack.connect("bob") as conn:
        conn.execute("SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM person")


@pytest.mark.parametrize("query", [
    "SELECT * FROM api_token",
    "SELECT * FROM server_setting",
    "SELECT * FROM web_session",
    "SELECT password_hash FROM app_user",
    "SELECT * FROM app_user",
    "SELECT count(*) FROM app_user WHERE password_hash IS NULL",
    "SELECT token_sha256 FROM api_token WHERE user_id = 1",
    "COPY api_token TO STDOUT",
    "COPY (SELECT * FROM server_setting) TO STDOUT",
    "SELECT rolpassword FROM pg_authid",
    "SELECT * FROM pg_shadow",
    "SELECT pg_read_file('postgresql.conf')",
    "SELECT last_value FROM person_id_seq",
    "SELECT setval('person_id_seq', 1)",
    "SELECT * FROM pg_statistic",
])
def test_no_secret_is_read(attack: Attack, query: str) -> None:
    with attack.connect("bob") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(query).fetchall()


def test_the_names_of_members_are_all_a_member_reads_of_accounts(attack: Attack) -> None:
    with attack.connect("bob") as conn:
        rows = conn.execute("SELECT id, username, display_name FROM app_user").fetchall()
        assert {r[1] for r in rows} == {"ana", "bob", "carl"}
        assert conn.execute("SELECT * FROM member_role").fetchall() == [
            (f"{conn.info.dbname}_bob", attack.ids["bob"])]
        passwords = conn.execute("SELECT rolname, rolpassword FROM pg_roles "
                                 "WHERE rolpassword IS NOT NULL").fetchall()
        assert all(p == "********" for _, p in passwords)


@pytest.mark.parametrize("statement", [
    "SET ROLE {db}_carl",
    "SET ROLE {admin}",
    "SET SESSION AUTHORIZATION {db}_carl",
    "ALTER TABLE person DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE person NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY owner_only ON person",
    "CREATE POLICY mine ON person USING (true)",
    "TRUNCATE person",
    "TRUNCATE api_token",
    "DELETE FROM api_token",
    "UPDATE app_user SET display_name = 'x'",
    "INSERT INTO member_role VALUES ('{db}_bob2', {carl})",
    "UPDATE member_role SET user_id = {carl}",
    "INSERT INTO field (slug, name) VALUES ('hacked', 'Hacked')",
    "CREATE FUNCTION leak(text) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    "CREATE OR REPLACE FUNCTION netfolio_acting_user() RETURNS integer "
    "LANGUAGE sql AS 'SELECT {carl}'",
    "ALTER FUNCTION netfolio_acting_user() OWNER TO {db}_bob",
    "GRANT {db}_carl TO {db}_bob",
    "ALTER ROLE {db}_bob BYPASSRLS",
    "ALTER ROLE {db}_carl PASSWORD 'mine-now-123'",
    "UPDATE alembic_version SET version_num = '0001'",
    "SELECT setval('app_user_id_seq', 1)",
    "CREATE SCHEMA mine",
    "COPY person FROM STDIN",
])
def test_no_way_to_act_as_another(attack: Attack, statement: str) -> None:
    from sqlalchemy.engine import make_url

    admin = make_url(attack.url).username
    with attack.connect("bob") as conn:
        sql = statement.format(db=conn.info.dbname, carl=attack.ids["carl"], admin=admin)
        with pytest.raises(psycopg.Error):
            conn.execute(sql)
        assert conn.execute("SELECT current_user, netfolio_acting_user()").fetchone() == (
            f"{conn.info.dbname}_bob", attack.ids["bob"])


def test_writes_stay_within_the_members_own_rows(attack: Attack) -> None:
    carl = attack.ids["carl"]
    with attack.connect("bob") as conn:
        for table in PRIVATE:
            assert conn.execute(f'UPDATE "{table}" SET owner_id = owner_id '
                                "WHERE owner_id = %s", (carl,)).rowcount == 0
            assert conn.execute(f'DELETE FROM "{table}" WHERE owner_id = %s',
                                (carl,)).rowcount == 0
        assert conn.execute("UPDATE directory_entry SET display_name = 'x' "
                            "WHERE owner_id = %s", (carl,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # RLS check
            conn.execute("INSERT INTO person (owner_id, display_name, name_key, source, "
                         "fact_sources, created_at, updated_at) "
                         "VALUES (%s, 'x', 'x', 'probe', '{}', now(), now())", (carl,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE person SET owner_id = %s", (carl,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO intro_request (requester_id, introducer_id, "
                         "target_name, message, status, created_at) "
                         "VALUES (%s, %s, 'x', '', 'pending', now())", (carl, attack.ids["ana"]))
    with psycopg.connect(**_libpq(attack.url)) as admin:
        admin.execute("SELECT set_config('netfolio.user_id', %s, false)", (str(carl),))
        for table in PRIVATE:
            count = admin.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            assert count == (attack.carl_rows[table],), table


def _error_for(conn: psycopg.Connection[Any], sql: str, params: tuple[Any, ...]) -> str:
    try:
        with conn.transaction():
            conn.execute(sql, params)
    except psycopg.Error as exc:
        return f"{exc.sqlstate} {exc}"
    return "no error"


@pytest.mark.parametrize(("sql", "key"), [
    ("INSERT INTO person_email (person_id, email, source) "
     "VALUES (%s, 'x@example.org', 'probe')",
     "person"),
    ("INSERT INTO person_tag (person_id, tag) VALUES (%s, 'probe')", "person"),
    ("INSERT INTO ask (person_id, direction, status, what, opened_on, source) "
     "VALUES (%s, 0, 0, 'x', CURRENT_DATE, 'probe')", "person"),
    ("INSERT INTO person_link (person_id, url, source) VALUES (%s, 'https://x', 'probe')",
     "person"),
    ("INSERT INTO knows (a_id, b_id, source, created_at) VALUES ({bob}, %s, 0, now())",
     "person"),
    ("INSERT INTO share_rule (person_id, share, created_at) VALUES (%s, true, now())",
     "person"),
    ("INSERT INTO directory_entry (person_id, display_name, name_key, org_key, title_key, "
     "bucket, updated_at) VALUES (%s, 'x', 'x', '', '', 0, now())", "person"),
    ("UPDATE person_email SET person_id = %s", "person"),
    ("INSERT INTO plan_action (person_id, week, action, \"on\", created_at) "
     "VALUES (%s, CURRENT_DATE, 'done', CURRENT_DATE, now())", "person"),
])
def test_a_reference_never_tells_whether_anothers_row_exists(
        attack: Attack, sql: str, key: str) -> None:
    """Bob's row naming Carl's person fails exactly as one naming no person at all."""
    with attack.connect("bob") as conn:
        sql = sql.replace("{bob}", str(attack.bob_person))
        carls = _error_for(conn, sql, (attack.carl_person,))
        nobodys = _error_for(conn, sql, (2_000_000_000,))
    assert carls.startswith("23503"), carls  # foreign_key_violation, nothing else
    assert carls.replace(f"#{attack.carl_person}", "#N") == \
        nobodys.replace("#2000000000", "#N")


def test_temporary_objects_change_nothing(attack: Attack) -> None:
    """A member may create temporary tables (imports stage rows in them), but a temporary
    ``member_role`` or ``person`` shadows nothing netfolio's policies read, and a leaky
    function of theirs sees only the rows the policies let through."""
    carl = attack.ids["carl"]
    with attack.connect("bob") as conn:
        conn.execute("CREATE TEMPORARY TABLE member_role (role_name text, user_id int)")
        conn.execute("INSERT INTO pg_temp.member_role VALUES (current_user, %s)", (carl,))
        conn.execute("CREATE TEMPORARY TABLE app_user (id int)")
        assert conn.execute("SELECT netfolio_acting_user()").fetchone() == (attack.ids["bob"],)
        assert conn.execute("SELECT count(*) FROM public.person WHERE owner_id = %s",
                            (carl,)).fetchone() == (0,)
        seen: list[str] = []
        conn.add_notice_handler(lambda notice: seen.append(notice.message_primary or ""))
        conn.execute("CREATE FUNCTION pg_temp.leak(text, integer) RETURNS boolean "
                     "LANGUAGE plpgsql COST 0.0000001 AS "
                     "$$ BEGIN RAISE NOTICE 'seen % of %', $1, $2; RETURN true; END $$")
        conn.execute("SELECT count(*) FROM person WHERE pg_temp.leak(display_name, owner_id)")
        conn.execute("SELECT count(*) FROM directory_entry d JOIN person p "
                     "ON pg_temp.leak(p.notes, p.owner_id)")
    assert seen and all(m.endswith(f" of {attack.ids['bob']}") for m in seen), seen[:3]


def test_side_channels_show_no_other_members_values(attack: Attack) -> None:
    with attack.connect("bob") as conn:
        # statistics of a table under row-level security are hidden from its readers
        stats = conn.execute("SELECT count(*) FROM pg_stats WHERE tablename = ANY(%s)",
                             (PRIVATE,)).fetchone()
        assert stats == (0,)
        # a failing expression is evaluated on visible rows only
        conn.execute("SELECT count(*) FROM person WHERE CASE WHEN owner_id <> %s "
                     "THEN 1 / (id - id) ELSE 0 END = 1", (attack.ids["bob"],))
        conn.execute("SELECT count(*) FROM person WHERE CAST(owner_id::text || "
                     "CASE WHEN owner_id <> %s THEN 'x' ELSE '' END AS integer) > 0",
                     (attack.ids["bob"],))
        # a plan's estimate is not a count of other members' rows
        plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM interaction"
                            ).fetchone()
        assert plan is not None and plan[0][0]["Plan"]["Actual Rows"] == 0
        # what Carl shares is readable by design; what he does not share is not there
        names = {r[0] for r in conn.execute("SELECT display_name FROM directory_entry")}
        private = {r[0] for r in conn.execute("SELECT display_name FROM person")}
        assert private == {"Sam Poe"} and "Sam Poe" not in names


def test_the_member_uses_netfolio_through_their_own_role(attack: Attack) -> None:
    """The CLI works on a member's own role: their network, the team ask, sharing;
    naming another member is refused, and so are account commands."""
    from sqlalchemy.engine import make_url
    from typer.testing import CliRunner

    from netfolio.cli.app import app

    url = make_url(attack.url)
    bob = url.set(username=f"{url.database}_bob").render_as_string(hide_password=False)
    runner = CliRunner()
    listed = runner.invoke(app, ["--db", bob, "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "Sam Poe" in listed.output and "Jane Roe" not in listed.output
    asked = runner.invoke(app, ["--db", bob, "team", "ask", "--org", "Stripe", "--json"])
    assert asked.exit_code == 0 and "Jane Roe" in asked.output, asked.output
    from pathlib import Path

    card = Path(__file__).parent / "fixtures" / "import" / "vcard" / "vcard30_google_export.vcf"
    imported = runner.invoke(app, ["--db", bob, "import", str(card)])
    assert imported.exit_code == 0, imported.output  # rows staged in a temporary table
    shared = runner.invoke(app, ["--db", bob, "team", "share", "Sam Poe"])
    assert shared.exit_code == 0, shared.output
    with psycopg.connect(**_libpq(attack.url)) as admin:
        assert admin.execute("SELECT owner_id FROM directory_entry WHERE display_name = "
                             "'Sam Poe'").fetchall() == [(attack.ids["bob"],)]
    other = runner.invoke(app, ["--db", bob, "--user", "ana", "list"])
    assert other.exit_code != 0 and "another member" in other.output
    users = runner.invoke(app, ["--db", bob, "team", "add-user", "mallory",
                                "--password-stdin"], input="mallory-password\n")
    assert users.exit_code != 0 and "admin connection" in users.output


def test_a_team_database_of_before_is_upgraded_and_its_members_get_roles(_pg: Any) -> None:
    """A team database at revision 0004 (one shared role, the setting trusted) is upgraded
    by 0006: its data stays, the admin role works as before, and once a member has a role
    of their own (``team set-password``) that role is held to the member's rows."""
    if _pg is None:
        pytest.skip("team mode runs on PostgreSQL: pass --db-url or set NETFOLIO_TEST_PG_URL")
    name = f"{_pg.template}_upgrade"
    with _pg.admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = _pg.url_for(name)
    try:
        _upgrade_and_attack(url, name)
    finally:
        _pg.drop(url)


def _upgrade_and_attack(url: str, name: str) -> None:
    from sqlalchemy.engine import make_url

    from netfolio.core.db import make_engine, upgrade
    from netfolio.network import Network

    engine = make_engine(url)
    try:
        upgrade(engine, "0004")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "UPDATE app_user SET username = 'ana', password_hash = 'x' WHERE id = 1")
            conn.exec_driver_sql("INSERT INTO app_user (username, display_name, password_hash, "
                                 "created_at) VALUES ('bob', 'Bob', 'y', now())")
            for user, note in ((1, "Ana's old note"), (2, "Bob's old note")):
                conn.exec_driver_sql("SELECT set_config('netfolio.user_id', %s, true)",
                                     (str(user),))
                conn.exec_driver_sql(
                    "INSERT INTO person (display_name, name_key, notes, source, fact_sources, "
                    "created_at, updated_at) VALUES (%s, %s, %s, 'manual', '{}', now(), now())",
                    (f"P{user}", f"p{user}", note))
        upgrade(engine)
    finally:
        engine.dispose()
    admin = Network(url, user="ana")
    try:
        assert [p.notes for p in admin.people()] == ["Ana's old note"]
        admin.team.set_password("bob", "bob-new-password")
    finally:
        admin.close()
    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port, dbname=name, user=f"{name}_bob",
                         autocommit=True) as bob:
        bob.execute("SET netfolio.user_id = '1'")
        assert bob.execute("SELECT notes FROM person").fetchall() == [("Bob's old note",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("SELECT password_hash FROM app_user")
