"""The lean read path (DB-API, no SQLAlchemy) answers exactly what the ORM path answers.

One demo ledger with everything the read commands show (settings, tags, birthdays, job
changes, asks, plan actions, notes) is read twice: by a ``Network`` on the lean path and by
one with ``NETFOLIO_READ_PATH=orm``; every read method must return equal results, errors
included. A read command run as a process must not import SQLAlchemy or the ORM models.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from netfolio.network import Network

TODAY = dt.date.today()


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 300-person demo ledger, plus the facts the demo leaves out."""
    from netfolio import demo

    path = tmp_path_factory.mktemp("read") / "ledger.db"
    url = f"sqlite:///{path}"
    with Network(url) as net:
        demo.write(net.database, demo.generate(people=300, seed=5, today=TODAY))
        net.init(name="Me Myself", fields=["software", "finance"], weekly_budget=7)
        net.set_targets({"software": 0.3})
        net.add("Ana Núñez", organisation="Acme Bank", title="Data Lead", emails=["ana@x.org"],
                tags=["climbing", "mentor"], birthday="1990-03-09", notes="met at PyCon; likes ML",
                location="Lisbon", fields=["data_ai"], linkedin_url="linkedin.com/in/ana-n")
        net.add("Ana Ribeiro", organisation="Beta", title="Recruiter", tags=["mentor"])
        net.log(["Ana Núñez"], when=_day(-2), intent="share", channel="call",
                note="told me about her new team")
        ask = net.ask_record("Ana Núñez", "an intro to a hiring manager", when=_day(-30))
        net.ask_resolve(ask.id, "fulfilled", on=_day(-10))
        net.plan_skip("Ana Ribeiro", week=_day(0))
        net.plan_snooze("#3", until=_day(60))
        net.edit("Ana Ribeiro", title="Head of Talent")
    return url


@pytest.fixture
def both(ledger: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Network, Network]]:
    lean = Network(ledger)
    assert lean._reader() is not None, "the lean path should open this ledger"
    monkeypatch.setenv("NETFOLIO_READ_PATH", "orm")
    orm = Network(ledger)
    assert orm._reader() is None
    yield lean, orm
    lean.close()
    orm.close()


def _same(a: Any, b: Any) -> None:
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif hasattr(a, "to_dict"):
        assert a.to_dict() == b.to_dict()
    else:
        assert a == b


def _outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except Exception as exc:  # the same error, with the same words
        return ("error", type(exc).__name__, str(exc))


def test_settings_fields_and_people_agree(both: tuple[Network, Network]) -> None:
    lean, orm = both
    assert lean.me() == orm.me()
    assert lean.me().weekly_budget == 7
    assert [f.to_dict() for f in lean.fields()] == [f.to_dict() for f in orm.fields()]
    refs = ["Ana Núñez", "ana@x.org", "ANA@X.ORG", "linkedin.com/in/ana-n", "#1", "7", "ana",
            "Ana", "Ribeiro", "nobody at all", "#999999", "#0", "", "nobody@x.org",
            "linkedin.com/in/nobody", "x" * 1001, "ana_", "50%"]
    for ref in refs:
        a, b = _outcome(lambda r=ref: lean.get(r).to_dict()), _outcome(
            lambda r=ref: orm.get(r).to_dict())
        assert a == b, ref
    assert lean.get("ana@x.org").tags == ["climbing", "mentor"]
    for pid in (1, 50, 301, 302):
        assert lean.ledger(pid, limit=None).to_dict() == orm.ledger(pid, limit=None).to_dict()


@pytest.mark.parametrize("kwargs", [
    {}, {"sort": "strength"}, {"sort": "tier", "limit": 20, "offset": 5},
    {"sort": "last-contact", "limit": 0}, {"text": "ana"}, {"text": "ana", "sort": "relevance"},
    {"text": "nunez"}, {"text": "@x.org"}, {"organisation": "acme"}, {"field": "data_ai"},
    {"field": "Data and AI", "text": "ana"}, {"tag": "mentor"}, {"text": "ana", "tag": "mentor"},
    {"text": "nothing-matches-this"}, {"field": "no such field"},
    {"sort": "strength", "as_of": _day(-200)},
])
def test_ranked_lists_agree(both: tuple[Network, Network], kwargs: dict[str, Any]) -> None:
    lean, orm = both

    def rows(net: Network) -> Any:
        return [(p.to_dict(), s.to_dict()) for p, s in net.ranked(**kwargs)]

    assert _outcome(lambda: rows(lean)) == _outcome(lambda: rows(orm))


def test_snapshot_and_practice_facts_agree(both: tuple[Network, Network]) -> None:
    lean, orm = both
    a, b = lean.snapshot(), orm.snapshot()
    for name in a.__dataclass_fields__:
        _same(getattr(a, name), getattr(b, name))
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    for kwargs in ({}, {"first_week": monday, "last_week": monday}, {"texts": True}):
        fa, fb = lean._practice_inputs(**kwargs)[1], orm._practice_inputs(**kwargs)[1]
        assert fa == fb, kwargs
    facts = lean._practice_inputs(texts=True)[1]
    assert facts.fulfilled_asks and facts.actions and facts.birthdays and facts.notes


def test_reports_agree(both: tuple[Network, Network]) -> None:
    lean, orm = both
    day = TODAY.isoformat()
    for call in (
        lambda n: n.portfolio(day).to_dict(),
        lambda n: [d.__dict__ for d in n.dormant(day, None)],
        lambda n: n.goodwill(day),
        lambda n: [t.to_dict() for t in n.targets(day)],
        lambda n: n.why("Ana Núñez", day).to_dict(),
        lambda n: n.plan(day).to_dict(),
        lambda n: n.ask("hiring a data team", as_of=day).to_dict(),
        lambda n: n.ask("advice", field="finance", city="Lisbon", as_of=day).to_dict(),
    ):
        assert _outcome(lambda c=call: c(lean)) == _outcome(lambda c=call: c(orm))


def test_an_older_schema_takes_the_orm_path(tmp_path: Path) -> None:
    import sqlite3

    from netfolio.core.read import open_read

    path = tmp_path / "old.db"
    with Network(path) as net:
        net.add("Ana")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    assert open_read(f"sqlite:///{path}") is None
    assert open_read(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert open_read("sqlite:///:memory:") is None


def test_the_lean_connection_cannot_write(ledger: str) -> None:
    import sqlite3

    from netfolio.core.read import open_read

    conn = open_read(ledger)
    assert conn is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.rows("DELETE FROM person")
    conn.close()


READ_COMMANDS = [
    ["list", "--json"], ["search", "ana"], ["show", "Ana Núñez"], ["why", "Ana Núñez"],
    ["plan"], ["portfolio"], ["dormant"], ["goodwill"], ["targets"],
    ["ask", "hiring a data team"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_read_commands_do_not_import_sqlalchemy(ledger: str, args: list[str]) -> None:
    """Each daily read command, as a whole process, answers without SQLAlchemy or the ORM."""
    code = (
        "import sys\n"
        "from netfolio.cli.app import main\n"
        "sys.argv = ['netfolio', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')"
        " or m == 'netfolio.core.models')\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "NETFOLIO_DB": ledger}
    env.pop("NETFOLIO_READ_PATH", None)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr, done.stderr.splitlines()[-1]


@pytest.mark.postgres
def test_team_members_read_only_their_own_network_on_the_lean_path(team: Any) -> None:
    """On PostgreSQL the lean path acts for the member (``netfolio.user_id``, row-level
    security) and answers as the ORM path does."""
    lean_ana, lean_bob = Network(team.url, user="ana"), Network(team.url, user="bob")
    try:
        assert lean_ana._reader() is not None and lean_bob._reader() is not None
        assert [p.display_name for p, _ in lean_ana.ranked()] == ["Jane Roe"]
        assert [p.display_name for p, _ in lean_bob.ranked()] == ["Sam Poe"]
        assert lean_bob.ranked("stripe", sort="relevance")[0][0].display_name == "Sam Poe"
        with pytest.raises(Exception, match="Jane Roe"):
            lean_bob.get("Jane Roe")
        assert lean_ana.get("jane@stripe.example").notes == "Ana's private note"
        assert lean_ana.ledger("Jane Roe").to_dict() == team.ana.ledger("Jane Roe").to_dict()
        assert lean_ana.snapshot().n_people == 1
        assert lean_ana.goodwill() == team.ana.goodwill()
        assert lean_ana.ask("staff engineer").to_dict() == team.ana.ask(
            "staff engineer").to_dict()
        # psycopg hands JSON values over parsed: a name is a str, not JSON text to decode
        team.ana.init(name="Ana Núñez")
        assert lean_ana.me() == team.ana.me() and lean_ana.me().name
    finally:
        lean_ana.close()
        lean_bob.close()


@pytest.mark.postgres
def test_a_team_needs_a_user_and_the_orm_path_says_so(team: Any) -> None:
    from netfolio.core.read import open_read
    from netfolio.errors import ConfigError

    assert open_read(team.url) is None  # several users, none named: the ORM path explains
    assert open_read(team.url, "nobody") is None
    with Network(team.url) as net, pytest.raises(ConfigError, match="several users"):
        net.ranked()


def test_another_thread_reads_through_the_orm(ledger: str) -> None:
    """The lean path's one connection serves the thread that opened it; another thread gets
    the same answers through the ORM's sessions."""
    import threading

    with Network(ledger) as net:
        mine = net.get("Ana Núñez").to_dict()
        assert net._reader() is not None
        seen: dict[str, Any] = {}

        def other() -> None:
            seen["reader"] = net._reader()
            seen["person"] = net.get("Ana Núñez").to_dict()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert seen == {"reader": None, "person": mine}
