"""One module per import format, and telling them apart by content.

Every format module exposes ``NAME`` (the word the CLI uses: ``netfolio import NAME``),
``LABEL`` (what people call the file), ``MAX_BYTES`` (None when unbounded),
``parse(data, *, filename, **options) -> ParseResult`` and
``sniff(data, filename) -> float`` (confidence 0-1, never raises). Options a format does not
use are accepted and ignored, so one set of options can be passed to any parser.

    >>> detect(b"BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:Ana\\r\\nEND:VCARD\\r\\n", "ana.vcf")
    'vcard'
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from netfolio.errors import ImportError_
from netfolio.io.formats import google_csv, ical, linkedin, mbox, outlook_csv, vcard
from netfolio.io.records import ParseResult

#: Format name → module, in the order detection tries them.
FORMATS: dict[str, ModuleType] = {
    linkedin.NAME: linkedin,
    vcard.NAME: vcard,
    google_csv.NAME: google_csv,
    outlook_csv.NAME: outlook_csv,
    ical.NAME: ical,
    mbox.NAME: mbox,
}
#: Below this confidence a format is not claimed.
THRESHOLD = 0.5


def _empty(data: bytes, filename: str = "") -> bool:
    """True for a file of nothing but blanks; ImportError_ for one of NUL bytes only (a
    disk image, /dev/zero), which is binary, not empty."""
    head = bytes(data[:65536])
    if head and not head.strip(b"\x00"):
        raise ImportError_("binary data (only NUL bytes), not an export", file=filename)
    return not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")


def scores(data: bytes, filename: str) -> dict[str, float]:
    """Each format's confidence that ``data`` is its kind of file."""
    return {name: module.sniff(data, filename) for name, module in FORMATS.items()}


def detect(data: bytes, filename: str) -> str:
    """The format ``data`` is in, by content; ImportError_ when empty or unrecognised."""
    if _empty(data, filename):
        raise ImportError_("empty file", file=filename)
    found = scores(data, filename)
    best = max(found, key=lambda name: found[name])
    if found[best] < THRESHOLD:
        names = ", ".join(FORMATS)
        raise ImportError_(
            f"cannot tell what kind of export this is; name the format ({names})", file=filename
        )
    return best


def _a(noun: str) -> str:
    """The noun with its indefinite article: "an Outlook ...", "a Google ..."."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def check_format(requested: str, data: bytes, filename: str) -> None:
    """Raise a helpful ImportError_ when ``data`` is clearly another format than ``requested``.

    E.g. "this looks like a Google Contacts export, not a LinkedIn data export: use
    `netfolio import google`". Files no format recognises are left to the parser's own error.
    """
    if requested not in FORMATS:
        raise ImportError_(
            f"unknown format {requested!r}; choose one of: {', '.join(FORMATS)}", file=filename
        )
    if _empty(data, filename):
        raise ImportError_("empty file", file=filename)
    found = scores(data, filename)
    mine = found[requested]
    if mine >= THRESHOLD:
        return
    best = max(found, key=lambda name: found[name])
    if best != requested and found[best] >= THRESHOLD and found[best] > mine:
        raise ImportError_(
            f"this looks like {_a(FORMATS[best].LABEL)}, not {_a(FORMATS[requested].LABEL)}: "
            f"use `netfolio import {best}`",
            file=filename,
        )


def parse(data: bytes, *, filename: str, format: str | None = None, **options: Any) -> ParseResult:
    """Parse ``data`` as ``format`` (checked against its content), or as detected."""
    if format is None:
        format = detect(data, filename)
    else:
        check_format(format, data, filename)
    result: ParseResult = FORMATS[format].parse(data, filename=filename, **options)
    return result


__all__ = ["FORMATS", "THRESHOLD", "check_format", "detect", "parse", "scores"]
