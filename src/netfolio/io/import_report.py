"""What an import is given and what it gives back: plain data between its stages.

The read stage (:mod:`netfolio.io.files`) turns files into :class:`InputFile` s; the match,
plan and write stages (:mod:`~netfolio.io.import_match`, :mod:`~netfolio.io.import_plan`,
:mod:`~netfolio.io.import_write`) fill an :class:`ImportReport`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netfolio.core.shapes import Plain, Ref
from netfolio.io.records import ParseResult

Progress = Callable[[str, int, int], None]


@dataclass
class ImportOptions:
    """How to import: who the user is, and what to keep or skip."""

    me_emails: Sequence[str] = ()
    me_urls: Sequence[str] = ()
    me_names: Sequence[str] = ()
    #: ISO country code for phone numbers written without +country
    region: str | None = None
    strict: bool = False
    keep_content: bool = False
    max_attendees: int | None = None
    include_large: bool = False
    #: the day job changes are seen on (default: today)
    today: dt.date | None = None

    def parser_options(self) -> dict[str, Any]:
        """The options every parser accepts (each ignores the ones it does not use)."""
        opts: dict[str, Any] = {
            "me_emails": tuple(self.me_emails),
            "me_urls": tuple(self.me_urls),
            "me_names": tuple(self.me_names),
            "keep_content": self.keep_content,
            "strict": self.strict,
            "include_large": self.include_large,
        }
        if self.max_attendees is not None:
            opts["max_attendees"] = opts["max_recipients"] = self.max_attendees
        return opts


@dataclass
class DuplicateInfo(Plain):
    """A possible duplicate: two people, how alike (0-100), why, and its review status."""

    id: int | None
    a: Ref
    b: Ref
    score: float
    reason: str
    status: str = "open"


@dataclass
class JobChangeInfo(Plain):
    """A new title or organisation an import saw for a person."""

    person: Ref
    old_title: str | None
    new_title: str | None
    old_organisation: str | None
    new_organisation: str | None
    seen_on: str


@dataclass
class ImportReport(Plain):
    """What an import did (or, in a dry run, would do)."""

    format: str
    files: list[str]
    run_id: int | None = None
    dry_run: bool = False
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    #: imported people merged into someone already in the ledger (or the file)
    merged: int = 0
    interactions_added: int = 0
    interactions_unchanged: int = 0
    knows_added: int = 0
    possible_duplicates: list[DuplicateInfo] = field(default_factory=list)
    job_changes: list[JobChangeInfo] = field(default_factory=list)
    #: skipped items by reason
    skipped: dict[str, int] = field(default_factory=dict)
    #: the first skipped items, with where they are and why
    skipped_examples: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: who the files say you are, where what you gave (init, --me) was not in them
    me_taken: list[str] = field(default_factory=list)
    json_extra = ("summary",)

    @property
    def summary(self) -> str:
        """One line: ``3 new, 1 updated, 26 unchanged`` and whatever else happened."""
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.merged:
            parts.append(f"{self.merged} merged")
        if self.interactions_added or self.interactions_unchanged:
            parts.append(f"{self.interactions_added} interactions added")
        if self.possible_duplicates:
            parts.append(f"{len(self.possible_duplicates)} possible duplicates")
        skipped = sum(self.skipped.values())
        if skipped:
            parts.append(f"{skipped} skipped")
        return ", ".join(parts)

    def counts(self) -> dict[str, Any]:
        """The figures kept with the run in the ledger."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "interactions_added": self.interactions_added,
            "interactions_unchanged": self.interactions_unchanged,
            "knows_added": self.knows_added,
            "possible_duplicates": len(self.possible_duplicates),
            "job_changes": len(self.job_changes),
            "skipped": dict(self.skipped),
        }


@dataclass
class InputFile:
    """A file read for import: its name, format, bytes' digest and size, and what it parsed to."""

    name: str
    format: str
    sha256: str
    size: int
    result: ParseResult
