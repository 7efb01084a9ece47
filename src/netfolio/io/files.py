"""Reading import files safely: bounded size, bounded memory, clear errors, nothing written.

A file is refused before it is read when it is larger than :data:`MAX_FILE_BYTES` (2 GB) or
than its format reads (the parsers take bytes, so what is read is capped at the format's
``MAX_BYTES``); an mbox, whose format has no cap, is mapped into memory rather than read.
The format is detected from the content when not given, and a file of another format than
the one named gets the parser registry's helpful answer ("this looks like a Google Contacts
export: use `netfolio import google`").
"""

from __future__ import annotations

import hashlib
import mmap
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from netfolio.errors import ImportError_, NetfolioError
from netfolio.io.formats import FORMATS, check_format, detect
from netfolio.io.formats._csv import MAX_ROWS
from netfolio.io.import_report import InputFile
from netfolio.io.records import ParseResult

#: No import file larger than this is read at all.
MAX_FILE_BYTES = 2 * 1024**3
#: How much of a file format detection looks at.
HEAD_BYTES = 64 * 1024
#: The formats read as CSV tables, whose lines are counted before they are read.
_CSV_FORMATS = frozenset({"google", "outlook", "linkedin"})
#: The most lines a CSV file may have (its rows may span lines: notes, addresses).
MAX_CSV_LINES = 4 * MAX_ROWS

Progress = Callable[[str, int, int], None]


def _size_text(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.0f} MB"


def _open_checked(path: Path) -> int:
    name = str(path)
    if not path.exists():
        raise ImportError_("no such file", file=name)
    if path.is_dir():
        raise ImportError_("this is a folder: name the export file (or its .zip)", file=name)
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportError_(f"cannot read it ({exc.strerror})", file=name) from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO blocks forever, /dev/zero never ends
        kind = "a pipe" if stat.S_ISFIFO(info.st_mode) else (
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "a special file")
        raise ImportError_(f"this is {kind}: netfolio imports regular files only", file=name)
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise ImportError_(
            f"the file is {_size_text(size)}: netfolio imports files of at most "
            f"{_size_text(MAX_FILE_BYTES)}",
            file=name,
        )
    return size


def _read(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes; ImportError_ when there is more (even where stat says 0)."""
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ImportError_(
            f"the file is larger than {_size_text(limit)}, the most this format reads",
            file=str(path),
        )
    return data


def read_input(path: Path, format: str | None, options: dict[str, Any]) -> InputFile:
    """Read and parse one file (nothing is written): its format, digest and records."""
    name = path.name
    size = _open_checked(path)
    try:
        head = _read_head(path)
        if format is None:
            if bytes(head[:4]) == b"PK\x03\x04":
                head = _read(path, _limit("linkedin"))
            format = detect(head, name)
        elif format not in FORMATS:
            check_format(format, head, name)  # raises: unknown format, with the choices
        limit = _limit(format)
        if size > limit:
            raise ImportError_(
                f"the file is {_size_text(size)}: a {FORMATS[format].LABEL} import reads at "
                f"most {_size_text(limit)}",
                file=name,
            )
        if format in _CSV_FORMATS and bytes(head[:4]) != b"PK\x03\x04":
            _check_lines(path, name)
        if FORMATS[format].MAX_BYTES is None and size > 0:
            return _parse_mapped(path, name, format, size, options)
        data = head if len(head) == size else _read(path, limit)
        check_format(format, data, name)
        digest = hashlib.sha256(data).hexdigest()
        result = _parse(format, data, name, options)
        return InputFile(name=name, format=format, sha256=digest, size=len(data), result=result)
    except OSError as exc:
        raise ImportError_(f"cannot read it ({exc.strerror or exc})", file=name) from None


def _check_lines(path: Path, name: str) -> None:
    """Refuse a CSV of far more lines than any export has before reading it into memory
    (a field may span lines, so the cap is a multiple of the rows a table may have)."""
    cap = MAX_CSV_LINES
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            lines += chunk.count(b"\n")
            if lines > cap:
                raise ImportError_(
                    f"more than {cap:,} lines: netfolio imports at most {MAX_ROWS:,} rows "
                    "per CSV file (LinkedIn keeps at most 30,000 connections); split the file",
                    file=name)


def _read_head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(HEAD_BYTES)


def _limit(format: str) -> int:
    cap = getattr(FORMATS[format], "MAX_BYTES", None)
    return min(cap, MAX_FILE_BYTES) if cap else MAX_FILE_BYTES


def _parse_mapped(
    path: Path, name: str, format: str, size: int, options: dict[str, Any]
) -> InputFile:
    """Parse a file mapped into memory (formats without a size cap, such as mbox)."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        check_format(format, data[:HEAD_BYTES], name)
        digest = hashlib.sha256(data).hexdigest()
        result = _parse(format, data, name, options)  # type: ignore[arg-type]
    return InputFile(name=name, format=format, sha256=digest, size=size, result=result)


def _parse(format: str, data: bytes, name: str, options: dict[str, Any]) -> ParseResult:
    module = FORMATS[format]
    try:
        result: ParseResult = module.parse(data, filename=name, **options)
    except NetfolioError:
        raise
    except RecursionError:
        raise ImportError_(f"too deeply nested to read as a {module.LABEL}", file=name) from None
    except MemoryError:
        raise ImportError_("not enough memory to read this file", file=name) from None
    except Exception as exc:  # a parser bug must still not crash the command
        raise ImportError_(
            f"cannot read this as a {module.LABEL} ({type(exc).__name__}: {exc})", file=name
        ) from exc
    return result


def read_inputs(
    paths: Sequence[str | os.PathLike[str]],
    format: str | None,
    options: dict[str, Any],
    progress: Progress | None = None,
) -> list[InputFile]:
    """Read and parse every file before anything is written (one bad file stops them all)."""
    if not paths:
        raise ImportError_("name at least one file to import")
    inputs = []
    for n, raw in enumerate(paths):
        if progress is not None:
            progress("read", n, len(paths))
        inputs.append(read_input(Path(raw), format, options))
    if progress is not None:
        progress("read", len(paths), len(paths))
    return inputs


__all__ = ["MAX_FILE_BYTES", "read_input", "read_inputs"]
