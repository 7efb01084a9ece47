"""The cost of migration 0006's reference check on a bulk write into a team database.

    python -m benchmarks.team_references postgresql+psycopg://ROLE@HOST:PORT/postgres [PEOPLE]

ROLE needs CREATEDB and CREATEROLE. A throwaway database gets five members; the same demo
network is written for four of them through the admin role (the web server's), alternately
with the ``references_own_rows`` triggers disabled and enabled. Prints the seconds of each
and their ratio; drops the database and its roles afterwards. (A demo network is written
with explicit ids, which a member's own role may not do: it cannot move a sequence.)
"""

from __future__ import annotations

import sys
import time
import uuid

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from netfolio import demo
from netfolio.network import Network


def _triggers(net: Network, on: bool) -> None:
    with net.database.engine.begin() as conn:
        tables = conn.exec_driver_sql(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'references_own_rows'").scalars().all()
        for table in tables:
            verb = "ENABLE" if on else "DISABLE"
            conn.exec_driver_sql(f'ALTER TABLE "{table}" {verb} TRIGGER references_own_rows')


def main() -> None:
    base = make_url(sys.argv[1])
    people = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = "nf_refs_" + uuid.uuid4().hex[:6]
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        setup = Network(url)
        users = [f"u{i}" for i in range(1, 10)]
        for user in users:
            setup.team.add_user(user, "password-123")
        data = demo.generate(people=people, years=3, seed=5)
        spent = {True: 0.0, False: 0.0}
        for on in (False, True, True, False):
            _triggers(setup, on)
            net = Network(url, user=users.pop())
            started = time.perf_counter()
            demo.write(net.database, data)
            spent[on] += time.perf_counter() - started
            net.close()
        setup.close()
        print(f"admin role: {people} people written twice: with the check "
              f"{spent[True]:.1f} s, without {spent[False]:.1f} s, "
              f"ratio {spent[True] / spent[False]:.2f}")
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            for role in conn.exec_driver_sql(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                    (name + "_",)).scalars().all():
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


if __name__ == "__main__":
    main()
