"""Case and accent folding: the one function that makes "Núñez" match "nunez".

Names (``identity.fold_name``, stored as ``person.name_key``), ask mode's matching of a
need against titles and organisations, and the taxonomy's words all fold text here, so that
what one finds the others find too.
"""

from __future__ import annotations

import functools
import unicodedata


@functools.cache
def _marks() -> dict[int, None]:
    """Every combining mark, for ``str.translate`` to delete (built once, on first use).

    All the marks Unicode defines sit in planes 0 and 1 (below U+20000): a test checks it."""
    return {c: None for c in range(0x20000) if unicodedata.combining(chr(c))}


def fold(text: str) -> str:
    """``text`` with accents stripped and case folded: ``fold("Hospital Clínic")`` is
    ``"hospital clinic"``.

    Compatibility decomposition (NFKD), then every combining mark dropped, then
    ``str.casefold`` (in that order: casefolding first would turn the Greek iota subscript
    into a letter). Spaces are left as they are."""
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFKD", text).translate(_marks()).casefold()


__all__ = ["fold"]
