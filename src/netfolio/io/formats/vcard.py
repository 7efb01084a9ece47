"""vCard 2.1, 3.0 and 4.0 files as phones, Google, iCloud and Outlook write them.

A hand-written content-line parser (RFC 6350 §3.3, RFC 2425/2426 and the vCard 2.1 spec),
because the quirks are the job: lines folded with CRLF/LF + space or tab; 2.1
quoted-printable values with soft line breaks and a ``CHARSET``; 2.1 bare parameters
(``TEL;CELL:``); 4.0 quoted parameter lists (``TYPE="work,voice"``); grouped properties
with Apple's ``X-ABLabel``; escapes (``\\n \\, \\; \\\\``, and Apple's ``\\:``); base64 and
``data:`` photos; birthdays without a year (``--03-15``, Apple's 1604 year).

What becomes what: ``N`` → given/family name, ``FN`` → display name, ``EMAIL``/``TEL`` with
their kinds and labels, ``ORG`` → organisation (its department goes into the notes as
``Department: ...``), ``TITLE``, the first ``ADR`` (preferred one first) → location as
"locality, region, country", ``BDAY``, ``NOTE``, ``CATEGORIES`` → tags (Google's system
groups ``myContacts`` and ``starred`` dropped), ``URL`` and ``X-SOCIALPROFILE`` (a LinkedIn
profile → ``linkedin_url``, others → websites), ``RELATED`` and ``X-ABRELATEDNAMES`` →
related, ``PHOTO`` → photo when at most :data:`MAX_PHOTO_BYTES`.

A broken card (no ``END:VCARD``, a line that is not a content line, bad base64) is skipped
as ``broken card`` with its number and line; ``strict=True`` raises ImportError_ instead.
A card with no name, email, phone or organisation is skipped as ``empty card``.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from netfolio.errors import ImportError_
from netfolio.io.formats import _text
from netfolio.io.formats._values import (
    clean,
    email_kind,
    parse_birthday,
    phone_kind,
    place,
    unique,
)
from netfolio.io.normalise import normalise_linkedin_url
from netfolio.io.records import (
    Birthday,
    EmailRecord,
    ParseResult,
    PersonRecord,
    PhoneRecord,
    SourceRef,
)

NAME = "vcard"
LABEL = "vCard file"
#: Largest file accepted.
MAX_BYTES = 256 * 1024 * 1024
#: Photos up to this size are kept as bytes; larger ones are dropped with a warning.
MAX_PHOTO_BYTES = 64 * 1024
#: The most lines (properties) one card may have: a real card has tens; a card of 100,000
#: phone numbers is skipped as broken (or refused with --strict).
MAX_PROPERTIES = 2_000
#: Google's system groups, which are not the user's tags.
SYSTEM_GROUPS = frozenset({"mycontacts", "starred"})

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_PARAM_NAME = re.compile(r"[A-Za-z0-9_-]+")
_PARAM_VALUE = re.compile(r'[^";:,]*')
# A content line without quoted parameter values: group, name, parameters, then ":".
_SIMPLE_LINE = re.compile(r'(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)((?:;[^:;"]*)*):')
_QP_LINE = re.compile(r"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
_B64_LINE = re.compile(r"^[^:]*(?:ENCODING=B\b|ENCODING=BASE64|;BASE64)[^:]*:", re.IGNORECASE)
_B64_CHARS = re.compile(r"^[A-Za-z0-9+/=]+$")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}


class _Broken(Exception):
    """A card that cannot be read; carries the line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _Prop:
    """One content line: ``group.NAME;PARAM=v,v:value``."""

    line: int
    group: str | None
    name: str
    params: dict[str, list[str]]
    value: str

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]


def sniff(data: bytes, filename: str) -> float:
    """Confidence that ``data`` is a vCard file."""
    try:
        head = _text.head_text(data, 8192).lstrip().upper()
    except Exception:  # sniffing never fails
        return 0.0
    if head.startswith("BEGIN:VCARD"):
        return 0.98
    if "BEGIN:VCARD" in head:
        return 0.7
    return 0.0


# --- lines -------------------------------------------------------------------------------------


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold physical lines into content lines, with the line each starts on.

    Folding: a line starting with a space or tab continues the previous one (the first
    whitespace character is removed). 2.1 quoted-printable: a value ending in ``=`` continues
    on the next line (a soft line break, removed). 2.1 base64: unindented base64 lines continue
    a base64 value.
    """
    parts: list[str] = []
    start = 0
    qp = b64 = False
    for number, raw in enumerate(_NEWLINE.split(text), start=1):
        if parts:
            if qp and parts[-1].endswith("=") and not raw.strip().upper().startswith("END:"):
                parts[-1] = parts[-1][:-1]
                parts.append(raw)
                continue
            if raw[:1] in (" ", "\t"):
                parts.append(raw[1:])
                continue
            if b64 and raw and _B64_CHARS.match(raw):
                parts.append(raw)
                continue
            yield start, "".join(parts)
            parts = []
        if not raw.strip():
            continue
        parts = [raw]
        start = number
        upper = raw[:300].upper()
        qp = "QUOTED-PRINTABLE" in upper and bool(_QP_LINE.match(raw))
        b64 = ("BASE64" in upper or "ENCODING=B" in upper) and bool(_B64_LINE.match(raw))
    if parts:
        yield start, "".join(parts)


def _parse_prop(text: str, line: int) -> _Prop:
    """Read one content line; raise _Broken when it is not one."""
    fast = _SIMPLE_LINE.match(text)
    if fast:
        params: dict[str, list[str]] = {}
        for raw in fast.group(3).split(";")[1:]:
            key, eq, value = raw.partition("=")
            key = key.strip()
            if not key:
                continue
            if not _PARAM_NAME.fullmatch(key):
                return _parse_prop_slowly(text, line)
            if not eq:  # vCard 2.1 bare parameter
                value = key
                key = "ENCODING" if key.upper() in _ENCODINGS else "TYPE"
            params.setdefault(key.upper(), []).extend(v.strip() for v in value.split(","))
        group = fast.group(1)
        return _Prop(
            line,
            group.lower() if group else None,
            fast.group(2).upper(),
            params,
            text[fast.end() :],
        )
    return _parse_prop_slowly(text, line)


def _parse_prop_slowly(text: str, line: int) -> _Prop:
    """Read a content line with quoted parameter values, character by character."""
    m = _NAME.match(text)
    if not m:
        raise _Broken(f"not a vCard line: {text[:40]!r}", line)
    group, name = m.group(1), m.group(2).upper()
    pos, end = m.end(), len(text)
    params: dict[str, list[str]] = {}
    while pos < end and text[pos] == ";":
        pos += 1
        while pos < end and text[pos] == " ":
            pos += 1
        pm = _PARAM_NAME.match(text, pos)
        if not pm:
            if pos < end and text[pos] in ";:":
                continue  # an empty parameter (";;" or ";:"): tolerated
            raise _Broken(f"bad parameter in {name}: {text[:40]!r}", line)
        pname, pos = pm.group(0).upper(), pm.end()
        if pos < end and text[pos] == "=":
            pos += 1
            values: list[str] = []
            while True:
                if pos < end and text[pos] == '"':
                    close = text.find('"', pos + 1)
                    if close < 0:
                        raise _Broken(f"unclosed quote in a parameter of {name}", line)
                    values.extend(
                        text[pos + 1 : close].split(",")
                        if pname == "TYPE"
                        else [text[pos + 1 : close]]
                    )
                    pos = close + 1
                else:
                    vm = _PARAM_VALUE.match(text, pos)
                    values.append(vm.group(0) if vm else "")
                    pos = vm.end() if vm else pos
                if pos < end and text[pos] == ",":
                    pos += 1
                    continue
                break
        else:  # vCard 2.1 bare parameter: TEL;CELL;PREF or PHOTO;BASE64
            values = [pname]
            pname = "ENCODING" if pname in _ENCODINGS else "TYPE"
        params.setdefault(pname, []).extend(v.strip() for v in values)
    if pos >= end or text[pos] != ":":
        raise _Broken(f"not a vCard line (no ':' after {name}): {text[:40]!r}", line)
    return _Prop(line, group.lower() if group else None, name, params, text[pos + 1 :])


# --- values ------------------------------------------------------------------------------------


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c == "\\" and i + 1 < n:
            nxt = value[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _split(value: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not escaped; components stay escaped."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    buf: list[str] = []
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c == "\\" and i + 1 < n:
            buf.append(value[i : i + 2])
            i += 2
            continue
        if c == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    parts.append("".join(buf))
    return parts


def _decoded(prop: _Prop, result: ParseResult, where: SourceRef) -> str:
    """A property's value with quoted-printable and its charset undone (still escaped)."""
    if (prop.param("ENCODING") or "").upper() != "QUOTED-PRINTABLE":
        return prop.value
    raw = quopri.decodestring(prop.value.encode("utf-8", errors="surrogateescape"))
    charset = prop.param("CHARSET") or "utf-8"
    try:
        return raw.decode(charset)
    except LookupError:
        result.warn(f"{where}: unknown charset {charset[:30]!r}; read as UTF-8")
    except UnicodeDecodeError:
        result.warn(f"{where}: {prop.name} is not valid {charset[:30]}; odd characters replaced")
    return raw.decode("utf-8", errors="replace")


def _text_value(prop: _Prop, result: ParseResult, where: SourceRef) -> str:
    text = _unescape(_decoded(prop, result, where))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _components(prop: _Prop, result: ParseResult, where: SourceRef) -> list[str]:
    return [_unescape(c).strip() for c in _split(_decoded(prop, result, where), ";")]


def _label(prop: _Prop, labels: dict[str, str]) -> tuple[str | None, str | None]:
    """``(label, kind-word)`` from the group's X-ABLabel: Apple's ``_$!<Work>!$_`` is a kind."""
    if not prop.group or prop.group not in labels:
        return None, None
    raw = labels[prop.group]
    m = _APPLE_LABEL.match(raw)
    if m:
        return None, m.group(1)
    return raw or None, raw


def _photo(prop: _Prop) -> bytes | None:
    """The photo's bytes, or None for a URL; raise _Broken for bad base64."""
    value = prop.value.strip()
    encoding = (prop.param("ENCODING") or "").upper()
    if value[:5].lower() == "data:":
        head, _, payload = value.partition(",")
        if ";base64" in head.lower():
            return _b64(payload, prop.line)
        return unquote_to_bytes(payload)
    if encoding in ("B", "BASE64"):
        return _b64(value, prop.line)
    return None


def _b64(value: str, line: int) -> bytes:
    compact = "".join(value.split())
    compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise _Broken("bad base64 in PHOTO", line) from None


# --- cards -------------------------------------------------------------------------------------


@dataclass
class _Card:
    """What the properties of one card say so far (the first FN, N, ORG, TITLE, BDAY and
    PHOTO win; the others add up)."""

    result: ParseResult
    labels: dict[str, str]
    fn: str | None = None
    family: str | None = None
    given: str | None = None
    name_parts: list[str] = field(default_factory=list)
    organisation: str | None = None
    department: str | None = None
    title: str | None = None
    linkedin: str | None = None
    birthday: Birthday | None = None
    photo: bytes | None = None
    emails: list[EmailRecord] = field(default_factory=list)
    phones: list[PhoneRecord] = field(default_factory=list)
    #: (preferred, "locality, region, country")
    places: list[tuple[bool, str]] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self, p: _Prop, where: SourceRef) -> str:
        return _text_value(p, self.result, where)

    def kind_word(self, p: _Prop) -> tuple[str | None, list[str]]:
        """The property's label, and its label's kind word as a list (empty: none)."""
        label, word = _label(p, self.labels)
        return label, [word] if word else []

    def record(self, src: SourceRef) -> PersonRecord | None:
        display = self.fn or clean(" ".join(x for x in self.name_parts if x))
        if not (display or self.emails or self.phones or self.organisation):
            return None
        places = sorted(self.places, key=lambda item: not item[0])
        notes = [*self.notes, f"Department: {self.department}"] if self.department else self.notes
        return PersonRecord(
            source=src,
            given_name=self.given,
            family_name=self.family,
            display_name=display,
            emails=tuple(self.emails),
            phones=tuple(self.phones),
            organisation=self.organisation,
            title=self.title,
            location=places[0][1] if places else None,
            linkedin_url=self.linkedin,
            websites=unique(self.websites),
            birthday=self.birthday,
            notes="\n\n".join(notes) or None,
            tags=unique(self.tags),
            photo=self.photo,
            related=unique(self.related),
        )


def _fn(card: _Card, p: _Prop, where: SourceRef) -> None:
    if card.fn is None:
        card.fn = clean(card.text(p, where))


def _n(card: _Card, p: _Prop, where: SourceRef) -> None:
    if card.given is None and card.family is None:
        parts = [" ".join(_split(c, ",")).strip() for c in _components(p, card.result, where)]
        parts += [""] * (5 - len(parts))
        card.family, card.given = clean(parts[0]), clean(parts[1])
        card.name_parts = [parts[3], parts[1], parts[2], parts[0], parts[4]]


def _email(card: _Card, p: _Prop, where: SourceRef) -> None:
    address = card.text(p, where)
    if address.lower().startswith("mailto:"):
        address = address[7:]
    if address:
        label, word = card.kind_word(p)
        card.emails.append(EmailRecord(address, email_kind(*p.types, *word), label))


def _tel(card: _Card, p: _Prop, where: SourceRef) -> None:
    raw = card.text(p, where)
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    if raw:
        label, word = card.kind_word(p)
        card.phones.append(PhoneRecord(raw, phone_kind(*p.types, *word), label))


def _org(card: _Card, p: _Prop, where: SourceRef) -> None:
    if card.organisation is None:
        parts = _components(p, card.result, where)
        card.organisation = clean(parts[0]) if parts else None
        card.department = clean(", ".join(x for x in parts[1:] if x))


def _title(card: _Card, p: _Prop, where: SourceRef) -> None:
    if card.title is None:
        card.title = clean(card.text(p, where))


def _adr(card: _Card, p: _Prop, where: SourceRef) -> None:
    parts = _components(p, card.result, where) + [""] * 7
    found = place(parts[3], parts[4], parts[6])
    if found:
        card.places.append(("pref" in p.types or p.param("PREF") is not None, found))


def _bday(card: _Card, p: _Prop, where: SourceRef) -> None:
    if card.birthday is not None:
        return
    value = card.text(p, where)
    omit = p.param("X-APPLE-OMIT-YEAR")
    card.birthday = parse_birthday(value, omit_year=int(omit) if omit and omit.isdigit() else None)
    if card.birthday is None and value:
        card.result.warn(f"{where}: unreadable birthday {value[:40]!r}: left out")


def _note(card: _Card, p: _Prop, where: SourceRef) -> None:
    text = card.text(p, where)
    if text:
        card.notes.append(text)


def _categories(card: _Card, p: _Prop, where: SourceRef) -> None:
    for tag in _split(_decoded(p, card.result, where), ","):
        tag = _unescape(tag).strip()
        if tag and tag.casefold() not in SYSTEM_GROUPS:
            card.tags.append(tag)


def _url(card: _Card, p: _Prop, where: SourceRef) -> None:
    """A LinkedIn profile (the first one kept), or else a website."""
    url = card.text(p, where)
    profile = normalise_linkedin_url(url)
    if profile is None and p.name == "X-SOCIALPROFILE" and "linkedin" in p.types:
        user = p.param("X-USER")
        profile = normalise_linkedin_url(f"https://www.linkedin.com/in/{user}" if user else url)
    if profile:
        card.linkedin = card.linkedin or profile
    elif url and (p.name == "URL" or url.lower().startswith("http")):
        card.websites.append(url)


def _related(card: _Card, p: _Prop, where: SourceRef) -> None:
    value = card.text(p, where)
    if value:
        card.related.append(value)


def _photo_of(card: _Card, p: _Prop, where: SourceRef) -> None:
    if card.photo is not None:
        return
    data = _photo(p)
    if data is not None and len(data) > MAX_PHOTO_BYTES:
        card.result.warn(f"{where}: photo of {len(data) // 1024} KB dropped (limit 64 KB)")
    elif data:
        card.photo = data


#: What each property a person is made of adds to the card (others are ignored).
_PROPERTIES: dict[str, Callable[[_Card, _Prop, SourceRef], None]] = {
    "FN": _fn, "N": _n, "EMAIL": _email, "TEL": _tel, "ORG": _org, "TITLE": _title,
    "ADR": _adr, "BDAY": _bday, "NOTE": _note, "CATEGORIES": _categories, "URL": _url,
    "X-SOCIALPROFILE": _url, "RELATED": _related, "X-ABRELATEDNAMES": _related,
    "PHOTO": _photo_of,
}


def _person(props: list[_Prop], src: SourceRef, result: ParseResult) -> PersonRecord | None:
    """The person a card describes, or None when it names no one and holds no contact point."""
    labels = {
        p.group: _text_value(p, result, src) for p in props if p.group and p.name == "X-ABLABEL"
    }
    card = _Card(result, labels)
    for p in props:
        handle = _PROPERTIES.get(p.name)
        if handle is not None:
            handle(card, p, SourceRef(src.file, line=p.line, item=src.item))
    return card.record(src)


def parse(
    data: bytes,
    *,
    filename: str,
    strict: bool = False,
    **_options: object,
) -> ParseResult:
    """Parse a file of one or more vCards into people.

    ``strict=True`` makes a broken card an ImportError_ instead of a ``broken card`` skip.
    """
    if len(data) > MAX_BYTES:
        raise ImportError_(f"file larger than {MAX_BYTES // 2**20} MB", file=filename)
    result = ParseResult(format=NAME)
    text = _text.decode(data, filename, result.warnings)
    cards = _Cards(filename, strict, result)
    for number, line in _logical_lines(text):
        cards.line(number, line)
    if cards.props is not None:
        cards.fail(_Broken("the card has no END:VCARD (truncated file?)", cards.begin_line))
    if cards.card_no == 0:
        raise ImportError_("not a vCard file: no BEGIN:VCARD found", file=filename)
    return result


class _Cards:
    """The cards of a file, line by line: each card's properties, until its END:VCARD."""

    def __init__(self, filename: str, strict: bool, result: ParseResult) -> None:
        self.filename = filename
        self.strict = strict
        self.result = result
        self.card_no = 0
        self.begin_line = 0
        #: the open card's properties (None: between cards)
        self.props: list[_Prop] | None = None
        self.broken: _Broken | None = None

    def fail(self, error: _Broken) -> None:
        if self.strict:
            raise ImportError_(f"card {self.card_no}: {error}", file=self.filename,
                               line=error.line)
        self.result.skip("broken card", SourceRef(self.filename, line=error.line,
                                                  item=self.card_no), str(error))

    def line(self, number: int, line: str) -> None:
        marker = line.strip().upper()
        if marker == "BEGIN:VCARD":
            if self.props is not None:
                self.fail(_Broken("no END:VCARD before the next BEGIN:VCARD", self.begin_line))
            self.card_no += 1
            self.begin_line, self.props, self.broken = number, [], None
        elif self.props is None:
            if self.strict:
                raise ImportError_(f"not inside a card: {line[:40]!r}", file=self.filename,
                                   line=number)
            self.result.warn(f"{self.filename}, line {number}: text outside any card ignored")
        elif marker == "END:VCARD":
            self.end()
        else:
            self.add(self.props, number, line)

    def add(self, props: list[_Prop], number: int, line: str) -> None:
        if self.broken is None and len(props) >= MAX_PROPERTIES:
            self.broken = _Broken(f"more than {MAX_PROPERTIES:,} lines in one card",
                                  self.begin_line)
        if self.broken is None:
            try:
                props.append(_parse_prop(line, number))
            except _Broken as error:
                self.broken = error

    def end(self) -> None:
        src = SourceRef(self.filename, line=self.begin_line, item=self.card_no)
        props, self.props = self.props or [], None
        if self.broken is not None:
            self.fail(self.broken)
            return
        try:
            person = _person(props, src, self.result)
        except _Broken as error:
            self.fail(error)
            return
        if person is None:
            self.result.skip("empty card", src)
        else:
            self.result.people.append(person)


__all__ = ["LABEL", "MAX_BYTES", "MAX_PHOTO_BYTES", "MAX_PROPERTIES", "NAME", "parse", "sniff"]
