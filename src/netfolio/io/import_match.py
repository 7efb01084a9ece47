"""The match stage: who is who. Records are matched by LinkedIn URL, email or phone, each
pair judged by :func:`netfolio.io.linkage.judge` (merge, review list, or two people);
records with no key by name and organisation; new people with close names proposed to the
resolver; interaction participants found by profile, address or name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from netfolio.core.models import (
    ImportRun,
    Interaction,
    Person,
    PersonEmail,
    PossibleDuplicate,
)
from netfolio.core.people import LINKEDIN_LINK_LABEL
from netfolio.io.import_plan import PlanStage
from netfolio.io.import_state import (
    Keys,
    PlannedPerson,
    clip,
    format_of,
    profile_url,
    stable_key,
    strip_text,
)
from netfolio.io.linkage import (
    NAME_POPULATION,
    NameLevel,
    Outcome,
    Side,
    Verdict,
    address_letters,
    compare_names,
    conversation_u,
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
    Sketch,
    block_keys,
    ordered,
)
from netfolio.io.normalise import email_key, fold_name, phone_key
from netfolio.io.records import InteractionRecord, PersonRecord, PersonRef, SourceRef

#: How close a name must be to someone's in the same conversation to be judged against them.
CONVERSATION_NAME_LEVELS = frozenset(
    {NameLevel.EXACT, NameLevel.SIMILAR, NameLevel.TYPO, NameLevel.INITIAL, NameLevel.PARTIAL}
)


def conversation_of(key: str) -> str:
    """The mail thread, LinkedIn conversation or meeting an interaction's key belongs to
    (``mbox:<thread>:<day>:<person>`` → ``mbox:<thread>``; ``ical:<uid>:<occurrence>`` →
    ``ical:<uid>``)."""
    if key.startswith(("mbox:", "imap:")):
        return key.rsplit(":", 2)[0]
    if key.startswith("linkedin:message:"):
        return key.rsplit(":", 2)[0]
    if key.startswith("ical:") and not key.startswith("ical:nouid:"):
        return ":".join(key.split(":", 2)[:2])
    return key


class MatchStage(PlanStage):
    """Matching records and participants to people."""

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
        for url, pid in self.w.stream(
            'SELECT "url", "person_id" FROM "person_link" WHERE "label" = ?',
            (LINKEDIN_LINK_LABEL,),
        ):
            # a second profile, kept as a link when two people with one each were merged
            canonical = profile_url(url)
            if canonical is not None:
                urls.setdefault(canonical, pid)
        for e164, pid in self.w.stream('SELECT "e164", "person_id" FROM "person_phone"'):
            idx.add_phone(e164, pid)

    def keys_of(self, rec: PersonRecord) -> Keys:
        emails: list[tuple[str, str | None]] = []
        seen: set[str] = set()  # duplicate checks by set: linear in the card's size
        for e in rec.emails:
            addr = email_key(e.address)
            if addr is None:
                self.problem(rec.source, f"{e.address[:80]!r} is not an email address")
            elif addr not in seen:
                seen.add(addr)
                emails.append((addr, e.kind))
        phones: list[tuple[str, str, str | None]] = []
        for p in rec.phones:
            e164 = phone_key(p.raw, self.options.region)
            if e164 is None:
                hint = "" if self.options.region else " (without +country: see init --region)"
                self.problem(rec.source, f"{p.raw[:40]!r} is not a phone number{hint}")
            elif e164 not in seen:
                seen.add(e164)
                phones.append((e164, p.raw.strip()[:80], p.kind))
        return Keys(profile_url(rec.linkedin_url), emails, phones)

    def match(
        self, keys: Keys, side: Side | None = None
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
            kind = (
                "switchboard" if len(owners) > 2
                else "landline" if len(owners) > 1
                else phone_kind(phone_kind_)
            )
            if kind == "switchboard" and side is not None:
                owners = self.close_names(side.name_key, owners)
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

    def close_names(self, name_key: str, ids: list[int]) -> list[int]:
        """The people among ``ids`` whose name shares a block with ``name_key``: an office's
        switchboard is evidence only beside a close name (otherwise the pair is two
        people), and judging every holder would grow with the square of the office."""
        mine = block_keys(name_key)
        return [pid for pid in ids
                if self.name_keys(pid) == name_key or not mine.isdisjoint(
                    block_keys(self.name_keys(pid)))]

    def judge_pair(self, a: int, b: int, shared: list[tuple[str, str]]) -> Verdict:
        return self.judge(self.side(a), b, shared, a)

    def owner_of_keys(self, keys: Keys) -> int | None:
        """The one ledger person a record's profile, personal address or phone (no one
        else's) belongs to, if any."""
        idx = self.index
        found = idx.by_url(keys.url) if keys.url else None
        for addr, _ in keys.emails:
            if found is None and not is_generic_email(addr):
                found = idx.by_email(addr)
        for e164, _, _ in keys.phones:
            if found is None:
                found = idx.by_phone(e164)
        return found if found is not None and found > 0 else None

    def side(self, pid: int) -> Side:
        """What the pipeline knows of a person, to judge a pair with."""
        person = self.people.get(pid)
        if person is not None:
            emails = [e for e, _, _ in person.emails] + self.ledger_emails(pid)
            name_key = str(person.get("name_key"))
            others = {fold_name(rec.name) for rec, _ in person.records if rec.name}
            others |= self.seen_names.get(pid, set())
            others.discard(name_key)
            return Side(name_key, person.get("organisation"), emails,
                        person.get("linkedin_url"), tuple(others))
        name_key, org, has_url = self.light.get(pid, ("", None, False))
        url = self.ledger_url(pid) if has_url else None
        return Side(name_key, org, self.ledger_emails(pid), url)

    def ledger_url(self, pid: int) -> str | None:
        if self._url_of is None:
            self._url_of = {}
            for url, owner in self.index.urls.items():  # the profile first, then links
                if owner > 0:
                    self._url_of.setdefault(owner, url)
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

    def judge(
        self, side: Side, pid: int, shared: list[tuple[str, str]], side_id: int | None = None
    ) -> Verdict:
        """Judge a record (or person ``side_id``) against person ``pid``. An exact name
        counts by how many other people in the ledger and the import have it."""
        other = self.side(pid)
        population = max(len(self.light) + len(self.new_order), NAME_POPULATION)
        namesakes = sum(1 for i in self.index.by_name(other.name_key) if i not in (pid, side_id))
        return judge(side, other, shared, name_frequency=(namesakes + 1) / population,
                     conversation_share=self.conversation_share)

    def match_keyless(self, rec: PersonRecord) -> int | None:
        """A record with no profile, email or phone is the person of the same name and
        organisation (or of the same name, where one organisation is not known): with
        nothing else to go by, re-importing it must change nothing."""
        name = rec.name or strip_text(rec.organisation)  # as a new person would be named
        if not name:
            return None
        org = self.org_key(strip_text(rec.organisation))
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

    def match_people(self) -> None:
        total = sum(len(i.result.people) for i in self.inputs)
        done = 0
        self.tick("match", 0, total)
        for item in self.inputs:
            fmt = item.result.format
            seen_before = item.sha256 in self.imported_files
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
                if seen_before and (owner := self.owner_of_keys(keys)) is not None:
                    # A file imported before: its record is the person who has its keys now,
                    # whatever merges and splits the user made since.
                    self.matched.add(owner)
                    continue
                side = Side(fold_name(rec.name) if rec.name else "", strip_text(rec.organisation),
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
                if seen_before and pid > 0:
                    self.matched.add(pid)
                    continue
                for other, verdict in others:
                    if verdict.outcome is Outcome.MERGE and (pid < 0 or other < 0):
                        pid = self.join(pid, other)
                    else:
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

    def join(self, a: int, b: int) -> int:
        """A record is the same person as two people, and at least one of them is new in
        this import: they are one person (kept: the ledger's, else the first made)."""
        find = self.index.find
        a, b = find(a), find(b)
        if a == b:
            return a
        kept, gone = (b, a) if a < 0 and (b > 0 or b > a) else (a, b)
        self.index.alias[gone] = kept
        self.merges.append((gone, kept))
        return kept

    def create(
        self,
        name: str,
        rec: PersonRecord | None,
        keys: Keys | None,
        source: str,
        judged: Sequence[tuple[int, Verdict]] = (),
    ) -> PlannedPerson:
        """A new person (with a temporary negative id until written), built straight from
        its first record: this runs once per new row, so it avoids the general path."""
        pid = self.next_temp
        self.next_temp -= 1
        display = clip("display_name", name.strip()) or name
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
                clip("given_name", rec.given_name),
                clip("family_name", rec.family_name),
                name_key,
                clip("organisation", strip_text(rec.organisation)),
                clip("title", strip_text(rec.title)),
                clip("location", strip_text(rec.location)),
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
        person = PlannedPerson(pid, orig, True, False)
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

    def apply_pending(self) -> None:
        self.load_matched(self.pending)
        for pid, items in self.pending.items():
            person = self.people[pid]
            for rec, keys, source in items:
                self.apply(person, rec, keys, source, format_of(source))
        self.pending.clear()
        self.pending_emails.clear()
        self.pending_phones.clear()
        self.pending_urls.clear()

    def load_known_pairs(self) -> None:
        for a, b, status in self.s.execute(
            select(PossibleDuplicate.a_id, PossibleDuplicate.b_id, PossibleDuplicate.status)
        ):
            self.known_pairs.add(ordered(a, b))
            if status == "dismissed":
                self.dismissed.add(ordered(a, b))

    def load_imported_files(self) -> None:
        """The SHA-256 of every file an import not undone has read: such a file, imported
        again, changes nothing about the people its records match (after a merge or a split,
        its records would otherwise fill the facts and keys the user moved)."""
        for (files,) in self.s.execute(
            select(ImportRun.files).where(ImportRun.undone.is_(False))
        ):
            for entry in files or ():
                if isinstance(entry, dict) and entry.get("sha256"):
                    self.imported_files.add(str(entry["sha256"]))

    def find_duplicates(self, ids: Sequence[int] | None = None) -> None:
        """Propose close name (+ organisation) matches for the new people made from records
        (or the people ``ids``)."""
        ids = self.from_records if ids is None else ids
        if not ids:
            return
        finder = DuplicateFinder()
        new_people = [self.people[pid] for pid in ids if pid in self.people]
        wanted = {k for p in new_people for k in block_keys(p.get("name_key"))}
        ledger = [
            (pid, name_key, org, has_url)
            for pid, (name_key, org, has_url) in self.light.items()
            if not wanted.isdisjoint(block_keys(name_key))
        ]
        if all(has_url for *_, has_url in ledger) and all(
            p.get("linkedin_url") is not None for p in new_people
        ):
            return  # everyone has a LinkedIn profile: two profiles are two people
        for pid, name_key, org, has_url in ledger:
            finder.add(pid, name_key, self.org_key(org), has_url)
        asked = set(ids)
        for pid in self.new_order:  # this import's other new people
            made = self.people.get(pid)
            if pid not in asked and made is not None:
                finder.add(pid, made.get("name_key"), self.org_key(made.get("organisation")),
                           made.get("linkedin_url") is not None)
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
        """Ask the resolver about each proposal; merge, keep apart or list for later; then
        carry out the merges (these and those of records that joined two people)."""
        sketches = self.sketches({x for a, b, _, _ in self.proposals for x in (a, b)})
        find = self.index.find
        for new_id, other, score, reason in self.proposals:
            if find(new_id) != new_id:
                continue  # merged already
            target = find(other)
            if target == new_id or ordered(new_id, target) in self.dups:
                continue
            verdict = self.judge(self.side(new_id), target, [], new_id)
            if verdict.outcome is Outcome.MERGE:
                decision = Decision.MERGE  # the evidence is enough: nobody needs to be asked
            else:
                sketch = sketches.get(target) or self.sketches([target])[target]
                decision = self.resolver.decide(
                    Candidate(sketches[new_id], sketch, score, reason)
                )
            if decision is Decision.MERGE:
                self.index.alias[new_id] = target
                self.merges.append((new_id, target))
            elif decision is Decision.SEPARATE:
                self.add_duplicate(new_id, target, score, reason, "dismissed")
            else:
                self.add_duplicate(new_id, target, score, reason)
        if self.merges:
            self.load_matched(target for _, target in self.merges)
        for new_id, _ in self.merges:
            gone = self.people.pop(new_id)
            kept = self.people[find(new_id)]
            self.unindex(gone, new_id)
            for rec, source in gone.records:
                self.apply(kept, rec, self.keys_of(rec), source, format_of(source))
            if not kept.new:
                self.matched.add(kept.id)
        self.new_order = [pid for pid in self.new_order if pid in self.people]
        self.report.merged = len(self.merges)

    def review_participants(self) -> None:
        """People first met as a participant (an attendee, a mail address) whose name is
        close to someone's (a typo, a nickname, the other order): on the review list."""
        self.proposals = []
        self.find_duplicates(self.from_participants)
        for new_id, other, score, reason in self.proposals:
            self.add_duplicate(new_id, other, score, reason)
        self.proposals = []

    def participant(
        self, ref: PersonRef, fmt: str, where: SourceRef, source: str, conversation: str = ""
    ) -> int | None:
        """The person a participant is (None for you, or when nobody can be told): by profile
        or address; else by full name (or the name the address spells), judged with the
        evidence of the conversation (someone of that name already in this thread or
        meeting); else a new person, proposed as a possible duplicate where plausible."""
        pid = self._participant(ref, where, source, conversation)
        if pid is not None and conversation:
            self.conversations[conversation].add(pid)
        return pid

    def _candidates(self, key: str, email: str | None, conversation: str) -> list[int]:
        """Who a participant may be: everyone of that full name; else everyone whose name the
        address spells (``dario.iqbal83@`` and "Dario Iqbal"); else someone of a close name
        met in the same conversation."""
        idx = self.index
        found = idx.by_name(key) if len(key.split()) >= 2 else []
        if email and not is_generic_email(email):
            found = list(dict.fromkeys([*found, *idx.by_letters(address_letters(email))]))
        if not found and key and conversation:
            found = [
                pid for pid in self.conversations.get(conversation, ())
                if compare_names(key, self.name_keys(pid)) in CONVERSATION_NAME_LEVELS
            ]
        return found

    def _participant(
        self, ref: PersonRef, where: SourceRef, source: str, conversation: str
    ) -> int | None:
        idx = self.index
        email = email_key(ref.email) if ref.email else None
        if ref.email and email is None:
            self.problem(where, f"{ref.email[:80]!r} is not an email address")
        if email in self.me_emails:
            return None
        url = profile_url(ref.linkedin_url)
        if url in self.me_urls:
            return None
        pid = idx.by_url(url) if url else None
        if pid is None and email:
            pid = idx.by_email(email)
        name = (ref.name or "").strip()
        if pid is not None:
            if len(name.split()) >= 2 and pid < 0:
                # how this person's mail writes their name: another way to compare it
                self.seen_names[pid].add(fold_name(name))
            return pid
        key = fold_name(name) if name else ""
        # Only a full name is looked up: "William" alone is not anyone in particular (unless
        # the address spells the full name, or a William is in the same conversation).
        found = self._candidates(key, email, conversation)
        mates = self.conversations.get(conversation, set())
        unsure: list[tuple[int, Verdict]] = []
        if found and email:
            # The same person only when the evidence says so (the address's domain names
            # their organisation, the address spells their name, they are in this thread,
            # ...); a name alone is a question, since a namesake may write from their own
            # address. Among namesakes, the one the evidence points at.
            side = Side(key, None, [email], url)
            verdicts = [
                (pid, self.judge(side, pid, [("conversation", conversation)] if pid in mates
                                 else []))
                for pid in found
            ]
            merge = [pid for pid, v in verdicts if v.outcome is Outcome.MERGE]
            unsure = [(pid, v) for pid, v in verdicts if v.outcome is not Outcome.MERGE]
            found = []
            if len({self.side(pid).url for pid in merge} - {None}) > 1:
                # namesakes with a profile each, both fitting the address: which one is a
                # question, not a guess
                unsure += [(pid, v) for pid, v in verdicts if pid in merge]
                merge = []
            if merge:
                # The same person as several: one person, when all but one are new in this
                # import (the ledger's, else the first met, is kept); else a question.
                kept = min(merge, key=lambda pid: (pid < 0, abs(pid)))
                for other, verdict in verdicts:
                    if other in merge and other != kept:
                        if other < 0 and other in self.people:
                            self.merge_late(other, kept)
                            self.report.merged += 1
                        else:
                            unsure.append((other, verdict))
                found = [kept]
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
        self.from_participants.append(person.id)
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
        for other, verdict in unsure:
            if verdict.name is not NameLevel.EXACT and verdict.outcome is Outcome.APART:
                continue  # a close name only, and the evidence against
            self.add_duplicate(person.id, other, verdict.score,
                               f"same name, not merged: {verdict.reason}")
        return person.id

    def weigh_conversations(
        self, records: Sequence[tuple[object, InteractionRecord]]
    ) -> None:
        """Who is already known in each conversation (by profile or address), and u of "the
        same thread or meeting" estimated from these records: the pairs of participants who
        share a conversation over all pairs of people (:func:`linkage.conversation_u`)."""
        idx = self.index
        members: dict[str, set[str]] = defaultdict(set)
        everyone: set[str] = set()
        for _, rec in records:
            conversation = conversation_of(rec.key)
            for ref in rec.participants:
                email = email_key(ref.email) if ref.email else None
                url = profile_url(ref.linkedin_url)
                who = url or email or fold_name(ref.name or "")
                if not who or email in self.me_emails or url in self.me_urls:
                    continue
                members[conversation].add(who)
                everyone.add(who)
                pid = (idx.by_url(url) if url else None) or (
                    idx.by_email(email) if email else None
                )
                if pid is not None:
                    self.conversations[conversation].add(pid)
        pairs = sum(len(m) * (len(m) - 1) // 2 for m in members.values())
        self.conversation_share = conversation_u(pairs, len(everyone) + len(self.light))

    def address_fits(self, pid: int, email: str) -> bool:
        """The address's domain names the person's organisation, or the person's profile
        slug is the address's name."""
        side = self.side(pid)
        if is_generic_email(email):
            return False
        return domain_names_org(email, side.organisation) or slug_names_email(side.url, email)

    def match_interactions(self) -> None:
        records = [(i, r) for i in self.inputs for r in i.result.interactions]
        if not records:
            return
        existing = set(
            self.s.execute(
                select(Interaction.source_key).where(Interaction.source_key.is_not(None))
            ).scalars()
        )
        self.weigh_conversations(records)
        # People named only in attendee lists are loaded once, all together.
        refs = {fold_name(ref.name) for _, r in records for ref in r.participants if ref.name}
        candidates = [pid for key in refs for pid in self.index.by_name(key) if pid > 0]
        self.load_matched(candidates)
        seen: set[str] = set()
        total = len(records)
        for n, (item, rec) in enumerate(records, 1):
            if n % 2000 == 0:
                self.tick("interactions", n, total)
            key = stable_key(rec.key)
            if key in existing or key in seen:
                self.report.interactions_unchanged += 1
                continue
            fmt = item.result.format
            source = self.source_of(fmt, rec.source.file)
            pids: list[int] = []
            conversation = conversation_of(rec.key)
            for ref in rec.participants:
                pid = self.participant(ref, fmt, rec.source, source, conversation)
                if pid is not None and pid not in pids:
                    pids.append(pid)
            if not pids:
                self.skip("no participant", rec.source)
                continue
            seen.add(key)
            self.interactions.append((rec, pids, source))
        self.tick("interactions", total, total)
        self.join_in_conversations()

    def join_in_conversations(self) -> None:
        """Two people met in one thread or meeting under the same name, at least one of them
        new in this import (a reply from the phone's personal address): judged with the
        conversation as evidence, and made one person when it says so; else, when the names
        agree, on the review list."""
        find = self.index.find
        joined = 0
        for conversation, members in self.conversations.items():
            if len(members) < 2:
                continue
            ids = sorted({find(m) for m in members}, key=lambda pid: (pid < 0, abs(pid)))
            if len(ids) < 2 or ids[-1] > 0:
                continue  # nobody new: the ledger's people were judged when they came
            for i, gone in enumerate(ids):
                if gone > 0 or find(gone) != gone or gone not in self.people:
                    continue
                for kept in ids[:i]:
                    kept = find(kept)
                    if kept == gone:
                        continue
                    side = self.side(gone)
                    if compare_names(side.name_key, self.name_keys(kept)) not in (
                        CONVERSATION_NAME_LEVELS
                    ) and not side.other_names:
                        continue
                    verdict = self.judge(side, kept, [("conversation", conversation)], gone)
                    if verdict.outcome is Outcome.MERGE:
                        self.merge_late(gone, kept)
                        joined += 1
                        break
                    self.propose_judged(gone, kept, verdict)
        self.report.merged += joined
        # people merged late (here, or as a participant the evidence made one with another)
        self.from_participants = [p for p in self.from_participants if p in self.people]
        self.new_order = [p for p in self.new_order if p in self.people]

    def unindex(self, person: PlannedPerson, pid: int) -> None:
        """Take a planned person's emails, profile and phones (as ``pid``) out of the index,
        before their records are applied to the person they are merged into."""
        idx = self.index
        for addr, _, _ in person.emails:
            idx.emails.pop(addr, None)
        if idx.urls.get(person.get("linkedin_url") or "") == pid:
            del idx.urls[person.get("linkedin_url")]
        for e164, _, _, _ in person.phones:
            ids = idx.phones.get(e164, [])
            if pid in ids:
                ids.remove(pid)

    def merge_late(self, gone: int, kept: int) -> None:
        """A person new in this import becomes part of ``kept`` after the records were
        matched: their records are folded into ``kept``, their addresses and profile move,
        and every reference to them finds ``kept``."""
        idx = self.index
        person = self.people.pop(gone)
        target = self.touch(kept)
        idx.alias[gone] = kept
        self.merges.append((gone, kept))
        self.unindex(person, gone)
        for rec, source in person.records:
            self.apply(target, rec, self.keys_of(rec), source, format_of(source))
        for addr, kind, source in person.emails:
            if idx.by_email(addr) is None:
                target.push("emails", (addr, kind, source))
                idx.emails[addr] = kept
        url = person.get("linkedin_url")
        if url and target.get("linkedin_url") is None and idx.by_url(url) is None:
            target.set("linkedin_url", url)
            idx.urls[url] = kept
        if not target.new:
            self.matched.add(kept)
