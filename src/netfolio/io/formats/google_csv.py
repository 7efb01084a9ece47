"""Google Contacts CSV, the current export and the legacy ("Google CSV" before 2020) one.

Current header: ``First Name,Middle Name,Last Name,Phonetic First Name,...,Nickname,File As,
Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,
E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,
Address 1 - Formatted,Address 1 - Street,Address 1 - City,...,Website 1 - Label,
Website 1 - Value,Relation 1 - Label,Relation 1 - Value,Event 1 - Label,Event 1 - Value,
Custom Field 1 - Label,Custom Field 1 - Value``.

Legacy header: ``Name,Given Name,Additional Name,Family Name,Yomi Name,...,Birthday,...,Notes,
Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,...,
Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,
Organization 1 - Title,Organization 1 - Department,...,Website 1 - Type,Website 1 - Value``.

Columns are mapped by name, numbered groups (``E-mail 3 - Value``) however many there are.
Several values in one cell are joined by `` ::: ``; a label's leading ``* `` marks the primary
value or a system group. Labels / Group Membership become tags, except the system groups
``myContacts`` (legacy ``My Contacts``), ``starred`` and ``Other Contacts``. Organization
Department goes into notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from netfolio.errors import ImportError_
from netfolio.io.formats import _csv, _text
from netfolio.io.formats._values import (
    clean,
    email_kind,
    parse_birthday,
    phone_kind,
    place,
    unique,
)
from netfolio.io.normalise import normalise_linkedin_url
from netfolio.io.records import EmailRecord, ParseResult, PersonRecord, PhoneRecord, SourceRef

NAME = "google"
LABEL = "Google Contacts export"
#: Largest file accepted.
MAX_BYTES = 256 * 1024 * 1024
SEPARATOR = " ::: "
SYSTEM_GROUPS = frozenset({"mycontacts", "my contacts", "starred", "other contacts"})
_NUMBERED = re.compile(r"^(e-mail|phone|address|website|relation|event|organization) (\d+) - (.+)$")


def _is_header(keys: list[str]) -> bool:
    found = set(keys)
    current = {"first name", "last name", "labels"} <= found
    legacy = {"given name", "family name", "group membership"} <= found
    return (current or legacy) and ("e-mail 1 - value" in found or "phone 1 - value" in found)


def sniff(data: bytes, filename: str) -> float:
    """Confidence that ``data`` is a Google Contacts CSV."""
    try:
        head = _text.head_text(data)
        for keys in _csv.all_header_keys(head):
            if _is_header(keys):
                return 0.95
            found = set(keys)
            if "e-mail 1 - value" in found and ("name" in found or "first name" in found):
                return 0.7
    except Exception:  # sniffing never fails
        return 0.0
    return 0.0


def _multi(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(":::") if v.strip()]


def _label(cell: str) -> str | None:
    """A label without Google's leading ``* `` (primary) marker."""
    text = cell.strip()
    if text.startswith("*"):
        text = text[1:].strip()
    return text or None


def parse(data: bytes, *, filename: str, **_options: object) -> ParseResult:
    """Parse a Google Contacts CSV (current or legacy) into people."""
    if len(data) > MAX_BYTES:
        raise ImportError_(f"file larger than {MAX_BYTES // 2**20} MB", file=filename)
    result = ParseResult(format=NAME)
    text = _text.decode(data, filename, result.warnings)
    table = _csv.open_table(text, filename, _is_header, what=LABEL)
    columns = _Columns.of(table.keys)
    for line, row in table.rows():
        src = SourceRef(filename, line=line)
        person = _person(_Row(columns, row), src, result)
        if person is None:
            result.skip("empty contact", src)
        else:
            result.people.append(person)
    return result


@dataclass(frozen=True)
class _Columns:
    """Where each column is: plain ones by name, numbered ones (``E-mail 1 - Value``) by
    (kind, number) then field."""

    plain: dict[str, int]
    numbered: dict[tuple[str, int], dict[str, int]]
    groups: list[tuple[str, int]]

    @classmethod
    def of(cls, keys: list[str]) -> _Columns:
        plain: dict[str, int] = {}
        numbered: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
        for i, key in enumerate(keys):
            m = _NUMBERED.match(key)
            if m:
                numbered[(m.group(1), int(m.group(2)))].setdefault(m.group(3), i)
            else:
                plain.setdefault(key, i)
        return cls(plain, numbered, sorted(numbered))


@dataclass(frozen=True)
class _Row:
    columns: _Columns
    cells: list[str]

    def get(self, *names: str) -> str | None:
        """The first of the plain columns ``names`` with a value."""
        for name in names:
            i = self.columns.plain.get(name)
            if i is not None and i < len(self.cells) and self.cells[i].strip():
                return self.cells[i].strip()
        return None

    def part(self, kind: str, n: int, field: str) -> str:
        i = self.columns.numbered[(kind, n)].get(field)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""


@dataclass
class _Numbered:
    """What a row's numbered groups hold (organisation, title and department as the plain
    columns give them, the first ``Organization 1`` filling in what they lack)."""

    organisation: str | None
    title: str | None
    department: str | None
    emails: list[EmailRecord] = field(default_factory=list)
    phones: list[PhoneRecord] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    linkedin: str | None = None

    def add(self, r: _Row, kind: str, n: int) -> None:
        label = _label(r.part(kind, n, "label") or r.part(kind, n, "type"))
        values = _multi(r.part(kind, n, "value"))
        if kind == "e-mail":
            kind_word = email_kind(label) if label else None
            self.emails += [EmailRecord(v, kind_word, None if kind_word else label)
                            for v in values]
        elif kind == "phone":
            kind_word = phone_kind(label) if label else None
            self.phones += [PhoneRecord(v, kind_word, None if kind_word else label)
                            for v in values]
        elif kind == "address":
            found = place(r.part(kind, n, "city"), r.part(kind, n, "region"),
                          r.part(kind, n, "country"))
            if found:
                self.places.append(found)
        elif kind == "website":
            self.add_websites(values)
        elif kind == "relation":
            self.related += values
        elif kind == "organization" and n == 1:
            self.organisation = self.organisation or clean(r.part(kind, n, "name"))
            self.title = self.title or clean(r.part(kind, n, "title"))
            self.department = self.department or clean(r.part(kind, n, "department"))

    def add_websites(self, urls: list[str]) -> None:
        """The first LinkedIn profile is the person's; other profiles go, the rest are sites."""
        for url in urls:
            profile = normalise_linkedin_url(url)
            if profile and self.linkedin is None:
                self.linkedin = profile
            elif not profile:
                self.websites.append(url)


def _person(r: _Row, src: SourceRef, result: ParseResult) -> PersonRecord | None:
    """The person of one row, or None when it names no one and holds no contact point."""
    found = _Numbered(r.get("organization name"), r.get("organization title"),
                      r.get("organization department"))
    for kind, n in r.columns.groups:
        found.add(r, kind, n)
    given = r.get("first name", "given name")
    middle = r.get("middle name", "additional name")
    family = r.get("last name", "family name")
    display = r.get("name") or clean(
        " ".join(p for p in (r.get("name prefix"), given, middle, family, r.get("name suffix"))
                 if p)
    )
    display = display or r.get("file as", "nickname")
    if not (display or found.emails or found.phones or found.organisation):
        return None
    birthday_raw = r.get("birthday")
    birthday = parse_birthday(birthday_raw) if birthday_raw else None
    if birthday_raw and birthday is None:
        result.warn(f"{src}: unreadable birthday {birthday_raw[:40]!r}: left out")
    labels = [_label(v) or "" for v in (r.get("labels", "group membership") or "").split(":::")]
    department = found.department
    notes = [
        n for n in (r.get("notes"), f"Department: {department}" if department else None) if n
    ]
    return PersonRecord(
        source=src,
        given_name=given,
        family_name=family,
        display_name=display,
        emails=tuple(found.emails),
        phones=tuple(found.phones),
        organisation=found.organisation,
        title=found.title,
        location=found.places[0] if found.places else r.get("location"),
        linkedin_url=found.linkedin,
        websites=unique(found.websites),
        birthday=birthday,
        notes="\n\n".join(notes) or None,
        tags=unique([t for t in labels if t.casefold() not in SYSTEM_GROUPS]),
        related=unique(found.related),
    )


__all__ = ["LABEL", "MAX_BYTES", "NAME", "parse", "sniff"]
