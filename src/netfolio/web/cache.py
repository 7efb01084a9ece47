"""The measures, computed once per ledger generation and day, shared by every page.

Loading the snapshot and computing the portfolio takes about a second at 10,000 people;
pages need it in milliseconds. :class:`MeasuresCache` keeps one :class:`Measured` and
recomputes it only when the ledger's generation moved or the day turned. The generation
(:mod:`netfolio.core.generation`) is a counter per owner that every committed write moves,
whoever wrote (this server, the CLI in another process, an import, a sync, another
server on the same team database); reading it is one indexed row, well under a
millisecond, so every request checks it.

After a write every page waits for the fresh figures (up to ``PAGE_WAIT`` seconds; past
that it shows the previous ones with a note while the refresh goes on). A server started
with ``warm`` also watches the generation on a thread of its own, so a write from another
process starts the refresh at once rather than at the next request, and it computes the
measures at start-up.

The refresh is one call, :func:`compute` (the snapshot, the portfolio and every standing);
what the pages derive from it (the search index, this week's plan, ask mode's ledger facts)
is made after the new measures are published, once per generation, by the first page that
needs it or by the ``warmers`` in the background.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
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

    def recent(self, kind: str, key: Any, make: Callable[[], Any], keep: int = 64) -> Any:
        """What ``make()`` gave for ``key`` the last time it was asked on these measures
        (the ``keep`` latest keys of each ``kind``): a search's ranked people, an ask's
        report, so that asking again, or for the next page, costs nothing."""
        kept: _Recent = self.once(("recent", kind), lambda: _Recent(keep))
        return kept.get(key, make)

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


class _Recent:
    """The latest ``keep`` results by key (least recently used goes first)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._found: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]
        found = make()
        with self._lock:
            self._found[key] = found
            while len(self._found) > self.keep:
                self._found.popitem(last=False)
        return found


def _round(x: float, n: int) -> float:
    return float(round(float(x), n))


def ledger_version(net: Network) -> tuple[Any, ...]:
    """A value that changes whenever anything is written to the acting user's network
    (their ledger generation: one indexed row)."""
    from netfolio.core.generation import generation

    with net.session(write=False) as s:
        return (generation(s),)


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


log = logging.getLogger(__name__)


class _Refresh(threading.Thread):
    """One computation of the measures on a thread of its own: published as soon as they
    are computed, then the warmers run."""

    def __init__(self, cache: MeasuresCache) -> None:
        super().__init__(name="netfolio-measures", daemon=True)
        self.cache = cache
        self.began = time.monotonic()
        self.error: BaseException | None = None
        self.published = threading.Event()

    def run(self) -> None:
        try:
            key = self.cache._key()
            measured = compute(self.cache.net, key, key[1])
            self.cache._publish(measured, self.began)
        except BaseException as exc:  # reported to the requests waiting for it
            self.error = exc
            return
        finally:
            self.published.set()
        for warm in list(self.cache.warmers):
            try:
                warm(measured)
            except Exception as exc:  # the page that needs it makes it again, and reports
                log.warning("netfolio: precomputing for the pages failed (%s); the first "
                            "page that needs it will compute it", exc)


class MeasuresCache:
    """One :class:`Measured` at a time, recomputed when the ledger's generation or the day
    changes.

    A refresh runs on a thread of its own (one at a time): it computes the measures and
    publishes them whole (a page never sees half of one), then runs the ``warmers`` (the
    search index, this week's plan), which the pages would otherwise make on first use.
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        self._current: Measured | None = None
        self._began = -1.0  # when the published result's computation began
        self._running: _Refresh | None = None
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        #: run on each new result after it is published (to precompute more, e.g. the plan)
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
        as it takes, 0 not at all, and neither when the last refresh took longer than
        ``wait`` (it would only delay the previous figures). With nothing computed yet, or on
        a new day, it waits."""
        asked = time.monotonic()
        deadline = None if wait is None else asked + wait
        while True:
            current = self._current
            if current is not None and (self._began >= asked or current.key == self._key()):
                return current
            usable = current is not None and current.day == self.net.day()
            refresh = self._refresh()
            if usable and wait is not None and current is not None and current.seconds > wait:
                deadline = asked  # the last refresh took longer than the wait: do not wait
            if usable and deadline is not None:
                refresh.published.wait(max(0.0, deadline - time.monotonic()))
                if not refresh.published.is_set():
                    assert current is not None
                    return current
            else:
                refresh.published.wait()
            if refresh.error is not None:
                raise refresh.error
            # loop: a refresh that began before this request may have missed a write

    def is_fresh(self, measured: Measured) -> bool:
        return measured.key == self._key()

    def _refresh(self) -> _Refresh:
        """The running refresh (until it has published), or a new one."""
        with self._lock:
            if self._running is None or self._running.published.is_set():
                self._running = _Refresh(self)
                self._running.start()
            return self._running

    def refresh_in_background(self) -> None:
        """Bring the cache up to date on a thread of its own (one at a time)."""
        if self._current is None or not self.is_fresh(self._current):
            self._refresh()

    def watch(self, every: float = 0.05) -> None:
        """Check the ledger's generation every ``every`` seconds on a thread of its own and
        refresh as soon as it moves (a write from another process shows without waiting for
        the next request to notice it). ``stop()`` ends it."""
        if self._watcher is not None:
            return

        def loop() -> None:
            while not self._stop.wait(every):
                try:
                    running = self._running
                    if running is None or running.published.is_set():
                        self.refresh_in_background()
                except Exception:  # a closed or busy ledger: try again on the next tick
                    log.debug("checking the ledger's generation failed", exc_info=True)

        self._watcher = threading.Thread(target=loop, name="netfolio-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        """Stop watching (see :meth:`watch`)."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(5)
            self._watcher = None


class NoMeasures(MeasuresCache):
    """The measures of no one: a team server's own context (each member has a cache of
    their own, :mod:`netfolio.web.members`), so a route that forgot to act for its member
    fails instead of showing user 1's figures."""

    def get(self, *, wait: float | None = None) -> Measured:
        raise RuntimeError("team mode: the measures are kept per member (WebContext.acting)")

    def refresh_in_background(self) -> None:
        return None
