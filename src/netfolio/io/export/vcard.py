"""vCard 4.0 export (RFC 6350): one card per person, readable by phones, Google and iCloud.

Each card starts ``BEGIN:VCARD``, ``VERSION:4.0``, ``FN``, ``N`` (RFC 6350 §6.1-6.2) and
carries what the person has: EMAIL and TEL (``tel:`` URIs, E.164) with their TYPE, ORG,
TITLE, ADR (the place as locality), BDAY (``--MMDD`` when the year is unknown), URL (the
LinkedIn profile first), NOTE, CATEGORIES (tags), PHOTO (a ``data:`` URI) and RELATED
(the people they know: ``mailto:`` when they have an email, else their name as text).
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character (§3.2);
text values escape backslash, newline, comma and semicolon (§3.4). Reading the file back
with ``netfolio import vcard`` gives the same people and contact points.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, undefer

from netfolio.core.models import Knows, Person, PersonEmail
from netfolio.core.people import person_details

_PHONE_TYPES = {"mobile": "cell", "home": "home", "work": "work", "fax": "fax",
                "pager": "pager", "main": "voice", "other": "voice"}
_EMAIL_TYPES = {"home": "home", "work": "work"}
#: People per query while exporting.
PAGE = 2_000


def escape(text: str) -> str:
    """Escape a TEXT value (RFC 6350 §3.4).

    >>> escape("a,b;c\\\\d\\ne")
    'a\\\\,b\\\\;c\\\\\\\\d\\\\ne'
    """
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "")
            .replace(",", "\\,").replace(";", "\\;"))


def fold(line: str) -> str:
    """Fold a content line into CRLF-terminated lines of at most 75 octets (§3.2)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # never cut inside a UTF-8 sequence
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts) + "\r\n"


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"GIF8"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def card(person: Person, related: Iterable[str] = ()) -> str:
    """One person as a vCard 4.0 (CRLF lines, folded)."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape(person.display_name)}"]
    family, given = person.family_name or "", person.given_name or ""
    lines.append(f"N:{escape(family)};{escape(given)};;;")  # empty when not known apart
    for e in person.emails:
        kind = _EMAIL_TYPES.get(e.kind or "")
        lines.append(f"EMAIL{f';TYPE={kind}' if kind else ''}:{escape(e.email)}")
    for p in person.phones:
        kind = _PHONE_TYPES.get(p.kind or "")
        lines.append(f"TEL;VALUE=uri{f';TYPE={kind}' if kind else ''}:tel:{p.e164}")
    if person.organisation:
        lines.append(f"ORG:{escape(person.organisation)}")
    if person.title:
        lines.append(f"TITLE:{escape(person.title)}")
    if person.location:
        lines.append(f"ADR:;;;{escape(person.location)};;;")
    if person.birthday_month and person.birthday_day:
        month_day = f"{person.birthday_month:02d}{person.birthday_day:02d}"
        year = f"{person.birthday_year:04d}" if person.birthday_year else "--"
        bday = year + month_day
        lines.append(f"BDAY:{bday}")
    if person.linkedin_url:
        lines.append(f"URL:{person.linkedin_url}")
    for link in person.links:
        lines.append(f"URL:{link.url}")
    if person.notes:
        lines.append(f"NOTE:{escape(person.notes)}")
    if person.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t.tag) for t in person.tags))
    if person.photo:
        data = base64.b64encode(person.photo).decode("ascii")
        lines.append(f"PHOTO:data:{_image_type(person.photo)};base64,{data}")
    for value in related:
        if value.startswith("mailto:"):
            lines.append(f"RELATED;TYPE=acquaintance:{value}")
        else:
            lines.append(f"RELATED;VALUE=text;TYPE=acquaintance:{escape(value)}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def _related(s: Session, ids: list[int]) -> dict[int, list[str]]:
    """Who each of ``ids`` knows, as RELATED values (an email URI, else the name)."""
    edges = s.execute(
        select(Knows.a_id, Knows.b_id).where(or_(Knows.a_id.in_(ids), Knows.b_id.in_(ids)))
        .order_by(Knows.id)
    ).all()
    others = {x for a, b in edges for x in (a, b)}
    if not others:
        return {}
    label: dict[int, str] = {}
    for pid, name in s.execute(select(Person.id, Person.display_name)
                               .where(Person.id.in_(others))):
        label[pid] = name
    for pid, email in s.execute(
        select(PersonEmail.person_id, PersonEmail.email)
        .where(PersonEmail.person_id.in_(others)).order_by(PersonEmail.id.desc())
    ):
        label[pid] = f"mailto:{email}"
    wanted = set(ids)
    found: dict[int, list[str]] = defaultdict(list)
    for a, b in edges:
        for me, other in ((a, b), (b, a)):
            if me in wanted and label[other] not in found[me]:
                found[me].append(label[other])
    return found


def cards(s: Session) -> Iterator[str]:
    """Every person's card, by id, a page of people per query."""
    last = 0
    while True:
        people = s.execute(
            select(Person).where(Person.id > last).order_by(Person.id).limit(PAGE)
            .options(*person_details(), undefer(Person.photo))
        ).scalars().all()
        if not people:
            return
        related = _related(s, [p.id for p in people])
        for p in people:
            yield card(p, related.get(p.id, ()))
        last = people[-1].id
        s.expunge_all()


def write_vcards(*, db_session: Session, out: IO[str]) -> int:
    count = 0
    for text in cards(db_session):
        out.write(text)
        count += 1
    return count


__all__ = ["card", "escape", "fold", "write_vcards"]
