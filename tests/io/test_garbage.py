"""An import collects garbage less often, but never turns the collector off for the process
(the web server's other threads run beside it)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from netfolio.io.garbage import IMPORT_THRESHOLD, fewer_collections
from netfolio.network import Network


def test_an_import_keeps_the_collector_on_with_a_higher_threshold(
    net: Network, tmp_path: Path
) -> None:
    cards = tmp_path / "cards.vcf"
    cards.write_text("".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nEND:VCARD\r\n"
                             for i in range(20)), encoding="utf-8")
    before = gc.get_threshold()
    seen: list[tuple[str, bool, int]] = []
    report = net.import_file(cards, progress=lambda stage, *_: seen.append(
        (stage, gc.isenabled(), gc.get_threshold()[0])))
    assert report.summary
    assert all(enabled for _, enabled, _ in seen)
    # matching and writing (run_import's work; reading the files comes before it)
    writing = [young for stage, _, young in seen if stage in ("match", "write")]
    assert writing and all(young >= IMPORT_THRESHOLD for young in writing)
    assert gc.get_threshold() == before and gc.isenabled()


def test_overlapping_imports_restore_the_thresholds_when_the_last_one_ends() -> None:
    before = gc.get_threshold()
    first_in, second_done, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    during: list[int] = []

    def first() -> None:
        with fewer_collections(20_000):
            first_in.set()
            first_may_leave.wait(10)
            during.append(gc.get_threshold()[0])

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with fewer_collections(30_000):  # a second import while the first runs
        during.append(gc.get_threshold()[0])
    second_done.set()
    during.append(gc.get_threshold()[0])  # the first is still running
    first_may_leave.set()
    thread.join(10)
    assert during == [20_000, 20_000, 20_000]
    assert gc.get_threshold() == before and gc.isenabled()
