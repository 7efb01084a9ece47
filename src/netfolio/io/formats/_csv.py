"""Reading CSV exports: find the header row, map columns by name, keep line numbers.

Exports put things before their header (LinkedIn's ``Notes:`` preamble, Excel's ``sep=;``
line), use commas, semicolons or tabs, and get truncated mid-quote. This reader finds the
header by what it contains, picks the delimiter from that line, yields each row with the line
it started on, and turns an unterminated quote or an overlong field into an ImportError_
naming the file and the line where the quoted field started.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from netfolio.errors import ImportError_

_DELIMITERS = (",", ";", "\t")
_SPACES = re.compile(r"\s+")
#: How many lines may come before the header row.
MAX_PREAMBLE_LINES = 50
#: The most data rows one table holds. LinkedIn keeps at most 30,000 connections and Google
#: 25,000 contacts; a million rows would take 1.5 GB of memory.
MAX_ROWS = 100_000
#: The most columns a header may have (Google's export has about 90).
MAX_COLUMNS = 2_000


def norm_header(cell: str) -> str:
    """A header cell as a lookup key: BOM and quotes stripped, case folded, spaces collapsed."""
    return _SPACES.sub(" ", cell.replace("\ufeff", "").strip().strip('"').casefold())


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []


@dataclass
class CsvTable:
    """A CSV file's header and rows; ``rows()`` yields ``(line, cells)`` pairs."""

    filename: str
    header: list[str]
    keys: list[str]
    delimiter: str
    header_line: int
    _lines: io.StringIO
    _text: str

    def col(self, *names: str) -> int | None:
        """Index of the first column called any of ``names`` (normalised), else None."""
        for name in names:
            key = norm_header(name)
            if key in self.keys:
                return self.keys.index(key)
        return None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield each non-blank data row with the 1-based line it starts on.

        Raises ImportError_ for a quoted field still open at the end of the file, an overlong
        field, or a NUL inside the data.
        """
        reader = csv.reader(self._lines, delimiter=self.delimiter)
        base = self.header_line
        tell = self._lines.tell
        last_at = -1
        count = 0
        while True:
            start = base + reader.line_num + 1
            at = tell()
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                message = str(exc)
                if "field limit" in message:
                    message = "a field is longer than the CSV field limit: is a quote left open?"
                raise ImportError_(message, file=self.filename, line=start) from None
            last_at, last_start = at, start
            if not "".join(cells).strip():
                continue
            count += 1
            if count > MAX_ROWS:
                raise ImportError_(
                    f"more than {MAX_ROWS:,} rows: netfolio imports at most {MAX_ROWS:,} per "
                    "file (LinkedIn keeps at most 30,000 connections); split the file",
                    file=self.filename, line=start)
            yield start, cells
        if last_at >= 0 and _ends_inside_quotes(self._text[last_at:], self.delimiter):
            raise ImportError_(
                "the file ends inside a quoted field that starts here (truncated file?)",
                file=self.filename,
                line=last_start,
            )


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Whether CSV text ends inside an open quoted field (Excel quoting rules)."""
    in_quotes = False
    at_field_start = True
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    in_quotes = False
        elif c == '"' and at_field_start:
            in_quotes = True
            at_field_start = False
        elif c == delimiter or c in "\r\n":
            at_field_start = True
        else:
            at_field_start = False
        i += 1
    return in_quotes


def open_table(
    text: str,
    filename: str,
    is_header: Callable[[list[str]], bool],
    *,
    what: str,
) -> CsvTable:
    """Find the header row (the first line ``is_header`` accepts) and return the table.

    ``is_header`` receives the normalised cells of a candidate line. ``what`` names the
    expected export in the error raised when no header is found.
    """
    lines = io.StringIO(text, newline="")
    forced: str | None = None
    for number, line in enumerate(lines, start=1):
        if number > MAX_PREAMBLE_LINES:
            break
        stripped = line.strip().lstrip("\ufeff")
        if number == 1 and stripped.lower().startswith("sep=") and len(stripped) == 5:
            forced = stripped[4]
            continue
        for delimiter in (forced,) if forced else _DELIMITERS:
            if delimiter not in line:
                continue
            if line.count(delimiter) >= MAX_COLUMNS:
                raise ImportError_(
                    f"a line of {line.count(delimiter) + 1:,} columns: an export's header has "
                    f"at most {MAX_COLUMNS:,}", file=filename, line=number)
            cells = _split_line(line, delimiter)
            keys = [norm_header(c) for c in cells]
            if is_header(keys):
                header = [c.replace("\ufeff", "").strip() for c in cells]
                return CsvTable(filename, header, keys, delimiter, number, lines, text)
    raise ImportError_(f"no header row of a {what} found in the first lines", file=filename)


def all_header_keys(text: str) -> list[list[str]]:
    """Normalised cells of each of the first lines, for every delimiter (for sniffing)."""
    found: list[list[str]] = []
    for line in text.splitlines()[:MAX_PREAMBLE_LINES]:
        for delimiter in _DELIMITERS:
            if delimiter in line:
                found.append([norm_header(c) for c in _split_line(line, delimiter)])
    return found
