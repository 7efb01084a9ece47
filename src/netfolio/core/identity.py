"""Identity keys: how netfolio tells that two records are the same person.

A person is the same person when the LinkedIn profile URL, an email (case-insensitive) or a
phone (E.164) matches; names are folded (case, accents, spacing) for lookup and fuzzy
matching. This module is the one home of those keys: the CLI, the importers (through
:mod:`netfolio.io.normalise`) and the web app all use it, so a key typed by hand and one read
from a file always agree.

The ``*_key`` functions are lenient (None when the text is not one); ``normalise_email`` and
``normalise_phone`` are strict (ValidationError with the reason), for what a user types.

    >>> email_key(" Ana.Silva@Example.COM ")
    'ana.silva@example.com'
    >>> phone_key("(202) 555-0143", "US")
    '+12025550143'
    >>> normalise_linkedin_url("http://uk.linkedin.com/in/Ana-Silva/?trk=x")
    'https://www.linkedin.com/in/ana-silva'
    >>> fold_name("  José   ÁLVAREZ ")
    'jose alvarez'
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, unquote, urlsplit

from netfolio.core.folding import fold
from netfolio.errors import ValidationError

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
_LINKEDIN_HOST = re.compile(r"^(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com$")
_SPACES = re.compile(r"\s+")
# The common spelling, read without urlsplit (30,000 connections should parse in well under 1 s).
_PROFILE_FAST = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com/in/([a-z0-9_-]+)/?(?:[?#][^\s]*)?$",
    re.IGNORECASE,
)


def email_key(raw: str | None) -> str | None:
    """Lower-case an email address (``mailto:`` and angle brackets removed); None if not one."""
    if not raw:
        return None
    text = raw.strip().strip("<>").strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0]
    text = text.strip().lower()
    return text if _EMAIL.match(text) else None


def identity_kind(text: str) -> str:
    """What one of your identities is, by its form: ``"email"``, ``"profile"`` (a LinkedIn
    URL) or ``"name"``. An address at linkedin.com (``ana@linkedin.com``) is an email: a
    URL with an ``@`` has a slash before it."""
    if "@" in text and "/" not in text:
        return "email"
    if "linkedin.com" in text.lower():
        return "profile"
    return "email" if "@" in text else "name"


def phone_key(raw: str | None, default_region: str | None = None) -> str | None:
    """A phone number in E.164 (``+12025550143``), or None when it cannot be read as one.

    ``default_region`` (ISO 3166 code such as ``"GB"``) reads numbers written without a
    country code; without it only international numbers (``+44 ...``) are read. Extensions are
    dropped. A number is accepted when it is *possible* for its region (invented test numbers
    pass; strict validity would reject real but recently allocated ranges).
    """
    if not raw:
        return None
    text = raw.strip()
    if text[:4].lower() == "tel:":
        text = text[4:].split(";", 1)[0]
    if not text or len(text) > 64:
        return None
    import phonenumbers

    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_linkedin_url(raw: str | None) -> str | None:
    """The canonical profile URL ``https://www.linkedin.com/in/<slug>`` (lower-cased), or None.

    Accepts any scheme or none, country subdomains (``uk.linkedin.com``), trailing slashes,
    queries and fragments; percent-encoded slugs are decoded, lower-cased and re-encoded so two
    spellings of one profile agree. Old public URLs (``/pub/name/1/2/3``) are kept as
    ``https://www.linkedin.com/pub/...``. Anything else (company pages, posts) gives None.
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > 2048:
        return None
    fast = _PROFILE_FAST.match(text)
    if fast:
        return "https://www.linkedin.com/in/" + fast.group(1).lower()
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not _LINKEDIN_HOST.match(host):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() == "in":
        slug = unquote(segments[1]).strip().casefold()
        if not slug:
            return None
        return "https://www.linkedin.com/in/" + quote(slug, safe="-_.~")
    if len(segments) >= 2 and segments[0].lower() == "pub":
        rest = "/".join(quote(unquote(s).casefold(), safe="-_.~") for s in segments[1:])
        return "https://www.linkedin.com/pub/" + rest
    return None


def fold_name(name: str | None) -> str:
    """A name folded for matching: accents stripped, case folded, spaces collapsed."""
    if not name:
        return ""
    return _fold(name)


@functools.lru_cache(maxsize=65536)
def _fold(name: str) -> str:
    return _SPACES.sub(" ", fold(name)).strip()


__all__ = ["email_key", "fold_name", "identity_kind", "normalise_email", "normalise_linkedin_url",
           "normalise_phone", "phone_key"]


def normalise_email(raw: str) -> str:
    """An email address lower-cased; ValidationError when it is not one (for typed input)."""
    key = email_key(raw)
    if key is None or ".." in key or len(key) > 320:
        raise ValidationError(f"{raw.strip()!r} is not an email address")
    return key


def normalise_phone(raw: str, default_region: str | None = None) -> str:
    """A phone number in E.164; ValidationError saying why when it cannot be read."""
    key = phone_key(raw, default_region)
    if key is None:
        text = raw.strip()
        hint = "" if text.startswith("+") or default_region else " (add the country code, +NN)"
        raise ValidationError(f"{text!r} is not a phone number{hint}")
    return key
