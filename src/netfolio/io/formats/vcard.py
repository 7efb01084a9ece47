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

import re
from collections.abc import Callable
from dataclasses import dataclass, field

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
from netfolio.io.formats._vcard_lines import (
    Broken,
    Prop,
    components,
    decoded,
    logical_lines,
    parse_prop,
    photo_bytes,
    split_value,
    text_value,
    unescape,
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

_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


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


def _label(prop: Prop, labels: dict[str, str]) -> tuple[str | None, str | None]:
    """``(label, kind-word)`` from the group's X-ABLabel: Apple's ``_$!<Work>!$_`` is a kind."""
    if not prop.group or prop.group not in labels:
        return None, None
    raw = labels[prop.group]
    m = _APPLE_LABEL.match(raw)
    if m:
        return None, m.group(1)
    return raw or None, raw


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

    def text(self, p: Prop, where: SourceRef) -> str:
        return text_value(p, self.result, where)

    def kind_word(self, p: Prop) -> tuple[str | None, list[str]]:
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


def _fn(card: _Card, p: Prop, where: SourceRef) -> None:
    if card.fn is None:
        card.fn = clean(card.text(p, where))


def _n(card: _Card, p: Prop, where: SourceRef) -> None:
    if card.given is None and card.family is None:
        parts = [" ".join(split_value(c, ",")).strip() for c in components(p, card.result, where)]
        parts += [""] * (5 - len(parts))
        card.family, card.given = clean(parts[0]), clean(parts[1])
        card.name_parts = [parts[3], parts[1], parts[2], parts[0], parts[4]]


def _email(card: _Card, p: Prop, where: SourceRef) -> None:
    address = card.text(p, where)
    if address.lower().startswith("mailto:"):
        address = address[7:]
    if address:
        label, word = card.kind_word(p)
        card.emails.append(EmailRecord(address, email_kind(*p.types, *word), label))


def _tel(card: _Card, p: Prop, where: SourceRef) -> None:
    raw = card.text(p, where)
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    if raw:
        label, word = card.kind_word(p)
        card.phones.append(PhoneRecord(raw, phone_kind(*p.types, *word), label))


def _org(card: _Card, p: Prop, where: SourceRef) -> None:
    if card.organisation is None:
        parts = components(p, card.result, where)
        card.organisation = clean(parts[0]) if parts else None
        card.department = clean(", ".join(x for x in parts[1:] if x))


def _title(card: _Card, p: Prop, where: SourceRef) -> None:
    if card.title is None:
        card.title = clean(card.text(p, where))


def _adr(card: _Card, p: Prop, where: SourceRef) -> None:
    parts = components(p, card.result, where) + [""] * 7
    found = place(parts[3], parts[4], parts[6])
    if found:
        card.places.append(("pref" in p.types or p.param("PREF") is not None, found))


def _bday(card: _Card, p: Prop, where: SourceRef) -> None:
    if card.birthday is not None:
        return
    value = card.text(p, where)
    omit = p.param("X-APPLE-OMIT-YEAR")
    card.birthday = parse_birthday(value, omit_year=int(omit) if omit and omit.isdigit() else None)
    if card.birthday is None and value:
        card.result.warn(f"{where}: unreadable birthday {value[:40]!r}: left out")


def _note(card: _Card, p: Prop, where: SourceRef) -> None:
    text = card.text(p, where)
    if text:
        card.notes.append(text)


def _categories(card: _Card, p: Prop, where: SourceRef) -> None:
    for tag in split_value(decoded(p, card.result, where), ","):
        tag = unescape(tag).strip()
        if tag and tag.casefold() not in SYSTEM_GROUPS:
            card.tags.append(tag)


def _url(card: _Card, p: Prop, where: SourceRef) -> None:
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


def _related(card: _Card, p: Prop, where: SourceRef) -> None:
    value = card.text(p, where)
    if value:
        card.related.append(value)


def _photo_of(card: _Card, p: Prop, where: SourceRef) -> None:
    if card.photo is not None:
        return
    data = photo_bytes(p)
    if data is not None and len(data) > MAX_PHOTO_BYTES:
        card.result.warn(f"{where}: photo of {len(data) // 1024} KB dropped (limit 64 KB)")
    elif data:
        card.photo = data


#: What each property a person is made of adds to the card (others are ignored).
_PROPERTIES: dict[str, Callable[[_Card, Prop, SourceRef], None]] = {
    "FN": _fn, "N": _n, "EMAIL": _email, "TEL": _tel, "ORG": _org, "TITLE": _title,
    "ADR": _adr, "BDAY": _bday, "NOTE": _note, "CATEGORIES": _categories, "URL": _url,
    "X-SOCIALPROFILE": _url, "RELATED": _related, "X-ABRELATEDNAMES": _related,
    "PHOTO": _photo_of,
}


def _person(props: list[Prop], src: SourceRef, result: ParseResult) -> PersonRecord | None:
    """The person a card describes, or None when it names no one and holds no contact point."""
    labels = {
        p.group: text_value(p, result, src) for p in props if p.group and p.name == "X-ABLABEL"
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
    for number, line in logical_lines(text):
        cards.line(number, line)
    if cards.props is not None:
        cards.fail(Broken("the card has no END:VCARD (truncated file?)", cards.begin_line))
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
        self.props: list[Prop] | None = None
        self.broken: Broken | None = None

    def fail(self, error: Broken) -> None:
        if self.strict:
            raise ImportError_(f"card {self.card_no}: {error}", file=self.filename,
                               line=error.line)
        self.result.skip("broken card", SourceRef(self.filename, line=error.line,
                                                  item=self.card_no), str(error))

    def line(self, number: int, line: str) -> None:
        marker = line.strip().upper()
        if marker == "BEGIN:VCARD":
            if self.props is not None:
                self.fail(Broken("no END:VCARD before the next BEGIN:VCARD", self.begin_line))
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

    def add(self, props: list[Prop], number: int, line: str) -> None:
        if self.broken is None and len(props) >= MAX_PROPERTIES:
            self.broken = Broken(f"more than {MAX_PROPERTIES:,} lines in one card",
                                  self.begin_line)
        if self.broken is None:
            try:
                props.append(parse_prop(line, number))
            except Broken as error:
                self.broken = error

    def end(self) -> None:
        src = SourceRef(self.filename, line=self.begin_line, item=self.card_no)
        props, self.props = self.props or [], None
        if self.broken is not None:
            self.fail(self.broken)
            return
        try:
            person = _person(props, src, self.result)
        except Broken as error:
            self.fail(error)
            return
        if person is None:
            self.result.skip("empty card", src)
        else:
            self.result.people.append(person)


__all__ = ["LABEL", "MAX_BYTES", "MAX_PHOTO_BYTES", "MAX_PROPERTIES", "NAME", "parse", "sniff"]
