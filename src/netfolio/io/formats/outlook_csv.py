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

import re

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
        given, family = clean(cell(row, "First Name")), clean(cell(row, "Last Name"))
        parts = [
            cell(row, n) for n in ("Title", "First Name", "Middle Name", "Last Name", "Suffix")
        ]
        display = clean(" ".join(p for p in parts if p))
        emails: list[EmailRecord] = []
        for prefix in ("E-mail", "E-mail 2", "E-mail 3"):
            address = cell(row, f"{prefix} Address")
            shown = cell(row, f"{prefix} Display Name")
            if address and "@" not in address:  # an Exchange X.500 address
                m = _IN_PARENS.search(shown)
                address = m.group(1) if m else ""
                if not address:
                    result.warn(f"{src}: an Exchange address without an email left out")
            if address:
                emails.append(EmailRecord(address))
        if not display and emails:
            display = clean(_IN_PARENS.sub("", cell(row, "E-mail Display Name")))
        phones = [
            PhoneRecord(cell(row, column), kind, None if kind != "other" else column)
            for column, kind in PHONE_COLUMNS
            if cell(row, column)
        ]
        organisation = clean(cell(row, "Company"))
        if not (display or emails or phones or organisation):
            result.skip("empty contact", src)
            continue
        raw_birthday = cell(row, "Birthday")
        birthday = None
        if raw_birthday and raw_birthday not in _NO_DATE:
            birthday = _birthday(raw_birthday, date_order)
            if birthday is None:
                result.warn(f"{src}: unreadable birthday {raw_birthday[:40]!r}: left out")
        location = None
        for where in ("Business", "Home", "Other"):
            location = place(
                cell(row, f"{where} City"),
                cell(row, f"{where} State"),
                cell(row, f"{where} Country/Region") or cell(row, f"{where} Country"),
            )
            if location:
                break
        linkedin = None
        websites: list[str] = []
        for url in (cell(row, "Web Page"), cell(row, "Personal Web Page")):
            if not url:
                continue
            profile = normalise_linkedin_url(url)
            if profile and linkedin is None:
                linkedin = profile
            elif not profile:
                websites.append(url)
        department = cell(row, "Department")
        notes = [n for n in (cell(row, "Notes"), department and f"Department: {department}") if n]
        notes_text = "\n\n".join(notes).replace("\r\n", "\n") or None
        result.people.append(
            PersonRecord(
                source=src,
                given_name=given,
                family_name=family,
                display_name=display,
                emails=tuple(emails),
                phones=tuple(phones),
                organisation=organisation,
                title=clean(cell(row, "Job Title")),
                location=location,
                linkedin_url=linkedin,
                websites=unique(websites),
                birthday=birthday,
                notes=notes_text,
                tags=unique(cell(row, "Categories").split(";")),
                related=unique([cell(row, c) for c in RELATED_COLUMNS]),
            )
        )
    return result


__all__ = ["LABEL", "MAX_BYTES", "NAME", "PHONE_COLUMNS", "RELATED_COLUMNS", "parse", "sniff"]
