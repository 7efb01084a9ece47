"""A ledger whose write lock is held (as a long import holds it): reads go on, writes wait
the busy timeout and are then refused with a clear answer, never a 500 or a traceback; and
no half-written export survives a failed write."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.config import sqlite_path
from netfolio.network import Network


@pytest.fixture
def locked(sqlite_url: str) -> Iterator[str]:
    """The ledger (once served, so it has its cookie secret), with another connection
    holding its write lock for the test."""
    from netfolio.web import create_app

    with Network(sqlite_url) as net:
        net.init(name="Me")
        net.add("Ana Núñez")
    create_app(sqlite_url).state.ctx.net.close()
    path = sqlite_path(sqlite_url)
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE person SET notes = 'held' WHERE id = 1")
    try:
        yield sqlite_url
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.slow
def test_reads_go_on_and_writes_are_refused_clearly_while_the_lock_is_held(
    locked: str, tmp_path: Path,
) -> None:
    from netfolio.web import create_app

    out = tmp_path / "ledger.json"
    client = TestClient(create_app(locked), base_url="http://127.0.0.1")
    try:
        token = client.get("/api/v1/csrf").json()["token"]
        start = time.monotonic()
        listed = client.get("/api/v1/people")
        assert listed.status_code == 200 and time.monotonic() - start < 5
        assert client.get("/").status_code == 200
        start = time.monotonic()
        wrote = client.post("/api/v1/people", json={"name": "Bo"},
                            headers={"X-CSRF-Token": token})
        assert time.monotonic() - start >= 9  # it waited its turn first
        assert wrote.status_code == 503
        assert wrote.headers["retry-after"] == "5"
        assert "busy" in wrote.json()["detail"]
    finally:
        client.close()
        client.app.state.ctx.net.close()  # type: ignore[attr-defined]

    result = CliRunner().invoke(app, ["--db", locked, "add", "Bo"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the ledger is busy")
    for read in (["show", "Ana"], ["list"], ["plan"], ["portfolio"],
                 ["export", "json", str(out)]):
        start = time.monotonic()
        done = CliRunner().invoke(app, ["--db", locked, *read])
        assert done.exit_code == 0, (read, done.output)
        assert time.monotonic() - start < 8, read  # it did not wait for the lock
    assert "Ana Núñez" in out.read_text()


def test_writes_wait_for_a_short_writer(sqlite_url: str) -> None:
    """A lock held for a second is waited for: the write succeeds."""
    import threading

    with Network(sqlite_url) as net:
        net.init(name="Me")
        net.add("Ana Núñez")
    path = sqlite_path(sqlite_url)
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE person SET notes = 'held' WHERE id = 1")
    with Network(sqlite_url) as net:
        net.get("Ana")  # a read first: a deferred transaction could not wait after it
        release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
        release.start()
        added = net.add("Bo")
        release.join()
        assert net.get(added.id).display_name == "Bo"
        assert net.get("Ana").notes == "held"
    holder.close()


def test_no_part_file_survives_a_failed_or_killed_export(tmp_path: Path) -> None:
    from netfolio.io.export import write_atomically

    target = tmp_path / "people.json"
    stale = tmp_path / ".people.json.k1ll3d.part"  # what a kill -9 leaves
    stale.write_text("half")

    def broken(out: object) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, broken, newline=None)
    assert list(tmp_path.iterdir()) == []
    stale.write_text("half")
    write_atomically(target, lambda out: out.write("{}"), newline=None)
    assert [p.name for p in tmp_path.iterdir()] == ["people.json"]
