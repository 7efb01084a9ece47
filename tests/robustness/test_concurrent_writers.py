"""Writers wait, they do not fail: the real server, API clients, a CLI writer and an import
on one SQLite ledger at once.

Every write is either acknowledged and then present in the ledger, or refused with a clear
"busy" answer (503 with Retry-After on the API, one line on the CLI); never an HTTP 500, a
reset connection or a lock traceback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

API_CLIENTS = 4
API_WRITES = 40  # per client
CLI_WRITES = 8
IMPORT_CARDS = 3_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NETFOLIO_USER", None)
    return env


def _netfolio(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netfolio", "--db", str(db), *args],
                          capture_output=True, text=True, env=_env(), timeout=300)


def _vcards(n: int) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported Person {i}\r\n"
        f"EMAIL:imported{i}@example.org\r\nORG:Org {i % 97}\r\nEND:VCARD\r\n"
        for i in range(n)
    )


def _wait_until_up(base: str, server: subprocess.Popen[str]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/v1/csrf", timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("the server did not start")
            time.sleep(0.2)


class _Writes:
    """Every write's outcome: acknowledged, refused as busy, or a failure (anything else)."""

    def __init__(self) -> None:
        self.acknowledged: list[str] = []
        self.refused: list[str] = []
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def api_client(self, base: str, k: int) -> None:
        import httpx

        with httpx.Client(base_url=base, timeout=60) as client:
            token = client.get("/api/v1/csrf").json()["token"]
            for i in range(API_WRITES):
                name = f"Api Writer {k}-{i}"
                try:
                    r = client.post("/api/v1/people", json={"name": name},
                                    headers={"X-CSRF-Token": token})
                except httpx.TransportError as exc:
                    with self.lock:
                        self.failures.append(f"{name}: {exc!r}")
                    continue
                with self.lock:
                    if r.status_code == 201:
                        self.acknowledged.append(name)
                    elif r.status_code == 503 and "busy" in r.text and \
                            r.headers.get("retry-after"):
                        self.refused.append(name)
                    else:
                        self.failures.append(f"{name}: {r.status_code} {r.text[:200]}")

    def cli_writer(self, db: Path) -> None:
        for i in range(CLI_WRITES):
            name = f"Cli Writer {i}"
            done = _netfolio(db, "add", name)
            with self.lock:
                if done.returncode == 0:
                    self.acknowledged.append(name)
                elif "busy" in done.stderr and len(done.stderr.strip().splitlines()) == 1:
                    self.refused.append(name)
                else:
                    self.failures.append(
                        f"{name}: exit {done.returncode} {done.stderr[-300:]}")


def test_api_clients_a_cli_writer_and_an_import_at_once(tmp_path: Path) -> None:
    from netfolio.network import Network

    db = tmp_path / "ledger.db"
    with Network(str(db)) as net:
        net.init(name="Me")
    cards = tmp_path / "contacts.vcf"
    cards.write_text(_vcards(IMPORT_CARDS), encoding="utf-8")

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "netfolio", "--db", str(db), "serve", "--port", str(port)],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    writes = _Writes()
    acknowledged, refused, failures = writes.acknowledged, writes.refused, writes.failures
    imported: list[subprocess.CompletedProcess[str]] = []
    try:
        _wait_until_up(base, server)

        def importer() -> None:
            imported.append(_netfolio(db, "import", "vcard", str(cards)))

        threads = [threading.Thread(target=writes.api_client, args=(base, k))
                   for k in range(API_CLIENTS)]
        threads += [threading.Thread(target=writes.cli_writer, args=(db,)),
                    threading.Thread(target=importer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
    finally:
        server.terminate()
        _, server_err = server.communicate(timeout=30)

    print(f"\n{len(acknowledged)} writes acknowledged, {len(refused)} refused as busy, "
          f"{len(failures)} failed; import exit {imported[0].returncode if imported else None}")
    assert failures == []
    assert "Traceback" not in server_err
    assert "database is locked" not in server_err
    (run,) = imported
    assert run.returncode == 0 or ("busy" in run.stderr and "Traceback" not in run.stderr)
    with Network(str(db)) as net:
        names = {p.display_name for p in net.people(limit=None)}
    missing = [n for n in acknowledged if n not in names]
    assert missing == []
    assert not [n for n in refused if n in names]  # a refused write wrote nothing
    total = API_CLIENTS * API_WRITES + CLI_WRITES
    assert len(acknowledged) + len(refused) == total
    # Short writes wait their turn rather than being refused.
    assert len(acknowledged) >= total * 0.8  # 62% before writers began IMMEDIATE
    if run.returncode == 0:
        assert sum(n.startswith("Imported Person") for n in names) == IMPORT_CARDS
