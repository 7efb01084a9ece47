"""Team mode at scale: many members' networks in one PostgreSQL database behind row-level
security. ``python -m benchmarks team`` (not in the default set: the full size builds
5,000,000 interactions, which takes minutes).

The figures, each against a baseline measured in the same run:

- a team ask through the facade (``Network(url, user=u).team.ask(...)``: session, acting
  user, the directory query and the grouping into leads and paths) against the very SQL it
  sends, run over a superuser connection (no row-level security, no session, no Python on
  top): the cost of asking through netfolio's isolation;
- a member's portfolio in the team database against the same network (same seed) alone in
  a personal ledger of its own: the cost of sharing a database behind row-level security;
- the raw snapshot load (``load_snapshot``) under row-level security against the same
  queries with an explicit ``WHERE owner_id = N``, over a superuser connection;
- a member's directory sync, against that member's snapshot load;
- the build (write, share every field, sync) against the same write into an empty ledger.

PostgreSQL: the superuser URL in ``NETFOLIO_BENCH_PG_ADMIN_URL`` if set, otherwise a
throwaway cluster started here (``initdb`` + ``pg_ctl``, like ``.ci/run``; ``fsync=off``)
and removed at the end. netfolio connects as an ordinary role that does not own the tables
(superusers escape row-level security, and netfolio refuses them for a team; an owner role
creates the schema).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import numpy as np

from benchmarks.common import Result, median_time

#: (members, people each) at full size and with --quick
FULL, QUICK = (50, 5_000), (10, 1_000)
#: About 20 interactions a person over 6 years: 50 x 5,000 people make about 5,000,000.
YEARS = 6
SEED = 1_000
#: netfolio's role (rows only) and the role that owns the schema and runs the migrations
ROLE, OWNER_ROLE = "netfolio_bench", "netfolio_bench_owner"
ROLE_PASSWORD = "netfolio-bench-password"
PASSWORD = "bench-password-1"
#: Throwaway cluster settings (a benchmark's, not a production server's: fsync is off).
SERVER_SETTINGS = ("fsync=off", "shared_buffers=512MB", "max_wal_size=4GB")
#: The members who ask, in turn (the first few).
ASKERS = 5
#: Set to print the query plans (EXPLAIN ANALYZE) of the measured queries to stderr.
EXPLAIN = bool(os.environ.get("NETFOLIO_BENCH_EXPLAIN"))


def _log(message: str) -> None:
    print(f"  [team] {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _conninfo(url: str, database: str | None = None) -> str:
    """A libpq URL for psycopg from a SQLAlchemy one (optionally another database)."""
    from sqlalchemy.engine import make_url

    u = make_url(url).set(drivername="postgresql")
    if database is not None:
        u = u.set(database=database)
    return u.render_as_string(hide_password=False)


def _pg_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("no PostgreSQL server found: install postgresql or set "
                           "NETFOLIO_BENCH_PG_ADMIN_URL to a superuser URL")
    return os.path.dirname(initdb)


@contextmanager
def postgres_server() -> Iterator[str]:
    """A superuser URL: ``NETFOLIO_BENCH_PG_ADMIN_URL``, or a throwaway cluster's."""
    given = os.environ.get("NETFOLIO_BENCH_PG_ADMIN_URL")
    if given:
        yield given
        return
    bin_dir = _pg_bin()
    root = tempfile.mkdtemp(prefix="netfolio-bench-pg.")
    as_pg: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        shutil.chown(root, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(root, "data"), _free_port()
    options = " ".join([f"-c listen_addresses=127.0.0.1 -p {port} -k {root}",
                        *(f"-c {s}" for s in SERVER_SETTINGS)])
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run([*as_pg, f"{bin_dir}/initdb", "-D", data, "-U", "netfolio",
                    "--auth=trust"], **quiet)  # type: ignore[call-overload]
    try:
        subprocess.run([*as_pg, f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{root}/log", "-w",
                        "-o", options, "start"], **quiet)  # type: ignore[call-overload]
        yield f"postgresql+psycopg://netfolio@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def app_databases(admin_url: str, *names: str) -> Iterator[list[str]]:
    """Fresh ledgers: created and migrated by an owner role, used by netfolio through an
    ordinary role (LOGIN NOSUPERUSER NOBYPASSRLS) with row privileges only. Yields the
    ordinary role's URLs; the databases (and the roles made here) are dropped at the end.

    Not owning the tables is also why the team's build stays linear: ``demo.write`` drops
    and re-adds the foreign keys when it can, and re-adding one revalidates every member's
    rows; as a non-owner it writes with the keys in place."""
    import psycopg
    from sqlalchemy.engine import make_url

    from netfolio.core.db import open_database

    admin = psycopg.connect(_conninfo(admin_url), autocommit=True)
    made = []
    for role in (OWNER_ROLE, ROLE):
        if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            continue
        admin.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS "
                      f"PASSWORD '{ROLE_PASSWORD}'")
        made.append(role)
    suffix = os.getpid()
    databases = [f"netfolio_bench_{name}_{suffix}" for name in names]
    try:
        urls = []
        for db in databases:
            admin.execute(f"CREATE DATABASE {db} OWNER {OWNER_ROLE}")
            at = make_url(admin_url).set(password=ROLE_PASSWORD, database=db)
            open_database(at.set(username=OWNER_ROLE).render_as_string(hide_password=False)
                          ).close()
            with psycopg.connect(_conninfo(admin_url, db), autocommit=True) as su:
                su.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
                           f" TO {ROLE}")
                su.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public"
                           f" TO {ROLE}")
            urls.append(at.set(username=ROLE).render_as_string(hide_password=False))
        yield urls
    finally:
        for db in databases:
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        for role in made:
            admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.close()


def _superuser(admin_url: str, app_url: str) -> Any:
    """A superuser psycopg connection to the database of ``app_url`` (bypasses RLS)."""
    import psycopg
    from sqlalchemy.engine import make_url

    return psycopg.connect(_conninfo(admin_url, make_url(app_url).database), autocommit=True)


# -- building ------------------------------------------------------------------------------


@dataclass
class Built:
    usernames: list[str]
    seconds: float
    write_seconds: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _demo(people: int, k: int, today: dt.date) -> Any:
    from netfolio.demo import generate

    return generate(people=people, seed=SEED + k, years=YEARS, today=today)


def _share_all(net: Any, demo: Any) -> dict[str, int]:
    """Share every field the member's people are in (one rule per field), then sync once."""
    from netfolio.core.fields import resolve_field
    from netfolio.core.team import set_share

    slugs = sorted({slug for _, slug in demo.person_fields})
    with net.session() as s:
        for slug in slugs:
            set_share(db_session=s, share=True, field=resolve_field(db_session=s, text=slug))
    result: dict[str, int] = net.team.sync()
    return result


def build_team(url: str, su: Any, users: int, people: int, today: dt.date) -> Built:
    """``users`` members, each with a demo network of ``people`` written as that member,
    then ANALYZE (over ``su``, a superuser connection), sharing every field, the directory
    synced.

    ANALYZE after each write matters: with the statistics of the tables as they were before
    the bulk write, the first snapshot load afterwards picked a plan that took 15-50 s
    instead of under a second (at 1,000 people a member, with one or two members loaded)."""
    from netfolio.demo import write
    from netfolio.network import Network

    start = time.perf_counter()
    admin = Network(url)  # creates the schema; acts for the ledger's first user, "me"
    names = [f"member{k:02d}" for k in range(users)]
    for k, name in enumerate(names):
        admin.team.add_user(name, PASSWORD, f"Member {k:02d}")
    admin.close()
    built = Built(names, 0.0)
    for k, name in enumerate(names):
        demo = _demo(people, k, today)
        with Network(url, user=name) as net:
            t = time.perf_counter()
            write(net.database, demo)
            built.write_seconds.append(time.perf_counter() - t)
            su.execute("ANALYZE")
            shared = _share_all(net, demo)
        _log(f"{name}: {demo.interaction_count:,} interactions written in "
             f"{built.write_seconds[-1]:.1f} s, {shared['shared']:,} people shared "
             f"({time.perf_counter() - start:.0f} s so far)")
    built.seconds = time.perf_counter() - start
    return built


def _analyze_and_count(su: Any) -> dict[str, int]:
    su.execute("ANALYZE")
    counts = {}
    for table in ("app_user", "person", "interaction", "interaction_person",
                  "directory_entry"):
        counts[table] = int(su.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return counts


# -- measuring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    label: str
    kwargs: dict[str, str]


def pick_queries(su: Any) -> list[Query]:
    """Asks that find people in the data: the most shared organisation, one of middling
    size, the most shared field and the most common title (read from the directory)."""
    orgs = su.execute(
        "SELECT min(organisation), count(*) FROM directory_entry WHERE org_key <> '' "
        "GROUP BY org_key ORDER BY count(*) DESC, org_key"
    ).fetchall()
    top_field = su.execute(
        "SELECT f.name, count(*) FROM directory_entry d JOIN field f ON f.slug = d.field "
        "GROUP BY f.name ORDER BY count(*) DESC, f.name LIMIT 1"
    ).fetchone()
    title = su.execute(
        "SELECT min(title), count(*) FROM directory_entry WHERE title_key <> '' "
        "GROUP BY title_key ORDER BY count(*) DESC, title_key LIMIT 1"
    ).fetchone()
    middle = orgs[len(orgs) // 2]
    return [
        Query(f"at {orgs[0][0]} ({orgs[0][1]:,} entries)", {"organisation": orgs[0][0]}),
        Query(f"at {middle[0]} ({middle[1]:,} entries)", {"organisation": middle[0]}),
        Query(f"in {top_field[0]} ({top_field[1]:,} entries)", {"field": top_field[0]}),
        Query(f"with title {title[0]!r} ({title[1]:,} entries)", {"title": title[0]}),
    ]


def _capture_directory_sql(net: Any, query: Query) -> tuple[str, Any]:
    """The directory SELECT a team ask sends (statement and parameters), as sent."""
    from sqlalchemy import event

    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM directory_entry" in statement:
            seen.append((statement, parameters))

    engine = net.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        net.team.ask(**query.kwargs)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1, seen
    return seen[0]


def _explain(title: str, rows: Any) -> None:
    if EXPLAIN:
        plan = "\n".join(f"    {r[0]}" for r in rows)
        print(f"  [team] EXPLAIN {title}:\n{plan}", file=sys.stderr, flush=True)


def _ms_median(times: list[float]) -> float:
    return statistics.median(times) * 1000


def measure_asks(url: str, su: Any, askers: list[str], repeat: int) -> list[Result]:
    from netfolio.network import Network

    nets = [Network(url, user=name) for name in askers]
    results = []
    try:
        for query in pick_queries(su):
            for net in nets:  # warm: connections, the field cache, the server's pages
                answer = net.team.ask(**query.kwargs)
            sql, params = _capture_directory_sql(nets[0], query)
            times, raw, rls = [], [], []
            for i in range(repeat):
                net = nets[i % len(nets)]
                t = time.perf_counter()
                answer = net.team.ask(**query.kwargs)
                times.append(time.perf_counter() - t)
                t = time.perf_counter()
                su.execute(sql, params).fetchall()
                raw.append(time.perf_counter() - t)
                t = time.perf_counter()
                with nets[0].session() as s:  # the same SQL as the app role, under RLS
                    s.connection().exec_driver_sql(sql, params).fetchall()
                rls.append(time.perf_counter() - t)
            if EXPLAIN:
                _explain(f"{query.label}, superuser", su.execute("EXPLAIN (ANALYZE, BUFFERS) "
                                                                 + sql, params).fetchall())
                with nets[0].session() as s:
                    _explain(f"{query.label}, app role under RLS", s.connection()
                             .exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).all())
            results.append(Result(
                f"team ask {query.label}, through Network.team.ask", _ms_median(times),
                "the same SQL as superuser (no RLS)", _ms_median(raw), unit="ms",
                target="< 200 ms",
                note=(f"{len(answer.leads)} teammates, {len(answer.paths)} paths"
                      f"{' (truncated at 500 entries)' if answer.truncated else ''}; the same "
                      f"SQL as the app role under RLS, in a session: {_ms_median(rls):.1f} ms"),
            ))
    finally:
        for net in nets:
            net.close()
    return results


#: The snapshot's queries with the owner written out, as a superuser must (RLS adds the
#: same ``owner_id = <acting user>`` to each table of the unfiltered queries).
def _owner_filtered(owner: int) -> dict[str, str]:
    return {
        "_PEOPLE": f"""
SELECT id, COALESCE(tier_override, 0), COALESCE(closeness, 0), connected_on,
       display_name, COALESCE(organisation, ''), COALESCE(title, '')
FROM person WHERE owner_id = {owner} ORDER BY id
""",
        "_PERSON_FIELDS": f"SELECT person_id, field FROM person_field WHERE owner_id = {owner}",
        "_INTERACTIONS": f"""
SELECT ip.person_id, i.at, i.utc_offset, i.channel, i.initiator, i.intent, i.id
FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id
WHERE ip.owner_id = {owner} AND i.owner_id = {owner}
""",
        "_ASKS": f"SELECT person_id, direction, status, opened_on FROM ask "
                 f"WHERE owner_id = {owner}",
        "_EDGES": f"SELECT a_id, b_id FROM knows WHERE owner_id = {owner}",
    }


def measure_member(url: str, solo_url: str, admin_url: str, name: str, repeat: int,
                   ) -> list[Result]:
    """A member's portfolio, snapshot load and directory sync (warm: one Network each,
    its connections kept; the first call of each is not counted)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    import netfolio.core.snapshot_load as snapshot_load
    from netfolio.core.snapshot import Snapshot
    from netfolio.core.snapshot_load import load_snapshot
    from netfolio.network import Network

    results = []
    with Network(url, user=name) as net, Network(solo_url) as solo:
        net.portfolio(), solo.portfolio()
        team_s, solo_s = [], []
        for _ in range(repeat):  # interleaved: both see the same machine load
            team_s.append(median_time(net.portfolio, 1))
            solo_s.append(median_time(solo.portfolio, 1))
        snap = net.snapshot()
        results.append(Result(
            f"a member's portfolio in the team database ({len(snap.person_id):,} people, "
            f"{len(np.unique(snap.ix_id)):,} interactions)",
            statistics.median(team_s), "the same network alone in its own database",
            statistics.median(solo_s), target="< 3 s",
            note="warm: one Network, connections kept; in process",
        ))

        def rls_load() -> Snapshot:
            with net.session() as s:
                return load_snapshot(db_session=s)

        engine = create_engine(_conninfo(admin_url, net.database.engine.url.database)
                               .replace("postgresql://", "postgresql+psycopg://", 1))
        sessions = sessionmaker(engine, info={"user_id": net.user_id})
        filtered: dict[str, Any] = dict(_owner_filtered(net.user_id))

        def superuser_load() -> Snapshot:
            with sessions() as s, mock.patch.multiple(snapshot_load, **filtered):
                return load_snapshot(db_session=s)

        a, b = rls_load(), superuser_load()
        assert a.ix_id.tolist() == b.ix_id.tolist(), "the two loads must read the same rows"
        if EXPLAIN:
            with net.session() as s:
                _explain("snapshot interactions, app role under RLS", s.connection()
                         .exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) "
                                          + snapshot_load._INTERACTIONS).all())
        rls_s, su_s = [], []
        for _ in range(repeat):
            rls_s.append(median_time(rls_load, 1))
            su_s.append(median_time(superuser_load, 1))
        engine.dispose()
        results.append(Result(
            "the member's snapshot load (load_snapshot) under RLS", statistics.median(rls_s),
            "the same SQL as superuser with WHERE owner_id = N", statistics.median(su_s),
            note="one query per table, rows straight into numpy",
        ))

        net.team.sync()
        sync = median_time(net.team.sync, repeat)
        results.append(Result(
            "the member's directory sync (nothing changed)", sync,
            "the member's snapshot load under RLS", statistics.median(rls_s),
            note="snapshot, tie strength and tiers, then compare every entry",
        ))
    return results


def run(quick: bool = False) -> list[Result]:
    from netfolio.demo import write
    from netfolio.network import Network

    users, people = QUICK if quick else FULL
    today = dt.date.today()
    with postgres_server() as admin_url, app_databases(admin_url, "team", "solo") as (
        url, solo_url,
    ):
        _log(f"building {users} members x {people:,} people in one database")
        su = _superuser(admin_url, url)
        built = build_team(url, su, users, people, today)
        built.counts = _analyze_and_count(su)
        demo = _demo(people, 0, today)
        with Network(solo_url) as solo:
            t = time.perf_counter()
            write(solo.database, demo)
            solo_write = time.perf_counter() - t
        solo_su = _superuser(admin_url, solo_url)
        solo_su.execute("ANALYZE")
        solo_su.close()
        c = built.counts
        results = [Result(
            f"build: {users} members x {people:,} people ({c['interaction']:,} interactions, "
            f"{c['directory_entry']:,} directory entries): write, share every field, sync",
            built.seconds, f"one member's write into an empty database x {users}",
            solo_write * users,
            note=(f"writes alone {sum(built.write_seconds):.0f} s (first member "
                  f"{built.write_seconds[0]:.1f} s, last {built.write_seconds[-1]:.1f} s)"),
        )]
        results += measure_asks(url, su, built.usernames[:ASKERS], 7 if quick else 21)
        results += measure_member(url, solo_url, admin_url, built.usernames[0],
                                  3 if quick else 5)
        su.close()
    return results


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r.row(), r.note)
