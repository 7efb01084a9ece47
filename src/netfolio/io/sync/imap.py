"""IMAP: connect with TLS, choose the folders, fetch header blocks in UID batches.

Only the header fields the ledger needs are asked for (:data:`HEADER_FIELDS`, with
``BODY.PEEK`` so nothing is marked read); bodies and subjects are never fetched. The
connection is TLS by default: ``imaps://`` (port 993) or ``imap://`` with STARTTLS
required; without TLS only to a server on this machine, when the source says ``plain``.
A certificate that does not verify is refused unless the source says ``insecure`` (or
names the ``cafile`` of its own authority).
"""

from __future__ import annotations

import datetime as dt
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from netfolio.errors import SyncError

#: The header fields read: who, when, which thread, and what says it is list or bulk mail.
HEADER_FIELDS = (
    "FROM", "TO", "CC", "DATE", "MESSAGE-ID", "IN-REPLY-TO", "REFERENCES", "LIST-ID",
    "LIST-UNSUBSCRIBE", "PRECEDENCE", "AUTO-SUBMITTED", "DELIVERED-TO", "X-ORIGINAL-TO",
)
HEADER_ITEM = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
#: UIDs per FETCH command.
BATCH = 1000
#: Seconds a read may wait before the connection counts as lost.
TIMEOUT = 60.0
#: Special-use folders never read (RFC 6154).
_NEVER = {b"\\Junk", b"\\Trash", b"\\Drafts"}
_SENT_NAMES = (
    "Sent", "Sent Items", "Sent Messages", "Sent Mail", "INBOX.Sent", "[Gmail]/Sent Mail",
)

#: What a lost connection raises, from the socket up through imaplib and imapclient.
LOST = (OSError, imaplib.IMAP4.abort, EOFError)


@dataclass(frozen=True)
class Target:
    """Where and how to connect: host, port, ``tls`` (``implicit``, ``starttls``, ``none``)."""

    host: str
    port: int
    tls: str
    insecure: bool = False
    cafile: str | None = None


def target_of(url: str, options: dict[str, Any]) -> Target:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "imaps":
        return Target(host, parts.port or 993, "implicit", bool(options.get("insecure")),
                      options.get("cafile"))
    tls = "none" if options.get("plain") else "starttls"
    return Target(host, parts.port or 143, tls, bool(options.get("insecure")),
                  options.get("cafile"))


def folders_of(url: str) -> list[str]:
    """Folders named in the URL's path (``imaps://host/INBOX``), if any."""
    path = unquote(urlsplit(url).path.strip("/"))
    return [path] if path else []


def _context(target: Target) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=target.cafile)
    if target.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(*, name: str, url: str, username: str, password: str,
            options: dict[str, Any], timeout: float = TIMEOUT) -> Any:
    """A logged-in :class:`imapclient.IMAPClient`; a one-line :class:`SyncError` naming the
    source when the server cannot be reached, the certificate is refused or the login fails."""
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    target = target_of(url, options)
    where = f"{target.host}:{target.port}"
    try:
        client = IMAPClient(target.host, port=target.port, ssl=target.tls == "implicit",
                            ssl_context=_context(target) if target.tls != "none" else None,
                            timeout=timeout)
        if target.tls == "starttls":
            client.starttls(_context(target))
    except ssl.SSLCertVerificationError as exc:
        raise SyncError(
            f"the certificate of {where} is not trusted ({exc.verify_message}); if this is your "
            "own server, add the source again with --cafile CERT, or with --insecure to accept "
            "any certificate for this source", source=name,
        ) from exc
    except ssl.SSLError as exc:
        raise SyncError(f"TLS with {where} failed ({exc})", source=name) from exc
    except TimeoutError as exc:
        raise SyncError(f"{where} did not answer in {timeout:g} s", source=name) from exc
    except OSError as exc:
        raise SyncError(f"cannot reach {where} ({exc.strerror or exc})", source=name) from exc
    except Exception as exc:  # STARTTLS refused, a greeting that is not IMAP
        raise SyncError(f"{where} is not an IMAP server we can use ({exc})", source=name) \
            from exc
    try:
        client.login(username, password)
    except LoginError as exc:
        _close(client)
        if "UNAVAILABLE" in str(exc):
            raise SyncError(f"{where} could not check the login now ({exc}); try again later",
                            source=name) from exc
        raise SyncError(
            f"{where} refused the login of {username!r} (wrong password? for Gmail, iCloud "
            "and Fastmail use an app password)", source=name,
        ) from exc
    except LOST as exc:
        raise SyncError(f"the connection to {where} was lost at login ({exc})", source=name) \
            from exc
    return client


def _close(client: Any) -> None:
    try:
        client.logout()
    except Exception:
        try:
            client.shutdown()
        except Exception:
            return


def close(client: Any) -> None:
    """Log out, quietly (the connection may be gone)."""
    _close(client)


def choose_folders(client: Any, wanted: list[str] | None) -> list[str]:
    """The folders to read: those the source names, else the special-use ``\\All`` folder
    (Gmail's All Mail holds every message, so it alone is read), else INBOX and the Sent
    folder (``\\Sent``, or a folder with a usual name)."""
    listed = client.list_folders()
    names = {name: flags for flags, _delim, name in listed}
    if wanted:
        missing = [f for f in wanted if f not in names]
        if missing:
            raise ValueError(
                f"no folder {', '.join(map(repr, missing))}; the server has: "
                + ", ".join(sorted(names)[:30])
            )
        return list(wanted)
    for name, flags in names.items():
        if b"\\All" in flags:
            return [name]
    chosen = ["INBOX"] if "INBOX" in names or not names else []
    sent = next((n for n, flags in names.items() if b"\\Sent" in flags), None)
    sent = sent or next((n for n in _SENT_NAMES if n in names), None)
    if sent and not (names.get(sent, ()) and set(names[sent]) & _NEVER):
        chosen.append(sent)
    return chosen


@dataclass(frozen=True)
class FolderState:
    """A folder's STATUS: UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ (with CONDSTORE), MESSAGES."""

    validity: int
    uidnext: int | None
    modseq: int | None
    messages: int


def folder_state(client: Any, folder: str) -> FolderState:
    """One STATUS command: enough to tell whether anything is new without selecting."""
    what = [b"UIDVALIDITY", b"UIDNEXT", b"MESSAGES"]
    if client.has_capability("CONDSTORE"):
        what.append(b"HIGHESTMODSEQ")
    found = client.folder_status(folder, what)
    return FolderState(int(found[b"UIDVALIDITY"]), _int(found.get(b"UIDNEXT")),
                       _int(found.get(b"HIGHESTMODSEQ")), int(found.get(b"MESSAGES", 0)))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Header:
    """One message's header block as fetched, its UID, and whether it is a draft."""

    uid: int
    block: bytes
    draft: bool
    thread: str | None = None
    #: when the server received it (INTERNALDATE, as sent): the date of a message without one
    received: str | None = None

    def received_at(self) -> dt.datetime | None:
        """INTERNALDATE as a datetime (``05-Jan-2026 09:00:00 +0000``), if readable."""
        if not self.received:
            return None
        try:
            return dt.datetime.strptime(self.received.strip(), "%d-%b-%Y %H:%M:%S %z")
        except ValueError:
            return None


_UID = re.compile(rb"\bUID (\d+)")
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")
_INTERNALDATE = re.compile(rb'\bINTERNALDATE "([^"]+)"')
_THRID = re.compile(rb"\bX-GM-THRID (\d+)")


def fetch_headers(
    client: Any, folder: str, *, first_uid: int, state: FolderState, batch: int = BATCH
) -> Iterator[list[Header]]:
    """Header blocks of the messages with UID ``first_uid`` and above, ``batch`` UIDs per
    FETCH (the folder is selected read-only). Gmail's thread id (``X-GM-THRID``) comes too
    where the server has it, so threads match Gmail's own.

    The FETCH goes over the imaplib connection under imapclient's (``client._imap``), its
    answer read by :func:`uid_fetch` and its items by four regular expressions: imapclient's
    own response parser, pure Python byte by byte, took five times as long as the whole
    fetch, and imaplib's as long as the network (see docs/performance.md). Logging in,
    folders and STATUS stay imapclient's."""
    client.select_folder(folder, readonly=True)
    gmail = client.has_capability("X-GM-EXT-1")
    items = f"({HEADER_ITEM} FLAGS INTERNALDATE{' X-GM-THRID' if gmail else ''})"
    raw = client._imap
    if state.uidnext is not None:
        specs: Iterator[str] = (
            f"{lo}:{min(lo + batch, state.uidnext) - 1}"
            for lo in range(first_uid, state.uidnext, batch)
        )
    else:  # no UIDNEXT: ask which UIDs there are
        uids = sorted(u for u in client.search(["UID", f"{first_uid}:*"]) if u >= first_uid)
        specs = (",".join(map(str, uids[i : i + batch])) for i in range(0, len(uids), batch))
    for spec in specs:
        data = uid_fetch(raw, spec, items)
        yield sorted(_headers_of(data, first_uid), key=lambda h: h.uid)


_LITERAL = re.compile(rb"\{(\d+)\}\r?\n$")


def uid_fetch(raw: imaplib.IMAP4, spec: str, items: str) -> list[Any]:
    """``UID FETCH spec items``, its answer read straight off the connection's buffered
    reader (a ``readline`` per line and one ``read`` per literal, both in C) into imaplib's
    own shape: ``(prefix, literal)`` tuples, each followed by the bytes that close it.
    imaplib's response loop (a regular expression and a dictionary per line, in Python)
    took as long again as the network; this reads the same bytes in half the time."""
    conn: Any = raw  # imaplib's internals: the tag counter and the buffered reader
    tag: bytes = conn._new_tag()
    del conn.tagged_commands[tag]  # answered here, not by imaplib
    try:
        raw.send(tag + b" UID FETCH " + spec.encode() + b" " + items.encode() + b"\r\n")
    except OSError as exc:
        raise imaplib.IMAP4.abort(f"socket error: {exc}") from exc
    reader = conn.file
    out: list[Any] = []
    done = tag + b" "
    while True:
        line: bytes = reader.readline()
        if not line:
            raise imaplib.IMAP4.abort("the server closed the connection during FETCH")
        if line.startswith(done):
            status = line[len(done):].split(b" ", 1)[0]
            if status != b"OK":
                raise imaplib.IMAP4.error(f"FETCH {spec} failed: {line.strip()!r}")
            return out
        while (m := _LITERAL.search(line)) is not None:
            size = int(m.group(1))
            literal = reader.read(size)
            if len(literal) < size:
                raise imaplib.IMAP4.abort("the server closed the connection during FETCH")
            out.append((line[: m.start()] + b"{" + m.group(1) + b"}", literal))
            line = reader.readline()
            if not line:
                raise imaplib.IMAP4.abort("the server closed the connection during FETCH")
        out.append(line.rstrip(b"\r\n"))


def _headers_of(data: list[Any], first_uid: int) -> Iterator[Header]:
    """imaplib's FETCH answer: ``(prefix, literal)`` tuples, each followed by the bytes that
    close it (where a server may put FLAGS after the literal)."""
    for i, part in enumerate(data):
        if not isinstance(part, tuple):
            continue
        prefix, block = part[0], part[1]
        tail = data[i + 1] if i + 1 < len(data) and isinstance(data[i + 1], bytes) else b""
        meta = prefix + b" " + tail
        uid = _UID.search(meta)
        if uid is None or int(uid.group(1)) < first_uid:
            continue
        flags = _FLAGS.search(meta)
        received = _INTERNALDATE.search(meta)
        thread = _THRID.search(meta)
        yield Header(
            int(uid.group(1)), block if isinstance(block, bytes) else b"",
            bool(flags and b"\\Draft" in flags.group(1)),
            thread.group(1).decode() if thread else None,
            received.group(1).decode() if received else None,
        )


__all__ = ["BATCH", "HEADER_FIELDS", "HEADER_ITEM", "LOST", "FolderState", "Header", "Target",
           "choose_folders", "close", "connect", "fetch_headers", "folder_state", "folders_of",
           "target_of", "uid_fetch"]
