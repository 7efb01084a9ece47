"""What reaches the terminal: text from the ledger never carries raw control characters.

A name or a message set by someone else (a team member through the API, an imported file)
may hold escape sequences: ``\\x1b]0;...\\x07`` retitles the terminal, ``\\x1b[2J`` clears it.
:func:`neutralise` shows such characters as visible escapes (``\\x1b``) wherever data is
printed, and :class:`SafeStream` wraps stdout and stderr while a command runs, as the net
below it: on a terminal only the styling and cursor codes Rich itself writes pass
(``ESC [ … m``, the progress bar's line erase and cursor moves), elsewhere none do.
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls but tab and newline, DEL, and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: What Rich writes itself on a terminal: colours and styles (SGR), the cursor's
#: show/hide, moves and line erase (progress bars), and carriage returns.
_RICH_CODES = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\?25[lh]|\x1b\[[0-9]*[ABCDGK]|\r")

#: One escape sequence (CSI, OSC/DCS/... up to its terminator, or a lone ESC + char).
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]?"  # a two-character escape or a lone ESC
)


def neutralise(text: str) -> str:
    """``text`` with every control character (but tab and newline) shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def strip_controls(text: str, *, keep_rich: bool) -> str:
    """``text`` without escape sequences and control characters (but tab and newline);
    ``keep_rich`` keeps the codes Rich writes on a terminal."""
    if "\x1b" not in text and not _CONTROL.search(text):
        return text
    out: list[str] = []
    pos = 0
    for m in _SEQUENCE.finditer(text):
        out.append(_CONTROL.sub("", text[pos:m.start()]) if not keep_rich
                   else _strip_but_cr(text[pos:m.start()]))
        if keep_rich and _RICH_CODES.fullmatch(m.group()):
            out.append(m.group())
        pos = m.end()
    out.append(_CONTROL.sub("", text[pos:]) if not keep_rich else _strip_but_cr(text[pos:]))
    return "".join(out)


def _strip_but_cr(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group() if m.group() == "\r" else "", text)


class SafeStream:
    """A text stream that drops raw control characters on their way to the real one."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        try:
            self._tty = bool(stream.isatty())
        except (AttributeError, ValueError):
            self._tty = False

    def write(self, text: Any) -> int:
        if isinstance(text, str):
            self._stream.write(strip_controls(text, keep_rich=self._tty))
            return len(text)
        return int(self._stream.write(text))  # bytes: the real stream decides

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
