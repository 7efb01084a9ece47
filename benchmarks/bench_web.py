"""The web app: every page and API call warm, and the time to fresh figures after a write,
on demo ledgers of 10,000 and 100,000 people, measured from this process over loopback
against ``netfolio serve``-style uvicorn (with the background refresh) in a subprocess.

Each warm figure is the median over many requests on one keep-alive connection, as the
client sees it (loopback and HTTP included); the note gives the server's own time from the
``Server-Timing`` header. The baseline, in the same run, is a static file served by the same
server (``/static/favicon.svg``: the middleware and a file, no ledger work).

Time to fresh: a contact is logged (through the API, then by ``netfolio log`` in another
process), and the same person's strength breakdown is asked for until it shows the new
contact: the figure is the time from the write's end to the first fresh answer.
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
from urllib.parse import urlencode

from benchmarks.common import Result, python
from benchmarks.ledgers import fresh_copy

SERVER = """
import sys, uvicorn
from netfolio.web import create_app
uvicorn.run(create_app(sys.argv[1], warm=True), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""
SEARCHES = ("ana", "engineer", "london", "bank", "lee", "design", "maria", "health")
ASKED = ("machine learning engineer", "advice on hiring a data team", "a lawyer",
         "someone at a bank")
#: The same-run baseline: a static file served by the same server.
BASELINE = "/static/favicon.svg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One keep-alive HTTP connection; times each GET (client side and Server-Timing)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.cookie = ""

    def get(self, path: str) -> tuple[float, float, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # the server closed an idle keep-alive connection: once more on a new one
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
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
    sizes = [10_000] if quick else [10_000, 100_000]
    results: list[Result] = []
    for people in sizes:
        results += _run_size(people, repeat=15 if quick else 41)
    return results


def _pages(ids: list[int]) -> list[tuple[str, list[str], str]]:
    """(name, paths cycled through, target) of every page and API call timed warm."""
    ask = [f"/ask?{urlencode({'need': n})}" for n in ASKED]
    return [
        ("dashboard", ["/"], "≤ 100 ms"),
        ("person page", [f"/people/{i}" for i in ids], "≤ 100 ms"),
        ("people, first page by name", ["/people"], "≤ 100 ms"),
        ("people search, ranked", [f"/people?q={w}" for w in SEARCHES], "≤ 100 ms"),
        ("people search, page 3", [f"/people?q={w}&page=3" for w in SEARCHES[:4]], "≤ 100 ms"),
        ("people by strength, one field", ["/people?sort=strength&field=software",
                                           "/people?sort=strength&page=3"], "≤ 100 ms"),
        ("network map", ["/map"], "≤ 100 ms"),
        ("settings", ["/settings"], "≤ 100 ms"),
        ("ask", ask, "≤ 100 ms"),
        ("ask, more results", [f"{a}&offset=10" for a in ask], "≤ 100 ms"),
        ("ask, filtered (field, organisation, city, tier)",
         ["/ask?need=engineer&field=software", "/ask?need=advice&company=bank",
          "/ask?need=engineer&city=london", "/ask?need=engineer&tier=150"], "≤ 100 ms"),
        ("API people search", [f"/api/v1/people?q={w}" for w in SEARCHES], "≤ 100 ms"),
        ("API person", [f"/api/v1/people/{i}" for i in ids], "≤ 100 ms"),
        ("API why", [f"/api/v1/people/{i}/why" for i in ids], "≤ 100 ms"),
        ("API portfolio", ["/api/v1/portfolio"], "≤ 100 ms"),
        ("API plan", ["/api/v1/plan"], "≤ 100 ms"),
        ("API ask", [f"/api/v1/ask?{urlencode({'need': n})}" for n in ASKED], "≤ 100 ms"),
    ]


def _first_times(client: Client, paths: list[str]) -> tuple[float, float]:
    """Median times of requests each made once (nothing kept from an earlier one)."""
    walls, servers = [], []
    for path in paths:
        wall, server, _ = client.get(path)
        walls.append(wall)
        servers.append(server)
    return statistics.median(walls), statistics.median(servers)


def _until_fresh(client: Client, path: str, before: bytes, limit: float = 300) -> float:
    """Seconds from now until ``path`` answers something other than ``before``."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        _, _, body = client.get(path)
        if body != before:
            return time.perf_counter() - start
        time.sleep(0.01)
    raise RuntimeError(f"{path} did not change within {limit:.0f} s of the write")


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
            client.get("/")  # waits for the measures (computed once per generation)
            first = time.perf_counter() - start
            for path_ in ("/api/v1/plan", "/people?q=ana"):  # and what they bring along
                client.get(path_)
            base_wall, base_server = _median(client, [BASELINE], repeat)
            size = f"{n_people:,} people, {n_int:,} interactions"
            results = []
            for name, paths, target in _pages(ids):
                wall, on_server = _median(client, paths, repeat)
                results.append(Result(
                    f"web {name}, warm ({size})", wall * 1000,
                    "a static file, same server", base_wall * 1000, unit="ms", target=target,
                    note=f"server time {on_server * 1000:.1f} ms (static file "
                         f"{base_server * 1000:.1f} ms)"))
            wall, on_server = _first_times(client, [
                f"/ask?{urlencode({'need': need, 'limit': limit})}"
                for limit in range(11, 11 + max(3, repeat // 4)) for need in ASKED])
            results.append(Result(
                f"web ask, a question not asked before on this ledger generation ({size})",
                wall * 1000, "a static file, same server", base_wall * 1000, unit="ms",
                target="≤ 100 ms", note=f"server time {on_server * 1000:.1f} ms (each answer "
                "is then kept: asked again, it is the warm ask figure)"))
            results += _freshness(client, path, ids[0], size, base_wall, first)
            client.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def _freshness(client: Client, path: Path, person: int, size: str, base_wall: float,
               first: float) -> list[Result]:
    """Time to fresh figures after a write through the API and one from another process."""
    why = f"/api/v1/people/{person}/why"
    results = []
    token = json.loads(client.get("/api/v1/csrf")[2])["token"]
    before = client.get(why)[2]
    start = time.perf_counter()
    client.post_json("/api/v1/interactions", {"people": [person], "intent": "give"}, token)
    wrote = time.perf_counter() - start
    fresh = _until_fresh(client, why, before)
    results.append(Result(
        f"web fresh after a write through the API ({size})", fresh * 1000,
        "a static file, same server", base_wall * 1000, unit="ms", target="≤ 200 ms",
        note=f"the write itself {wrote * 1000:.0f} ms; the first dashboard after "
             f"start-up {first:.1f} s"))
    before = client.get(why)[2]
    cli = subprocess.run([python(), "-m", "netfolio", "--db", str(path), "log", f"#{person}",
                          "--intent", "give"], capture_output=True, check=False)
    if cli.returncode != 0:
        raise RuntimeError(f"netfolio log failed: {cli.stderr.decode()[-300:]}")
    fresh = _until_fresh(client, why, before)
    results.append(Result(
        f"web fresh after `netfolio log` in another process ({size})", fresh * 1000,
        "a static file, same server", base_wall * 1000, unit="ms", target="≤ 200 ms",
        note="from the CLI's exit to the first fresh answer"))
    return results
