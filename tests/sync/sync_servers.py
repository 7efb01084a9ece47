"""Real servers for the sync tests and benchmark: Dovecot (IMAP) on loopback, with a Maildir
of generated mail written directly as files.

``Dovecot.start(root)`` writes a config, a password file, a self-signed certificate for
127.0.0.1 and starts ``dovecot -F`` on a free port in :data:`IMAP_PORTS`; ``stop()`` ends it.
``write_maildir`` generates mail fast (one small file per message, no server involved):
sent and received, mailing lists, threads, encoded names, many-recipient messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path

#: Ports the sync tests may use (one free one is picked).
IMAP_PORTS = range(14300, 14400)
RADICALE_PORTS = range(15200, 15300)
DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists()
                                      else None)
ME = "sam@example.org"
PASSWORD = "correct horse"
#: The first day of the test mailbox.
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
mail_uid = {mail_uid}
mail_gid = {mail_gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox "All Mail" {{
    special_use = \\All
  }}
  mailbox Junk {{
    special_use = \\Junk
  }}
  mailbox Drafts {{
    special_use = \\Drafts
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
"""


def free_port(ports: Iterable[int], exclude: Iterable[int] = ()) -> int:
    """A port of ``ports`` nothing listens on (127.0.0.1), tried from a random one on: test
    workers in parallel (pytest-xdist) rarely pick the same port before their server binds."""
    import random

    skip = set(exclude)
    ordered = list(ports)
    start = random.randrange(len(ordered))
    for port in ordered[start:] + ordered[:start]:
        if port in skip:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a server started by the tests: politely, then for sure."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def self_signed(root: Path) -> None:
    """A certificate for 127.0.0.1 and localhost (cert.pem, key.pem in ``root``)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
        check=True, capture_output=True,
    )


@dataclass
class Dovecot:
    """A running Dovecot on loopback; users ``sam`` (and any added with ``users``)."""

    root: Path
    port: int = 0
    tls_port: int = 0
    users: tuple[str, ...] = ("sam", "gm")
    process: subprocess.Popen[bytes] | None = None
    mail_uid: int = field(default_factory=os.getuid)
    mail_gid: int = field(default_factory=os.getgid)

    @property
    def cert(self) -> Path:
        return self.root / "cert.pem"

    def maildir(self, user: str) -> Path:
        return self.root / "mail" / user

    def prepare(self) -> None:
        """Config, passwords and certificate (before writing mail and starting)."""
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # Dovecot's own users read the config, passwords and mail
        root_user = os.getuid() == 0
        if root_user:  # Dovecot gives mail access to no uid 0: the mail belongs to nobody
            nobody = pwd.getpwnam("nobody")
            self.mail_uid, self.mail_gid = nobody.pw_uid, nobody.pw_gid
        me = pwd.getpwuid(os.getuid()).pw_name
        self.port = self.port or free_port(IMAP_PORTS)
        self.tls_port = self.tls_port or free_port(IMAP_PORTS, exclude=[self.port])
        self_signed(self.root)
        (self.root / "users").write_text(
            "".join(f"{u}:{{PLAIN}}{PASSWORD}::::::\n" for u in self.users)
        )
        (self.root / "dovecot.conf").write_text(_CONFIG.format(
            root=self.root, port=self.port, tls_port=self.tls_port,
            login_user="dovenull" if root_user else me,
            internal_user="dovecot" if root_user else me,
            internal_group="dovecot" if root_user else me,
            mail_uid=self.mail_uid, mail_gid=self.mail_gid,
        ))

    def start(self) -> None:
        """Start Dovecot in the foreground (a child process) and wait for its port."""
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", f"{self.mail_uid}:{self.mail_gid}",
                            str(self.root / "mail"), str(self.root / "home")], check=True)
        assert DOVECOT is not None
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                log = (self.root / "dovecot.log").read_text() if (
                    self.root / "dovecot.log").exists() else ""
                raise RuntimeError(f"dovecot exited: {err} {log[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", self.port), timeout=1
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("dovecot did not start listening")

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None

    def imap(self, user: str = "sam") -> imaplib.IMAP4:
        """A plain imaplib connection, logged in (to add mail, or as the bare baseline)."""
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, folder: str, messages: Iterable[bytes]) -> None:
        """Deliver messages over IMAP (APPEND): as a mail client would store them."""
        client = self.imap(user)
        try:
            for raw in messages:
                client.append(folder, None, None, raw)
        finally:
            client.logout()


# --- generated mail -----------------------------------------------------------------------


def message(
    *,
    sender: str,
    to: Iterable[str],
    at: dt.datetime,
    mid: str,
    cc: Iterable[str] = (),
    in_reply_to: str | None = None,
    extra: Iterable[str] = (),
    subject: str = "Hello",
    body: str = "The body, never read by netfolio.\n",
) -> bytes:
    """One RFC 5322 message (CRLF line ends)."""
    lines = [f"From: {sender}", f"To: {', '.join(to)}"]
    cc = list(cc)
    if cc:
        lines.append(f"Cc: {', '.join(cc)}")
    lines += [f"Date: {format_datetime(at)}", f"Message-ID: <{mid}>", f"Subject: {subject}"]
    if in_reply_to:
        lines += [f"In-Reply-To: <{in_reply_to}>", f"References: <{in_reply_to}>"]
    lines += list(extra)
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", ""]
    return ("\r\n".join(lines) + "\r\n" + body.replace("\n", "\r\n")).encode()


def write_maildir(folder: Path, messages: Iterable[bytes], *, seen: bool = True) -> int:
    """Write messages straight into a Maildir folder's ``cur`` (fast: no server)."""
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    cur = folder / "cur"
    stamp = int(time.time())
    n = 0
    for n, raw in enumerate(messages, start=1):
        (cur / f"{stamp}.M{n}P1.netfolio,S={len(raw)}:2,{'S' if seen else ''}").write_bytes(raw)
    return n


def folder_path(maildir: Path, folder: str) -> Path:
    """Maildir++ layout: INBOX is the root, ``Sent`` is ``.Sent``."""
    return maildir if folder == "INBOX" else maildir / ("." + folder.replace("/", "."))


#: The people of the generated mailbox (name as written in the header, address).
PEOPLE = [
    ("Ana Núñez", "ana@lab.example"),
    ("Bo Chen", "bo@chen.example"),
    ("Chidi Okafor", "chidi@okafor.example"),
    ("Dana Kim", "dana@kim.example"),
]


def encoded(name: str) -> str:
    """A name as an RFC 2047 encoded word, as mail clients write non-ASCII names."""
    from email.header import Header

    return Header(name, "utf-8").encode()


def sample_mailbox(start: dt.datetime) -> dict[str, list[bytes]]:
    """The test mailbox: received and sent mail, a thread, a list, bulk, many recipients,
    an encoded name, a message without a date. Returns messages by folder."""
    day = dt.timedelta(days=1)
    ana, bo, chidi, dana = PEOPLE
    inbox = [
        # from Ana, with her name encoded
        message(sender=f"{encoded(ana[0])} <{ana[1]}>", to=[ME], at=start, mid="a1@lab"),
        # a thread with Bo: he writes, Sam replies (in Sent), he replies again the same day
        message(sender=f"{bo[0]} <{bo[1]}>", to=[ME], at=start + day, mid="b1@chen"),
        message(sender=f"{bo[0]} <{bo[1]}>", to=[ME], at=start + day + dt.timedelta(hours=3),
                mid="b3@chen", in_reply_to="b1@chen"),
        # a mailing list and a newsletter: not contact
        message(sender="Python List <python-list@python.example>", to=[ME], at=start,
                mid="l1@list", extra=["List-Id: <python-list.python.example>"]),
        message(sender="News <news@shop.example>", to=[ME], at=start, mid="n1@shop",
                extra=["List-Unsubscribe: <mailto:unsub@shop.example>", "Precedence: bulk"]),
        message(sender="no-reply@service.example", to=[ME], at=start, mid="nr@svc"),
        # sent to twelve people at once: not personal contact
        message(sender=f"{dana[0]} <{dana[1]}>", to=[ME, *[f"p{i}@crowd.example"
                                                          for i in range(11)]],
                at=start, mid="crowd@kim"),
        # malformed: an address that is no address, a date that is no date, no To
        b"From: Eve <eve at broken\r\nDate: the day after tomorrow\r\n"
        b"Message-ID: <broken@x>\r\n\r\nmalformed\r\n",
    ]
    sent = [
        message(sender=f"Sam Rivera <{ME}>", to=[f"{bo[0]} <{bo[1]}>"],
                at=start + day + dt.timedelta(hours=1), mid="b2@example.org",
                in_reply_to="b1@chen"),
        message(sender=f"Sam Rivera <{ME}>", to=[f"{chidi[0]} <{chidi[1]}>"],
                cc=[f"{ana[0]} <{ana[1]}>"], at=start + 2 * day, mid="c1@example.org"),
    ]
    return {"INBOX": inbox, "Sent": sent}


def correspondents(n: int = 2000) -> list[str]:
    """``n`` distinct names as people are named (the demo's given and family names of many
    cultures, mixed deterministically): not "Person 12", "Person 14", names that differ
    only by a number, which no mailbox holds and which make every pair a possible duplicate
    to compare."""
    import itertools
    import random
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("netfolio.data").joinpath("demo_names.toml")
                         .read_text("utf-8"))
    pairs = sorted({f"{g} {f}" for c in data["culture"] for g, f in
                    itertools.product(c["given"], c["family"])})
    random.Random(2000).shuffle(pairs)
    return pairs[:n]


def bulk_messages(n: int, start: dt.datetime, *, offset: int = 0) -> Iterator[bytes]:
    """``n`` generated personal messages among 2,000 correspondents (for the 100k mailbox)."""
    minute = dt.timedelta(minutes=7)
    names = correspondents(2000)
    for i in range(offset, offset + n):
        who = i % 2000
        name = names[who] if names[who].isascii() else encoded(names[who])  # as clients do
        sender = f"{name} <person{who}@corp{who % 97}.example>"
        if i % 3 == 0:
            yield message(sender=f"Sam Rivera <{ME}>", to=[sender], at=start + i * minute,
                          mid=f"m{i}@example.org", body="")
        else:
            yield message(sender=sender, to=[ME], at=start + i * minute,
                          mid=f"m{i}@corp.example", in_reply_to=f"m{i - 1}@example.org"
                          if i % 3 == 1 else None, body="")


class Proxy:
    """A TCP relay on loopback in front of a server: ``cut()`` drops every connection and
    stops listening, as a network that goes away mid-sync."""

    def __init__(self, target_port: int, ports: Iterable[int] = IMAP_PORTS) -> None:
        import threading

        self.target_port = target_port
        self.port = free_port(ports, exclude=[target_port])
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.sockets: list[socket.socket] = []
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        import threading

        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                b.sendall(data)
        with contextlib.suppress(OSError):
            b.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()


# --- Radicale (CalDAV/CardDAV; its collections also answer GET with the whole .ics) -------

RADICALE_USER = "sam"


@dataclass
class Radicale:
    """A running Radicale on loopback, user ``sam`` (password :data:`PASSWORD`)."""

    root: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, attempts: int = 3) -> None:
        import sys

        (self.root / "collections").mkdir(parents=True, exist_ok=True)
        (self.root / "users").write_text(f"{RADICALE_USER}:{PASSWORD}\n")
        self.port = self.port or free_port(RADICALE_PORTS)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", "",
             "--server-hosts", f"127.0.0.1:{self.port}",
             "--storage-filesystem-folder", str(self.root / "collections"),
             "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(self.root / "users"),
             "--auth-htpasswd-encryption", "plain", "--rights-type", "owner_only",
             "--logging-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                if "in use" in err and attempts > 1:  # another worker took the port first
                    self.port = free_port(RADICALE_PORTS, exclude=[self.port])
                    self.start(attempts - 1)
                    return
                raise RuntimeError(f"radicale exited: {err[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", self.port), timeout=1
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("radicale did not start listening")

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None

    def _request(self, method: str, path: str, body: bytes = b"",
                 content_type: str = "text/calendar") -> int:
        import base64
        import urllib.request

        request = urllib.request.Request(self.base + path, data=body or None, method=method)
        token = base64.b64encode(f"{RADICALE_USER}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        if body:
            request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, timeout=600) as response:
            return int(response.status)

    def calendar(self, name: str) -> str:
        """Make a calendar (MKCALENDAR); its path."""
        path = f"/{RADICALE_USER}/{name}/"
        self._request("MKCALENDAR", path)
        return path

    def put_event(self, calendar: str, uid: str, ics: bytes) -> None:
        self._request("PUT", f"{calendar}{uid}.ics", ics)

    def delete(self, path: str) -> None:
        self._request("DELETE", path)

    def addressbook(self, name: str) -> str:
        """Make an address book (extended MKCOL); its path."""
        path = f"/{RADICALE_USER}/{name}/"
        body = ('<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" '
                'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype>'
                "<D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>")
        self._request("MKCOL", path, body.encode(), content_type="application/xml")
        return path

    def put_card(self, book: str, uid: str, vcf: bytes) -> None:
        self._request("PUT", f"{book}{uid}.vcf", vcf, content_type="text/vcard")


def card(uid: str, name: str, *, email: str | None = None, org: str | None = None,
         title: str | None = None, phone: str | None = None) -> bytes:
    """One vCard 3.0."""
    given, _, family = name.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{family};{given};;;"]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    if phone:
        lines.append(f"TEL;TYPE=CELL:{phone}")
    if org:
        lines.append(f"ORG:{org}")
    if title:
        lines.append(f"TITLE:{title}")
    lines += ["END:VCARD", ""]
    return "\r\n".join(lines).encode()


def event(uid: str, start: dt.datetime, *, attendees: Iterable[tuple[str, str]],
          organiser: str = ME, summary: str = "Coffee", rrule: str | None = None,
          status: str | None = None, declined_by_me: bool = False) -> bytes:
    """One VEVENT in a VCALENDAR; ``attendees`` as (name, address)."""
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    end = (start + dt.timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netfolio tests//EN", "BEGIN:VEVENT",
             f"UID:{uid}", f"DTSTAMP:{stamp}", f"DTSTART:{stamp}", f"DTEND:{end}",
             f"SUMMARY:{summary}", f"ORGANIZER:mailto:{organiser}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    if status:
        lines.append(f"STATUS:{status}")
    me_status = "DECLINED" if declined_by_me else "ACCEPTED"
    lines.append(f"ATTENDEE;PARTSTAT={me_status}:mailto:{ME}")
    for name, address in attendees:
        lines.append(f"ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{address}")
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()
