"""The plan stage: fold a record into a person (fill what is missing, replace what the same
kind of source gave, keep other values beside), add contact points, plan knows edges
(RELATED people, small organisations) and fields (inferred, re-inferred after a job change).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from netfolio.core.enums import EdgeSource
from netfolio.core.models import (
    PersonField,
)
from netfolio.core.taxonomy import infer_fields
from netfolio.io.import_state import (
    GENERIC_ORGANISATIONS,
    SMALL_ORGANISATION,
    ImportState,
    Keys,
    PlannedPerson,
    clip,
    format_of,
)
from netfolio.io.linkage import Verdict, phone_kind
from netfolio.io.matching import (
    ordered,
)
from netfolio.io.normalise import email_key, fold_name, normalise_linkedin_url
from netfolio.io.records import PersonRecord


class PlanStage(ImportState):
    """Folding records into the people they were matched to."""

    def judge_pair(self, a: int, b: int, shared: list[tuple[str, str]]) -> Verdict:
        """Judge two people sharing ``shared`` (the match stage knows how)."""
        raise NotImplementedError

    def close_names(self, name_key: str, ids: list[int]) -> list[int]:
        """The people among ``ids`` with a name close to ``name_key`` (the match stage)."""
        raise NotImplementedError

    def note_source(self, p: PlannedPerson, col: str, source: str) -> None:
        if source == p.get("source") and not (p.sources()).get(col):
            return
        sources = dict(p.sources())
        sources[col] = source
        p.set("fact_sources", sources)

    def fill(self, p: PlannedPerson, col: str, value: Any, source: str) -> None:
        if value is not None and value != "" and p.get(col) in (None, ""):
            p.set(col, clip(col, value))
            if not p.new:
                self.note_source(p, col, source)

    def update(self, p: PlannedPerson, col: str, value: str | None, source: str, fmt: str) -> None:
        """A title, organisation or location: replaced by the same kind of source only."""
        value = clip(col, value.strip()) if value else None
        current = p.get(col)
        if not value or value == current:
            return
        if current in (None, ""):
            p.set(col, value)
            self.note_source(p, col, source)  # new people too: which kind of source gave it
            return
        sources = p.sources()
        # The same kind of source replaces its own value; another kind's is kept beside it,
        # also among the records of one run, so that importing the files again changes
        # nothing.
        if format_of(sources.get(col) or p.get("source")) == fmt:
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

    def apply(self, p: PlannedPerson, rec: PersonRecord, keys: Keys, source: str, fmt: str) -> None:
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

    def add_points(self, p: PlannedPerson, rec: PersonRecord, keys: Keys, source: str) -> None:
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
        self.add_phones(p, keys, source)
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

    def add_phones(self, p: PlannedPerson, keys: Keys, source: str) -> None:
        """A record's phones: each this person's, and a question where someone else has it."""
        idx = self.index
        for e164, raw, kind in keys.phones:
            owners = idx.phone_owners(e164)
            if p.id in owners:
                continue
            # Someone else's phone is a question (proposed, unless judged already), and the
            # phone is this person's too: an office's or a household's number is shared.
            if any(ordered(p.id, owner) in self.dismissed for owner in owners):
                continue  # split off, or said to be another person's: it stays theirs
            # the pair is judged like any pair sharing a key: an office's switchboard with
            # another name is not even a question
            shared = ("switchboard" if len(owners) > 1
                      else "landline" if phone_kind(kind) == "landline" else phone_kind(kind))
            if shared == "switchboard":
                owners = self.close_names(str(p.get("name_key")), owners)
            for owner in owners:
                self.propose_judged(p.id, owner, self.judge_pair(p.id, owner, [(shared, e164)]))
            p.push("phones", (e164, raw, kind, source))
            idx.add_phone(e164, p.id)

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
            return self.index.by_email(email_key(text))
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
