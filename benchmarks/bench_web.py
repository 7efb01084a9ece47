"""The web app: dashboard, person page and people search times on a demo ledger, measured
from this process over loopback against ``netfolio serve``-style uvicorn in a subprocess.

Each figure is the median over many requests on one keep-alive connection, as the client
sees it (loopback and HTTP included); the note gives the server's own time from the
``Server-Timing`` header. The baseline is the same server's trivial route
(``/api/v1/csrf``: the middleware and a session, no ledger work) in the same run.
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, python
from benchmarks.ledgers import fresh_copy

SERVER = """
import sys, uvicorn
from netfolio.web import create_app
uvicorn.run(create_app(sys.argv[1], warm=True), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""
SEARCHES = ("ana", "engineer", "london", "bank", "lee", "design", "maria", "health")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One keep-alive HTTP connection; times each GET (client side and Server-Timing)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = ""

    def get(self, path: str) -> tuple[float, float, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        start = time.perf_counter()
        self.conn.request("GET", path, headers=headers)
        response = self.conn.getresponse()
        body = response.read()
        took = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        if cookie := response.getheader("set-cookie"):
            self.cookie = cookie.split(";", 1)[0]
        timing = response.getheader("server-timing") or "app;dur=0"
        return took, float(timing.split("dur=")[1]) / 1000, body

    def post_json(self, path: str, data: object, token: str) -> None:
        self.conn.request("POST", path, body=json.dumps(data), headers={
            "Cookie": self.cookie, "Content-Type": "application/json", "X-CSRF-Token": token})
        response = self.conn.getresponse()
        response.read()
        if response.status >= 400:
            raise RuntimeError(f"POST {path}: {response.status}")

    def close(self) -> None:
        self.conn.close()


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _median(client: Client, paths: list[str], repeat: int) -> tuple[float, float]:
    for path in paths:  # each once first: imports, the first query plans
        client.get(path)
    walls, servers = [], []
    for i in range(repeat):
        wall, server, _ = client.get(paths[i % len(paths)])
        walls.append(wall)
        servers.append(server)
    return statistics.median(walls), statistics.median(servers)


def run(quick: bool = False) -> list[Result]:
    sizes = [2_000] if quick else [10_000, 100_000]
    results: list[Result] = []
    for people in sizes:
        results += _run_size(people, repeat=15 if quick else 41)
    return results


def _run_size(people: int, repeat: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        path = fresh_copy(people, Path(tmp) / "web.db")
        import sqlite3

        con = sqlite3.connect(path)
        n_people = con.execute("SELECT count(*) FROM person").fetchone()[0]
        n_int = con.execute("SELECT count(*) FROM interaction").fetchone()[0]
        ids = [r[0] for r in con.execute(
            "SELECT person_id FROM interaction_person GROUP BY person_id "
            "ORDER BY count(*) DESC LIMIT 40")]
        con.close()
        port = _free_port()
        server = subprocess.Popen([python(), "-c", SERVER, str(path), str(port)])
        try:
            _wait(port, server)
            client = Client(port)
            start = time.perf_counter()
            client.get("/")  # waits for the measures and the plan (computed once per version)
            first = time.perf_counter() - start
            base_wall, base_server = _median(client, ["/api/v1/csrf"], repeat)
            size = f"{n_people:,} people, {n_int:,} interactions"
            figures = [
                ("dashboard", ["/"], "< 150 ms"),
                ("person page", [f"/people/{i}" for i in ids], "< 150 ms"),
                ("people search", [f"/people?q={w}" for w in SEARCHES], "< 100 ms"),
                ("people by strength, one field", ["/people?sort=strength&field=software",
                                                   "/people?sort=strength&page=3"], "< 100 ms"),
                ("API people search", [f"/api/v1/people?q={w}" for w in SEARCHES], "< 100 ms"),
                ("network map, 150 strongest", ["/map"], ""),
            ]
            results = []
            for name, paths, target in figures:
                wall, on_server = _median(client, paths, repeat)
                results.append(Result(
                    f"web {name} ({size})", wall * 1000, "trivial route, same server",
                    base_wall * 1000, unit="ms", target=target,
                    note=f"server time {on_server * 1000:.1f} ms (trivial route "
                         f"{base_server * 1000:.1f} ms)"))
            # After a write, the next dashboard waits for the measures to be recomputed.
            token = json.loads(client.get("/api/v1/csrf")[2])["token"]
            client.post_json("/api/v1/interactions", {"people": [ids[0]]}, token)
            wall, on_server, _ = client.get("/")
            results.append(Result(
                f"web dashboard right after a write ({size})", wall * 1000,
                "the dashboard from the cache", results[0].value, unit="ms",
                target="(recomputes the measures and the plan)",
                note=f"server time {on_server * 1000:.0f} ms; the first dashboard after "
                     f"start-up: {first:.1f} s"))
            client.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results
