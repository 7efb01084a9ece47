"""The measures cache: one computation per ledger version, stale only when asked to be."""

from __future__ import annotations

import threading
from typing import Any

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
    ana = net.add("Ana Núñez")
    net.log([ana.id], when="90 days ago", intent="catch_up", channel="email")
    cache = MeasuresCache(net)
    first = cache.get()
    assert cache.get() is first and cache.is_fresh(first)
    old = first.standing(ana.id).strength

    gate = threading.Event()
    cache.warmers.append(lambda measured: gate.wait(10))  # hold the next refresh back
    net.log([ana.id], intent="give", channel="in_person")
    assert not cache.is_fresh(first)
    assert cache.get(wait=0) is first, "the previous figures, at once"
    assert cache.get(wait=0.05) is first
    gate.set()
    fresh = cache.get()
    assert fresh is not first and cache.is_fresh(fresh)
    assert fresh.standing(ana.id).strength > old
    assert fresh.why(ana.id).standing.strength == net.why(ana.id).standing.strength


def test_a_failed_refresh_is_reported(net: Any) -> None:
    cache = MeasuresCache(net)

    def broken(measured: Any) -> None:
        raise RuntimeError("warmer failed")

    cache.warmers.append(broken)
    try:
        cache.get()
    except RuntimeError as exc:
        assert "warmer failed" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("the error was swallowed")
    cache.warmers.clear()
    assert cache.get().snapshot.n_people == 0
