"""A corpus of hostile import files, generated (small to keep, quick to make).

Each maker writes one file into a folder and returns its path; :data:`CORPUS` names them.
They are the shapes the load-and-attack probe found taking minutes or gigabytes from a few
hundred bytes: runaway recurrence rules, cards with 100,000 properties, millions of rows,
NUL bytes, a FIFO that never ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_ICS_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n"
_ICS_TAIL = "END:VCALENDAR\r\n"


def _event(uid: str, rule: str, start: str = "20000101T090000Z") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{start[:9]}100000Z\r\n"
        f"SUMMARY:Standup\r\nORGANIZER:mailto:me@example.org\r\n"
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.org\r\n{rule}END:VEVENT\r\n"
    )


def ics_interval_zero(folder: Path) -> Path:
    """276 bytes that expand forever: INTERVAL=0 never advances."""
    path = folder / "interval-zero.ics"
    path.write_text(_ICS_HEAD + _event("zero", "RRULE:FREQ=DAILY;INTERVAL=0\r\n") + _ICS_TAIL)
    return path


def ics_every_minute_weekly(folder: Path) -> Path:
    """A weekly rule that is an every-minute rule in disguise (BYDAY x BYHOUR x BYMINUTE)."""
    minutes = ",".join(str(m) for m in range(60))
    hours = ",".join(str(h) for h in range(24))
    rule = f"RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR={hours};BYMINUTE={minutes}\r\n"
    path = folder / "weekly-every-minute.ics"
    path.write_text(_ICS_HEAD + _event("minutely", rule) + _ICS_TAIL)
    return path


def ics_many_daily_series(folder: Path) -> Path:
    """500 daily series since 2000: each under the per-series cap, together millions."""
    path = folder / "many-daily-series.ics"
    events = "".join(_event(f"daily-{i}", "RRULE:FREQ=DAILY\r\n") for i in range(500))
    path.write_text(_ICS_HEAD + events + _ICS_TAIL)
    return path


def _card(body: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Keys\r\n{body}END:VCARD\r\n"


def vcard_many_phones(folder: Path) -> Path:
    """One card with 100,000 TEL lines (quadratic duplicate checks took over 400 s)."""
    path = folder / "many-phones.vcf"
    path.write_text(_card("".join(f"TEL:+1 202 555 {i % 10000:04d}{i // 10000}\r\n"
                                  for i in range(100_000))))
    return path


def vcard_many_emails(folder: Path) -> Path:
    """One card with 40,000 distinct EMAIL lines (28.6 s before)."""
    path = folder / "many-emails.vcf"
    path.write_text(_card("".join(f"EMAIL:p{i}@example.org\r\n" for i in range(40_000))))
    return path


def connections_many_rows(folder: Path, rows: int = 1_000_000) -> Path:
    """A LinkedIn Connections.csv of a million rows (1.5 GB of memory before)."""
    path = folder / "Connections.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("Notes:\n\"When exporting your connection data...\"\n\n")
        f.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for i in range(rows):
            f.write(f"First{i},Last{i},https://www.linkedin.com/in/p{i},,Org {i % 1000},"
                    f"Engineer,01 Jan 2020\n")
    return path


def csv_many_columns(folder: Path) -> Path:
    """A Google CSV header of 200,000 columns."""
    path = folder / "many-columns.csv"
    header = "Name,Given Name,E-mail 1 - Value," + ",".join(f"X{i}" for i in range(200_000))
    path.write_text(header + "\nAna,Ana,ana@example.org\n")
    return path


def nul_bytes(folder: Path) -> Path:
    """64 MB of NUL bytes named .vcf (reported as an "empty file" before)."""
    path = folder / "zeros.vcf"
    with path.open("wb") as f:
        f.truncate(64 * 1024 * 1024)
    return path


def fifo(folder: Path) -> Path:
    """A FIFO named .csv: reading it blocks forever when nobody writes."""
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def dev_zero(folder: Path) -> Path:
    """A character device that never ends."""
    return Path("/dev/zero")


CORPUS: dict[str, Callable[[Path], Path]] = {
    "ics-interval-zero": ics_interval_zero,
    "ics-weekly-every-minute": ics_every_minute_weekly,
    "ics-500-daily-series": ics_many_daily_series,
    "vcard-100k-phones": vcard_many_phones,
    "vcard-40k-emails": vcard_many_emails,
    "linkedin-1m-rows": connections_many_rows,
    "csv-200k-columns": csv_many_columns,
    "nul-bytes": nul_bytes,
    "fifo": fifo,
    "dev-zero": dev_zero,
}
