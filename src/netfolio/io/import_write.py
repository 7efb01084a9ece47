"""The write stage: the plan written set-based (one executemany per table, explicit ids,
never a query per row) with the change log from which :mod:`netfolio.io.runs` undoes a run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from netfolio.core.bulk import BulkWriter, ranges
from netfolio.core.enums import Channel, EdgeSource, Initiator, Intent
from netfolio.core.interactions import to_epoch
from netfolio.core.models import (
    Person,
)
from netfolio.core.shapes import Ref
from netfolio.io import runs as log
from netfolio.io.import_report import DuplicateInfo, JobChangeInfo
from netfolio.io.import_state import (
    AT,
    FACTS,
    ImportState,
    PlannedPerson,
    stable_key,
)
from netfolio.io.matching import (
    ordered,
)

# Storage codes, looked up once (``.code`` searches the enum on every call).
_CHANNEL = {m: m.code for m in Channel}
_INITIATOR = {m: m.code for m in Initiator}
_INTENT = {m: m.code for m in Intent}
#: The columns of a new person row, in the order ``Writer.people`` builds it from FACTS.
_NEW_COLUMNS = ("id", *FACTS[: AT["connected_on"] + 1], "photo", "source", "fact_sources",
                "created_at", "updated_at")



class Writer:
    """Writing the plan: one executemany per table, and the change log."""

    def __init__(self, plan: ImportState, writer: BulkWriter, run_id: int | None) -> None:
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

    def people(self, new: list[PlannedPerson]) -> None:
        w, stamp = self.w, self.w.stamp(self.plan.now)
        day, json_, real = w.day, w.json, self.real
        at_connected, at_sources = AT["connected_on"], AT["fact_sources"]
        at_source = AT["source"]

        def rows() -> Iterator[tuple[Any, ...]]:  # made batch by batch: memory stays flat
            for p in new:
                f = p.orig if p.changes is None else [p.get(c) for c in FACTS]
                assert f is not None
                sources = f[at_sources]
                yield (real[p.id], *f[:at_connected], day(f[at_connected]), p.photo,
                       f[at_source], json_(sources) if sources else "{}", stamp, stamp)

        w.insert("person", _NEW_COLUMNS, rows())

    def contact_points(self, new: list[PlannedPerson], existing: list[PlannedPerson]) -> None:
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

    def updates(self, existing: list[PlannedPerson]) -> None:
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
                    c: _stamp_text(p.orig[AT[c]])
                    if c == "updated_at"
                    else _jsonable(p.orig[AT[c]])
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
                    stable_key(rec.key),
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

    def job_changes(self, existing: list[PlannedPerson]) -> None:
        plan, w = self.plan, self.w
        rows = []
        for p in existing:
            if not p.job:
                continue
            assert p.orig is not None
            old = (p.orig[AT["title"]], p.orig[AT["organisation"]])
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
                    Ref(p.id, p.get("display_name")),
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
                    Ref(pair[0], names.get(pair[0], "?")),
                    Ref(pair[1], names.get(pair[1], "?")),
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
