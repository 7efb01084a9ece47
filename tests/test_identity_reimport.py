"""Re-importing the same files changes nothing, also after merges and splits; undo is exact.

Uses the identity benchmark's generated exports (LinkedIn, vCard, Google and Outlook CSV,
.ics, mbox) at a small scale; ``python -m benchmarks identity_full`` checks the same at
100,000 people.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.bench_identity import ME, edit_like_a_user, ledger_digest, people, write_files

from netfolio.network import Network


@pytest.mark.parametrize("seed", [3, pytest.param(4, marks=pytest.mark.slow)])
def test_reimport_after_merges_and_splits_changes_nothing_and_undo_is_exact(
    tmp_path: Path, seed: int
) -> None:
    ids = people(300, seed)
    files = write_files(ids, tmp_path, seed)
    db = tmp_path / "ledger.db"
    net = Network(str(db))
    first = net.import_file(files, me=[ME])
    assert first.new > 200 and first.merged > 0
    imported = ledger_digest(db)

    again = net.import_file(files, me=[ME])
    assert (again.new, again.updated, again.interactions_added) == (0, 0, 0)
    assert ledger_digest(db) == imported

    edits = edit_like_a_user(net, merges=15, splits=3)
    assert edits == 18
    edited = ledger_digest(db)
    assert edited != imported
    after = net.import_file(files, me=[ME])
    assert (after.new, after.updated, after.merged, after.interactions_added) == (0, 0, 0, 0)
    assert ledger_digest(db) == edited

    net.import_undo()  # the re-import
    assert ledger_digest(db) == edited
    for _ in range(edits):
        net.import_undo()
    assert ledger_digest(db) == imported  # every merge and split undone, exactly
    net.import_undo()
    net.import_undo()
    assert net.count() == 0 and ledger_digest(db)[0] == 0
    net.close()
