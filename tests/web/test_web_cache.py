"""The measures cache: one computation per ledger version, stale only when asked to be."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from netfolio.web.cache import MeasuresCache, ledger_version


def test_the_version_moves_with_every_write_from_any_process(net: Any, db_url: str) -> None:
    from netfolio.network import Network

    ana = net.add("Ana Núñez")
    alone = db_url.startswith("sqlite")  # PostgreSQL's horizon also moves with other databases
    before = ledger_version(net)
    assert ledger_version(net) == before or not alone, "reading changes nothing"
    with Network(db_url) as cli:  # another connection, as the CLI would be
        cli.log([ana.id], intent="catch_up")
    after = ledger_version(net)
    assert after != before
    net.me()
    assert ledger_version(net) == after or not alone


def test_fresh_waits_stale_does_not(sqlite_url: str) -> None:
    # On SQLite: PostgreSQL's version (the cluster's horizon) also moves with writes in other
    # databases of the same server, as when the suite runs in parallel there.
    from netfolio.network import Network

    with Network(sqlite_url) as net:
        _fresh_waits_stale_does_not(net)


def _fresh_waits_stale_does_not(net: Any) -> None:
    import netfolio.web.cache as cache_module

    ana = net.add("Ana Núñez")
    net.log([ana.id], when="90 days ago", intent="catch_up", channel="email")
    cache = MeasuresCache(net)
    first = cache.get()
    assert cache.get() is first and cache.is_fresh(first)
    old = first.standing(ana.id).strength

    gate = threading.Event()
    compute = cache_module.compute

    def held(*args: Any) -> Any:  # hold the next refresh back
        gate.wait(10)
        return compute(*args)

    cache_module.compute = held
    try:
        net.log([ana.id], intent="give", channel="in_person")
        assert not cache.is_fresh(first)
        assert cache.get(wait=0) is first, "the previous figures, at once"
        assert cache.get(wait=0.05) is first
        gate.set()
        fresh = cache.get()
    finally:
        cache_module.compute = compute
    assert fresh is not first and cache.is_fresh(fresh)
    assert fresh.standing(ana.id).strength > old
    assert fresh.why(ana.id).standing.strength == net.why(ana.id).standing.strength


def test_a_failed_refresh_is_reported(net: Any) -> None:
    import netfolio.web.cache as cache_module

    cache = MeasuresCache(net)
    compute = cache_module.compute

    def broken(*args: Any) -> Any:
        raise RuntimeError("the measures failed")

    cache_module.compute = broken
    try:
        cache.get()
    except RuntimeError as exc:
        assert "the measures failed" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("the error was swallowed")
    finally:
        cache_module.compute = compute
    assert cache.get().snapshot.n_people == 0


def test_a_failed_warmer_leaves_the_measures_published(net: Any) -> None:
    cache = MeasuresCache(net)
    warmed = threading.Event()

    def broken(measured: Any) -> None:
        warmed.set()
        raise RuntimeError("warmer failed")

    cache.warmers.append(broken)
    measured = cache.get()
    assert warmed.wait(10)
    assert cache.get() is measured and cache.is_fresh(measured)


def test_reads_and_server_bookkeeping_leave_the_generation_alone(net: Any) -> None:
    from netfolio.core.generation import generation
    from netfolio.core.web_sessions import session_user

    ana = net.add("Ana Núñez")
    before = ledger_version(net)
    net.get(ana.id)
    net.standings()
    with net.session() as s:  # a web session looked up (and touched) on every request
        session_user(db_session=s, key="no such key")
        assert generation(s) == before[0]
    assert ledger_version(net) == before
    net.edit(ana.id, organisation="Acme")
    assert ledger_version(net) == (before[0] + 1,), "one write, one step"


def test_a_rolled_back_write_moves_nothing(net: Any) -> None:
    ana = net.add("Ana Núñez")
    before = ledger_version(net)
    with pytest.raises(RuntimeError), net.session() as s:
        from netfolio.core.models import Person

        s.get(Person, ana.id).organisation = "Acme"  # type: ignore[union-attr]
        s.flush()
        raise RuntimeError("undo")
    assert ledger_version(net) == before


def test_the_watcher_refreshes_after_a_write_from_another_process(net: Any, db_url: str) -> None:
    """A warm server notices a write from another process without a request asking."""
    import subprocess
    import sys
    import time

    ana = net.add("Ana Núñez")
    cache = MeasuresCache(net)
    first = cache.get()
    cache.watch(every=0.02)
    try:
        subprocess.run([sys.executable, "-m", "netfolio", "--db", db_url, "log", f"#{ana.id}",
                        "--intent", "give"], check=True, capture_output=True)
        deadline = time.monotonic() + 30
        while cache._current is first and time.monotonic() < deadline:
            time.sleep(0.02)
        assert cache._current is not first, "refreshed in the background"
        assert cache.get(wait=0).standing(ana.id).strength > first.standing(ana.id).strength
    finally:
        cache.stop()


def test_a_write_in_another_process_shows_on_the_next_request(
        make_client: Any, net: Any, db_url: str) -> None:
    """No stale figures: the CLI logs a contact, the very next page has it."""
    import re
    import subprocess
    import sys

    ana = net.add("Ana Núñez")
    client = make_client()
    page = client.get(f"/api/v1/people/{ana.id}/why")
    assert page.status_code == 200
    before = page.json()
    dashboard = client.get("/").text
    for n in range(1, 3):
        subprocess.run([sys.executable, "-m", "netfolio", "--db", db_url, "log", f"#{ana.id}",
                        "--intent", "give", "--channel", "in-person"],
                       check=True, capture_output=True)
        after = client.get(f"/api/v1/people/{ana.id}/why").json()
        assert after != before, f"write {n} shows at once"
        before = after
        person = client.get(f"/people/{ana.id}").text
        assert "from before your last change" not in person
        assert len(re.findall(r"in person", person, re.IGNORECASE)) >= n
    assert client.get("/").text != dashboard


@pytest.mark.postgres
def test_each_member_has_a_generation_of_their_own(team: Any) -> None:
    """A member's write moves their own generation, never a teammate's (so a team server
    recomputes only the measures of the member who wrote); row-level security shows each
    member their own counter only."""
    from sqlalchemy import text

    ana_before, bob_before = ledger_version(team.ana), ledger_version(team.bob)
    team.ana.log(["Jane Roe"], intent="give", channel="call")
    assert ledger_version(team.ana) == (ana_before[0] + 1,)
    assert ledger_version(team.bob) == bob_before
    team.bob.add("Lee Chan")
    assert ledger_version(team.bob) == (bob_before[0] + 1,)
    assert ledger_version(team.ana) == (ana_before[0] + 1,)
    with team.bob.session(write=False) as s:
        owners = s.execute(text("SELECT owner_id FROM ledger_generation")).scalars().all()
    assert owners == [team.bob.database.user_id]


def test_no_wait_when_the_last_refresh_took_longer_than_the_wait(net: Any) -> None:
    import dataclasses
    import time

    import netfolio.web.cache as cache_module

    ana = net.add("Ana Núñez")
    cache = MeasuresCache(net)
    first = cache.get()
    slow = dataclasses.replace(first, seconds=30.0)  # as a 100,000-person ledger might take
    cache._current = slow
    gate = threading.Event()
    compute = cache_module.compute

    def held(*args: Any) -> Any:
        gate.wait(10)
        return compute(*args)

    cache_module.compute = held
    try:
        net.log([ana.id], intent="give")
        start = time.monotonic()
        assert cache.get(wait=5) is slow, "the previous figures"
        assert time.monotonic() - start < 1, "at once, not after 5 s"
        gate.set()
        assert cache.get() is not slow
    finally:
        gate.set()
        cache_module.compute = compute


def test_imports_move_the_generation_and_a_dry_run_does_not(net: Any) -> None:
    """The import pipeline writes in bulk (``executemany`` on the session's connection):
    one import, one step; its dry run, none; its undo, one."""
    from pathlib import Path

    fixture = Path(__file__).parents[1] / "fixtures" / "import" / "vcard"
    cards = fixture / "vcard30_google_export.vcf"
    before = ledger_version(net)
    net.import_file(cards, dry_run=True)
    assert ledger_version(net) == before
    report = net.import_file(cards)
    assert report.to_dict()  # something was imported
    after = ledger_version(net)
    assert after[0] > before[0]
    net.import_undo(force=True)
    assert ledger_version(net)[0] > after[0]


def test_the_demo_writer_moves_the_generation(net: Any, db_url: str) -> None:
    """The demo writes through a raw DB-API connection, past the engine's events."""
    from netfolio.demo import build

    before = ledger_version(net)
    build(db_url, people=30, years=1, seed=3)
    assert ledger_version(net)[0] > before[0]
