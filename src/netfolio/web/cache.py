"""The measures, computed once per ledger version and day, shared by every page.

Loading the snapshot and computing the portfolio takes about a second at 10,000 people;
pages need it in milliseconds. :class:`MeasuresCache` keeps one :class:`Measured` and
recomputes it only when the ledger changed or the day turned. The ledger's version is cheap
to read: for SQLite the size and modification time of the file and its write-ahead log
(every commit, from this server or the CLI, touches them); for PostgreSQL the server's
transaction horizon (``pg_current_snapshot()``), which moves with every write.

Pages that must show the newest numbers (the dashboard, a person's strength breakdown) ask
for a fresh result and wait for it; lists (people, the map) take the newest one at hand and
start a refresh in the background, so they stay fast right after a write.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from netfolio.core.snapshot import Snapshot
    from netfolio.measures import Params, Portfolio
    from netfolio.network import Network
    from netfolio.reports import PersonStanding, PortfolioReport, Why


@dataclass(eq=False)
class Measured:
    """Everything the pages read from the measures on one day, in snapshot row order."""

    key: tuple[Any, ...]
    snapshot: Snapshot
    day: int
    params: Params
    folio: Portfolio
    report: PortfolioReport
    standings: list[PersonStanding]
    strength: np.ndarray
    tier: np.ndarray
    days_since: np.ndarray
    overdue: np.ndarray
    goodwill: np.ndarray
    dormant: np.ndarray
    field_names: dict[str, str]
    seconds: float
    extras: dict[Any, Any] = field(default_factory=dict)
    _locks: dict[Any, threading.Lock] = field(default_factory=dict, repr=False)
    _locks_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def once(self, key: Any, make: Callable[[], Any]) -> Any:
        """``extras[key]``, made by ``make()`` the first time (others wait rather than
        make it again)."""
        found = self.extras.get(key)
        if found is not None:
            return found
        with self._locks_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self.extras.get(key)
            if found is None:
                found = self.extras[key] = make()
            return found

    def row(self, person_id: int) -> int | None:
        ids = self.snapshot.person_id
        i = int(np.searchsorted(ids, person_id))
        return i if i < len(ids) and int(ids[i]) == person_id else None

    def rows(self, person_ids: Any) -> np.ndarray:
        """Rows of the given ids that are in the snapshot (others are dropped)."""
        ids = self.snapshot.person_id
        wanted = np.asarray(sorted(person_ids), dtype=np.int64)
        at = np.searchsorted(ids, wanted)
        ok = at < len(ids)
        ok[ok] = ids[at[ok]] == wanted[ok]
        return at[ok]

    def standing(self, person_id: int) -> PersonStanding | None:
        row = self.row(person_id)
        return None if row is None else self.standings[row]

    def why(self, person_id: int) -> Why | None:
        """The strength breakdown of one person from the cached measures (as ``Network.why``)."""
        from netfolio.reports import why_of

        row = self.row(person_id)
        if row is None:
            return None
        return why_of(row=row, day=self.day, strength=self.folio.strength,
                      goodwill=self.folio.goodwill, standing=self.standings[row])


def _round(x: float, n: int) -> float:
    return float(round(float(x), n))


def ledger_version(net: Network) -> tuple[Any, ...]:
    """A value that changes whenever anything is written to the ledger (cheap to read)."""
    from netfolio.config import sqlite_path

    path = sqlite_path(net.url)
    if path is not None:
        parts: list[Any] = []
        for p in (path, path.with_name(path.name + "-wal")):
            try:
                st = os.stat(p)
                parts += [st.st_size, st.st_mtime_ns]
            except FileNotFoundError:
                parts += [None, None]
        return tuple(parts)
    with net.database.engine.connect() as conn:
        try:
            return (conn.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar(),)
        except Exception:  # not PostgreSQL 13+: count what the measures read
            conn.rollback()
            row = conn.exec_driver_sql(
                "SELECT (SELECT count(*) FROM interaction), (SELECT max(id) FROM interaction),"
                " (SELECT count(*) FROM person), (SELECT max(updated_at) FROM person),"
                " (SELECT count(*) FROM ask), (SELECT count(*) FROM knows),"
                " (SELECT count(*) FROM person_field), (SELECT count(*) FROM setting)"
            ).one()
            return tuple(row)


def compute(net: Network, key: tuple[Any, ...], day: int) -> Measured:
    """Load the snapshot and compute the portfolio and every standing on ``day``."""
    from netfolio.measures import portfolio
    from netfolio.reports import portfolio_report, standings

    start = time.perf_counter()
    snap = net.snapshot()
    params = net.params()
    names = {f.slug: f.name for f in net.fields()}
    folio = portfolio(snap, day, params)
    report = portfolio_report(snap, folio, names, dormant_limit=10)
    rows = standings(snap, day, params, folio=folio)
    n = snap.n_people
    dormant = np.zeros(n, dtype=bool)
    for tie in folio.dormant:
        dormant[tie.row] = True
    return Measured(
        key=key, snapshot=snap, day=day, params=params, folio=folio, report=report,
        standings=rows,
        strength=np.array([s.strength for s in rows], dtype=np.float64),
        tier=np.array([s.tier or 0 for s in rows], dtype=np.int32),
        days_since=np.array([-1 if s.days_since is None else s.days_since for s in rows],
                            dtype=np.int64),
        overdue=np.array([s.overdue for s in rows], dtype=bool),
        goodwill=np.array([s.goodwill for s in rows], dtype=np.float64),
        dormant=dormant, field_names=names, seconds=time.perf_counter() - start,
    )


class _Refresh(threading.Thread):
    """One computation of the measures (and the warmers), on a thread of its own."""

    def __init__(self, cache: MeasuresCache) -> None:
        super().__init__(name="netfolio-measures", daemon=True)
        self.cache = cache
        self.began = time.monotonic()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            key = self.cache._key()
            measured = compute(self.cache.net, key, key[1])
            for warm in self.cache.warmers:
                warm(measured)
            self.cache._publish(measured, self.began)
        except BaseException as exc:  # reported to the requests waiting for it
            self.error = exc


class MeasuresCache:
    """One :class:`Measured` at a time, recomputed when the ledger version or the day changes.

    A refresh runs on a thread of its own (one at a time): it computes the measures, then
    the ``warmers`` (the search index, this week's plan), and only then publishes the new
    result, so a page never sees half of one.
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        self._current: Measured | None = None
        self._began = -1.0  # when the published result's computation began
        self._running: _Refresh | None = None
        self._lock = threading.Lock()
        #: run on each new result before it is published (to precompute more, e.g. the plan)
        self.warmers: list[Callable[[Measured], object]] = []

    def _key(self) -> tuple[Any, ...]:
        return (ledger_version(self.net), self.net.day())

    def _publish(self, measured: Measured, began: float) -> None:
        with self._lock:
            if began >= self._began:
                self._current, self._began = measured, began

    def get(self, *, wait: float | None = None) -> Measured:
        """The measures as of now. ``wait``: how many seconds to wait for fresh ones before
        taking the previous ones (the refresh goes on in the background); None waits as long
        as it takes, 0 not at all. With nothing computed yet, or on a new day, it waits."""
        asked = time.monotonic()
        deadline = None if wait is None else asked + wait
        while True:
            current = self._current
            if current is not None and (current.key == self._key() or self._began >= asked):
                return current
            usable = current is not None and current.day == self.net.day()
            refresh = self._refresh()
            if usable and deadline is not None:
                refresh.join(max(0.0, deadline - time.monotonic()))
                if refresh.is_alive():
                    assert current is not None
                    return current
            else:
                refresh.join()
            if refresh.error is not None:
                raise refresh.error
            # loop: a refresh that began before this request may have missed a write

    def is_fresh(self, measured: Measured) -> bool:
        return measured.key == self._key()

    def _refresh(self) -> _Refresh:
        """The running refresh, or a new one."""
        with self._lock:
            if self._running is None or not self._running.is_alive():
                self._running = _Refresh(self)
                self._running.start()
            return self._running

    def refresh_in_background(self) -> None:
        """Bring the cache up to date on a thread of its own (one at a time)."""
        if self._current is None or not self.is_fresh(self._current):
            self._refresh()


class NoMeasures(MeasuresCache):
    """The measures of no one: a team server's own context (each member has a cache of
    their own, :mod:`netfolio.web.members`), so a route that forgot to act for its member
    fails instead of showing user 1's figures."""

    def get(self, *, wait: float | None = None) -> Measured:
        raise RuntimeError("team mode: the measures are kept per member (WebContext.acting)")

    def refresh_in_background(self) -> None:
        return None
