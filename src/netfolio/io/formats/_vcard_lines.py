"""vCard content lines: unfolding (CRLF/LF + space or tab, 2.1 quoted-printable soft breaks),
``group.NAME;PARAM=v,v:value`` properties with 2.1 bare and 4.0 quoted parameters, escapes,
charsets and encodings, and photos (base64 or ``data:`` URLs). :mod:`.vcard` makes people
of them."""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from netfolio.io.records import ParseResult, SourceRef

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_PARAM_NAME = re.compile(r"[A-Za-z0-9_-]+")
_PARAM_VALUE = re.compile(r'[^";:,]*')
# A content line without quoted parameter values: group, name, parameters, then ":".
_SIMPLE_LINE = re.compile(r'(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)((?:;[^:;"]*)*):')
_QP_LINE = re.compile(r"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
_B64_LINE = re.compile(r"^[^:]*(?:ENCODING=B\b|ENCODING=BASE64|;BASE64)[^:]*:", re.IGNORECASE)
_B64_CHARS = re.compile(r"^[A-Za-z0-9+/=]+$")
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}




class Broken(Exception):
    """A card that cannot be read; carries the line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Prop:
    """One content line: ``group.NAME;PARAM=v,v:value``."""

    line: int
    group: str | None
    name: str
    params: dict[str, list[str]]
    value: str

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]


# --- lines -------------------------------------------------------------------------------------


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold physical lines into content lines, with the line each starts on.

    Folding: a line starting with a space or tab continues the previous one (the first
    whitespace character is removed). 2.1 quoted-printable: a value ending in ``=`` continues
    on the next line (a soft line break, removed). 2.1 base64: unindented base64 lines continue
    a base64 value.
    """
    parts: list[str] = []
    start = 0
    qp = b64 = False
    for number, raw in enumerate(_NEWLINE.split(text), start=1):
        if parts:
            if qp and parts[-1].endswith("=") and not raw.strip().upper().startswith("END:"):
                parts[-1] = parts[-1][:-1]
                parts.append(raw)
                continue
            if raw[:1] in (" ", "\t"):
                parts.append(raw[1:])
                continue
            if b64 and raw and _B64_CHARS.match(raw):
                parts.append(raw)
                continue
            yield start, "".join(parts)
            parts = []
        if not raw.strip():
            continue
        parts = [raw]
        start = number
        upper = raw[:300].upper()
        qp = "QUOTED-PRINTABLE" in upper and bool(_QP_LINE.match(raw))
        b64 = ("BASE64" in upper or "ENCODING=B" in upper) and bool(_B64_LINE.match(raw))
    if parts:
        yield start, "".join(parts)


def parse_prop(text: str, line: int) -> Prop:
    """Read one content line; raise Broken when it is not one."""
    fast = _SIMPLE_LINE.match(text)
    if fast:
        params: dict[str, list[str]] = {}
        for raw in fast.group(3).split(";")[1:]:
            key, eq, value = raw.partition("=")
            key = key.strip()
            if not key:
                continue
            if not _PARAM_NAME.fullmatch(key):
                return _parse_prop_slowly(text, line)
            if not eq:  # vCard 2.1 bare parameter
                value = key
                key = "ENCODING" if key.upper() in _ENCODINGS else "TYPE"
            params.setdefault(key.upper(), []).extend(v.strip() for v in value.split(","))
        group = fast.group(1)
        return Prop(
            line,
            group.lower() if group else None,
            fast.group(2).upper(),
            params,
            text[fast.end() :],
        )
    return _parse_prop_slowly(text, line)


def _parse_prop_slowly(text: str, line: int) -> Prop:
    """Read a content line with quoted parameter values, character by character."""
    m = _NAME.match(text)
    if not m:
        raise Broken(f"not a vCard line: {text[:40]!r}", line)
    group, name = m.group(1), m.group(2).upper()
    pos, end = m.end(), len(text)
    params: dict[str, list[str]] = {}
    while pos < end and text[pos] == ";":
        pos += 1
        while pos < end and text[pos] == " ":
            pos += 1
        pm = _PARAM_NAME.match(text, pos)
        if not pm:
            if pos < end and text[pos] in ";:":
                continue  # an empty parameter (";;" or ";:"): tolerated
            raise Broken(f"bad parameter in {name}: {text[:40]!r}", line)
        pname, pos = pm.group(0).upper(), pm.end()
        if pos < end and text[pos] == "=":
            pos += 1
            values: list[str] = []
            while True:
                if pos < end and text[pos] == '"':
                    close = text.find('"', pos + 1)
                    if close < 0:
                        raise Broken(f"unclosed quote in a parameter of {name}", line)
                    values.extend(
                        text[pos + 1 : close].split(",")
                        if pname == "TYPE"
                        else [text[pos + 1 : close]]
                    )
                    pos = close + 1
                else:
                    vm = _PARAM_VALUE.match(text, pos)
                    values.append(vm.group(0) if vm else "")
                    pos = vm.end() if vm else pos
                if pos < end and text[pos] == ",":
                    pos += 1
                    continue
                break
        else:  # vCard 2.1 bare parameter: TEL;CELL;PREF or PHOTO;BASE64
            values = [pname]
            pname = "ENCODING" if pname in _ENCODINGS else "TYPE"
        params.setdefault(pname, []).extend(v.strip() for v in values)
    if pos >= end or text[pos] != ":":
        raise Broken(f"not a vCard line (no ':' after {name}): {text[:40]!r}", line)
    return Prop(line, group.lower() if group else None, name, params, text[pos + 1 :])


# --- values ------------------------------------------------------------------------------------


def unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c == "\\" and i + 1 < n:
            nxt = value[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_value(value: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not escaped; components stay escaped."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    buf: list[str] = []
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c == "\\" and i + 1 < n:
            buf.append(value[i : i + 2])
            i += 2
            continue
        if c == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    parts.append("".join(buf))
    return parts


def decoded(prop: Prop, result: ParseResult, where: SourceRef) -> str:
    """A property's value with quoted-printable and its charset undone (still escaped)."""
    if (prop.param("ENCODING") or "").upper() != "QUOTED-PRINTABLE":
        return prop.value
    raw = quopri.decodestring(prop.value.encode("utf-8", errors="surrogateescape"))
    charset = prop.param("CHARSET") or "utf-8"
    try:
        return raw.decode(charset)
    except LookupError:
        result.warn(f"{where}: unknown charset {charset[:30]!r}; read as UTF-8")
    except UnicodeDecodeError:
        result.warn(f"{where}: {prop.name} is not valid {charset[:30]}; odd characters replaced")
    return raw.decode("utf-8", errors="replace")


def text_value(prop: Prop, result: ParseResult, where: SourceRef) -> str:
    text = unescape(decoded(prop, result, where))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def components(prop: Prop, result: ParseResult, where: SourceRef) -> list[str]:
    return [unescape(c).strip() for c in split_value(decoded(prop, result, where), ";")]


def photo_bytes(prop: Prop) -> bytes | None:
    """The photo's bytes, or None for a URL; raise Broken for bad base64."""
    value = prop.value.strip()
    encoding = (prop.param("ENCODING") or "").upper()
    if value[:5].lower() == "data:":
        head, _, payload = value.partition(",")
        if ";base64" in head.lower():
            return _b64(payload, prop.line)
        return unquote_to_bytes(payload)
    if encoding in ("B", "BASE64"):
        return _b64(value, prop.line)
    return None


def _b64(value: str, line: int) -> bytes:
    compact = "".join(value.split())
    compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise Broken("bad base64 in PHOTO", line) from None


__all__ = [
    "Broken",
    "Prop",
    "components",
    "decoded",
    "logical_lines",
    "parse_prop",
    "photo_bytes",
    "split_value",
    "text_value",
    "unescape",
]
