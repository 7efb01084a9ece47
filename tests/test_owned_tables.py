"""A user's tables are derived from the models: adding an ``Owned`` model needs no other
edit. The model is added in a child process (a model, once mapped, stays in the registry)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from netfolio.core.owned import NOT_IN_LEDGER, ledger_tables, owned_tables
from netfolio.core.roles import private_tables
from netfolio.errors import ImportError_
from netfolio.io.export import ledger_json
from netfolio.io.migrate import counted
from netfolio.network import Network

SCRIPT = textwrap.dedent('''
    import datetime as dt, json, sys
    from pathlib import Path
    from sqlalchemy import Date, ForeignKey, String, select, text
    from sqlalchemy.orm import Mapped, mapped_column
    from netfolio.core.enums import Intent
    from netfolio.core.models import Base, Coded, Owned, UtcDateTime

    class Keepsake(Owned, Base):  # the new private table: nothing else is edited
        __tablename__ = "keepsake"
        id: Mapped[int] = mapped_column(primary_key=True)
        person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
        what: Mapped[str] = mapped_column(String(100))
        given_on: Mapped[dt.date] = mapped_column(Date)
        at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
        intent: Mapped[Intent] = mapped_column(Coded(Intent))

    from netfolio.core.owned import ledger_tables
    from netfolio.core.roles import private_tables
    from netfolio.io.export.ledger_json import read_ledger
    from netfolio.io.migrate import ledger_counts
    from netfolio.network import Network

    DDL = ("CREATE TABLE keepsake (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL "
           "DEFAULT 1 REFERENCES app_user (id) ON DELETE CASCADE, person_id INTEGER NOT NULL "
           "REFERENCES person (id) ON DELETE CASCADE, what VARCHAR(100), given_on DATE, "
           "at DATETIME, intent SMALLINT)")

    def ledger(path):
        net = Network(f"sqlite:///{path}")
        with net.session() as s:
            s.execute(text(DDL))
        return net

    def keepsakes(net):
        with net.session(write=False) as s:
            return [(k.person_id, k.what, k.given_on, k.at, k.intent)
                    for k in s.execute(select(Keepsake).order_by(Keepsake.id)).scalars()]

    tmp = Path(sys.argv[1])
    assert "keepsake" in private_tables()
    assert "keepsake" in [t.name for t in ledger_tables()]
    source = ledger(tmp / "source.db")
    ana, ben = source.add("Ana Núñez"), source.add("Ben Okafor")
    with source.session() as s:
        s.add_all([Keepsake(person_id=ben.id, what="a book", given_on=dt.date(2024, 5, 1),
                            at=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC), intent=Intent.GIVE),
                   Keepsake(person_id=ana.id, what="a pen", given_on=dt.date(2023, 1, 2),
                            at=dt.datetime(2023, 1, 2, 18, tzinfo=dt.UTC), intent=Intent.SHARE)])
    made = keepsakes(source)
    with source.session(write=False) as s:
        assert ledger_counts(db_session=s)["keepsake"] == 2  # migrate-to counts it
    source.export("json", tmp / "ledger.json")
    data = json.loads((tmp / "ledger.json").read_text(encoding="utf-8"))
    assert [k["what"] for k in data["tables"]["keepsake"]] == ["a book", "a pen"]

    copy = ledger(tmp / "copy.db")  # restored: the same rows, and the very same file again
    copy.restore(tmp / "ledger.json")
    assert keepsakes(copy) == made
    copy.export("json", tmp / "again.json")
    assert (tmp / "again.json").read_bytes() == (tmp / "ledger.json").read_bytes()

    copy.restore(tmp / "ledger.json", replace=True)  # wiped first, not doubled
    assert keepsakes(copy) == made

    fresh = ledger(tmp / "fresh.db")  # fresh ids (migrate-to): references follow them
    with fresh.session() as s:
        read_ledger(db_session=s, data=data, fresh_ids=True)
    names = {p.id: p.display_name for p in fresh.people()}
    assert [(names[k[0]], k[1]) for k in keepsakes(fresh)] == [
        ("Ben Okafor", "a book"), ("Ana Núñez", "a pen")]
    print("ok")
''')


def test_adding_an_owned_model_needs_no_other_edit(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"


def test_every_owned_table_is_in_the_ledger_or_left_out_with_a_reason() -> None:
    owned = {t.name for t in owned_tables()}
    ledger = {t.name for t in ledger_tables()}
    assert set(NOT_IN_LEDGER) <= owned and ledger == owned - set(NOT_IN_LEDGER)
    assert {"person", "interaction", "setting", "plan_action"} <= ledger
    assert set(private_tables()) >= owned
    assert {table.name for _, table in counted()} == ledger - {"setting"}
    assert not ledger_json._other_tables()  # today every table has a section of its own


def test_a_ledger_file_naming_a_table_this_netfolio_lacks_is_refused(net: Network) -> None:
    data = {"format": ledger_json.FORMAT, "version": ledger_json.VERSION,
            "settings": {"name": "Sam Rivera"},
            "tables": {"keepsake": [{"id": 1, "person_id": 1}]}}
    with pytest.raises(ImportError_, match=r"does not have.*keepsake"), net.session() as s:
        ledger_json.read_ledger(db_session=s, data=data)
    assert net.me().name is None  # nothing was written
