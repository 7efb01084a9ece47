"""The LinkedIn data export: ``Connections.csv``, ``messages.csv``, ``Invitations.csv``, or the zip.

- ``Connections.csv`` gives people: name, profile URL, email (when the member shared it),
  company, position and the date you connected. The header row is found, not assumed: recent
  exports lead with a ``Notes:`` preamble, older ones lack the ``URL`` column. Rows of hidden
  members (no name, URL or email) are skipped as ``hidden member``.
- ``messages.csv`` gives interactions: one ``message`` per other person per conversation per
  day (UTC). The initiator is whoever sent that day's first message in the conversation; the
  intent comes from :mod:`netfolio.io.intent` over what each side wrote that day. Drafts and
  spam are skipped. Text is kept only with ``keep_content=True``.
- ``Invitations.csv``: an invitation with a message is a ``message`` interaction (sent or
  received, at ``Sent At`` read as UTC); a bare invitation is skipped: a connection request is
  not contact.

Which participant is the user: ``me_urls`` / ``me_names`` when given; in the zip, also the
``Profile.csv`` name and the inviter of outgoing invitations; otherwise the participant who
appears in the most conversations (an ImportError_ asks for ``me_urls`` on a tie).
"""

from __future__ import annotations

import functools
import io
import operator
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.errors import ImportError_
from netfolio.io.formats import _csv, _text
from netfolio.io.formats._linkedin_me import (
    Me,
    Party,
    me_from_invitations,
    me_from_profile,
    parties,
)
from netfolio.io.formats._values import clean
from netfolio.io.formats._zip import read_members
from netfolio.io.intent import classify_intent, conversation_intent
from netfolio.io.normalise import fold_name, normalise_linkedin_url
from netfolio.io.records import (
    EmailRecord,
    InteractionRecord,
    ParseResult,
    PersonRecord,
    SourceRef,
)

NAME = "linkedin"
LABEL = "LinkedIn data export"
#: Largest CSV accepted (a 100,000-connection file is about 15 MB).
MAX_BYTES = 256 * 1024 * 1024
#: Total decompressed bytes read from a zip before it is refused as a zip bomb.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: Largest decompressed/compressed ratio of a member (CSV text compresses about 5-20x).
MAX_RATIO = 200
#: Most members a zip may list.
MAX_MEMBERS = 20_000

_CONNECTIONS = {"first name", "last name", "connected on"}
_MESSAGES = {"conversation id", "from", "date", "content"}
_INVITATIONS = {"from", "to", "sent at", "direction"}
_PROFILE = {"first name", "last name", "headline"}
_MEMBERS = ("connections.csv", "messages.csv", "invitations.csv", "profile.csv")

_CONNECTED_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y", "%b %d, %Y")
_MESSAGE_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:UTC|Z|GMT)?$"
)
_SENT_AT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?$")
_TRUE = {"true", "yes", "1", "y"}


def sniff(data: bytes, filename: str) -> float:
    """Confidence that ``data`` is a LinkedIn export file or zip."""
    try:
        if bytes(data[:4]) == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = {n.rsplit("/", 1)[-1].lower() for n in zf.namelist()[:MAX_MEMBERS]}
            return 0.95 if names & set(_MEMBERS[:3]) else 0.05
        head = _text.head_text(data)
        for keys in _csv.all_header_keys(head):
            found = set(keys)
            if found >= _CONNECTIONS or found >= _MESSAGES:
                return 0.95
            if found >= _INVITATIONS and ("inviterprofileurl" in found or "message" in found):
                return 0.9
        if head.lstrip().lower().startswith("notes:") and "linkedin" in head[:2000].lower():
            return 0.6
    except Exception:  # sniffing never fails: anything unreadable is just not this format
        return 0.0
    return 0.0


def parse(
    data: bytes,
    *,
    filename: str,
    me_urls: Iterable[str] = (),
    me_names: Iterable[str] = (),
    keep_content: bool = False,
    **_options: object,
) -> ParseResult:
    """Parse a LinkedIn export zip or one of its CSV files (recognised by its header)."""
    if bytes(data[:4]) == b"PK\x03\x04" or filename.lower().endswith(".zip"):
        return parse_zip(
            data, filename, me_urls=me_urls, me_names=me_names, keep_content=keep_content
        )
    return _parse_csv(data, filename, Me.of(me_urls, me_names), keep_content)


def _parse_csv(data: bytes, filename: str, me: Me, keep_content: bool) -> ParseResult:
    """Parse one of the export's CSV files, recognised by its header."""
    if len(data) > MAX_BYTES:
        raise ImportError_(f"file larger than {MAX_BYTES // 2**20} MB", file=filename)
    result = ParseResult(format=NAME)
    text = _text.decode(data, filename, result.warnings)
    table = _csv.open_table(text, filename, _known_header, what=LABEL)
    keys = set(table.keys)
    if keys >= _CONNECTIONS:
        _parse_connections(table, result)
    elif keys >= _MESSAGES:
        _parse_messages(table, result, me, keep_content)
    elif keys >= _PROFILE:
        pass  # the user's own profile: used only to know who "me" is
    else:
        _parse_invitations(table, result, me, keep_content)
    return result


def _known_header(keys: list[str]) -> bool:
    found = set(keys)
    return any(k <= found for k in (_CONNECTIONS, _MESSAGES, _INVITATIONS, _PROFILE))


# --- Connections.csv -----------------------------------------------------------------------


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAY_MON_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3}) (\d{4})$")


@functools.lru_cache(maxsize=8192)
def _connected_on(text: str) -> date | None:
    """Read ``08 Feb 2026`` (fast, cached: dates repeat) and the older spellings."""
    m = _DAY_MON_YEAR.match(text)
    if m and m.group(2).lower() in _MONTHS:
        try:
            return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    return _parse_date(text, _CONNECTED_FORMATS)


def _parse_date(text: str, formats: Iterable[str]) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_connections(table: _csv.CsvTable, result: ParseResult) -> None:
    columns = [
        table.col("First Name"),
        table.col("Last Name"),
        table.col("URL", "Profile URL"),
        table.col("Email Address", "Email"),
        table.col("Company"),
        table.col("Position"),
        table.col("Connected On"),
    ]
    width = max(c for c in columns if c is not None) + 1
    pick = operator.itemgetter(*(width if c is None else c for c in columns))
    padding = [""] * (width + 1)
    filename = table.filename
    people = result.people
    for line, row in table.rows():
        if len(row) <= width:
            row = row + padding[: width + 1 - len(row)]
        first, last, url_raw, email, company, position, connected_raw = [
            v.strip() or None for v in pick(row)
        ]
        src = SourceRef(filename, line)
        if not (first or last or url_raw or email):
            result.skip("hidden member", src)
            continue
        url = normalise_linkedin_url(url_raw) if url_raw else None
        if url_raw and url is None:
            result.warn(f"{src}: not a LinkedIn profile URL: {url_raw[:80]!r}")
        connected = _connected_on(connected_raw) if connected_raw else None
        if connected_raw and connected is None:
            result.warn(f"{src}: unreadable 'Connected On' date {connected_raw[:40]!r}: left out")
        people.append(
            PersonRecord(
                source=src,
                given_name=first,
                family_name=last,
                display_name=f"{first} {last}" if first and last else first or last,
                emails=(EmailRecord(email),) if email else (),
                organisation=company,
                title=position,
                linkedin_url=url,
                connected_on=connected,
            )
        )


# --- messages.csv ------------------------------------------------------------------------------


@dataclass
class _Message:
    line: int
    conversation: str
    subject: str | None
    sender: Party
    recipients: list[Party]
    at: datetime
    content: str


def _message_time(text: str) -> datetime | None:
    m = _MESSAGE_DATE.match(text.strip())
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except ValueError:
        return None


def _parse_messages(table: _csv.CsvTable, result: ParseResult, me: Me, keep_content: bool) -> None:
    cols = {
        name: table.col(name)
        for name in (
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "SUBJECT",
            "CONTENT",
            "FOLDER",
            "IS MESSAGE DRAFT",
        )
    }

    def get(row: list[str], name: str) -> str:
        i = cols[name]
        return row[i].strip() if i is not None and i < len(row) else ""

    messages: list[_Message] = []
    for line, row in table.rows():
        src = SourceRef(table.filename, line=line)
        folder = get(row, "FOLDER").upper()
        if get(row, "IS MESSAGE DRAFT").lower() in _TRUE or folder == "DRAFT":
            result.skip("draft", src)
            continue
        if folder == "SPAM":
            result.skip("spam", src)
            continue
        at = _message_time(get(row, "DATE"))
        if at is None:
            result.skip("bad date", src, get(row, "DATE")[:40] or "no DATE")
            continue
        sender_url = normalise_linkedin_url(get(row, "SENDER PROFILE URL"))
        sender = Party(sender_url, clean(get(row, "FROM")))
        if not (sender.url or sender.name):
            result.skip("unknown sender", src)
            continue
        conversation = get(row, "CONVERSATION ID") or "title:" + get(row, "CONVERSATION TITLE")
        messages.append(
            _Message(
                line,
                conversation,
                clean(get(row, "SUBJECT")),
                sender,
                parties(get(row, "TO"), get(row, "RECIPIENT PROFILE URLS")),
                at,
                get(row, "CONTENT"),
            )
        )
    if not messages:
        return
    if not me:
        me = _infer_me(messages, table.filename, result)
    elif not any(me.is_me(p) for m in messages for p in (m.sender, *m.recipients)):
        # The name or profile given (init, --me) is nobody in the messages (a nickname, a
        # married name): the export's owner is still on one side of them.
        me = _infer_me(messages, table.filename, result, given=me)
    _message_interactions(messages, me, table.filename, result, keep_content)


def _infer_me(
    messages: list[_Message], filename: str, result: ParseResult, given: Me | None = None
) -> Me:
    """The participant present in the most conversations is the user."""
    seen: dict[str, set[str]] = defaultdict(set)
    parties: dict[str, Party] = {}
    for m in messages:
        for p in (m.sender, *m.recipients):
            seen[p.key].add(m.conversation)
            if p.key not in parties or (p.name and not parties[p.key].name):
                parties[p.key] = p
    ranked = sorted(seen, key=lambda k: len(seen[k]), reverse=True)
    if len(ranked) > 1 and len(seen[ranked[0]]) == len(seen[ranked[1]]):
        raise ImportError_(
            "cannot tell which participant is you (several appear in as many conversations): "
            "give your profile URL or name (me_urls / me_names, `--me`)",
            file=filename,
        )
    mine = parties[ranked[0]]
    if given:
        said = ", ".join(sorted(given.urls | given.names))
        result.warn(
            f"{filename}: nobody in the messages is you as given ({said}); took "
            f"{mine.name or mine.url} (in the most conversations) to be you: record it with "
            f"`netfolio me --add {mine.url or repr(mine.name)}`, or import with --me"
        )
    else:
        result.warn(
            f"{filename}: took {mine.name or mine.url} (in the most conversations) to be you; "
            "pass me_urls/me_names to say otherwise"
        )
    result.me_taken.append(mine.url or mine.name or "")
    return Me({mine.url} if mine.url else set(), {fold_name(mine.name)} if mine.name else set())


def _message_interactions(
    messages: list[_Message], me: Me, filename: str, result: ParseResult, keep_content: bool
) -> None:
    days: dict[tuple[str, date], list[_Message]] = defaultdict(list)
    for m in messages:
        days[(m.conversation, m.at.date())].append(m)
    for (conversation, day), group in days.items():
        group.sort(key=lambda m: (m.at, m.line))
        first = group[0]
        initiator = Initiator.ME if me.is_me(first.sender) else Initiator.THEM
        others: dict[str, Party] = {}
        for m in group:
            for p in (m.sender, *m.recipients):
                if not me.is_me(p) and (p.key not in others or (p.name and not others[p.key].name)):
                    others[p.key] = p
        if not others:
            result.skip("no other participant", SourceRef(filename, line=first.line))
            continue
        mine = [m for m in group if me.is_me(m.sender)]
        my_intent = classify_intent("\n".join(m.content for m in mine))
        for key, person in others.items():
            theirs = [m for m in group if m.sender.key == key]
            if not mine and not theirs:
                continue  # only third parties wrote in a group conversation that day
            intent, evidence = conversation_intent(
                my_intent, classify_intent("\n".join(m.content for m in theirs))
            )
            involved = [m for m in group if me.is_me(m.sender) or m.sender.key == key]
            content = None
            if keep_content:
                content = "\n".join(
                    f"{m.sender.name or m.sender.url}: {m.content}" for m in involved
                )
            result.interactions.append(
                InteractionRecord(
                    at=involved[0].at,
                    channel=Channel.MESSAGE,
                    initiator=initiator,
                    intent=intent,
                    intent_evidence=evidence,
                    participants=(person.ref(),),
                    key=f"linkedin:message:{conversation}:{day.isoformat()}:{key}",
                    source=SourceRef(filename, line=involved[0].line),
                    note=first.subject,
                    content=content,
                )
            )


# --- Invitations.csv ---------------------------------------------------------------------------


def _sent_at(text: str) -> datetime | None:
    m = _SENT_AT.match(text.strip())
    if not m:
        return None
    month, day, year, hour, minute = (int(g) for g in m.groups()[:5])
    ampm = (m.group(6) or "").lower()
    if len(m.group(3)) == 2:
        year += 2000
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def _parse_invitations(
    table: _csv.CsvTable, result: ParseResult, me: Me, keep_content: bool
) -> None:
    cols = {
        n: table.col(n)
        for n in (
            "From",
            "To",
            "Sent At",
            "Message",
            "Direction",
            "inviterProfileUrl",
            "inviteeProfileUrl",
        )
    }

    def get(row: list[str], name: str) -> str:
        i = cols[name]
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in table.rows():
        src = SourceRef(table.filename, line=line)
        direction = get(row, "Direction").upper()
        inviter = Party(
            normalise_linkedin_url(get(row, "inviterProfileUrl")), clean(get(row, "From"))
        )
        invitee = Party(
            normalise_linkedin_url(get(row, "inviteeProfileUrl")), clean(get(row, "To"))
        )
        if direction not in ("INCOMING", "OUTGOING"):
            direction = "OUTGOING" if me and me.is_me(inviter) else "INCOMING"
        outgoing = direction == "OUTGOING"
        other = invitee if outgoing else inviter
        message = get(row, "Message")
        if not message:
            result.skip("invitation without message", src)
            continue
        if not (other.url or other.name):
            result.skip("unknown participant", src)
            continue
        at = _sent_at(get(row, "Sent At"))
        if at is None:
            result.skip("bad date", src, get(row, "Sent At")[:40] or "no Sent At")
            continue
        said = classify_intent(message)
        nothing: tuple[Intent, tuple[str, ...]] = (Intent.CATCH_UP, ())
        intent, evidence = (
            conversation_intent(said, nothing) if outgoing else conversation_intent(nothing, said)
        )
        result.interactions.append(
            InteractionRecord(
                at=at,
                channel=Channel.MESSAGE,
                initiator=Initiator.ME if outgoing else Initiator.THEM,
                intent=intent,
                intent_evidence=evidence,
                participants=(other.ref(),),
                key=f"linkedin:invitation:{direction.lower()}:{other.key}:{at.isoformat()}",
                source=src,
                note="LinkedIn invitation",
                content=message if keep_content else None,
            )
        )


# --- the zip -------------------------------------------------------------------------------


def parse_zip(
    data: bytes,
    filename: str,
    *,
    me_urls: Iterable[str] = (),
    me_names: Iterable[str] = (),
    keep_content: bool = False,
    **_options: object,
) -> ParseResult:
    """Parse the export's ``.zip`` as downloaded: its files are found by name in any folder."""
    found = read_members(data, filename, _MEMBERS, limit=MAX_UNZIPPED_BYTES,
                         max_members=MAX_MEMBERS, max_ratio=MAX_RATIO)
    if not any(m in found for m in _MEMBERS[:3]):
        raise ImportError_(
            "no Connections.csv, messages.csv or Invitations.csv in this zip: "
            "is it a LinkedIn data export?",
            file=filename,
        )

    def member(base: str) -> tuple[bytes, str]:
        return found[base], f"{filename}/{found['path:' + base].decode()}"

    me = Me.of(me_urls, me_names) or _me_in_export(found, member)
    result = ParseResult(format=NAME)
    for base in _MEMBERS[:3]:
        if base in found:
            raw, where = member(base)
            result.extend(_parse_csv(raw, where, me, keep_content))
    return result


def _me_in_export(
    found: dict[str, bytes], member: Callable[[str], tuple[bytes, str]]
) -> Me:
    """Who you are, from the export itself: your profile URL in the invitations you sent
    and your name in Profile.csv (an unreadable file is reported when it is parsed)."""
    extra_urls: set[str] = set()
    extra_names: set[str] = set()
    for base, reader, target in (
        ("invitations.csv", me_from_invitations, extra_urls),
        ("profile.csv", me_from_profile, extra_names),
    ):
        if base in found:
            raw, where = member(base)
            try:
                table = _csv.open_table(
                    _text.decode(raw, where), where, _known_header, what=LABEL
                )
                target.update(reader(table))
            except ImportError_:
                pass  # reported when the file itself is parsed below
    return Me.of(extra_urls, extra_names)

__all__ = [
    "LABEL",
    "MAX_BYTES",
    "MAX_RATIO",
    "MAX_UNZIPPED_BYTES",
    "NAME",
    "parse",
    "parse_zip",
    "sniff",
]
