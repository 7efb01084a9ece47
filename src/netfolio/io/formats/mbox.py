"""mbox mail (Gmail Takeout, Thunderbird, Apple Mail): headers only, as email interactions.

The bytes are split on ``From `` separator lines here, not by ``mailbox.mbox`` (which needs a
path): a separator is a line starting ``From `` that looks like ``From sender Wed Jan  3 ...``
or follows a blank line (bodies escape theirs as ``>From ``). Only each message's header block
is decoded and parsed (``email`` with RFC 2047 names decoded); bodies are never read into
records. ``data`` may be an ``mmap`` for very large mailboxes: memory stays at the headers.

One ``email`` interaction per other person per thread per day (UTC). The people of a message:
when the user sent it, its To and Cc; when someone else did, the sender (others copied are not
counted as contact with the user). Initiator: whoever sent that person's first message of the
thread-day. Intent ``catch_up`` (inferred; bodies are not read). Threads: Gmail's
``X-GM-THRID``, else the first ``References`` id, else ``In-Reply-To``, else the message's own
``Message-ID``.

The user's addresses: ``me_emails``; else the most common ``Delivered-To``/``X-Original-To``;
else the most frequent From address (a warning says which was taken).

Skipped and counted: mailing-list mail (``List-Id``), bulk mail (``Precedence: bulk/list/junk``
or ``List-Unsubscribe``), automated mail (``Auto-Submitted`` other than ``no``), no-reply
senders, Gmail drafts and spam (``X-Gmail-Labels``), messages with more than
``max_recipients`` other people unless ``include_large``, and messages without a date.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.errors import ImportError_
from netfolio.io.normalise import email_key
from netfolio.io.records import InteractionRecord, ParseResult, PersonRef, SourceRef

NAME = "mbox"
LABEL = "mbox mailbox"
#: No size limit: the parser slices only headers, so a caller may pass an ``mmap``.
MAX_BYTES: int | None = None
#: Default most other people on a message for it to count as personal contact.
MAX_RECIPIENTS = 8
#: Header blocks longer than this are cut (a header block is a few KB).
MAX_HEADER_BYTES = 256 * 1024

_SEPARATOR = re.compile(rb"\nFrom ")
_FROM_LINE = re.compile(
    rb"^From \S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
    rb"Oct|Nov|Dec)\s"
)
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)\b", re.I)
_BULK_PRECEDENCE = {"bulk", "list", "junk"}


def sniff(data: bytes, filename: str) -> float:
    """Confidence that ``data`` is an mbox file."""
    try:
        head = bytes(data[:4096])
    except Exception:  # sniffing never fails
        return 0.0
    if not head.startswith(b"From "):
        return 0.0
    first, _, rest = head.partition(b"\n")
    if _FROM_LINE.match(first + b" ") or re.search(rb"(?im)^(?:date|message-id|subject):", rest):
        return 0.95
    return 0.4


def _count_newlines(data: bytes, start: int, end: int, step: int = 1 << 20) -> int:
    """Newlines in ``data[start:end]``, a slice at a time (an ``mmap`` has no ``count``)."""
    return sum(bytes(data[i : min(i + step, end)]).count(b"\n") for i in range(start, end, step))


def _messages(data: bytes) -> Iterator[tuple[int, int, int]]:
    """``(start, end, line)`` of each message (``start`` at its From_ line)."""
    start, line = 0, 1
    counted_to = 0
    for m in _SEPARATOR.finditer(data):
        at = m.start() + 1
        line_end = data.find(b"\n", at)
        first = bytes(data[at : line_end if line_end >= 0 else at + 200][:400])
        blank_before = data[at - 2 : at] == b"\n\n" or data[at - 4 : at] == b"\r\n\r\n"
        if not (_FROM_LINE.match(first + b" ") or blank_before):
            continue
        yield start, at, line
        line += _count_newlines(data, counted_to, at)
        counted_to = at
        start = at
    yield start, len(data), line


@functools.lru_cache(maxsize=65536)  # a mailbox repeats its correspondents' names
def _decode_name(name: str) -> str | None:
    name = name.strip().strip('"').strip()
    if not name:
        return None
    if "=?" in name:
        with contextlib.suppress(Exception):  # malformed encoded words: keep the raw text
            name = str(make_header(decode_header(name)))
    return " ".join(name.split()) or None


@dataclass
class Mail:
    """One message's headers, as far as the ledger needs them."""

    number: int
    line: int
    sender: tuple[str, str | None] | None  # (normalised email, name)
    recipients: list[tuple[str, str | None, str]]  # (normalised, name, as found)
    sender_raw: str | None
    at: datetime
    thread: str
    source: SourceRef


def _pairs(value: str) -> list[tuple[str, str]]:
    """``(name, address)`` pairs of one address header; the email package for unusual forms."""
    pairs: list[tuple[str, str]] = []
    pos, end = 0, len(value)
    while pos < end:
        m = _SIMPLE_ADDRESS.match(value, pos)
        if not m or m.end() == pos:
            break
        if m.group(3):
            pairs.append((m.group(1) or m.group(2) or "", m.group(3)))
        else:
            pairs.append(("", m.group(4)))
        pos = m.end()
    if value[pos:].strip():
        return getaddresses([value])
    return pairs


def _addresses(values: list[str]) -> list[tuple[str, str | None, str]]:
    found: list[tuple[str, str | None, str]] = []
    for v in values:
        if v:
            found.extend(_address_list(v))
    return found


@functools.lru_cache(maxsize=65536)  # the same To, Cc and From values recur across a mailbox
def _address_list(value: str) -> tuple[tuple[str, str | None, str], ...]:
    """``(normalised, name, as found)`` of one address header's value."""
    try:
        pairs = _pairs(value)
    except Exception:  # malformed address lists
        return ()
    found = []
    for name, address in pairs:
        normal = email_key(address)
        if normal:
            found.append((normal, _decode_name(name), address.strip()))
    return tuple(found)


def _header_text(block: bytes) -> str:
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError:
        return block.decode("latin-1")


_WANTED = frozenset(
    {
        "from",
        "to",
        "cc",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "subject",
        "list-id",
        "list-unsubscribe",
        "precedence",
        "auto-submitted",
        "x-gmail-labels",
        "x-gm-thrid",
        "delivered-to",
        "x-original-to",
    }
)


# A field: its name at the start of a line, its value with any folded lines after it.
_FIELD = re.compile(r"^([^:\s][^:\n]*):([^\n]*(?:\n[ \t][^\n]*)*)", re.MULTILINE)


def _headers(text: str) -> dict[str, list[str]]:
    """The wanted header fields (lower-cased names), unfolded; the rest are not kept."""
    fields: dict[str, list[str]] = {}
    for name, value in _FIELD.findall(text):
        name = name.strip().lower()
        if name not in _WANTED:
            continue
        if "\n" in value:
            value = " ".join(part.strip() for part in value.split("\n") if part.strip())
        fields.setdefault(name, []).append(value.strip())
    return fields


# "Name" <a@b>, Name <a@b>, a@b: the common forms, read without the email package.
_SIMPLE_ADDRESS = re.compile(
    r'\s*(?:"([^"\\]*)"|([^,"<>@]*?))\s*<([^<>\s,]+@[^<>\s,]+)>\s*(?:,|$)'
    r"|\s*([^<>\s,\"]+@[^<>\s,\"]+)\s*(?:,|$)"
)


# The usual form of a Date (RFC 5322 3.3), read without the email package.
_RFC_DATE = re.compile(
    r"^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})(?:\s+\(.*\))?\s*$"
)
_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


@functools.lru_cache(maxsize=256)
def _zone(sign: str, hours: int, minutes: int) -> timezone:
    delta = timedelta(hours=hours, minutes=minutes)
    if sign == "-" and delta:
        return timezone(-delta)
    return UTC if not delta else timezone(delta)


def _fast_date(value: str) -> datetime | None:
    m = _RFC_DATE.match(value)
    if m is None:
        return None
    day, month, year, hour, minute, second, sign, zh, zm = m.groups()
    try:
        return datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute),
                        int(second or 0), tzinfo=_zone(sign, int(zh), int(zm)))
    except ValueError:
        return None


def _date(value: str | None, from_line: bytes) -> datetime | None:
    if value:
        fast = _fast_date(value)
        if fast is not None:
            return fast
    candidates = [value] if value else []
    tail = from_line.split(None, 2)[2:] if from_line else []
    if tail:
        candidates.append(tail[0].decode("latin-1"))
    for text in candidates:
        try:
            found = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if found is None:
            continue
        return found if found.tzinfo else found.replace(tzinfo=UTC)
    return None


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    m = re.search(r"<([^<>\s]+)>", value)
    if m:
        return m.group(1)
    token = value.strip().split()
    return token[0].strip("<>") if token else None


def parse(
    data: bytes,
    *,
    filename: str,
    me_emails: Iterable[str] = (),
    max_recipients: int = MAX_RECIPIENTS,
    include_large: bool = False,
    **_options: object,
) -> ParseResult:
    """Parse an mbox's headers into email interactions (see the module docstring)."""
    result = ParseResult(format=NAME)
    head = bytes(data[:5])
    if not bytes(data[:4096]).strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportError_("empty file", file=filename)
    if head != b"From ":
        raise ImportError_("not an mbox file: it does not start with a 'From ' line", file=filename)
    if b"\x00" in bytes(data[:65536]):
        raise ImportError_("binary data (NUL bytes), not an mbox file", file=filename)
    mails: list[Mail] = []
    delivered: Counter[str] = Counter()
    for number, (start, end, line) in enumerate(_messages(data), start=1):
        src = SourceRef(filename, line=line, item=number)
        first_end = data.find(b"\n", start, end)
        if first_end < 0:
            result.skip("unreadable message", src)
            continue
        from_line = bytes(data[start:first_end]).rstrip(b"\r")
        body_at = data.find(b"\n\n", first_end, end)
        crlf_at = data.find(b"\n\r\n", first_end, end)
        if crlf_at >= 0 and (body_at < 0 or crlf_at < body_at):
            body_at = crlf_at
        header_end = end if body_at < 0 else body_at
        block = bytes(data[first_end + 1 : min(header_end, first_end + 1 + MAX_HEADER_BYTES)])
        mail = read_mail(block, src, result, delivered, from_line=from_line)
        if mail is not None:
            mails.append(mail)
    return interactions_of(
        mails, me_emails=me_emails, delivered=delivered, filename=filename, result=result,
        max_recipients=max_recipients, include_large=include_large,
    )


def read_mail(
    block: bytes,
    src: SourceRef,
    result: ParseResult,
    delivered: Counter[str],
    *,
    from_line: bytes = b"",
    received: Callable[[], datetime | None] | None = None,
) -> Mail | None:
    """One message's header block (bytes, CRLF or LF) read into a mail, or None when it is
    skipped (the reason goes to ``result``): lists, bulk, automated, no-reply, drafts, spam,
    no date. ``delivered`` counts its Delivered-To addresses (to infer the user's address).
    Without a readable Date, the From_ line's date is taken, else ``received()`` (an IMAP
    server's INTERNALDATE; called only then).
    """
    fields = _headers(_header_text(block).replace("\r\n", "\n"))

    def header(name: str) -> str:
        values = fields.get(name.lower())
        return values[0] if values else ""

    def every(*names: str) -> list[str]:
        return [v for name in names for v in fields.get(name.lower(), [])]

    labels = header("X-Gmail-Labels").lower()
    if "draft" in labels:
        result.skip("draft", src)
        return None
    if "spam" in [x.strip() for x in labels.split(",")]:
        result.skip("spam", src)
        return None
    if header("List-Id"):
        result.skip("mailing list", src)
        return None
    if header("Precedence").strip().lower() in _BULK_PRECEDENCE or header("List-Unsubscribe"):
        result.skip("bulk mail", src)
        return None
    auto = header("Auto-Submitted").strip().lower()
    if auto and auto != "no":
        result.skip("automated mail", src)
        return None
    senders = _addresses(every("From"))
    if senders and _NO_REPLY.match(senders[0][0]):
        result.skip("no-reply sender", src)
        return None
    at = _date(header("Date") or None, from_line)
    if at is None and received is not None:
        at = received()
    if at is None:
        result.skip("no date", src)
        return None
    for d in _addresses(every("Delivered-To", "X-Original-To")):
        delivered[d[0]] += 1
    recipients = _addresses(every("To", "Cc"))
    thread = (
        header("X-GM-THRID").strip()
        or _first_id(header("References"))
        or _first_id(header("In-Reply-To"))
        or _first_id(header("Message-ID"))
    )
    if not thread:
        basis = f"{header('From')}|{header('Date')}|{header('Subject')}".encode(errors="replace")
        thread = "nomid:" + hashlib.sha1(basis).hexdigest()[:16]
    sender = (senders[0][0], senders[0][1]) if senders else None
    return Mail(
        src.item or 0, src.line or 0, sender, recipients,
        senders[0][2] if senders else None, at, thread, src,
    )


def interactions_of(
    mails: list[Mail],
    *,
    me_emails: Iterable[str],
    delivered: Counter[str],
    filename: str,
    result: ParseResult,
    max_recipients: int = MAX_RECIPIENTS,
    include_large: bool = False,
    infer_me: bool = True,
) -> ParseResult:
    """The email interactions of ``mails`` (read by :func:`read_mail`), added to ``result``:
    one per other person per thread per day (see the module docstring). ``infer_me=False``:
    the addresses given are the user's, even where none is in ``mails`` (a sync's batch)."""
    me = {
        e
        for e in (
            email_key(x) for x in ([me_emails] if isinstance(me_emails, str) else me_emails)
        )
        if e
    }
    if not me:
        me = _infer_me(mails, delivered, result, filename)
    elif infer_me and mails and not any(
        (m.sender and m.sender[0] in me) or any(r[0] in me for r in m.recipients) for m in mails
    ):
        # None of the addresses given (init, --me) is in the mailbox: whose mail is it?
        me = _infer_me(mails, delivered, result, filename, given=me)
    _interactions(mails, me, result, max_recipients, include_large)
    return result


def _infer_me(
    mails: list[Mail],
    delivered: Counter[str],
    result: ParseResult,
    filename: str,
    given: set[str] | None = None,
) -> set[str]:
    if delivered:
        address, _ = delivered.most_common(1)[0]
        how = "the most common Delivered-To"
    else:
        senders = Counter(m.sender[0] for m in mails if m.sender)
        if not senders:
            return set()
        address, _ = senders.most_common(1)[0]
        how = "the most frequent sender"
    if given:
        result.warn(
            f"{filename}: none of your addresses ({', '.join(sorted(given))}) is in the "
            f"mailbox; took {address} ({how}) to be you: record it with "
            f"`netfolio me --add {address}`, or import with --me"
        )
    else:
        result.warn(
            f"{filename}: took {address} ({how}) to be you; pass me_emails to say otherwise"
        )
    result.me_taken.append(address)
    return {address}


def _interactions(
    mails: list[Mail],
    me: set[str],
    result: ParseResult,
    max_recipients: int,
    include_large: bool,
) -> None:
    # (thread, day, person) -> [(at, from_me, mail, name, address as found)]
    contact: dict[tuple[str, str, str], list[tuple[datetime, bool, Mail, str | None, str]]]
    contact = defaultdict(list)
    for mail in mails:
        src = mail.source
        from_me = mail.sender is not None and mail.sender[0] in me
        people = {r[0]: r for r in mail.recipients if r[0] not in me}
        if mail.sender and not from_me:
            people.setdefault(
                mail.sender[0], (mail.sender[0], mail.sender[1], mail.sender_raw or "")
            )
        if len(people) > max_recipients and not include_large:
            result.skip("large recipient list", src, f"{len(people)} other people")
            continue
        if from_me:
            involved = list(people.values())
        elif mail.sender:
            involved = [people[mail.sender[0]]]
        else:
            involved = []
        if not involved:
            result.skip("no other person", src)
            continue
        day = mail.at.astimezone(UTC).date().isoformat()
        for normal, name, raw in involved:
            contact[(mail.thread, day, normal)].append((mail.at, from_me, mail, name, raw))
    for (thread, day, person), entries in contact.items():
        entries.sort(key=lambda e: (e[0], e[2].number))
        at, from_me, first, _, _ = entries[0]
        name = next((e[3] for e in entries if e[3]), None)
        raw = next((e[4] for e in entries if e[4]), person)
        result.interactions.append(
            InteractionRecord(
                at=at,
                channel=Channel.EMAIL,
                initiator=Initiator.ME if from_me else Initiator.THEM,
                intent=Intent.CATCH_UP,
                participants=(PersonRef(email=raw, name=name),),
                key=f"mbox:{thread}:{day}:{person}",
                source=first.source,
            )
        )
    result.interactions.sort(key=lambda i: (i.at, i.key))


__all__ = [
    "LABEL",
    "MAX_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_RECIPIENTS",
    "NAME",
    "Mail",
    "interactions_of",
    "parse",
    "read_mail",
    "sniff",
]
