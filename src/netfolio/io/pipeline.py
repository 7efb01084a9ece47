"""The one place that writes parsed records into the ledger: match, merge, log, in one go.

Parsers return :class:`~netfolio.io.records.ParseResult` s; :func:`run_import` writes them:

1. **Match** each person record to someone in the ledger by LinkedIn URL, email
   (case-insensitive) or phone (E.164), with the keys of the whole ledger loaded once into
   dicts (:class:`~netfolio.io.matching.KeyIndex`). Unmatched records become new people;
   records of the same file that share a key become one person.
2. **Update** matched people: missing facts are filled; a new title, organisation or location
   from the same kind of export replaces the old one (a new title or organisation is also a
   *job change*, with the day it was seen); a value from another kind of source, or one the
   user set by hand, is kept beside the current one in ``fact_sources["other_values"]``.
   Emails, phones, links and tags are added. Every fact keeps its source.
3. **Possible duplicates**: new people whose name (and organisation) is close to someone
   else's are proposed to a :class:`~netfolio.io.matching.Resolver`, which merges them,
   keeps them apart for good, or lists them for ``netfolio duplicates``.
4. **Interactions** are keyed by their ``source_key``, so a re-import adds nothing twice.
   Participants are found by profile URL or email; an address not seen before is linked to
   the one person whose display name matches exactly (case and accents folded) and the email
   is added to them; when several match, a new person is added and proposed as a possible
   duplicate of each; when none, a new person.
5. **Knows edges** from a card's RELATED people, and between people of a small organisation
   (at most :data:`SMALL_ORGANISATION` people in the ledger; a big employer says little).
6. **Write** set-based (:mod:`netfolio.io.bulk`): one ``executemany`` per table, explicit
   ids, never a query per row; and a change log (``import_change``) from which
   :func:`netfolio.io.runs.undo_last_run` reverts the run exactly.

All of it happens in the caller's one transaction: the caller commits, or (``--dry-run``)
rolls back after reading the report; any failure raises ImportError_ and nothing stays.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netfolio.core.enums import Channel, EdgeSource, Initiator, Intent
from netfolio.core.interactions import to_epoch
from netfolio.core.models import (
    Interaction,
    Person,
    PersonEmail,
    PersonField,
    PossibleDuplicate,
)
from netfolio.core.taxonomy import infer_fields
from netfolio.errors import ImportError_, NetfolioError
from netfolio.io import runs as log
from netfolio.io.bulk import BulkWriter, ranges
from netfolio.io.linkage import (
    NAME_POPULATION,
    Outcome,
    Side,
    Verdict,
    domain_names_org,
    is_generic_email,
    judge,
    phone_kind,
    slug_names_email,
)
from netfolio.io.matching import (
    Candidate,
    Decision,
    DuplicateFinder,
    KeyIndex,
    ListForLater,
    Resolver,
    Sketch,
    block_key,
    ordered,
)
from netfolio.io.normalise import fold_name, normalise_email, normalise_linkedin_url
from netfolio.io.normalise import normalise_phone as _normalise_phone
from netfolio.io.records import InteractionRecord, ParseResult, PersonRecord, PersonRef, SourceRef

Progress = Callable[[str, int, int], None]

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
_FACTS = (
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
_AT = {name: i for i, name in enumerate(_FACTS)}
# Storage codes, looked up once (``.code`` searches the enum on every call).
_CHANNEL = {m: m.code for m in Channel}
_INITIATOR = {m: m.code for m in Initiator}
_INTENT = {m: m.code for m in Intent}
_LIMITS = {
    "display_name": 300,
    "given_name": 200,
    "family_name": 200,
    "organisation": 300,
    "title": 300,
    "location": 300,
    "source": 300,
}
_NEW_COLUMNS = (
    "id",
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
    "photo",
    "source",
    "fact_sources",
    "created_at",
    "updated_at",
)


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
class DuplicateInfo:
    """A possible duplicate: two people, how alike (0-100), why, and its review status."""

    id: int | None
    a: tuple[int, str]
    b: tuple[int, str]
    score: float
    reason: str
    status: str = "open"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["a"] = {"id": self.a[0], "name": self.a[1]}
        d["b"] = {"id": self.b[0], "name": self.b[1]}
        return d


@dataclass
class JobChangeInfo:
    person: tuple[int, str]
    old_title: str | None
    new_title: str | None
    old_organisation: str | None
    new_organisation: str | None
    seen_on: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["person"] = {"id": self.person[0], "name": self.person[1]}
        return d


@dataclass
class ImportReport:
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

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["possible_duplicates"] = [p.to_dict() for p in self.possible_duplicates]
        d["job_changes"] = [j.to_dict() for j in self.job_changes]
        d["summary"] = self.summary
        return d


@dataclass
class InputFile:
    """A file read for import: its name, format, bytes' digest and size, and what it parsed to."""

    name: str
    format: str
    sha256: str
    size: int
    result: ParseResult


# --- the plan: people as they will be -----------------------------------------------------------


class _Person:
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
        return self.orig[_AT[col]]

    def sources(self) -> dict[str, Any]:
        """Where each fact came from (read from its JSON text on first use)."""
        value = self.get("fact_sources")
        if isinstance(value, str):
            assert self.orig is not None
            orig = self.orig if isinstance(self.orig, list) else list(self.orig)
            value = orig[_AT["fact_sources"]] = json.loads(value)
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
        return {c: v for c, v in self.changes.items() if v != self.orig[_AT[c]]}

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
class _Keys:
    """A record's identity keys, normalised once."""

    url: str | None
    emails: list[tuple[str, str | None]]
    phones: list[tuple[str, str, str | None]]


def _clip(col: str, value: str | None) -> str | None:
    """A value cut to its column's length (PostgreSQL enforces it; SQLite would not)."""
    if value is None or len(value) <= 200:
        return value
    limit = _LIMITS.get(col)
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


_CANONICAL = "https://www.linkedin.com/in/"


def _profile(url: str | None) -> str | None:
    """A profile URL as the ledger keeps it (parsers give canonical ones: kept as they are)."""
    if not url:
        return None
    if url.startswith(_CANONICAL) and "?" not in url and "#" not in url:
        return url  # canonical already (records keep profile URLs canonical)
    return normalise_linkedin_url(url)


def _strip(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def _format_of(source: str | None) -> str:
    return (source or "").split(":", 1)[0]


def _stable_key(key: str) -> str:
    if len(key) <= 500:
        return key
    return key[:400] + "#" + hashlib.sha256(key.encode()).hexdigest()


class _Import:
    """One import's working state: the ledger's keys, the people touched, what to write."""

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
        self.people: dict[int, _Person] = {}
        self.new_order: list[int] = []  # new people (temporary negative ids), in order made
        self.from_records: list[int] = []  # new people made from person records
        self.matched: set[int] = set()  # ledger people the records (or merges) matched
        self.next_temp = -1
        self.pending: dict[int, list[tuple[PersonRecord, _Keys, str]]] = defaultdict(list)
        self.pending_emails: dict[str, int] = {}
        self.pending_urls: dict[str, int] = {}
        self.pending_phones: dict[str, int] = {}
        self.light: dict[int, tuple[str, str | None, bool]] = {}  # id -> name_key, org, has url
        self.links: set[tuple[int, str]] = set()
        self.tags: set[tuple[int, str]] = set()
        self.known_pairs: set[tuple[int, int]] = set()
        self.dups: dict[tuple[int, int], tuple[float, str, str]] = {}  # pair -> score,reason,status
        self.proposals: list[tuple[int, int, float, str]] = []
        self.merges: list[tuple[int, int]] = []
        self.interactions: list[tuple[InteractionRecord, list[int], str]] = []
        self.edges: set[tuple[int, int, EdgeSource]] = set()
        self.me_emails = {e for e in (normalise_email(x) for x in options.me_emails) if e}
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
            found = self._sources[key] = _clip("source", f"{fmt}:{file}") or fmt
        return found

    # -- reporting ---------------------------------------------------------------------------

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

    # -- loading the ledger's keys (one query per key table) ---------------------------------

    def load_keys(self) -> None:
        idx, light = self.index, self.light
        add_name, urls = idx.add_name, idx.urls
        for pid, name_key, org, url in self.w.stream(
            'SELECT "id", "name_key", "organisation", "linkedin_url" FROM "person"'
        ):
            light[pid] = (name_key, org, url is not None)
            add_name(name_key, pid)
            if url is not None:
                urls[url] = pid
        idx.emails.update(self.w.stream('SELECT "email", "person_id" FROM "person_email"'))
        for e164, pid in self.w.stream('SELECT "e164", "person_id" FROM "person_phone"'):
            idx.add_phone(e164, pid)

    # -- keys of a record ----------------------------------------------------------------------

    def keys_of(self, rec: PersonRecord) -> _Keys:
        emails: list[tuple[str, str | None]] = []
        for e in rec.emails:
            addr = normalise_email(e.address)
            if addr is None:
                self.problem(rec.source, f"{e.address[:80]!r} is not an email address")
            elif all(addr != a for a, _ in emails):
                emails.append((addr, e.kind))
        phones: list[tuple[str, str, str | None]] = []
        for p in rec.phones:
            e164 = _normalise_phone(p.raw, self.options.region)
            if e164 is None:
                hint = "" if self.options.region else " (without +country: see init --region)"
                self.problem(rec.source, f"{p.raw[:40]!r} is not a phone number{hint}")
            elif all(e164 != n for n, _, _ in phones):
                phones.append((e164, p.raw.strip()[:80], p.kind))
        return _Keys(_profile(rec.linkedin_url), emails, phones)

    def match(
        self, keys: _Keys, side: Side | None = None
    ) -> tuple[int | None, list[tuple[int, Verdict]]]:
        """The person a record's keys point at, and the other people they point at.

        Every person who shares a key with the record is judged (:func:`linkage.judge`):
        the best one the verdict says to merge with is the match (None when nobody); the
        others, and the one(s) not merged with, come back with their verdicts for review.
        """
        idx = self.index
        shared: dict[int, list[tuple[str, str]]] = {}
        if keys.url:
            pid = idx.by_url(keys.url)
            if pid is None and keys.url in self.pending_urls:
                pid = self.pending_urls[keys.url]
            if pid is not None:
                shared.setdefault(pid, []).append(("url", keys.url))
        for addr, _ in keys.emails:
            pid = idx.by_email(addr)
            if pid is None:
                pid = self.pending_emails.get(addr)
            if pid is not None:
                kind = "generic email" if is_generic_email(addr) else "email"
                shared.setdefault(pid, []).append((kind, addr))
        for e164, _, phone_kind_ in keys.phones:
            owners = idx.phone_owners(e164)
            pending = self.pending_phones.get(e164)
            if pending is not None and pending not in owners:
                owners.append(pending)
            kind = "landline" if len(owners) > 1 else phone_kind(phone_kind_)
            for pid in owners:
                shared.setdefault(pid, []).append((kind, e164))
        if not shared:
            return None, []
        if side is None:
            side = Side("", None, [a for a, _ in keys.emails], keys.url)
        verdicts = [(pid, self.judge(side, pid, found)) for pid, found in shared.items()]
        merge = [(pid, v) for pid, v in verdicts if v.outcome is Outcome.MERGE]
        if not merge:
            return None, verdicts
        best = max(merge, key=lambda item: item[1].bits)[0]
        return best, [(pid, v) for pid, v in verdicts if pid != best]

    def side(self, pid: int) -> Side:
        """What the pipeline knows of a person, to judge a pair with."""
        person = self.people.get(pid)
        if person is not None:
            emails = [e for e, _, _ in person.emails] + self.ledger_emails(pid)
            return Side(str(person.get("name_key")), person.get("organisation"), emails,
                        person.get("linkedin_url"))
        name_key, org, has_url = self.light.get(pid, ("", None, False))
        url = self.ledger_url(pid) if has_url else None
        return Side(name_key, org, self.ledger_emails(pid), url)

    def ledger_url(self, pid: int) -> str | None:
        if self._url_of is None:
            self._url_of = {owner: url for url, owner in self.index.urls.items() if owner > 0}
        return self._url_of.get(pid)

    def ledger_emails(self, pid: int) -> list[str]:
        if pid < 0:
            return []
        if self._emails_of is None:
            self._emails_of = defaultdict(list)
            for addr, owner in self.index.emails.items():
                if owner > 0:
                    self._emails_of[owner].append(addr)
        return self._emails_of.get(pid, [])

    def judge(self, side: Side, pid: int, shared: list[tuple[str, str]]) -> Verdict:
        other = self.side(pid)
        population = max(len(self.light) + len(self.new_order), NAME_POPULATION)
        frequency = len(self.index.by_name(other.name_key)) / population
        return judge(side, other, shared, name_frequency=frequency)

    def name_keys(self, pid: int) -> str:
        person = self.people.get(pid)
        if person is not None:
            return str(person.get("name_key"))
        light = self.light.get(pid)
        return light[0] if light else ""

    def match_keyless(self, rec: PersonRecord) -> int | None:
        """A record with no profile, email or phone is the person of the same name and
        organisation (or of the same name, where one organisation is not known): with
        nothing else to go by, re-importing it must change nothing."""
        name = rec.name or _strip(rec.organisation)  # as a new person would be named
        if not name:
            return None
        org = self.org_key(_strip(rec.organisation))
        same: list[int] = []  # same organisation
        fits: list[int] = []  # or one of the two is not known
        for pid in self.index.by_name(fold_name(name)):
            person = self.people.get(pid)
            their = self.org_key(
                person.get("organisation") if person is not None else self.light[pid][1]
            )
            if org is not None and their == org:
                same.append(pid)
            elif their is None or org is None:
                fits.append(pid)
        found = same or fits
        if not found:
            return None
        # Several fit: the oldest (the ledger's first, then this import's first), which is
        # the one the record found when it was first imported.
        return min(found, key=lambda pid: (pid < 0, abs(pid)))

    # -- pass 1: person records ----------------------------------------------------------------

    def match_people(self) -> None:
        total = sum(len(i.result.people) for i in self.inputs)
        done = 0
        self.tick("match", 0, total)
        for item in self.inputs:
            fmt = item.result.format
            for rec in item.result.people:
                done += 1
                if done % 2000 == 0:
                    self.tick("match", done, total)
                source = self.source_of(fmt, rec.source.file)
                keys = self.keys_of(rec)
                if (keys.url and keys.url in self.me_urls) or any(
                    a in self.me_emails for a, _ in keys.emails
                ):
                    self.skip("your own card", rec.source)
                    continue
                side = Side(fold_name(rec.name) if rec.name else "", _strip(rec.organisation),
                            [a for a, _ in keys.emails], keys.url)
                pid, others = self.match(keys, side)
                if pid is None and not (keys.url or keys.emails or keys.phones):
                    pid = self.match_keyless(rec)
                if pid is None:
                    name = (
                        rec.name
                        or (keys.emails[0][0] if keys.emails else None)
                        or (keys.phones[0][1] if keys.phones else None)
                        or rec.organisation
                    )
                    if not name:
                        self.skip("no name", rec.source)
                        continue
                    person = self.create(name, rec, keys, source, others)
                    self.from_records.append(person.id)
                    continue
                for other, verdict in others:
                    self.propose_judged(pid, other, verdict)
                if pid < 0:
                    self.apply(self.people[pid], rec, keys, source, fmt)
                else:
                    self.matched.add(pid)
                    self.pending[pid].append((rec, keys, source))
                    for addr, _ in keys.emails:
                        self.pending_emails.setdefault(addr, pid)
                    for e164, _, _ in keys.phones:
                        self.pending_phones.setdefault(e164, pid)
                    if keys.url:
                        self.pending_urls.setdefault(keys.url, pid)
        self.tick("match", total, total)

    def create(
        self,
        name: str,
        rec: PersonRecord | None,
        keys: _Keys | None,
        source: str,
        judged: Sequence[tuple[int, Verdict]] = (),
    ) -> _Person:
        """A new person (with a temporary negative id until written), built straight from
        its first record: this runs once per new row, so it avoids the general path."""
        pid = self.next_temp
        self.next_temp -= 1
        display = _clip("display_name", name.strip()) or name
        name_key = fold_name(display)
        url = keys.url if keys is not None else None
        if url is not None and self.index.by_url(url) is not None:
            url = None  # another person has it: proposed as a duplicate in add_points
        b = rec.birthday if rec is not None else None
        if rec is None:
            orig: tuple[Any, ...] = (
                display,
                None,
                None,
                name_key,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                source,
                {},
                self.now,
            )
        else:
            orig = (
                display,
                _clip("given_name", rec.given_name),
                _clip("family_name", rec.family_name),
                name_key,
                _clip("organisation", _strip(rec.organisation)),
                _clip("title", _strip(rec.title)),
                _clip("location", _strip(rec.location)),
                url,
                b.year if b else None,
                b.month if b else None,
                b.day if b else None,
                rec.notes or None,
                rec.connected_on,
                source,
                {},
                self.now,
            )
        person = _Person(pid, orig, True, False)
        self.people[pid] = person
        self.new_order.append(pid)
        self.index.add_name(name_key, pid)
        if url is not None:
            self.index.urls[url] = pid
        for other, verdict in judged:
            self.propose_judged(pid, other, verdict)
        if rec is not None and keys is not None:
            person.records = ((rec, source),)
            if rec.photo:
                person.photo, person.has_photo = rec.photo, True
            self.add_points(person, rec, keys, source)
        return person

    def load_matched(self, ids: Iterable[int]) -> None:
        """Load the facts of ledger people about to change (one query, filtered here).

        Read through the driver: dates and JSON are converted only where they are used.
        """
        wanted = {i for i in ids if i > 0 and i not in self.people}
        if not wanted:
            return
        columns = ", ".join(f'"{c}"' for c in _FACTS)
        sql = f'SELECT "id", "photo" IS NOT NULL, {columns} FROM "person"'
        few = len(wanted) <= 500
        if few:
            sql += f' WHERE "id" IN ({", ".join(str(i) for i in wanted)})'
        at_connected = _AT["connected_on"]
        for row in self.w.stream(sql):
            pid = row[0]
            if pid in wanted:
                orig = list(row[2:])
                connected = orig[at_connected]
                if isinstance(connected, str):
                    orig[at_connected] = dt.date.fromisoformat(connected)
                self.people[pid] = _Person(pid, orig, False, bool(row[1]))
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

    def apply_pending(self) -> None:
        self.load_matched(self.pending)
        for pid, items in self.pending.items():
            person = self.people[pid]
            for rec, keys, source in items:
                self.apply(person, rec, keys, source, _format_of(source))
        self.pending.clear()
        self.pending_emails.clear()
        self.pending_phones.clear()
        self.pending_urls.clear()

    # -- applying a record to a person ------------------------------------------------------------

    def note_source(self, p: _Person, col: str, source: str) -> None:
        if source == p.get("source") and not (p.sources()).get(col):
            return
        sources = dict(p.sources())
        sources[col] = source
        p.set("fact_sources", sources)

    def fill(self, p: _Person, col: str, value: Any, source: str) -> None:
        if value is not None and value != "" and p.get(col) in (None, ""):
            p.set(col, _clip(col, value))
            if not p.new:
                self.note_source(p, col, source)

    def update(self, p: _Person, col: str, value: str | None, source: str, fmt: str) -> None:
        """A title, organisation or location: replaced by the same kind of source only."""
        value = _clip(col, value.strip()) if value else None
        current = p.get(col)
        if not value or value == current:
            return
        if current in (None, ""):
            p.set(col, value)
            if not p.new:
                self.note_source(p, col, source)
            return
        sources = p.sources()
        if p.new or _format_of(sources.get(col) or p.get("source")) == fmt:
            p.set(col, value)
            self.note_source(p, col, source)
            if col in ("title", "organisation") and not p.new:
                p.job = True
            return
        others = [list(x) for x in (sources.get("other_values") or {}).get(col, [])]
        if [value, source] in others:
            return
        others.append([value, source])
        updated = dict(sources)
        updated["other_values"] = {**(sources.get("other_values") or {}), col: others}
        p.set("fact_sources", updated)

    def apply(self, p: _Person, rec: PersonRecord, keys: _Keys, source: str, fmt: str) -> None:
        """Fold one record into a person (new or existing)."""
        if p.new:
            p.push("records", (rec, source))
        self.fill(p, "given_name", rec.given_name, source)
        self.fill(p, "family_name", rec.family_name, source)
        self.update(p, "organisation", rec.organisation, source, fmt)
        self.update(p, "title", rec.title, source, fmt)
        self.update(p, "location", rec.location, source, fmt)
        idx = self.index
        if keys.url and p.get("linkedin_url") is None and idx.by_url(keys.url) is None:
            p.set("linkedin_url", keys.url)
            idx.urls[keys.url] = p.id
            if not p.new:
                self.note_source(p, "linkedin_url", source)
        b = rec.birthday
        if b is not None and p.get("birthday_month") is None:
            p.set("birthday_year", b.year)
            p.set("birthday_month", b.month)
            p.set("birthday_day", b.day)
            if not p.new:
                self.note_source(p, "birthday", source)
        if rec.notes:
            current = p.get("notes")
            if not current:
                p.set("notes", rec.notes)
            elif rec.notes not in current:
                p.set("notes", f"{current}\n\n{rec.notes}")
        if rec.connected_on is not None:
            current = p.get("connected_on")
            if current is None or rec.connected_on < current:
                p.set("connected_on", rec.connected_on)
        if rec.photo and not p.has_photo:
            p.photo, p.has_photo = rec.photo, True
        self.add_points(p, rec, keys, source)

    def add_points(self, p: _Person, rec: PersonRecord, keys: _Keys, source: str) -> None:
        """A record's emails, phones, web addresses, tags and related people."""
        idx = self.index
        if keys.url and p.get("linkedin_url") != keys.url:
            owner = idx.by_url(keys.url)
            if owner is not None and owner != p.id:
                self.propose_shared(p.id, owner, f"the LinkedIn profile {keys.url}")
        for addr, kind in keys.emails:
            if addr in self.me_emails:
                continue
            owner = idx.by_email(addr)
            if owner is None:
                p.push("emails", (addr, kind, source))
                idx.emails[addr] = p.id
            elif owner != p.id:
                self.propose_shared(p.id, owner, f"the email {addr}")
        for e164, raw, kind in keys.phones:
            owners = idx.phone_owners(e164)
            if p.id in owners:
                continue
            # Someone else's phone is a question (proposed, unless judged already), and the
            # phone is this person's too: an office's or a household's number is shared.
            for owner in owners:
                self.propose_shared(p.id, owner, f"the phone {e164}")
            p.push("phones", (e164, raw, kind, source))
            idx.add_phone(e164, p.id)
        for url in rec.websites:
            url = url.strip()
            if url and len(url) <= 1000 and (p.id, url) not in self.links:
                self.links.add((p.id, url))
                p.push("links", (url, None, source))
        for tag in rec.tags:
            tag = tag.strip().lstrip("#").strip()[:100]
            if tag and (p.id, tag) not in self.tags:
                self.tags.add((p.id, tag))
                p.push("tags", tag)
        for related in rec.related:
            p.push("related", (related, rec.source))

    # -- possible duplicates ------------------------------------------------------------------

    def propose_shared(self, a: int, b: int, why: str) -> None:
        """Two people share an identity key: most likely one person; list it for review."""
        self.add_duplicate(a, b, SHARED_KEY_SCORE, f"both have {why}")

    def propose_judged(self, a: int, b: int, verdict: Verdict) -> None:
        """A pair that shares a key but was not merged: on the review list, with why."""
        self.add_duplicate(a, b, verdict.score, f"not merged: {verdict.reason}")

    def add_duplicate(
        self, a: int, b: int, score: float, reason: str, status: str = "open"
    ) -> None:
        a, b = self.index.find(a), self.index.find(b)
        if a == b:
            return
        pair = ordered(a, b)
        if pair in self.known_pairs or pair in self.dups:
            return
        self.dups[pair] = (score, reason, status)

    def load_known_pairs(self) -> None:
        self.known_pairs = {
            ordered(a, b)
            for a, b in self.s.execute(select(PossibleDuplicate.a_id, PossibleDuplicate.b_id))
        }

    def org_key(self, org: str | None) -> str | None:
        if not org:
            return None
        key = self._org_keys.get(org)
        if key is None:
            key = self._org_keys[org] = fold_name(org)
        return key

    def find_duplicates(self) -> None:
        """Propose close name (+ organisation) matches for the new people made from records."""
        if not self.from_records:
            return
        finder = DuplicateFinder()
        new_people = [self.people[pid] for pid in self.from_records]
        wanted = {k for k in (block_key(p.get("name_key")) for p in new_people) if k}
        ledger = [
            (pid, name_key, org, has_url)
            for pid, (name_key, org, has_url) in self.light.items()
            if block_key(name_key) in wanted
        ]
        if all(has_url for *_, has_url in ledger) and all(
            p.get("linkedin_url") is not None for p in new_people
        ):
            return  # everyone has a LinkedIn profile: two profiles are two people
        for pid, name_key, org, has_url in ledger:
            finder.add(pid, name_key, self.org_key(org), has_url)
        with_email = {self.index.find(pid) for pid in self.index.emails.values()}
        total = len(new_people)
        for n, p in enumerate(new_people, 1):
            if n % 2000 == 0:
                self.tick("duplicates", n, total)
            name_key, org = p.get("name_key"), self.org_key(p.get("organisation"))
            has_url = p.get("linkedin_url") is not None
            for other, score, reason in finder.candidates(
                p.id,
                name_key,
                org,
                has_url,
                skip=lambda o, me=p.id: ordered(me, o) in self.known_pairs,  # type: ignore[misc]
            ):
                if score <= DIFFERENT_ORGANISATION_SCORE and p.emails and other in with_email:
                    continue  # namesakes at two organisations, each with an email: two people
                self.proposals.append((p.id, other, score, reason))
            finder.add(p.id, name_key, org, has_url)
        self.tick("duplicates", total, total)

    def sketches(self, ids: Iterable[int]) -> dict[int, Sketch]:
        found: dict[int, Sketch] = {}
        ledger_ids = []
        for pid in ids:
            person = self.people.get(pid)
            if person is not None:
                found[pid] = Sketch(
                    pid,
                    person.get("display_name"),
                    person.get("organisation"),
                    person.get("title"),
                    tuple(e for e, _, _ in person.emails),
                    person.get("source"),
                    person.new,
                )
            else:
                ledger_ids.append(pid)
        for lo in range(0, len(ledger_ids), 500):
            part = ledger_ids[lo : lo + 500]
            rows = self.s.execute(
                select(
                    Person.id, Person.display_name, Person.organisation, Person.title, Person.source
                ).where(Person.id.in_(part))
            )
            emails: dict[int, list[str]] = defaultdict(list)
            for pid, email in self.s.execute(
                select(PersonEmail.person_id, PersonEmail.email).where(
                    PersonEmail.person_id.in_(part)
                )
            ):
                emails[pid].append(email)
            for pid, name, org, title, source in rows:
                found[pid] = Sketch(pid, name, org, title, tuple(emails[pid]), source)
        return found

    def resolve(self) -> None:
        """Ask the resolver about each proposal; merge, keep apart or list for later."""
        if not self.proposals:
            return
        sketches = self.sketches({x for a, b, _, _ in self.proposals for x in (a, b)})
        find = self.index.find
        for new_id, other, score, reason in self.proposals:
            if find(new_id) != new_id:
                continue  # merged already
            target = find(other)
            if target == new_id or ordered(new_id, target) in self.dups:
                continue
            sketch = sketches.get(target) or self.sketches([target])[target]
            decision = self.resolver.decide(Candidate(sketches[new_id], sketch, score, reason))
            if decision is Decision.MERGE:
                self.index.alias[new_id] = target
                self.merges.append((new_id, target))
            elif decision is Decision.SEPARATE:
                self.add_duplicate(new_id, target, score, reason, "dismissed")
            else:
                self.add_duplicate(new_id, target, score, reason)
        if self.merges:
            self.load_matched(target for _, target in self.merges)
        idx = self.index
        for new_id, _ in self.merges:
            gone = self.people.pop(new_id)
            kept = self.people[find(new_id)]
            for addr, _, _ in gone.emails:
                idx.emails.pop(addr, None)
            if idx.urls.get(gone.get("linkedin_url") or "") == new_id:
                del idx.urls[gone.get("linkedin_url")]
            for e164, _, _, _ in gone.phones:
                ids = idx.phones.get(e164, [])
                if new_id in ids:
                    ids.remove(new_id)
            for rec, source in gone.records:
                self.apply(kept, rec, self.keys_of(rec), source, _format_of(source))
            if not kept.new:
                self.matched.add(kept.id)
        self.new_order = [pid for pid in self.new_order if pid in self.people]
        self.report.merged = len(self.merges)

    # -- interactions --------------------------------------------------------------------------

    def participant(self, ref: PersonRef, fmt: str, where: SourceRef, source: str) -> int | None:
        idx = self.index
        email = normalise_email(ref.email) if ref.email else None
        if ref.email and email is None:
            self.problem(where, f"{ref.email[:80]!r} is not an email address")
        if email in self.me_emails:
            return None
        url = _profile(ref.linkedin_url)
        if url in self.me_urls:
            return None
        pid = idx.by_url(url) if url else None
        if pid is None and email:
            pid = idx.by_email(email)
        if pid is not None:
            return pid
        name = (ref.name or "").strip()
        key = fold_name(name) if name else ""
        found = idx.by_name(key) if key else []
        if len(found) > 1 and email:
            # Namesakes: the one whose organisation the address's domain names, or whose
            # profile's name is the address's (dario.iqbal83@kpmg.example and "KPMG").
            named = [pid for pid in found if self.address_fits(pid, email)]
            if len(named) == 1:
                found = named
        if len(found) == 1:
            person = self.touch(found[0])
            if email:
                person.push("emails", (email, None, source))
                idx.emails[email] = person.id
            if url and person.get("linkedin_url") is None and idx.by_url(url) is None:
                person.set("linkedin_url", url)
                idx.urls[url] = person.id
            return person.id
        if len(found) > 1 and not (email or url):
            self.skip("participant's name matches several people", where, name)
            return None
        display = name or email or (url.rsplit("/", 1)[-1] if url else None)
        if not display:
            self.skip("unknown participant", where)
            return None
        person = self.create(display, None, None, source)
        if email:
            person.push("emails", (email, None, source))
            idx.emails[email] = person.id
        if url:
            person.set("linkedin_url", url)
            idx.urls[url] = person.id
        for other in found:
            self.add_duplicate(
                person.id, other, 80.0, f"{display!r} ({email or url}) is named like several people"
            )
        return person.id

    def address_fits(self, pid: int, email: str) -> bool:
        """The address's domain names the person's organisation, or the person's profile
        slug is the address's name."""
        side = self.side(pid)
        if is_generic_email(email):
            return False
        return domain_names_org(email, side.organisation) or slug_names_email(side.url, email)

    def touch(self, pid: int) -> _Person:
        """The plan's entry for a person (loading a ledger person when first touched)."""
        person = self.people.get(pid)
        if person is None:
            self.load_matched([pid])
            person = self.people[pid]
        return person

    def match_interactions(self) -> None:
        records = [(i, r) for i in self.inputs for r in i.result.interactions]
        if not records:
            return
        existing = set(
            self.s.execute(
                select(Interaction.source_key).where(Interaction.source_key.is_not(None))
            ).scalars()
        )
        # People named only in attendee lists are loaded once, all together.
        refs = {fold_name(ref.name) for _, r in records for ref in r.participants if ref.name}
        candidates = [pid for key in refs for pid in self.index.by_name(key) if pid > 0]
        self.load_matched(candidates)
        seen: set[str] = set()
        total = len(records)
        for n, (item, rec) in enumerate(records, 1):
            if n % 2000 == 0:
                self.tick("interactions", n, total)
            key = _stable_key(rec.key)
            if key in existing or key in seen:
                self.report.interactions_unchanged += 1
                continue
            fmt = item.result.format
            source = self.source_of(fmt, rec.source.file)
            pids: list[int] = []
            for ref in rec.participants:
                pid = self.participant(ref, fmt, rec.source, source)
                if pid is not None and pid not in pids:
                    pids.append(pid)
            if not pids:
                self.skip("no participant", rec.source)
                continue
            seen.add(key)
            self.interactions.append((rec, pids, source))
        self.tick("interactions", total, total)

    # -- knows edges ------------------------------------------------------------------------

    def knows(self) -> None:
        idx = self.index
        for person in list(self.people.values()):
            for value, where in person.related:
                other = self.related_person(value)
                if other is None:
                    self.warn(f"{where}: related person {value[:60]!r} not found: left out")
                    continue
                me = idx.find(person.id)
                if other != me:
                    lo, hi = ordered(me, other)
                    self.edges.add((lo, hi, EdgeSource.IMPORTED))
        self.same_organisation()

    def related_person(self, value: str) -> int | None:
        text = value.strip()
        if text.lower().startswith("mailto:") or ("@" in text and " " not in text):
            return self.index.by_email(normalise_email(text))
        if "linkedin.com" in text.lower():
            return self.index.by_url(normalise_linkedin_url(text))
        if text.lower().startswith(("urn:", "http:", "https:", "tel:")):
            return None
        found = self.index.by_name(fold_name(text))
        return found[0] if len(found) == 1 else None

    def same_organisation(self) -> None:
        """Edges among the people of each small organisation this import touched."""
        touched: set[str] = set()
        for person in self.people.values():
            org = self.org_key(person.get("organisation"))
            if org and (person.new or "organisation" in person.changed_facts()):
                touched.add(org)
        touched -= GENERIC_ORGANISATIONS
        if not touched:
            return
        members: dict[str, list[int]] = defaultdict(list)
        for pid, (_, org, _) in self.light.items():
            if pid in self.people:
                continue
            key = self.org_key(org)
            if key in touched:
                members[key].append(pid)
        for person in self.people.values():
            key = self.org_key(person.get("organisation"))
            if key in touched:
                members[key].append(person.id)
        for ids in members.values():
            if 2 <= len(ids) <= SMALL_ORGANISATION:
                ids = sorted(set(ids))
                for i, a in enumerate(ids):
                    for b in ids[i + 1 :]:
                        lo, hi = ordered(a, b)
                        self.edges.add((lo, hi, EdgeSource.SAME_ORGANISATION))

    # -- fields ------------------------------------------------------------------------------

    def infer(self, title: str | None, org: str | None) -> list[tuple[str, bool, str]]:
        """Inferred fields as rows ``(slug, True, "inferred")``, shared by everyone alike."""
        key = (title, org)
        found = self._infer_cache.get(key)
        if found is None:
            found = self._infer_cache[key] = [
                (i.slug, True, "inferred") for i in infer_fields(title, org)
            ]
        return found

    def plan_fields(self) -> list[tuple[int, str, bool, str]]:
        """Fields of new people (inferred), and re-inferred ones of people whose job changed.

        Returns the fields to remove ``(person, slug, inferred, source)``.
        """
        for person in self.people.values():
            if person.new:
                person.fields = self.infer(person.get("title"), person.get("organisation"))
        changed = [
            p
            for p in self.people.values()
            if not p.new and {"title", "organisation"} & set(p.changed_facts())
        ]
        if not changed:
            return []
        current: dict[int, list[tuple[str, bool, str]]] = defaultdict(list)
        ids = [p.id for p in changed]
        for lo in range(0, len(ids), 500):
            for pid, slug, inferred, source in self.s.execute(
                select(
                    PersonField.person_id,
                    PersonField.field,
                    PersonField.inferred,
                    PersonField.source,
                ).where(PersonField.person_id.in_(ids[lo : lo + 500]))
            ):
                current[pid].append((slug, inferred, source))
        removed: list[tuple[int, str, bool, str]] = []
        for p in changed:
            have = current[p.id]
            if any(not inferred for _, inferred, _ in have):
                continue  # fields set by hand or by a file stay
            rows = self.infer(p.get("title"), p.get("organisation"))
            if sorted(s for s, _, _ in rows) == sorted(s for s, _, _ in have):
                continue
            removed.extend((p.id, s, i, src) for s, i, src in have)
            p.fields = rows
        return removed

    # -- the whole run ----------------------------------------------------------------------

    def run(self, dry_run: bool) -> ImportReport:
        for item in self.inputs:
            result = item.result
            for skipped in result.skipped:
                self.skip(skipped.reason, skipped.source, skipped.detail)
            for warning in result.warnings:
                self.warn(warning)
        writer = self.w = BulkWriter(self.s)
        writer.big_cache()
        try:
            run_id = None if dry_run else self.start_run(writer)
            self.load_keys()
            self.load_known_pairs()
            self.match_people()
            self.apply_pending()
            self.find_duplicates()
            self.resolve()
            self.match_interactions()
            self.knows()
            removed = self.plan_fields()
            _Write(self, writer, run_id).all(removed)
        finally:
            writer.close()
        self.report.run_id = run_id
        self.report.dry_run = dry_run
        return self.report

    def start_run(self, writer: BulkWriter) -> int:
        """Record the run first: this also takes the database's write lock (SQLite)."""
        (run_id,) = writer.new_ids("import_run", 1)
        files = [
            {"name": i.name, "format": i.format, "sha256": i.sha256, "bytes": i.size}
            for i in self.inputs
        ]
        digest = (
            self.inputs[0].sha256
            if len(self.inputs) == 1
            else hashlib.sha256("".join(i.sha256 for i in self.inputs).encode()).hexdigest()
        )
        writer.insert(
            "import_run",
            ("id", "format", "file_name", "file_sha256", "files", "started_at", "counts", "undone"),
            [
                (
                    run_id,
                    self.report.format[:100],
                    ", ".join(self.report.files)[:1000],
                    digest,
                    writer.json(files),
                    writer.stamp(self.now),
                    writer.json({}),
                    writer.flag(False),
                )
            ],
        )
        return run_id


class _Write:
    """Writing the plan: one executemany per table, and the change log."""

    def __init__(self, plan: _Import, writer: BulkWriter, run_id: int | None) -> None:
        self.plan = plan
        self.w = writer
        self.run_id = run_id
        self.real: dict[int, int] = {}
        self.log: list[tuple[Any, ...]] = []

    def id(self, pid: int) -> int:
        pid = self.plan.index.find(pid)
        return self.real[pid] if pid < 0 else pid

    def change(
        self,
        kind: str,
        person: int | None = None,
        target: int | None = None,
        ref: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        w = self.w
        self.log.append((self.run_id, kind, person, target, ref, w.json(old), w.json(new)))

    def all(self, removed: list[tuple[int, str, bool, str]]) -> None:
        plan, report = self.plan, self.plan.report
        new = [plan.people[pid] for pid in plan.new_order]
        ids = self.w.new_ids("person", len(new))
        self.real = {p.id: real for p, real in zip(new, ids, strict=True)}
        plan.tick("write", 0, 8)
        self.people(new)
        plan.tick("write", 1, 8)
        existing = [p for p in plan.people.values() if not p.new]
        self.contact_points(new, existing)
        plan.tick("write", 2, 8)
        self.fields(removed)
        self.updates(existing)
        plan.tick("write", 3, 8)
        self.interactions()
        plan.tick("write", 4, 8)
        self.knows()
        plan.tick("write", 5, 8)
        self.job_changes(existing)
        self.duplicates()
        plan.tick("write", 6, 8)
        report.new = len(new)
        updated = [p for p in existing if p.touched()]
        report.updated = len(updated)
        report.unchanged = len(plan.matched - {p.id for p in updated})
        if ids:
            self.change(log.PEOPLE_CREATED, new=ranges(ids))
        self.finish()
        plan.tick("write", 8, 8)

    def people(self, new: list[_Person]) -> None:
        w, stamp = self.w, self.w.stamp(self.plan.now)
        day, json_, real = w.day, w.json, self.real
        at_connected, at_sources = _AT["connected_on"], _AT["fact_sources"]
        at_source = _AT["source"]

        def rows() -> Iterator[tuple[Any, ...]]:  # made batch by batch: memory stays flat
            for p in new:
                f = p.orig if p.changes is None else [p.get(c) for c in _FACTS]
                assert f is not None
                sources = f[at_sources]
                yield (real[p.id], *f[:at_connected], day(f[at_connected]), p.photo,
                       f[at_source], json_(sources) if sources else "{}", stamp, stamp)

        w.insert("person", _NEW_COLUMNS, rows())

    def contact_points(self, new: list[_Person], existing: list[_Person]) -> None:
        w = self.w
        emails, phones, links, tags = [], [], [], []
        for p in (*new, *existing):
            pid = self.id(p.id)
            for addr, kind, source in p.emails:
                emails.append((pid, addr, kind, source))
                if not p.new:
                    self.change(log.EMAIL_ADDED, pid, ref=addr)
            for e164, raw, kind, source in p.phones:
                phones.append((pid, e164, raw, kind, source))
                if not p.new:
                    self.change(log.PHONE_ADDED, pid, ref=e164)
            for url, label, source in p.links:
                links.append((pid, url, label, source))
                if not p.new:
                    self.change(log.LINK_ADDED, pid, ref=url[:320], new=url)
            for tag in p.tags:
                tags.append((pid, tag))
                if not p.new:
                    self.change(log.TAG_ADDED, pid, ref=tag)
        w.insert("person_email", ("person_id", "email", "kind", "source"), emails)
        w.insert("person_phone", ("person_id", "e164", "raw", "kind", "source"), phones)
        w.insert("person_link", ("person_id", "url", "label", "source"), links)
        w.insert("person_tag", ("person_id", "tag"), tags)

    def fields(self, removed: list[tuple[int, str, bool, str]]) -> None:
        w = self.w
        if removed:
            w.many(
                'DELETE FROM "person_field" WHERE "person_id" = ? AND "field" = ?',
                [(pid, slug) for pid, slug, _, _ in removed],
            )
            for pid, slug, inferred, source in removed:
                self.change(
                    log.FIELD_REMOVED, pid, ref=slug, old={"inferred": inferred, "source": source}
                )
        def rows() -> Iterator[tuple[Any, ...]]:
            for p in self.plan.people.values():
                if p.fields is None:
                    continue
                pid = self.id(p.id)
                for slug, inferred, source in p.fields:
                    yield (pid, slug, w.flag(inferred), source)
                    if not p.new:
                        self.change(log.FIELD_ADDED, pid, ref=slug)

        w.insert("person_field", ("person_id", "field", "inferred", "source"), rows())

    def updates(self, existing: list[_Person]) -> None:
        w = self.w
        rows: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        photos = []
        for p in existing:
            if not p.touched():
                continue
            changed = p.changed_facts()
            changed.pop("updated_at", None)
            changed["updated_at"] = self.plan.now
            cols = tuple(sorted(changed))
            rows[cols].append((*(self._value(c, changed[c]) for c in cols), p.id))
            assert p.orig is not None
            self.change(
                log.FACTS_CHANGED,
                p.id,
                old={
                    c: _stamp_text(p.orig[_AT[c]])
                    if c == "updated_at"
                    else _jsonable(p.orig[_AT[c]])
                    for c in cols
                },
                new={c: _jsonable(changed[c]) for c in cols},
            )
            if p.photo is not None:
                photos.append((p.photo, p.id))
                self.change(log.PHOTO_SET, p.id)
        for cols, values in rows.items():
            w.update("person", cols, values)
        if photos:
            w.update("person", ("photo",), photos)

    def _value(self, col: str, value: Any) -> Any:
        if col == "connected_on":
            return self.w.day(value)
        if col == "updated_at":
            return self.w.stamp(value)
        if col == "fact_sources":
            return self.w.json(value or {})
        return value

    def interactions(self) -> None:
        plan, w = self.plan, self.w
        records = plan.interactions
        ids = w.new_ids("interaction", len(records))
        stamp = w.stamp(plan.now)
        rows, links = [], []
        for iid, (rec, pids, source) in zip(ids, records, strict=True):
            if rec.date_only:
                at, offset, date_only = to_epoch(rec.at.date())
            else:
                at, offset, date_only = to_epoch(rec.at)
            rows.append(
                (
                    iid,
                    at,
                    offset,
                    w.flag(date_only),
                    _CHANNEL[rec.channel],
                    _INITIATOR[rec.initiator],
                    _INTENT[rec.intent],
                    w.flag(rec.intent_inferred),
                    rec.note,
                    rec.content if plan.options.keep_content else None,
                    source,
                    _stable_key(rec.key),
                    stamp,
                )
            )
            for pid in dict.fromkeys(self.id(p) for p in pids):
                links.append((iid, pid))
        w.insert(
            "interaction",
            (
                "id",
                "at",
                "utc_offset",
                "date_only",
                "channel",
                "initiator",
                "intent",
                "intent_inferred",
                "note",
                "content",
                "source",
                "source_key",
                "created_at",
            ),
            rows,
        )
        w.insert("interaction_person", ("interaction_id", "person_id"), links)
        plan.report.interactions_added = len(rows)
        if ids:
            self.change(log.INTERACTIONS_CREATED, new=ranges(ids))

    def knows(self) -> None:
        plan, w = self.plan, self.w
        if not plan.edges:
            return
        find = plan.index.find
        codes = {source: source.code for source in EdgeSource}
        between_ledger: set[tuple[int, int, int]] = set()  # may be in the ledger already
        made: set[tuple[int, int, int]] = set()
        for a, b, source in plan.edges:
            a, b = find(a), find(b)
            if a == b:
                continue
            if a > 0 and b > 0:
                between_ledger.add((min(a, b), max(a, b), codes[source]))
            else:
                ra, rb = self.id(a), self.id(b)
                made.add((min(ra, rb), max(ra, rb), codes[source]))
        plan.edges.clear()
        if between_ledger:
            for edge in w.stream('SELECT "a_id", "b_id", "source" FROM "knows"'):
                between_ledger.discard((edge[0], edge[1], edge[2]))
        rows = sorted(made | between_ledger)
        del made, between_ledger
        ids = w.new_ids("knows", len(rows))
        stamp = w.stamp(plan.now)
        w.insert(
            "knows",
            ("id", "a_id", "b_id", "source", "created_at"),
            ((i, a, b, code, stamp) for i, (a, b, code) in zip(ids, rows, strict=True)),
        )
        plan.report.knows_added = len(rows)
        if ids:
            self.change(log.KNOWS_CREATED, new=ranges(ids))

    def job_changes(self, existing: list[_Person]) -> None:
        plan, w = self.plan, self.w
        rows = []
        for p in existing:
            if not p.job:
                continue
            assert p.orig is not None
            old = (p.orig[_AT["title"]], p.orig[_AT["organisation"]])
            new = (p.get("title"), p.get("organisation"))
            if old == new:
                continue
            rows.append(
                (
                    p.id,
                    old[0],
                    new[0],
                    old[1],
                    new[1],
                    w.day(plan.today),
                    self.run_id,
                    w.stamp(plan.now),
                )
            )
            plan.report.job_changes.append(
                JobChangeInfo(
                    (p.id, p.get("display_name")),
                    old[0],
                    new[0],
                    old[1],
                    new[1],
                    plan.today.isoformat(),
                )
            )
        w.insert(
            "job_change",
            (
                "person_id",
                "old_title",
                "new_title",
                "old_organisation",
                "new_organisation",
                "seen_on",
                "run_id",
                "created_at",
            ),
            rows,
        )

    def duplicates(self) -> None:
        plan, w = self.plan, self.w
        rows = []
        seen: set[tuple[int, int]] = set()
        names = self._names({self.id(x) for pair in plan.dups for x in pair})
        for (a, b), (score, reason, status) in plan.dups.items():
            ra, rb = self.id(a), self.id(b)
            if ra == rb:
                continue
            pair = ordered(ra, rb)
            if pair in seen or pair in plan.known_pairs:
                continue
            seen.add(pair)
            rows.append((*pair, score, reason[:300], status, self.run_id, w.stamp(plan.now)))
            plan.report.possible_duplicates.append(
                DuplicateInfo(
                    None,
                    (pair[0], names.get(pair[0], "?")),
                    (pair[1], names.get(pair[1], "?")),
                    score,
                    reason,
                    status,
                )
            )
        w.insert(
            "possible_duplicate",
            ("a_id", "b_id", "score", "reason", "status", "run_id", "created_at"),
            rows,
        )

    def _names(self, ids: set[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        by_real = {real: temp for temp, real in self.real.items()}
        ledger = []
        for pid in ids:
            temp = by_real.get(pid, pid)
            person = self.plan.people.get(temp)
            if person is not None:
                found[pid] = person.get("display_name")
            else:
                ledger.append(pid)
        for lo in range(0, len(ledger), 500):
            rows = self.plan.s.execute(
                select(Person.id, Person.display_name).where(Person.id.in_(ledger[lo : lo + 500]))
            )
            found.update((pid, name) for pid, name in rows)
        return found

    def finish(self) -> None:
        w, report = self.w, self.plan.report
        if self.run_id is None:
            return
        w.insert(
            "import_change",
            ("run_id", "kind", "person_id", "target_id", "ref", "old", "new"),
            self.log,
        )
        w.execute(
            'UPDATE "import_run" SET "counts" = ?, "finished_at" = ? WHERE "id" = ?',
            (w.json(report.counts()), w.stamp(dt.datetime.now(dt.UTC)), self.run_id),
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _stamp_text(value: Any) -> str | None:
    """A stored time (a datetime, or SQLite's naive UTC text) as ISO text with its zone."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def run_import(
    *,
    db_session: Session,
    inputs: Sequence[InputFile],
    options: ImportOptions | None = None,
    resolver: Resolver | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write parsed files into the ledger in the session's transaction; return the report.

    With ``dry_run`` nothing is recorded as a run (the caller rolls the transaction back).
    Any failure raises ImportError_ naming the file; the caller's rollback undoes everything.
    """
    plan = _Import(
        db_session, inputs, options or ImportOptions(), resolver or ListForLater(), progress
    )
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects, none cyclic: no collections needed
    try:
        return plan.run(dry_run)
    except NetfolioError:
        raise
    except Exception as exc:
        names = ", ".join(i.name for i in inputs) or None
        raise ImportError_(
            f"cannot write to the ledger ({type(exc).__name__}: {exc}); nothing was imported",
            file=names,
        ) from exc
    finally:
        if collecting:
            gc.enable()


def skipped_summary(report: ImportReport) -> list[tuple[str, int]]:
    """Skipped items by reason, most frequent first."""
    return Counter(report.skipped).most_common()


__all__ = [
    "DuplicateInfo",
    "ImportOptions",
    "ImportReport",
    "InputFile",
    "JobChangeInfo",
    "Progress",
    "run_import",
]
