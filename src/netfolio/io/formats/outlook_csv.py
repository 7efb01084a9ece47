"""Outlook's classic CSV export ("Comma Separated Values", the 92 fixed columns).

Header (abridged): ``Title,First Name,Middle Name,Last Name,Suffix,Company,Department,
Job Title,Business Street,...,Business City,Business State,Business Postal Code,
Business Country/Region,Home Street,...,Assistant's Phone,Business Fax,Business Phone,
Business Phone 2,Callback,Car Phone,Company Main Phone,Home Fax,Home Phone,Home Phone 2,ISDN,
Mobile Phone,Other Fax,Other Phone,Pager,Primary Phone,Radio Phone,TTY/TDD Phone,Telex,
Account,Anniversary,Assistant's Name,Billing Information,Birthday,...,Categories,Children,
Directory Server,E-mail Address,E-mail Type,E-mail Display Name,E-mail 2 Address,...,
Manager's Name,...,Notes,...,Referred By,Sensitivity,Spouse,User 1,...,Web Page``.

Quirks: Outlook and Excel may write it as UTF-16 (often tab-separated) or Windows-1252;
``0/0/00`` means no birthday; dates follow the PC's locale (``3/15/1985`` or ``15/03/1985``:
``date_order="auto"`` picks DMY when some first number is above 12, else MDY); categories are
separated by ``;``; an Exchange (``EX``) address is not an email: the address in its display
name's parentheses is used when there is one. Department goes into notes; Spouse, Manager's
Name, Assistant's Name and Referred By become related names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from netfolio.errors import ImportError_
from netfolio.io.formats import _csv, _text
from netfolio.io.formats._values import clean, parse_birthday, parse_slash_date, place, unique
from netfolio.io.normalise import normalise_linkedin_url
from netfolio.io.records import (
    Birthday,
    EmailRecord,
    ParseResult,
    PersonRecord,
    PhoneRecord,
    SourceRef,
)

NAME = "outlook"
LABEL = "Outlook contacts export"
#: Largest file accepted.
MAX_BYTES = 256 * 1024 * 1024

#: Phone columns and the kind each is.
PHONE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Mobile Phone", "mobile"),
    ("Business Phone", "work"),
    ("Business Phone 2", "work"),
    ("Home Phone", "home"),
    ("Home Phone 2", "home"),
    ("Primary Phone", "main"),
    ("Company Main Phone", "main"),
    ("Other Phone", "other"),
    ("Car Phone", "other"),
    ("Callback", "other"),
    ("Radio Phone", "other"),
    ("Assistant's Phone", "other"),
    ("ISDN", "other"),
    ("TTY/TDD Phone", "other"),
    ("Telex", "other"),
    ("Business Fax", "fax"),
    ("Home Fax", "fax"),
    ("Other Fax", "fax"),
    ("Pager", "pager"),
)
RELATED_COLUMNS = ("Spouse", "Manager's Name", "Assistant's Name", "Referred By")
_NO_DATE = {"0/0/00", "00/00/00", "0/0/0000", "00.00.00", "1/0/00"}
_IN_PARENS = re.compile(r"\(([^()\s]+@[^()\s]+)\)")


def _is_header(keys: list[str]) -> bool:
    found = set(keys)
    return {"first name", "last name"} <= found and (
        "e-mail address" in found or "business phone" in found or "mobile phone" in found
    )


def sniff(data: bytes, filename: str) -> float:
    """Confidence that ``data`` is an Outlook contacts CSV."""
    try:
        for keys in _csv.all_header_keys(_text.head_text(data)):
            if _is_header(keys):
                found = set(keys)
                strong = {"e-mail display name", "job title", "business street"} & found
                return 0.95 if strong else 0.75
    except Exception:  # sniffing never fails
        return 0.0
    return 0.0


def _date_order(values: list[str]) -> str:
    for value in values:
        first = value.strip().split("/", 1)[0]
        if first.isdigit() and int(first) > 12:
            return "DMY"
    return "MDY"


def _birthday(raw: str, order: str) -> Birthday | None:
    iso = parse_birthday(raw)
    if iso is not None:
        return iso
    found = parse_slash_date(raw, order)
    if found is None:
        return None
    year: int | None = found.year if found.year > 1604 else None
    return Birthday.of(year, found.month, found.day)


def parse(
    data: bytes, *, filename: str, date_order: str = "auto", **_options: object
) -> ParseResult:
    """Parse an Outlook CSV into people. ``date_order`` is ``auto``, ``MDY`` or ``DMY``."""
    if len(data) > MAX_BYTES:
        raise ImportError_(f"file larger than {MAX_BYTES // 2**20} MB", file=filename)
    result = ParseResult(format=NAME)
    text = _text.decode(data, filename, result.warnings)
    table = _csv.open_table(text, filename, _is_header, what=LABEL)
    col = {key: i for i, key in reversed(list(enumerate(table.keys)))}
    rows = list(table.rows())

    def cell(row: list[str], name: str) -> str:
        i = col.get(_csv.norm_header(name))
        return row[i].strip() if i is not None and i < len(row) else ""

    if date_order not in ("MDY", "DMY"):
        date_order = _date_order([cell(r, "Birthday") for _, r in rows])
    for line, row in rows:
        src = SourceRef(filename, line=line)
        person = _person(functools.partial(cell, row), src, result, date_order)
        if person is None:
            result.skip("empty contact", src)
        else:
            result.people.append(person)
    return result


#: A row's cell by column name ("" when empty or missing).
_Cell = Callable[[str], str]


def _person(
    cell: _Cell, src: SourceRef, result: ParseResult, date_order: str
) -> PersonRecord | None:
    """The person of one row, or None when it names no one and holds no contact point."""
    given, family = clean(cell("First Name")), clean(cell("Last Name"))
    parts = [cell(n) for n in ("Title", "First Name", "Middle Name", "Last Name", "Suffix")]
    display = clean(" ".join(p for p in parts if p))
    emails = _emails(cell, src, result)
    if not display and emails:
        display = clean(_IN_PARENS.sub("", cell("E-mail Display Name")))
    phones = [
        PhoneRecord(cell(column), kind, None if kind != "other" else column)
        for column, kind in PHONE_COLUMNS
        if cell(column)
    ]
    organisation = clean(cell("Company"))
    if not (display or emails or phones or organisation):
        return None
    raw_birthday = cell("Birthday")
    birthday = None
    if raw_birthday and raw_birthday not in _NO_DATE:
        birthday = _birthday(raw_birthday, date_order)
        if birthday is None:
            result.warn(f"{src}: unreadable birthday {raw_birthday[:40]!r}: left out")
    linkedin, websites = _web(cell)
    department = cell("Department")
    notes = [n for n in (cell("Notes"), department and f"Department: {department}") if n]
    return PersonRecord(
        source=src,
        given_name=given,
        family_name=family,
        display_name=display,
        emails=tuple(emails),
        phones=tuple(phones),
        organisation=organisation,
        title=clean(cell("Job Title")),
        location=_location(cell),
        linkedin_url=linkedin,
        websites=unique(websites),
        birthday=birthday,
        notes="\n\n".join(notes).replace("\r\n", "\n") or None,
        tags=unique(cell("Categories").split(";")),
        related=unique([cell(c) for c in RELATED_COLUMNS]),
    )


def _emails(cell: _Cell, src: SourceRef, result: ParseResult) -> list[EmailRecord]:
    """Up to three addresses; an Exchange X.500 address gives way to the email in its
    display name, or is left out with a warning."""
    emails: list[EmailRecord] = []
    for prefix in ("E-mail", "E-mail 2", "E-mail 3"):
        address = cell(f"{prefix} Address")
        shown = cell(f"{prefix} Display Name")
        if address and "@" not in address:  # an Exchange X.500 address
            m = _IN_PARENS.search(shown)
            address = m.group(1) if m else ""
            if not address:
                result.warn(f"{src}: an Exchange address without an email left out")
        if address:
            emails.append(EmailRecord(address))
    return emails


def _location(cell: _Cell) -> str | None:
    """The first of the business, home and other addresses that names a place."""
    for where in ("Business", "Home", "Other"):
        location = place(
            cell(f"{where} City"),
            cell(f"{where} State"),
            cell(f"{where} Country/Region") or cell(f"{where} Country"),
        )
        if location:
            return location
    return None


def _web(cell: _Cell) -> tuple[str | None, list[str]]:
    """The first LinkedIn profile of the two web pages, and the other sites."""
    linkedin = None
    websites: list[str] = []
    for url in (cell("Web Page"), cell("Personal Web Page")):
        if not url:
            continue
        profile = normalise_linkedin_url(url)
        if profile and linkedin is None:
            linkedin = profile
        elif not profile:
            websites.append(url)
    return linkedin, websites


__all__ = ["LABEL", "MAX_BYTES", "NAME", "PHONE_COLUMNS", "RELATED_COLUMNS", "parse", "sniff"]
