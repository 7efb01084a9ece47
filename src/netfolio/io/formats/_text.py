"""Turning a file's bytes into text the way exports really arrive.

Byte-order marks decide first (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without a BOM is
recognised by its zero bytes; then strict UTF-8; then Windows-1252 with a warning (legacy
Excel and Outlook CSVs). NUL bytes or control characters that no text file has mean binary
garbage, and the error names the file.
"""

from __future__ import annotations

import codecs
import re

from netfolio.errors import ImportError_

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, form feed and carriage return; DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Share of control characters above which text is taken for binary data.
_MAX_CONTROL_SHARE = 0.01


def _guess_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when zero bytes sit at every other position, as in ASCII-ish UTF-16."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    pairs = len(sample) // 2
    odd_zero = sample[1::2].count(0)
    even_zero = sample[0::2].count(0)
    if odd_zero >= 0.6 * pairs and even_zero <= 0.05 * pairs:
        return "utf-16-le"
    if even_zero >= 0.6 * pairs and odd_zero <= 0.05 * pairs:
        return "utf-16-be"
    return None


def decode(data: bytes, filename: str, warnings: list[str] | None = None) -> str:
    """Decode an export's bytes to text (BOM removed); raise ImportError_ for empty or binary.

    A Windows-1252 fallback appends a warning to ``warnings`` when given.
    """
    if data and not bytes(data[:65536]).strip(b"\x00"):
        raise ImportError_("binary data (only NUL bytes), not an export", file=filename)
    if not data or not bytes(data).strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise ImportError_("empty file", file=filename)
    encoding: str | None = None
    body = bytes(data)
    for bom, name in _BOMS:
        if body.startswith(bom):
            encoding, body = name, body[len(bom) :]
            break
    if encoding is None:
        encoding = _guess_utf16(body)
    if encoding is not None:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportError_(
                f"not readable as {encoding.upper()} text (byte {exc.start}): is it binary?",
                file=filename,
            ) from None
    else:
        if b"\x00" in body:
            raise ImportError_("binary data (NUL bytes), not a text export", file=filename)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = body.decode("cp1252")
            except UnicodeDecodeError:
                text = body.decode("latin-1")
            if warnings is not None:
                warnings.append(f"{filename}: not UTF-8; read as Windows-1252 (check accents)")
    if not text.strip():
        raise ImportError_("empty file", file=filename)
    controls = len(_CONTROL.findall(text, 0, 1_000_000))
    if controls and controls > _MAX_CONTROL_SHARE * min(len(text), 1_000_000):
        raise ImportError_("binary data, not a text export", file=filename)
    if "\x00" in text:
        raise ImportError_("binary data (NUL characters), not a text export", file=filename)
    return text


def head_text(data: bytes, size: int = 65536) -> str:
    """The start of the data as text, for sniffing: never raises, never warns."""
    chunk = bytes(data[:size])
    for bom, name in _BOMS:
        if chunk.startswith(bom):
            return chunk[len(bom) :].decode(name, errors="ignore")
    guess = _guess_utf16(chunk)
    if guess:
        return chunk.decode(guess, errors="ignore")
    return chunk.decode("utf-8", errors="replace")
