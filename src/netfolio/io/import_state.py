"""An import's working state: the ledger's keys, the people the import touches as they will
be (:class:`PlannedPerson`), and the review list it builds.

The stages share this state: :mod:`~netfolio.io.import_match` decides who is who,
:mod:`~netfolio.io.import_plan` folds records into people and plans edges and fields,
:mod:`~netfolio.io.import_write` writes it all set-based.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from netfolio.core.bulk import BulkWriter
from netfolio.core.enums import EdgeSource
from netfolio.errors import ImportError_
from netfolio.io.import_report import ImportOptions, ImportReport, InputFile, Progress
from netfolio.io.linkage import (
    Outcome,
    Verdict,
)
from netfolio.io.matching import (
    KeyIndex,
    Resolver,
    ordered,
)
from netfolio.io.normalise import email_key, fold_name, normalise_linkedin_url
from netfolio.io.records import InteractionRecord, PersonRecord, SourceRef

#: Organisations with at most this many people in the ledger make knows edges among them.
SMALL_ORGANISATION = 10
#: "Organisations" that do not mean the people know each other.
GENERIC_ORGANISATIONS = frozenset(
    {
        "self-employed",
        "self employed",
        "freelance",
        "freelancer",
        "independent",
        "independent consultant",
        "consultant",
        "retired",
        "student",
        "stealth",
        "stealth startup",
        "stealth mode",
        "confidential",
        "n/a",
        "na",
        "none",
        "unemployed",
        "various",
        "private",
        "home",
        "looking for opportunities",
    }
)
#: Most warnings kept in a report.
MAX_WARNINGS = 200
#: The score of the same name at different organisations (see matching.score_pair).
DIFFERENT_ORGANISATION_SCORE = 75.0
#: A possible duplicate from a key shared by two people scores this.
SHARED_KEY_SCORE = 90.0

# The person columns the pipeline reads, compares and writes (plus the photo, by presence).
FACTS = (
    "display_name",
    "given_name",
    "family_name",
    "name_key",
    "organisation",
    "title",
    "location",
    "linkedin_url",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "notes",
    "connected_on",
    "source",
    "fact_sources",
    "updated_at",
)
AT = {name: i for i, name in enumerate(FACTS)}
LIMITS = {
    "display_name": 300,
    "given_name": 200,
    "family_name": 200,
    "organisation": 300,
    "title": 300,
    "location": 300,
    "source": 300,
}

class PlannedPerson:
    """A person the import touches: a new one, or one of the ledger's (loaded once)."""

    __slots__ = (
        "changes",
        "emails",
        "fields",
        "has_photo",
        "id",
        "job",
        "links",
        "new",
        "orig",
        "phones",
        "photo",
        "records",
        "related",
        "tags",
    )

    def __init__(
        self, pid: int, orig: Sequence[Any] | None, new: bool, has_photo: bool
    ) -> None:
        self.id = pid
        self.orig = orig
        self.new = new
        self.has_photo = has_photo
        self.changes: dict[str, Any] | None = None
        self.photo: bytes | None = None
        # Added contact points etc.; a shared empty tuple until the first is pushed (most
        # people of a big import have few of them: this keeps 100,000 people small).
        self.emails: Sequence[tuple[str, str | None, str]] = ()  # address, kind, source
        self.phones: Sequence[tuple[str, str, str | None, str]] = ()  # e164, raw, kind, src
        self.links: Sequence[tuple[str, str | None, str]] = ()  # url, label, source
        self.tags: Sequence[str] = ()
        self.fields: list[tuple[str, bool, str]] | None = None  # new fields: slug, inferred, src
        self.related: Sequence[tuple[str, SourceRef]] = ()
        self.records: Sequence[tuple[PersonRecord, str]] = ()  # what made it (new people)
        self.job = False

    def push(self, attr: str, item: Any) -> None:
        items = getattr(self, attr)
        if not isinstance(items, list):
            items = list(items)
            setattr(self, attr, items)
        items.append(item)

    def get(self, col: str) -> Any:
        ch = self.changes
        if ch is not None and col in ch:
            return ch[col]
        assert self.orig is not None
        return self.orig[AT[col]]

    def sources(self) -> dict[str, Any]:
        """Where each fact came from (read from its JSON text on first use)."""
        value = self.get("fact_sources")
        if isinstance(value, str):
            assert self.orig is not None
            orig = self.orig if isinstance(self.orig, list) else list(self.orig)
            value = orig[AT["fact_sources"]] = json.loads(value)
            self.orig = orig
        return value or {}

    def set(self, col: str, value: Any) -> bool:
        if self.get(col) == value:
            return False
        if self.changes is None:
            self.changes = {}
        self.changes[col] = value
        return True

    def changed_facts(self) -> dict[str, Any]:
        """The facts whose final value differs from the ledger's (existing people)."""
        if not self.changes or self.orig is None:
            return {}
        return {c: v for c, v in self.changes.items() if v != self.orig[AT[c]]}

    def touched(self) -> bool:
        return bool(
            self.changed_facts()
            or self.emails
            or self.phones
            or self.links
            or self.tags
            or self.fields is not None
            or self.photo is not None
        )


@dataclass
class Keys:
    """A record's identity keys, normalised once."""

    url: str | None
    emails: list[tuple[str, str | None]]
    phones: list[tuple[str, str, str | None]]


def clip(col: str, value: str | None) -> str | None:
    """A value cut to its column's length (PostgreSQL enforces it; SQLite would not)."""
    if value is None or len(value) <= 200:
        return value
    limit = LIMITS.get(col)
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


_CANONICAL = "https://www.linkedin.com/in/"


def profile_url(url: str | None) -> str | None:
    """A profile URL as the ledger keeps it (parsers give canonical ones: kept as they are)."""
    if not url:
        return None
    if url.startswith(_CANONICAL) and "?" not in url and "#" not in url:
        return url  # canonical already (records keep profile URLs canonical)
    return normalise_linkedin_url(url)


def strip_text(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def format_of(source: str | None) -> str:
    return (source or "").split(":", 1)[0]


def stable_key(key: str) -> str:
    if len(key) <= 500:
        return key
    return key[:400] + "#" + hashlib.sha256(key.encode()).hexdigest()



class ImportState:
    """One import's working state, and the bookkeeping every stage uses."""

    w: BulkWriter

    def __init__(
        self,
        db_session: Session,
        inputs: Sequence[InputFile],
        options: ImportOptions,
        resolver: Resolver,
        progress: Progress | None,
    ) -> None:
        self.s = db_session
        self.inputs = inputs
        self.options = options
        self.resolver = resolver
        self.progress = progress
        self.now = dt.datetime.now(dt.UTC)
        self.today = options.today or dt.date.today()
        self.index = KeyIndex()
        self.people: dict[int, PlannedPerson] = {}
        self.new_order: list[int] = []  # new people (temporary negative ids), in order made
        self.from_records: list[int] = []  # new people made from person records
        self.from_participants: list[int] = []  # new people first met as participants
        self.matched: set[int] = set()  # ledger people the records (or merges) matched
        self.next_temp = -1
        self.pending: dict[int, list[tuple[PersonRecord, Keys, str]]] = defaultdict(list)
        self.pending_emails: dict[str, int] = {}
        self.pending_urls: dict[str, int] = {}
        self.pending_phones: dict[str, int] = {}
        self.light: dict[int, tuple[str, str | None, bool]] = {}  # id -> name_key, org, has url
        self.links: set[tuple[int, str]] = set()
        self.tags: set[tuple[int, str]] = set()
        self.known_pairs: set[tuple[int, int]] = set()
        #: pairs the user said are two people (dismissed, or split apart)
        self.dismissed: set[tuple[int, int]] = set()
        #: SHA-256 of the files earlier imports (not undone) read
        self.imported_files: set[str] = set()
        self.apart: set[tuple[int, int]] = set()  # pairs judged two people: never proposed
        self.dups: dict[tuple[int, int], tuple[float, str, str]] = {}  # pair -> score,reason,status
        self.proposals: list[tuple[int, int, float, str]] = []
        self.merges: list[tuple[int, int]] = []
        self.interactions: list[tuple[InteractionRecord, list[int], str]] = []
        #: a conversation (thread, meeting) → the people met in it, and u of sharing one
        self.conversations: dict[str, set[int]] = defaultdict(set)
        self.conversation_share = 0.0
        #: the full names a new person's mail and meetings wrote beside their address
        self.seen_names: dict[int, set[str]] = defaultdict(set)
        self.edges: set[tuple[int, int, EdgeSource]] = set()
        self.me_emails = {e for e in (email_key(x) for x in options.me_emails) if e}
        self.me_urls = {u for u in (normalise_linkedin_url(x) for x in options.me_urls) if u}
        self.report = ImportReport(
            format=", ".join(dict.fromkeys(i.format for i in inputs)),
            files=[i.name for i in inputs],
        )
        self._infer_cache: dict[tuple[str | None, str | None], list[tuple[str, bool, str]]] = {}
        self._org_keys: dict[str, str] = {}
        self._sources: dict[tuple[str, str], str] = {}
        self._emails_of: dict[int, list[str]] | None = None
        self._url_of: dict[int, str] | None = None

    def source_of(self, fmt: str, file: str) -> str:
        """What a fact's source says: ``format:file``."""
        key = (fmt, file)
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = clip("source", f"{fmt}:{file}") or fmt
        return found

    def tick(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def warn(self, message: str) -> None:
        if len(self.report.warnings) < MAX_WARNINGS:
            self.report.warnings.append(message)

    def problem(self, where: SourceRef, message: str) -> None:
        """A value that cannot be used: fatal with ``strict``, else a warning."""
        if self.options.strict:
            item = f"item {where.item}: " if where.item is not None else ""
            raise ImportError_(item + message, file=where.file, line=where.line)
        self.warn(f"{where}: {message}: left out")

    def skip(self, reason: str, where: SourceRef, detail: str | None = None) -> None:
        self.report.skipped[reason] = self.report.skipped.get(reason, 0) + 1
        if len(self.report.skipped_examples) < 20:
            self.report.skipped_examples.append(
                f"{where}: {reason}" + (f" ({detail})" if detail else "")
            )

    def propose_shared(self, a: int, b: int, why: str) -> None:
        """Two people share an identity key: most likely one person; list it for review."""
        self.add_duplicate(a, b, SHARED_KEY_SCORE, f"both have {why}")

    def propose_judged(self, a: int, b: int, verdict: Verdict) -> None:
        """A pair that shares a key but was not merged: on the review list, with why; or,
        when the evidence says two people (an office's switchboard, names that disagree),
        never proposed."""
        if verdict.outcome is Outcome.APART:
            self.apart.add(ordered(self.index.find(a), self.index.find(b)))
            return
        self.add_duplicate(a, b, verdict.score, f"not merged: {verdict.reason}")

    def add_duplicate(
        self, a: int, b: int, score: float, reason: str, status: str = "open"
    ) -> None:
        a, b = self.index.find(a), self.index.find(b)
        if a == b:
            return
        pair = ordered(a, b)
        if pair in self.known_pairs or pair in self.dups or pair in self.apart:
            return
        self.dups[pair] = (score, reason, status)

    def org_key(self, org: str | None) -> str | None:
        if not org:
            return None
        key = self._org_keys.get(org)
        if key is None:
            key = self._org_keys[org] = fold_name(org)
        return key

    def name_keys(self, pid: int) -> str:
        """A person's folded name, whether loaded in full or only lightly."""
        person = self.people.get(pid)
        if person is not None:
            return str(person.get("name_key"))
        light = self.light.get(pid)
        return light[0] if light else ""

    def load_matched(self, ids: Iterable[int]) -> None:
        """Load the facts of ledger people about to change (one query, filtered here).

        Read through the driver: dates and JSON are converted only where they are used.
        """
        wanted = {i for i in ids if i > 0 and i not in self.people}
        if not wanted:
            return
        columns = ", ".join(f'"{c}"' for c in FACTS)
        sql = f'SELECT "id", "photo" IS NOT NULL, {columns} FROM "person"'
        few = len(wanted) <= 500
        if few:
            sql += f' WHERE "id" IN ({", ".join(str(i) for i in wanted)})'
        at_connected = AT["connected_on"]
        for row in self.w.stream(sql):
            pid = row[0]
            if pid in wanted:
                orig = list(row[2:])
                connected = orig[at_connected]
                if isinstance(connected, str):
                    orig[at_connected] = dt.date.fromisoformat(connected)
                self.people[pid] = PlannedPerson(pid, orig, False, bool(row[1]))
        for table, col, target in (
            ("person_link", "url", self.links),
            ("person_tag", "tag", self.tags),
        ):
            sql = f'SELECT "person_id", "{col}" FROM "{table}"'
            if few:
                sql += f' WHERE "person_id" IN ({", ".join(str(i) for i in wanted)})'
            for pid, value in self.w.stream(sql):
                if pid in wanted:
                    target.add((pid, value))

    def touch(self, pid: int) -> PlannedPerson:
        """The plan's entry for a person (loading a ledger person when first touched)."""
        person = self.people.get(pid)
        if person is None:
            self.load_matched([pid])
            person = self.people[pid]
        return person
