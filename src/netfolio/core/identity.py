"""Identity keys: how netfolio tells that two records are the same person.

A person is the same person when the LinkedIn profile URL, an email (case-insensitive) or a
phone (E.164) matches; names are folded (case, accents, spacing) for lookup and fuzzy
matching. These normalisers are shared by the CLI, the importers and the web app.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from netfolio.errors import ValidationError

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
_SPACES = re.compile(r"\s+")


def fold_name(name: str) -> str:
    """Fold a name for matching: case, accents and spacing are ignored.

    >>> fold_name("  Ana  NÚÑEZ ")
    'ana nunez'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalise_email(raw: str) -> str:
    """Lower-case and check an email address; raise ValidationError if it is not one.

    >>> normalise_email(" Ana.Nunez@Example.COM ")
    'ana.nunez@example.com'
    """
    value = raw.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    value = value.strip().lower()
    if not _EMAIL.match(value) or ".." in value or len(value) > 320:
        raise ValidationError(f"{raw.strip()!r} is not an email address")
    return value


def normalise_phone(raw: str, default_region: str | None = None) -> str:
    """A phone number in E.164 form (``+14155550123``); raise ValidationError if invalid.

    Numbers without a country code need ``default_region`` (an ISO country code such as
    "US" or "ES"; netfolio's setting ``region``).
    """
    import phonenumbers

    value = raw.strip()
    if value.lower().startswith("tel:"):
        value = value[4:]
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException as exc:
        hint = "" if value.startswith("+") or default_region else " (add the country code, +NN)"
        raise ValidationError(f"{raw.strip()!r} is not a phone number{hint}: {exc}") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(f"{raw.strip()!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_LINKEDIN_PATH = re.compile(r"^/(in|pub)/([^/?#]+)")


def normalise_linkedin_url(raw: str) -> str | None:
    """The canonical LinkedIn profile URL, or None if ``raw`` is not one.

    >>> normalise_linkedin_url("http://linkedin.com/in/Ana-Nunez/?trk=x")
    'https://www.linkedin.com/in/ana-nunez'
    """
    value = raw.strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.netloc.lower().split(":")[0]
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    match = _LINKEDIN_PATH.match(parts.path)
    if not match:
        return None
    slug = unquote(match.group(2)).strip().lower()
    return f"https://www.linkedin.com/in/{slug}" if slug else None
