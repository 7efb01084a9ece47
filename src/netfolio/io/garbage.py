"""Fewer garbage collections while a bulk import runs, without turning them off.

An import makes hundreds of thousands of small objects, few of them cyclic; the collector's
default (a young collection every 700 allocations) spends a tenth of the import's CPU time
looking for cycles there are not (``python -m benchmarks import``; docs/performance.md).
Turning the collector off for the import turned it off for the whole process, the web
server's other threads included. :func:`fewer_collections` instead raises the young
generation's threshold while imports run: the collector keeps running for every thread,
less often, and the previous thresholds come back when the last import ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations between young collections while an import runs (the default is 700).
IMPORT_THRESHOLD = 50_000

_lock = threading.Lock()
_running = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections(young: int = IMPORT_THRESHOLD) -> Iterator[None]:
    """Collect young objects every ``young`` allocations (at least) inside the block.

    Safe to nest and to enter from several threads at once: the thresholds in force before
    the first block are restored when the last one exits.

    >>> before = gc.get_threshold()
    >>> with fewer_collections(10_000):
    ...     gc.get_threshold()[0] >= 10_000
    True
    >>> gc.get_threshold() == before
    True
    """
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(young, _saved[0]), _saved[1], _saved[2])
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None


__all__ = ["IMPORT_THRESHOLD", "fewer_collections"]
