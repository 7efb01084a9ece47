"""Telling people apart: identity keys, close-name candidates, and who decides about them.

The identity keys (LinkedIn profile URL, email case-insensitive, phone in E.164) find the
people a record may be: :class:`KeyIndex` holds those keys for the whole ledger in dicts,
loaded with one query per key table, so matching a 100,000-row file costs dict look-ups.
Whether a shared key makes one person is judged by :mod:`netfolio.io.linkage`.

Close names are found by :class:`DuplicateFinder` without comparing everyone with everyone:
people are blocked (:func:`block_keys`: initial and last name, nicknames, any order, plain
spelling), and rapidfuzz and the name levels compare names inside a block only. Two people
who both have a LinkedIn profile are never proposed (two profiles are two people). A
:class:`Resolver` decides each proposal the evidence does not settle: the terminal asks,
``--yes`` merges confident ones, the default lists them for ``netfolio duplicates``, tests
script it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from rapidfuzz import fuzz

from netfolio.io.linkage import name_letters

#: Below this token-sort ratio two names are not compared further (a nickname, another
#: spelling, the other order or a typo all score above it): blocks grow with the ledger,
#: and this keeps the work per pair to one fast ratio.
SIMILAR_PREFILTER = 55.0
#: A proposal at or above this score is merged without asking when the user said ``--yes``.
HIGH_CONFIDENCE = 95.0
#: Names at least this alike (token-sort ratio, 0-100) are compared further.
NAME_CUTOFF = 88.0
#: Organisations at least this alike count as the same organisation.
ORGANISATION_CUTOFF = 85.0
#: The score of a nickname, another spelling or the other order of the same name.
SIMILAR_NAME_SCORE = 80.0


class Decision(StrEnum):
    """What to do with a possible duplicate."""

    MERGE = "merge"  # the imported person is the existing one: merge them
    SEPARATE = "separate"  # two people: never propose the pair again
    LATER = "later"  # list it for `netfolio duplicates`


@dataclass(frozen=True)
class Sketch:
    """Enough about a person to tell them apart at a glance."""

    id: int
    name: str
    organisation: str | None = None
    title: str | None = None
    emails: tuple[str, ...] = ()
    source: str | None = None
    new: bool = False

    @property
    def label(self) -> str:
        bits = [b for b in (self.title, self.organisation) if b]
        return f"{self.name} ({', '.join(bits)})" if bits else self.name


@dataclass(frozen=True)
class Candidate:
    """An imported person (``new``) who may be ``existing``, with a score 0-100 and why."""

    new: Sketch
    existing: Sketch
    score: float
    reason: str


class Resolver(Protocol):
    """Decides whether an imported person who looks like an existing one is them."""

    def decide(self, candidate: Candidate) -> Decision: ...


class ListForLater:
    """Decides nothing now: every proposal waits for ``netfolio duplicates`` (the default)."""

    def decide(self, candidate: Candidate) -> Decision:
        return Decision.LATER


@dataclass
class MergeConfident:
    """``--yes``: merge proposals scoring at least ``threshold``; list the rest for later."""

    threshold: float = HIGH_CONFIDENCE

    def decide(self, candidate: Candidate) -> Decision:
        return Decision.MERGE if candidate.score >= self.threshold else Decision.LATER


@dataclass
class Scripted:
    """Decisions given in advance (tests, the web page's queue): by a function or a mapping
    from ``(new name, existing id)`` to a decision; anything else waits for later."""

    decisions: Callable[[Candidate], Decision] | Mapping[tuple[str, int], Decision]
    asked: list[Candidate] = field(default_factory=list)

    def decide(self, candidate: Candidate) -> Decision:
        self.asked.append(candidate)
        if callable(self.decisions):
            return self.decisions(candidate)
        key = (candidate.new.name, candidate.existing.id)
        return self.decisions.get(key, Decision.LATER)


# --- identity keys ---------------------------------------------------------------------------


class KeyIndex:
    """The ledger's identity keys in dicts: profile URL, email and phone → person id.

    ``alias`` records imported people merged into others, so a key that pointed at the one
    merged away finds the one kept (:meth:`find`).
    """

    def __init__(self) -> None:
        self.urls: dict[str, int] = {}
        self.emails: dict[str, int] = {}
        #: a phone may be shared (a family landline): e164 → the ids having it
        self.phones: dict[str, list[int]] = {}
        #: folded display name → the id, or the ids when several people share it
        self.names: dict[str, int | list[int]] = {}
        #: a full name's letters (:func:`netfolio.io.linkage.name_letters`) → the ids, so
        #: that an address spelling a name (``dario.iqbal83@``) finds them
        self.letters: dict[str, list[int]] = {}
        self.alias: dict[int, int] = {}

    def find(self, pid: int) -> int:
        while pid in self.alias:
            pid = self.alias[pid]
        return pid

    def by_url(self, url: str | None) -> int | None:
        pid = self.urls.get(url) if url else None
        return None if pid is None else self.find(pid)

    def by_email(self, email: str | None) -> int | None:
        pid = self.emails.get(email) if email else None
        return None if pid is None else self.find(pid)

    def by_phone(self, e164: str | None) -> int | None:
        """The one person with this phone (None when nobody, or several, have it)."""
        ids = self.phones.get(e164) if e164 else None
        if not ids:
            return None
        found = {self.find(i) for i in ids}
        return found.pop() if len(found) == 1 else None

    def by_name(self, name_key: str) -> list[int]:
        """Everyone whose folded display name is exactly ``name_key``."""
        ids = self.names.get(name_key)
        if ids is None:
            return []
        if isinstance(ids, int):
            return [self.find(ids)]
        return list(dict.fromkeys(self.find(i) for i in ids))

    def by_letters(self, letters: str) -> list[int]:
        """Everyone whose full name has exactly these letters (see ``add_name``)."""
        return list(dict.fromkeys(self.find(i) for i in self.letters.get(letters, ())))

    def add_name(self, name_key: str, pid: int) -> None:
        if " " in name_key:
            tokens = name_key.split()
            for form in {name_letters(name_key),
                         name_letters(" ".join(tokens[1:] + tokens[:1]))}:
                if len(form) >= 6:
                    self.letters.setdefault(form, []).append(pid)
        found = self.names.get(name_key)
        if found is None:
            self.names[name_key] = pid
        elif isinstance(found, int):
            self.names[name_key] = [found, pid]
        else:
            found.append(pid)

    def phone_owners(self, e164: str) -> list[int]:
        """Everyone who has this phone."""
        return list(dict.fromkeys(self.find(i) for i in self.phones.get(e164, ())))

    def add_phone(self, e164: str, pid: int) -> None:
        ids = self.phones.setdefault(e164, [])
        if pid not in ids:
            ids.append(pid)


# --- possible duplicates ---------------------------------------------------------------------


def block_key(name_key: str) -> str | None:
    """People compared with each other share this: first initial and last name."""
    parts = name_key.split()
    if len(parts) < 2:
        return None
    return f"{parts[0][0]} {parts[-1]}"


def score_pair(
    name_a: str, name_b: str, org_a: str | None, org_b: str | None, name_score: float | None = None
) -> tuple[float, str] | None:
    """How alike two people look (0-100) and why, or None when not alike enough.

    Same or close name and the same organisation scores 0.6 x name + 0.4 x organisation
    (91-100); a close name where one organisation is unknown scores 0.85 x name (at most
    85); the very same name at different organisations scores 75 (a job change?).
    """
    ns = (
        name_score
        if name_score is not None
        else (100.0 if name_a == name_b else fuzz.token_sort_ratio(name_a, name_b))
    )
    if ns < NAME_CUTOFF:
        return None
    same = "same name" if ns == 100 else f"similar name ({ns:.0f})"
    if org_a and org_b:
        os = 100.0 if org_a == org_b else fuzz.token_set_ratio(org_a, org_b)
        if os >= ORGANISATION_CUTOFF:
            return round(0.6 * ns + 0.4 * os, 1), f"{same}, same organisation"
        if ns == 100:
            return 75.0, "same name, different organisation (a job change?)"
        return None
    return round(0.85 * ns, 1), f"{same}; an organisation is unknown"


@dataclass
class _Entry:
    pid: int
    name: str
    organisation: str | None
    has_url: bool


@functools.lru_cache(maxsize=200_000)
def block_keys(name_key: str) -> frozenset[str]:
    """Every block a name is compared in: first initial and last name; the whole given name
    and the last name's initial (a typo in the last name); each nickname or full form of the
    given name (Bob / Robert); the name in the other order; and the name spelt in plain
    Latin letters (Müller / Mueller)."""
    from netfolio.io.linkage import name_forms, transliterated

    parts = name_key.split()
    if len(parts) < 2:
        return frozenset()
    given, family = parts[0], parts[-1]
    keys = {f"{given[0]} {family}", f"{given} {family[0]}.", f"{family[0]} {given}"}
    for form in name_forms(given):
        if form:
            keys.add(f"{form[0]} {family}")
    keys.add("~" + " ".join(sorted(parts)))  # any order of the same parts
    keys.add("=" + name_letters(name_key))  # a space or an apostrophe in another place
    if len(parts) >= 3:
        keys.add(f"{given} {parts[1]} …")  # a typo in the last of several family names
    plain = transliterated(name_key).split()
    if len(plain) >= 2:
        keys.add(f"{plain[0][0]} {plain[-1]}")
    return frozenset(keys)


class DuplicateFinder:
    """Proposes possible duplicates for newly imported people, blocked by name.

    ``add`` every person who may be matched (the ledger's and the imported); ``candidates``
    for an imported person compares them with the people of their blocks only
    (:func:`block_keys`), by rapidfuzz's ratio and by :func:`netfolio.io.linkage.compare_names`
    (nicknames, transliterations and swapped names are close too).
    """

    def __init__(self) -> None:
        self._blocks: dict[str, list[_Entry]] = {}

    def add(self, pid: int, name_key: str, organisation: str | None, has_url: bool) -> None:
        entry = _Entry(pid, name_key, organisation, has_url)
        for key in block_keys(name_key):
            self._blocks.setdefault(key, []).append(entry)

    def candidates(
        self,
        pid: int,
        name_key: str,
        organisation: str | None,
        has_url: bool,
        skip: Callable[[int], bool] = lambda _pid: False,
    ) -> list[tuple[int, float, str]]:
        """``(other id, score, reason)`` for the people ``pid`` may be, best first."""
        from netfolio.io.linkage import NameLevel, compare_names

        seen: set[int] = set()
        found: list[tuple[int, float, str]] = []
        for key in block_keys(name_key):
            for other in self._blocks.get(key, ()):
                if other.pid in seen or other.pid == pid or (has_url and other.has_url):
                    continue
                seen.add(other.pid)
                if skip(other.pid):
                    continue
                name_score = (
                    100.0 if other.name == name_key
                    else fuzz.token_sort_ratio(name_key, other.name)
                )
                scored = score_pair(name_key, other.name, organisation, other.organisation,
                                    name_score)
                if scored is None and name_score >= SIMILAR_PREFILTER:
                    level = compare_names(name_key, other.name)
                    if level is NameLevel.SIMILAR:
                        scored = (SIMILAR_NAME_SCORE, "similar name (a nickname, another "
                                  "spelling or the other order)")
                    elif level is NameLevel.TYPO:
                        scored = (SIMILAR_NAME_SCORE, "similar name (a typo?)")
                if scored is not None:
                    found.append((other.pid, *scored))
        found.sort(key=lambda item: -item[1])
        return found


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


__all__ = [
    "HIGH_CONFIDENCE",
    "Candidate",
    "Decision",
    "DuplicateFinder",
    "KeyIndex",
    "ListForLater",
    "MergeConfident",
    "Resolver",
    "Scripted",
    "Sketch",
    "block_key",
    "block_keys",
    "ordered",
    "score_pair",
]
