"""The plain records every parser returns: people, interactions, and what was skipped.

Parsers are pure: bytes in, these records out. They never touch a database session;
the import pipeline matches records to people (by LinkedIn URL, email, phone, then name)
and writes them. Records keep values *as found* (an email's case, a phone's punctuation);
the matching keys come from :mod:`netfolio.io.normalise`. One exception: ``linkedin_url``
is stored already canonical (``https://www.linkedin.com/in/<slug>``), since the URL itself
carries nothing but identity.

    >>> r = ParseResult(format="vcard")
    >>> r.skip("empty card", SourceRef("contacts.vcf", line=12, item=3))
    >>> r.skipped_by_reason()
    {'empty card': 1}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from netfolio.core.enums import Channel, Initiator, Intent

#: At most this many warnings are kept per parse; later ones are counted in a last summary line.
MAX_WARNINGS = 200


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: the file, the 1-based line, and/or the 1-based item number.

    ``item`` is the card number in a vCard file, the event number in an .ics file, the message
    number in an mbox. ``file`` is the name as given; inside a zip it is ``archive.zip/member``.
    """

    file: str
    line: int | None = None
    item: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.item is not None:
            where += f", item {self.item}"
        if self.line is not None:
            where += f", line {self.line}"
        return where


@dataclass(frozen=True, slots=True)
class EmailRecord:
    """An email address as found, with its kind (``home``, ``work``, ``other``) and free label."""

    address: str
    kind: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class PhoneRecord:
    """A phone number as found (a ``tel:`` prefix removed), with its kind and free label.

    ``kind`` is one of ``mobile``, ``home``, ``work``, ``main``, ``fax``, ``pager``, ``other``
    or None. Normalise with :func:`netfolio.io.normalise.phone_key`.
    """

    raw: str
    kind: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Birthday:
    """A birthday; ``year`` is None when the source omits it (``--03-15``)."""

    year: int | None
    month: int
    day: int

    @classmethod
    def of(cls, year: int | None, month: int, day: int) -> Birthday | None:
        """Build a birthday, or None when the month and day cannot be a date."""
        try:
            date(year if year is not None else 2000, month, day)  # 2000 allows 29 February
        except (ValueError, OverflowError):
            return None
        return cls(year, month, day)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonRecord:
    """One person as a source describes them. Every field but ``source`` may be empty.

    ``organisation`` and ``title`` are the current job; ``location`` is a city-level place
    ("Lisbon, Portugal"); ``related`` holds names or URIs of people this person knows (knows
    edges); ``photo`` is a small image's bytes as found (larger ones are dropped with a warning);
    ``websites`` are URLs other than the LinkedIn profile.
    """

    source: SourceRef
    given_name: str | None = None
    family_name: str | None = None
    display_name: str | None = None
    emails: tuple[EmailRecord, ...] = ()
    phones: tuple[PhoneRecord, ...] = ()
    organisation: str | None = None
    title: str | None = None
    location: str | None = None
    linkedin_url: str | None = None
    websites: tuple[str, ...] = ()
    birthday: Birthday | None = None
    notes: str | None = None
    tags: tuple[str, ...] = ()
    connected_on: date | None = None
    photo: bytes | None = None
    related: tuple[str, ...] = ()

    @property
    def name(self) -> str | None:
        """The best name to show: display name, else given + family, else None."""
        if self.display_name:
            return self.display_name
        joined = " ".join(p for p in (self.given_name, self.family_name) if p)
        return joined or None


@dataclass(frozen=True, slots=True)
class PersonRef:
    """Who took part in an interaction, by whatever the source knows: email, profile, name."""

    email: str | None = None
    linkedin_url: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionRecord:
    """One dated contact between the user and one or more people.

    ``at`` is timezone-aware; when ``date_only`` is true only its date means anything (an
    all-day event: ``at`` is midnight UTC of that date). ``key`` is a stable idempotency key
    derived from the source, so re-importing the same file yields the same keys.
    ``intent_evidence`` lists the phrases the intent classifier keyed on. ``content`` is only
    filled when the caller asked for ``keep_content``.
    """

    at: datetime
    channel: Channel
    initiator: Initiator
    intent: Intent
    participants: tuple[PersonRef, ...]
    key: str
    source: SourceRef
    date_only: bool = False
    intent_inferred: bool = True
    intent_evidence: tuple[str, ...] = ()
    note: str | None = None
    content: str | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    """Something a parser read and deliberately left out, with a short stable reason.

    ``reason`` is a fixed phrase to count by ("hidden member", "draft", "declined attendee",
    "bulk mail", "broken card", ...); ``detail`` says more about this one case.
    """

    reason: str
    source: SourceRef
    detail: str | None = None


@dataclass(slots=True)
class ParseResult:
    """What one parse produced: people, interactions, what was skipped, and warnings."""

    format: str
    people: list[PersonRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: who the parser took to be the user from the file itself (a profile URL, an address
    #: or a name), when it was not given or what was given is not in the file
    me_taken: list[str] = field(default_factory=list)
    _dropped_warnings: int = 0

    def skip(self, reason: str, source: SourceRef, detail: str | None = None) -> None:
        """Record one skipped item."""
        self.skipped.append(Skip(reason, source, detail))

    def warn(self, message: str) -> None:
        """Record a warning; past :data:`MAX_WARNINGS` they are only counted."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
            return
        self._dropped_warnings += 1
        summary = f"... and {self._dropped_warnings} more warnings"
        if self._dropped_warnings == 1:
            self.warnings.append(summary)
        else:
            self.warnings[-1] = summary

    def skipped_by_reason(self) -> dict[str, int]:
        """How many items were skipped for each reason."""
        return dict(Counter(s.reason for s in self.skipped))

    def extend(self, other: ParseResult) -> None:
        """Add another result's records (used for the files of one LinkedIn export)."""
        self.people.extend(other.people)
        self.interactions.extend(other.interactions)
        self.skipped.extend(other.skipped)
        for w in other.warnings:
            self.warn(w)


__all__ = [
    "MAX_WARNINGS",
    "Birthday",
    "EmailRecord",
    "InteractionRecord",
    "ParseResult",
    "PersonRecord",
    "PersonRef",
    "PhoneRecord",
    "Skip",
    "SourceRef",
]
