"""Reading the values contact exports share: birthdays, phone and email kinds, tags, places."""

from __future__ import annotations

import re
from datetime import date

from netfolio.io.records import Birthday

#: Apple writes a birthday without a year with this placeholder year.
APPLE_NO_YEAR = 1604

_ISO_BDAY = re.compile(r"^(?:(?P<y>\d{4})-?|--)(?P<m>\d{2})-?(?P<d>\d{2})(?:[T ].*)?$")
_SLASH = re.compile(r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{2}|\d{4})$")
_DOTTED = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")

_PHONE_KINDS = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "handy": "mobile",
    "home": "home",
    "work": "work",
    "business": "work",
    "main": "main",
    "company main": "main",
    "fax": "fax",
    "home fax": "fax",
    "work fax": "fax",
    "business fax": "fax",
    "pager": "pager",
    "other": "other",
}
_EMAIL_KINDS = {
    "home": "home",
    "personal": "home",
    "work": "work",
    "business": "work",
    "other": "other",
}


def parse_birthday(text: str | None, *, omit_year: int | None = None) -> Birthday | None:
    """Read ``1985-03-15``, ``19850315``, ``--03-15``, ``--0315`` (and a trailing time).

    A year equal to ``omit_year`` (Apple's ``X-APPLE-OMIT-YEAR``) or to 1604 means no year.
    A year of 0000 or below 1800 that is not Apple's means no year too. None when unreadable.
    """
    if not text:
        return None
    m = _ISO_BDAY.match(text.strip())
    if not m:
        return None
    year = int(m.group("y")) if m.group("y") else None
    if year is not None and (year in (omit_year, APPLE_NO_YEAR) or year < 1800):
        year = None
    return Birthday.of(year, int(m.group("m")), int(m.group("d")))


def parse_slash_date(text: str, order: str = "MDY") -> date | None:
    """Read ``3/15/1985`` (``order`` MDY) or ``15/03/1985`` (DMY); two-digit years too."""
    m = _SLASH.match(text.strip())
    if not m:
        return None
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if len(m.group("y")) == 2:
        y += 2000 if y < 70 else 1900
    month, day = (a, b) if order == "MDY" else (b, a)
    try:
        return date(y, month, day)
    except ValueError:
        return None


def phone_kind(*words: str) -> str | None:
    """The phone kind a set of type words or a label names (``CELL`` → ``mobile``), else None."""
    found: str | None = None
    for word in words:
        kind = _PHONE_KINDS.get(word.strip().lower())
        upgrade = kind == "mobile" and found in ("home", "work", "other")
        if kind == "fax" or (kind and found is None) or upgrade:
            found = kind
    return found


def email_kind(*words: str) -> str | None:
    """The email kind (``home``, ``work``, ``other``) a set of type words or a label names."""
    for word in words:
        kind = _EMAIL_KINDS.get(word.strip().lower())
        if kind:
            return kind
    return None


def clean(text: str | None) -> str | None:
    """Strip a value; None when nothing is left."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def unique(items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Non-empty stripped items, first occurrence kept, in order."""
    kept: list[str] = []
    folded: set[str] = set()
    for item in items:
        item = item.strip()
        if item and item.casefold() not in folded:
            folded.add(item.casefold())
            kept.append(item)
    return tuple(kept)


def place(*parts: str | None) -> str | None:
    """A city-level place from its parts, e.g. ``place("Lisbon", None, "Portugal")``."""
    joined = ", ".join(p.strip() for p in parts if p and p.strip())
    return joined or None
