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
    plain: dict[str, int] = {}
    numbered: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for i, key in enumerate(table.keys):
        m = _NUMBERED.match(key)
        if m:
            numbered[(m.group(1), int(m.group(2)))].setdefault(m.group(3), i)
        else:
            plain.setdefault(key, i)
    groups = sorted(numbered)

    for line, row in table.rows():
        src = SourceRef(filename, line=line)

        def get(*names: str, row: list[str] = row) -> str | None:
            for name in names:
                i = plain.get(name)
                if i is not None and i < len(row) and row[i].strip():
                    return row[i].strip()
            return None

        def part(kind: str, n: int, field: str, row: list[str] = row) -> str:
            i = numbered[(kind, n)].get(field)
            return row[i].strip() if i is not None and i < len(row) else ""

        emails: list[EmailRecord] = []
        phones: list[PhoneRecord] = []
        places: list[str] = []
        websites: list[str] = []
        related: list[str] = []
        linkedin: str | None = None
        organisation = get("organization name")
        title = get("organization title")
        department = get("organization department")
        for kind, n in groups:
            label = _label(part(kind, n, "label") or part(kind, n, "type"))
            values = _multi(part(kind, n, "value"))
            if kind == "e-mail":
                kind_word = email_kind(label) if label else None
                emails += [EmailRecord(v, kind_word, None if kind_word else label) for v in values]
            elif kind == "phone":
                kind_word = phone_kind(label) if label else None
                phones += [PhoneRecord(v, kind_word, None if kind_word else label) for v in values]
            elif kind == "address":
                found = place(
                    part(kind, n, "city"), part(kind, n, "region"), part(kind, n, "country")
                )
                if found:
                    places.append(found)
            elif kind == "website":
                for url in values:
                    profile = normalise_linkedin_url(url)
                    if profile and linkedin is None:
                        linkedin = profile
                    elif not profile:
                        websites.append(url)
            elif kind == "relation":
                related += values
            elif kind == "organization" and n == 1:
                organisation = organisation or clean(part(kind, n, "name"))
                title = title or clean(part(kind, n, "title"))
                department = department or clean(part(kind, n, "department"))
        given = get("first name", "given name")
        middle = get("middle name", "additional name")
        family = get("last name", "family name")
        display = get("name") or clean(
            " ".join(
                p for p in (get("name prefix"), given, middle, family, get("name suffix")) if p
            )
        )
        display = display or get("file as", "nickname")
        if not (display or emails or phones or organisation):
            result.skip("empty contact", src)
            continue
        birthday_raw = get("birthday")
        birthday = parse_birthday(birthday_raw) if birthday_raw else None
        if birthday_raw and birthday is None:
            result.warn(f"{src}: unreadable birthday {birthday_raw[:40]!r}: left out")
        labels = [_label(v) or "" for v in (get("labels", "group membership") or "").split(":::")]
        notes = [
            n for n in (get("notes"), f"Department: {department}" if department else None) if n
        ]
        result.people.append(
            PersonRecord(
                source=src,
                given_name=given,
                family_name=family,
                display_name=display,
                emails=tuple(emails),
                phones=tuple(phones),
                organisation=organisation,
                title=title,
                location=places[0] if places else get("location"),
                linkedin_url=linkedin,
                websites=unique(websites),
                birthday=birthday,
                notes="\n\n".join(notes) or None,
                tags=unique([t for t in labels if t.casefold() not in SYSTEM_GROUPS]),
                related=unique(related),
            )
        )
    return result


__all__ = ["LABEL", "MAX_BYTES", "NAME", "parse", "sniff"]
