"""Sync against real servers on loopback, against a bare client fetching the same data.

Mail: a local Dovecot holding N messages (100,000; ``--quick`` 20,000) in INBOX and Sent,
written straight into its Maildir as files. netfolio's first sync (every header read,
people matched, interactions written, in import runs of 5,000 messages) and an incremental
sync of 100 new messages, each in a child process (its peak memory is its own), against the
baseline measured in the same run: Python's bare ``imaplib`` fetching the same header fields
of the same messages in the same batches, and doing nothing with them. A sync with nothing
new is timed too.

Calendar: a Radicale calendar of 5,000 events (``--quick`` 1,000), synced as an ICS feed
and as a CalDAV calendar (first, unchanged, and 10 changed and 5 deleted), against a bare GET
of the same feed parsed with ``icalendar``.

    python -m benchmarks sync            # 100,000 messages, 5,000 events (about 10 minutes)
    python -m benchmarks sync --quick    # 20,000 messages, 1,000 events
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Result, python

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sync"))

from sync_servers import (
    DOVECOT,
    ME,
    PASSWORD,
    Dovecot,
    Radicale,
    bulk_messages,
    correspondents,
    event,
    folder_path,
    write_maildir,
)

START = dt.datetime(2024, 1, 1, 8, tzinfo=dt.UTC)
ENV = "NETFOLIO_BENCH_IMAP_PASSWORD"

_NETFOLIO = """
import json, resource, sys, time
import imapclient, netfolio.io.sync.run, netfolio.io.sync.ics  # start-up, timed elsewhere
from netfolio.network import Network
net = Network(sys.argv[1])
net.sync_sources()  # the ledger opened
t = time.perf_counter()
(r,) = net.sync(sys.argv[2])
took = time.perf_counter() - t
assert r.error is None, r.error
print(json.dumps({"s": took, "read": r.read, "added": r.interactions_added,
                  "removed": r.interactions_removed,
                  "people": r.new_people, "runs": len(r.runs),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_BARE_IMAP = """
import imaplib, json, resource, sys, time
from netfolio.io.sync.imap import BATCH, HEADER_ITEM
port, first = int(sys.argv[1]), int(sys.argv[2])
t = time.perf_counter()
c = imaplib.IMAP4("127.0.0.1", port)
c.login("sam", sys.argv[3])
n = 0
for folder in ("INBOX", "Sent"):
    c.select(folder, readonly=True)
    uidnext = int(c.status(folder, "(UIDNEXT)")[1][0].split(b"UIDNEXT ")[1].rstrip(b")"))
    for lo in range(first, uidnext, BATCH):
        hi = min(lo + BATCH - 1, uidnext - 1)
        typ, data = c.uid("FETCH", f"{lo}:{hi}", f"({HEADER_ITEM} FLAGS INTERNALDATE)")
        n += sum(1 for d in data if isinstance(d, tuple))
c.logout()
print(json.dumps({"s": time.perf_counter() - t, "read": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_BARE_ICS = """
import json, sys, time, urllib.request, base64, icalendar
t = time.perf_counter()
req = urllib.request.Request(sys.argv[1])
req.add_header("Authorization", "Basic " + base64.b64encode(f"sam:{sys.argv[2]}".encode()).decode())
data = urllib.request.urlopen(req).read()
n = len(icalendar.Calendar.from_ical(data).walk("VEVENT"))
print(json.dumps({"s": time.perf_counter() - t, "read": n}))
"""

_BARE_DAV = """
import json, sys, time, urllib.request, base64, re
t = time.perf_counter()
auth = "Basic " + base64.b64encode(f"sam:{sys.argv[2]}".encode()).decode()
def report(body):
    req = urllib.request.Request(sys.argv[1], data=body.encode(), method="REPORT")
    req.add_header("Authorization", auth)
    req.add_header("Depth", "1")
    req.add_header("Content-Type", "application/xml")
    return urllib.request.urlopen(req).read()
listing = report('<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1'
                 '</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>')
hrefs = re.findall(rb"<(?:\\w+:)?href>([^<]+)</", listing)[:]
n = 0
for i in range(0, len(hrefs), 100):
    body = "".join(f"<d:href>{h.decode()}</d:href>" for h in hrefs[i:i + 100])
    got = report('<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
                 '<d:prop><d:getetag/><c:calendar-data/></d:prop>' + body
                 + '</c:calendar-multiget>')
    n += got.count(b"BEGIN:VEVENT")
print(json.dumps({"s": time.perf_counter() - t, "read": n}))
"""


def _child(code: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, ENV: PASSWORD}
    out = subprocess.run([python(), "-c", code, *args], capture_output=True, text=True,
                         env=env)
    if out.returncode:
        raise RuntimeError(f"benchmark child failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ledger(root: Path, port: int) -> str:
    from netfolio.network import Network

    url = f"sqlite:///{root / 'ledger.db'}"
    with Network(url) as net:
        net.init(name="Sam Rivera", emails=[ME])
        net.sync_add("imap", "mail", f"imap://127.0.0.1:{port}", username="sam",
                     password_env=ENV, options={"plain": True})
    return url


def mail(n: int) -> list[Result]:
    root = Path(tempfile.mkdtemp(prefix="netfolio-bench-sync-"))
    server = Dovecot(Path(tempfile.mkdtemp(prefix="netfolio-bench-dovecot-")), users=("sam",))
    try:
        server.prepare()
        t = time.perf_counter()
        sent = n // 3
        write_maildir(folder_path(server.maildir("sam"), "INBOX"),
                      (m for i, m in enumerate(bulk_messages(n, START)) if i % 3 != 0))
        write_maildir(folder_path(server.maildir("sam"), "Sent"),
                      (m for i, m in enumerate(bulk_messages(n, START)) if i % 3 == 0))
        written = time.perf_counter() - t
        server.start()
        _child(_BARE_IMAP, str(server.port), "1", PASSWORD)  # Dovecot indexes the folders
        url = _ledger(root, server.port)
        bare = _child(_BARE_IMAP, str(server.port), "1", PASSWORD)
        first = _child(_NETFOLIO, url, "mail")
        assert first["read"] == n == bare["read"], (first, bare)
        nothing = _child(_NETFOLIO, url, "mail")
        uidnext = {f: int(server.imap().status(f, "(UIDNEXT)")[1][0].split(b"UIDNEXT ")[1]
                          .rstrip(b")")) for f in ("INBOX",)}
        server.append("sam", "INBOX", bulk_messages(100, START, offset=n + 1))
        bare_new = _child(_BARE_IMAP, str(server.port), str(uidnext["INBOX"]), PASSWORD)
        new = _child(_NETFOLIO, url, "mail")
        assert new["read"] == 100, new
        per_first = first["s"] / n
        note = (f"{n:,} messages ({sent:,} sent) written as Maildir files in {written:.1f} s; "
                f"{first['runs']} import runs, {first['people']:,} people, "
                f"{first['added']:,} interactions; peak memory {first['rss_mb']:.0f} MB "
                f"(bare imaplib {bare['rss_mb']:.0f} MB)")
        return [
            Result(f"sync: first IMAP sync of {n:,} messages", first["s"],
                   "bare imaplib fetching the same headers", bare["s"], target="≤ 2x",
                   note=note),
            Result(f"sync: 100 new messages in a mailbox of {n:,}", new["s"],
                   "bare imaplib fetching the 100 new", bare_new["s"],
                   note=f"{new['s'] / (100 * per_first):.1f}x the first sync's time per "
                   f"message; {new['s'] / first['s'] * 100:.2f}% of the first sync's time"),
            Result(f"sync: nothing new in a mailbox of {n:,}", nothing["s"],
                   "bare imaplib fetching the 100 new", bare_new["s"],
                   note="one STATUS per folder (UIDNEXT and HIGHESTMODSEQ unchanged)"),
        ]
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(server.root, ignore_errors=True)


def calendar(n: int) -> list[Result]:
    root = Path(tempfile.mkdtemp(prefix="netfolio-bench-cal-"))
    server = Radicale(root / "radicale")
    try:
        server.start()
        path = server.calendar("work")
        names = correspondents(700)
        events = []
        for i in range(n):
            one = event(f"e{i}", START + dt.timedelta(hours=5 * i),
                        attendees=[(names[i % 700], f"person{i % 700}@corp.example")],
                        rrule=None).decode()
            body = one.split("BEGIN:VEVENT", 1)[1].rsplit("END:VEVENT", 1)[0]
            events.append("BEGIN:VEVENT" + body + "END:VEVENT")
        whole = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//netfolio bench//EN\r\n"
                 + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n").encode()
        server._request("PUT", path, whole)  # the whole calendar in one request
        from netfolio.network import Network

        feed = server.base + path
        url = f"sqlite:///{root / 'ledger.db'}"
        dav_url = f"sqlite:///{root / 'ledger-dav.db'}"
        with Network(url) as net:
            net.init(emails=[ME])
            net.sync_add("ics", "cal", feed, username="sam", password_env=ENV)
        with Network(dav_url) as net:
            net.init(emails=[ME])
            net.sync_add("caldav", "cal", feed, username="sam", password_env=ENV)
        bare = _child(_BARE_ICS, feed, PASSWORD)
        # Radicale builds its sync history of every item at the first sync-collection REPORT
        # (20 s for 1,000 events, once in a server's life): done before anything is timed
        _child(_BARE_DAV, feed, PASSWORD)
        bare_dav = _child(_BARE_DAV, feed, PASSWORD)
        assert bare_dav["read"] == n, bare_dav
        first = _child(_NETFOLIO, url, "cal")
        again = _child(_NETFOLIO, url, "cal")
        dav_first = _child(_NETFOLIO, dav_url, "cal")
        dav_same = _child(_NETFOLIO, dav_url, "cal")
        for i in range(10):  # ten events changed (moved a day), five deleted
            server.put_event(path, f"e{i}", event(
                f"e{i}", START + dt.timedelta(hours=5 * i, days=1),
                attendees=[(names[i % 700], f"person{i % 700}@corp.example")]))
        for i in range(10, 15):
            server.delete(f"{path}e{i}.ics")
        dav_new = _child(_NETFOLIO, dav_url, "cal")
        assert dav_new["read"] == 10, dav_new
        return [
            Result(f"sync: ICS feed of {n:,} events (Radicale)", first["s"],
                   "bare GET + icalendar parse", bare["s"],
                   note=f"{first['added']:,} interactions, {first['people']} people; "
                   f"unchanged feed re-synced in {again['s']:.2f} s (ETag)"),
            Result(f"sync: CalDAV calendar of {n:,} events (Radicale)", dav_first["s"],
                   "bare sync-collection REPORT + multigets, nothing parsed", bare_dav["s"],
                   note=f"{dav_first['added']:,} interactions; unchanged: "
                   f"{dav_same['s']:.2f} s (one sync-collection REPORT)"),
            Result(f"sync: 10 changed and 5 deleted of {n:,} CalDAV events", dav_new["s"],
                   "bare sync-collection REPORT + multigets, nothing parsed", bare_dav["s"],
                   note=f"{dav_new['read']} events read, {dav_new['removed']} interactions "
                   f"removed; {dav_new['s'] / dav_first['s'] * 100:.1f}% of the first sync's "
                   "time"),
        ]
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def run(quick: bool = False) -> list[Result]:
    results: list[Result] = []
    if DOVECOT is None:
        print("sync: Dovecot is not installed (apt-get install dovecot-imapd); mail skipped")
    else:
        results += mail(20_000 if quick else 100_000)
    try:
        results += calendar(1_000 if quick else 5_000)
    except Exception as exc:  # the mail figures are still worth printing
        print(f"sync: the calendar benchmark failed: {type(exc).__name__}: {exc}",
              file=sys.stderr)
    return results
