"""The realistic synthetic network: the tour, the tests and the benchmarks all use it.

:func:`generate` draws a network from a seed: people with varied names, fields (biased toward
the user's own), organisations and titles that fit each field, and years of interactions
driven by each tie's hidden closeness (Dunbar-like layers of about 5, 15, 50 and 150 per 300
people, then acquaintances and a LinkedIn-like mass of connections never contacted). Some
strong ties have gone dormant, some ties are ask-only, some people only ever ask of you;
there are asks with their statuses, group interactions, introductions, and knows edges
clustered by organisation and field. :func:`write` puts it into an empty ledger in one
transaction, fast enough for 100,000 people and 2,000,000 interactions.

    >>> demo = generate(people=300, seed=7, today=dt.date(2026, 1, 15))
    >>> len(demo.people), demo.me["own_fields"]
    (300, ['software'])

Everything is drawn with numpy, vectorised where the volume is (interactions, participants,
knows edges); the hidden truth (each person's layer and kind) is kept on the result so tests
and benchmarks can check what the measures recover.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import math
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import AskDirection, AskStatus, Channel, EdgeSource, Initiator, Intent
from netfolio.core.identity import fold_name
from netfolio.core.person_stats import refresh_after_bulk
from netfolio.core.taxonomy import field_by_slug, infer_fields, taxonomy
from netfolio.errors import ValidationError

if TYPE_CHECKING:
    from netfolio.core.db import Database

Progress = Callable[[str, int, int], None]

#: What each tuple in :attr:`DemoNetwork.people` holds, in order (the ``person`` columns).
PERSON_COLUMNS: tuple[str, ...] = (
    "id", "display_name", "given_name", "family_name", "name_key", "organisation", "title",
    "location", "linkedin_url", "birthday_year", "birthday_month", "birthday_day", "how_met",
    "notes", "tier_override", "closeness", "connected_on",
)
EMAIL_COLUMNS = ("id", "person_id", "email", "kind")
PHONE_COLUMNS = ("id", "person_id", "e164", "raw", "kind")
ASK_COLUMNS = ("id", "person_id", "direction", "what", "status", "opened_on", "closed_on")
INTRODUCTION_COLUMNS = ("id", "a_id", "b_id", "on", "note", "interaction_id")
#: The arrays in :attr:`DemoNetwork.interactions` (``ask_id`` 0 means none, ``note`` may be None).
INTERACTION_COLUMNS = (
    "id", "at", "utc_offset", "date_only", "channel", "initiator", "intent", "ask_id", "note",
)

#: Hidden layers, closest first: 0 very close (~5 per 300), 1 close, 2 the 50, 3 the 150,
#: 4 acquaintances, 5 not in any layer (ask-only ties, takers, connections never contacted).
LAYER_NAMES = ("very_close", "close", "fifty", "hundred_fifty", "acquaintance", "outside")
#: Hidden kinds of tie.
KIND_NAMES = ("regular", "dormant", "ask_only", "taker", "never_contacted")
REGULAR, DORMANT, ASK_ONLY, TAKER, NEVER = range(5)

# storage codes, as plain ints for numpy
_CATCH_UP, _SHARE, _GIVE, _ASK, _RECEIVED, _ASKED_OF_ME = (
    Intent.CATCH_UP.code, Intent.SHARE.code, Intent.GIVE.code, Intent.ASK.code,
    Intent.RECEIVED.code, Intent.ASKED_OF_ME.code,
)
_INTENT_PHRASES = {
    _CATCH_UP: "catch_up", _SHARE: "share", _GIVE: "give", _ASK: "ask", _RECEIVED: "received",
    _ASKED_OF_ME: "asked_of_me",
}

# People per layer in a network of 300, then ask-only ties and takers; the rest are never
# contacted (about 54%). Counts scale with the size of the network.
_LAYER_PER_300 = (5, 10, 33, 60, 18)
_ASK_ONLY_PER_300 = 6
_TAKERS_PER_300 = 5
# Interactions per year by layer (a person's own pace varies around it), so that 100,000
# people over 6 years make about 2,000,000 interactions.
_RATE = (80.0, 28.0, 9.5, 3.2, 0.9)
# Chance that a tie of each layer predates the period, and that a strong tie went dormant.
_PREDATES = (0.85, 0.7, 0.5, 0.35, 0.25)
_DORMANT_SHARE = 0.12
# Asks each way per year a regular tie was active, at most (at least one): even a very close
# friend is asked a favour a few times a year, not once in every thirty contacts.
_ASKS_PER_YEAR = 1.0
# Channel mix by layer: in_person, call, video, message, email, event, social.
_CHANNELS = np.array(
    [
        [0.34, 0.18, 0.08, 0.32, 0.03, 0.04, 0.01],
        [0.25, 0.15, 0.10, 0.33, 0.07, 0.07, 0.03],
        [0.15, 0.10, 0.12, 0.30, 0.15, 0.12, 0.06],
        [0.08, 0.06, 0.10, 0.26, 0.25, 0.15, 0.10],
        [0.03, 0.03, 0.07, 0.20, 0.30, 0.20, 0.17],
    ]
)
# Asks, and asks of me, per interaction by layer (scaled per person); the rest of the mix
# (catch_up, share, give, received) by layer.
_P_ASK = np.array([0.03, 0.04, 0.05, 0.06, 0.08])
_P_ASKED_OF_ME = np.array([0.04, 0.05, 0.06, 0.06, 0.06])
_DEPOSITS = np.array(
    [
        [0.62, 0.12, 0.18, 0.08],
        [0.55, 0.17, 0.19, 0.09],
        [0.45, 0.25, 0.22, 0.08],
        [0.40, 0.30, 0.22, 0.08],
        [0.35, 0.33, 0.25, 0.07],
    ]
)
# Local hour of day of a contact.
_HOURS = np.array(
    [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.5, 3.5, 6.5, 7.5, 7.5, 8.5, 7.5, 6.5, 6.5, 6.5,
     6.0, 6.5, 7.0, 6.0, 4.0, 2.0, 0.8]
)
_OWN_FIELD_SHARE = (0.30, 0.42, 0.33)  # close layers, other contacted layers, the rest
_SECOND_FIELD_SHARE = 0.08
_EMAIL_SHARE, _PHONE_SHARE, _LINKEDIN_SHARE, _BIRTHDAY_SHARE = 0.60, 0.30, 0.80, 0.25
_SOLO_ORGANISATIONS = frozenset({"Self-employed", "Stealth Startup"})
_PERSONAL_DOMAINS = ("mail.example", "post.example", "inbox.example")
_SECONDS_PER_DAY = 86_400
_EPOCH = dt.date(1970, 1, 1)
_ASCII = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "ß": "ss", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i"}
)


@dataclass(eq=False)
class DemoNetwork:
    """A generated network as plain rows, ready to write; see the ``*_COLUMNS`` constants.

    Person ids run from 1; ``layer[i]`` and ``kind[i]`` describe person ``i + 1`` (the hidden
    truth the interactions were drawn from: see :data:`LAYER_NAMES`, :data:`KIND_NAMES`).
    """

    today: dt.date
    years: int
    seed: int
    #: the user's settings: name, emails, own_fields, weekly_budget
    me: dict[str, Any]
    people: list[tuple[Any, ...]]
    emails: list[tuple[int, int, str, str]]
    phones: list[tuple[int, int, str, str, str]]
    #: (person_id, field slug); a person's first row is their primary field
    person_fields: list[tuple[int, str]]
    #: (person_id, tag)
    tags: list[tuple[int, str]]
    asks: list[tuple[Any, ...]]
    #: column arrays named by :data:`INTERACTION_COLUMNS`, in time order, ids from 1
    interactions: dict[str, NDArray[Any]]
    #: (interaction_id, person_id) rows
    participants: NDArray[np.int64]
    introductions: list[tuple[Any, ...]]
    #: (id, a_id, b_id, source code) rows with a_id < b_id
    knows: NDArray[np.int64]
    layer: NDArray[np.int8]
    kind: NDArray[np.int8]
    #: person ids worth showing in the tour, by what they show
    highlights: dict[str, int] = field(default_factory=dict)

    @property
    def interaction_count(self) -> int:
        return len(self.interactions["id"])

    def shifted(self, offsets: dict[str, int]) -> DemoNetwork:
        """The same network with every id of a table moved up by ``offsets[table]`` (the
        tables of :data:`_ID_TABLES`), so that it can join a database other users share."""
        p, i, a = offsets["person"], offsets["interaction"], offsets["ask"]
        e, ph, x, k = (offsets["person_email"], offsets["person_phone"],
                       offsets["introduction"], offsets["knows"])
        interactions = dict(self.interactions)
        interactions["id"] = self.interactions["id"] + i
        asked = self.interactions["ask_id"]
        interactions["ask_id"] = np.where(asked > 0, asked + a, 0)
        return replace(
            self,
            people=[(row[0] + p, *row[1:]) for row in self.people],
            emails=[(r[0] + e, r[1] + p, *r[2:]) for r in self.emails],
            phones=[(r[0] + ph, r[1] + p, *r[2:]) for r in self.phones],
            person_fields=[(pid + p, slug) for pid, slug in self.person_fields],
            tags=[(pid + p, tag) for pid, tag in self.tags],
            asks=[(r[0] + a, r[1] + p, *r[2:]) for r in self.asks],
            interactions=interactions,
            participants=self.participants + np.array([i, p], dtype=np.int64),
            introductions=[(r[0] + x, r[1] + p, r[2] + p, r[3], r[4],
                            None if r[5] is None else r[5] + i) for r in self.introductions],
            knows=self.knows + np.array([k, p, p, 0], dtype=np.int64),
            highlights={name: pid + p for name, pid in self.highlights.items()},
        )

    def counts(self) -> dict[str, int]:
        """Rows per table, as :func:`write` puts them in the ledger."""
        return {
            "person": len(self.people),
            "person_email": len(self.emails),
            "person_phone": len(self.phones),
            "person_field": len(self.person_fields),
            "person_tag": len(self.tags),
            "ask": len(self.asks),
            "interaction": self.interaction_count,
            "interaction_person": len(self.participants),
            "introduction": len(self.introductions),
            "knows": len(self.knows),
        }


# --- vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _City:
    name: str
    country: str
    utc_offset: int
    dst: str
    phone: str
    weight: float


@dataclass(frozen=True)
class _Vocabulary:
    given: tuple[tuple[str, ...], ...]  # by culture
    family: tuple[tuple[str, ...], ...]
    culture_weights: NDArray[np.float64]
    cities: tuple[_City, ...]
    org_cities: tuple[str, ...]  # cities whose names say no field
    org_families: tuple[str, ...]
    words: tuple[str, ...]
    neutral: tuple[str, ...]
    organisations: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[tuple[str, ...], NDArray[np.float64]]]
    generic_titles: tuple[str, ...]
    phone_pools: dict[str, tuple[tuple[str, int, str], ...]]
    phrases: dict[str, tuple[str, ...]]


def _top(title: str | None, organisation: str | None) -> str | None:
    found = infer_fields(title, organisation)
    return found[0].slug if found else None


@functools.cache
def _vocabulary() -> _Vocabulary:
    """The demo's words, checked against the taxonomy: what would read as another field goes."""
    raw = tomllib.loads(
        resources.files("netfolio.data").joinpath("demo_names.toml").read_text("utf-8")
    )
    silent = lambda text: not infer_fields(text, None) and not infer_fields(None, text)  # noqa: E731
    cultures = raw["culture"]
    cities = tuple(_City(**c) for c in raw["city"])
    families = tuple(f for c in cultures for f in c["family"])
    words = tuple(w for w in raw["organisations"]["words"] if silent(w))
    org_cities = tuple(c.name for c in cities if silent(c.name))
    org_families = tuple(f for f in families if silent(f))

    slugs = [f.slug for f in taxonomy()]
    organisations: dict[str, tuple[str, ...]] = {}
    titles: dict[str, tuple[tuple[str, ...], NDArray[np.float64]]] = {}
    seniority = [(str(p), float(w)) for p, w in raw["titles"]["seniority"]]
    senior_ok = set(raw["titles"]["senior_ok"])
    for slug in slugs:
        patterns = tuple(raw["organisations"]["field"].get(slug, ())) or tuple(
            raw["organisations"]["neutral"]
        )
        organisations[slug] = patterns
        names: list[str] = []
        weights: list[float] = []
        for rank, base in enumerate(raw["titles"]["field"].get(slug, ())):
            if _top(base, None) != slug:
                continue
            weight = 1.0 / (rank + 1) ** 0.5
            names.append(base)
            weights.append(weight)
            if base.split()[-1] in senior_ok and base.split()[0] not in dict(seniority):
                for prefix, share in seniority:
                    variant = f"{prefix} {base}"
                    if _top(variant, None) == slug:
                        names.append(variant)
                        weights.append(weight * share)
        if not names:  # a field the vocabulary does not know yet: use its own keywords
            names = [k.title() for k in field_by_slug(slug).keywords[:8]]
            weights = [1.0] * len(names)
        w = np.array(weights)
        titles[slug] = (tuple(names), w / w.sum())
    generic = tuple(t for t in raw["titles"]["generic"] if not infer_fields(t, None))
    phones = raw["phones"]
    pools = {
        "nanp": tuple((f"+1{ac}55501", 2, f"+1 ({ac}) 555-01") for ac in phones["nanp_area_codes"]),
        "gb": tuple((p, int(n), r) for p, n, r in phones["gb"]),
        "au": tuple((p, int(n), r) for p, n, r in phones["au"]),
    }
    culture_weights = np.array([float(c["weight"]) for c in cultures])
    return _Vocabulary(
        given=tuple(tuple(c["given"]) for c in cultures),
        family=tuple(tuple(c["family"]) for c in cultures),
        culture_weights=culture_weights / culture_weights.sum(),
        cities=cities,
        org_cities=org_cities,
        org_families=org_families,
        words=words,
        neutral=tuple(raw["organisations"]["neutral"]),
        organisations=organisations,
        titles=titles,
        generic_titles=generic,
        phone_pools=pools,
        phrases={k: tuple(v) for k, v in raw["phrases"].items()},
    )


@functools.lru_cache(maxsize=1 << 16)
def ascii_slug(text: str, sep: str = "") -> str:
    """Fold a name to lower-case ASCII letters and digits for addresses and URLs.

    >>> ascii_slug("Łukasz Nguyễn-O'Brien", "-")
    'lukasz-nguyen-obrien'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    parts = "".join(c if c.isascii() and c.isalnum() else " " for c in plain.replace("'", ""))
    return sep.join(parts.split())


def _zipf(n: int, s: float = 1.0) -> NDArray[np.float64]:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


# --- the ties -------------------------------------------------------------------------------


@dataclass
class _Ties:
    layer: NDArray[np.int8]
    kind: NDArray[np.int8]
    start: NDArray[np.int64]  # first day of the tie (may predate the period)
    end: NDArray[np.int64]  # day after the last possible contact
    count: NDArray[np.int64]  # interactions drawn for the tie itself


def _layer_counts(n: int) -> tuple[list[int], int, int]:
    scale = n / 300
    layers = [round(c * scale) for c in _LAYER_PER_300]
    ask_only = round(_ASK_ONLY_PER_300 * scale)
    takers = round(_TAKERS_PER_300 * scale)
    if n >= 10:
        layers[0] = max(layers[0], 1)
        layers[1] = max(layers[1], 1)
        ask_only, takers = max(ask_only, 1), max(takers, 1)
    counts = [*layers, ask_only, takers]
    while sum(counts) > n:  # tiny networks: drop from the widest layers first
        counts[int(np.argmax(counts))] -= 1
    return counts[:5], counts[5], counts[6]


def _ties(rng: np.random.Generator, n: int, first: int, today: int) -> _Ties:
    layers, ask_only, takers = _layer_counts(n)
    order = rng.permutation(n)
    layer = np.full(n, 5, np.int8)
    kind = np.full(n, NEVER, np.int8)
    at = 0
    for i, size in enumerate(layers):
        layer[order[at : at + size]] = i
        kind[order[at : at + size]] = REGULAR
        at += size
    kind[order[at : at + ask_only]] = ASK_ONLY
    kind[order[at + ask_only : at + ask_only + takers]] = TAKER

    window = today - first
    regular = kind == REGULAR
    li = np.minimum(layer, 4)
    predates = rng.random(n) < np.asarray(_PREDATES)[li]
    start = np.where(
        predates,
        first - (rng.random(n) * 8 * 365).astype(np.int64),
        first + 1 + (rng.random(n) * max(window - 30, 1)).astype(np.int64),
    )
    end = np.full(n, today, np.int64)

    strong = np.flatnonzero(regular & (layer <= 2))
    if len(strong) and window >= 240:
        dormant = strong[rng.random(len(strong)) < _DORMANT_SHARE]
        if not len(dormant):
            dormant = strong[[int(rng.integers(len(strong)))]]
        silence = rng.uniform(365, 3 * 365, len(dormant))
        silence = np.minimum(silence, 0.6 * window).astype(np.int64)
        end[dormant] = today - silence
        start[dormant] = np.minimum(start[dormant], end[dormant] - min(365, window // 3))
        kind[dormant] = DORMANT

    # each tie's own pace: interactions over the days it was active within the period
    active = np.maximum(end - np.maximum(start, first + 1), 1)
    pace = rng.lognormal(0.0, 0.35, n)
    rate = np.asarray(_RATE)[li] * pace
    count = rng.poisson(rate * active / 365.25).astype(np.int64)
    contacted = (kind == REGULAR) | (kind == DORMANT)
    count = np.where(contacted, np.maximum(count, 1), 0)
    count[kind == ASK_ONLY] = 1 + rng.binomial(2, 0.35, int((kind == ASK_ONLY).sum()))
    count[kind == TAKER] = 2 + rng.binomial(4, 0.35, int((kind == TAKER).sum()))
    late = (kind == ASK_ONLY) | (kind == TAKER)
    start[late] = np.maximum(start[late], first + 1)
    return _Ties(layer=layer, kind=kind, start=start, end=end, count=count)


# --- people ---------------------------------------------------------------------------------


@dataclass
class _People:
    given: list[str]
    family: list[str]
    display: list[str]
    fields: list[list[str]]
    organisation: list[str | None]
    org_id: NDArray[np.int64]  # -1: none or a solo "organisation"
    title: list[str | None]
    city: NDArray[np.int64]  # index into the vocabulary's cities, -1 unknown
    home_city: int


def _names(rng: np.random.Generator, vocab: _Vocabulary, n: int) -> tuple[list[str], ...]:
    k = len(vocab.given)
    culture = rng.choice(k, n, p=vocab.culture_weights)
    mixed = rng.random(n) < 0.12
    family_culture = np.where(mixed, rng.choice(k, n, p=vocab.culture_weights), culture)
    g_pick = rng.random(n)
    f_pick = rng.random(n)
    initials = rng.integers(0, 20, n)
    given, family, display = [], [], []
    seen: set[str] = set()
    letters = "ABCDEFGHJKLMNOPRSTVW"
    for i in range(n):
        gs, fs = vocab.given[culture[i]], vocab.family[family_culture[i]]
        g, f = gs[int(g_pick[i] * len(gs))], fs[int(f_pick[i] * len(fs))]
        name = f"{g} {f}"
        if name in seen:  # a namesake: most people would tell them apart by an initial
            name = f"{g} {letters[initials[i]]}. {f}"
        seen.add(name)
        given.append(g)
        family.append(f)
        display.append(name)
    return given, family, display


def _organisation_names(
    rng: np.random.Generator, vocab: _Vocabulary, patterns: Sequence[str], k: int
) -> list[str]:
    """``k`` organisation names drawn from ``patterns`` (names may repeat)."""
    fam = vocab.org_families
    p, w, c = (rng.integers(0, len(x), k) for x in (patterns, vocab.words, vocab.org_cities))
    f = rng.integers(0, len(fam), k)
    g = (f + rng.integers(1, len(fam), k)) % len(fam)  # never the same family twice
    return [
        patterns[p[i]].format(w=vocab.words[w[i]], c=vocab.org_cities[c[i]], f=fam[f[i]],
                              g=fam[g[i]])
        for i in range(k)
    ]


def _people(
    rng: np.random.Generator, vocab: _Vocabulary, ties: _Ties, own_field: str
) -> _People:
    n = len(ties.layer)
    given, family, display = _names(rng, vocab, n)

    # fields: a bias toward the user's own, the rest Zipf-like over the taxonomy
    slugs = [f.slug for f in taxonomy()]
    others = [s for s in slugs if s != own_field]
    others = [others[i] for i in rng.permutation(len(others))]
    contacted = ties.kind != NEVER
    own_share = np.where(
        ties.layer <= 1, _OWN_FIELD_SHARE[0], np.where(contacted, *_OWN_FIELD_SHARE[1:])
    )
    is_own = rng.random(n) < own_share
    other_pick = rng.choice(len(others), n, p=_zipf(len(others), 0.9))
    primary = [own_field if is_own[i] else others[other_pick[i]] for i in range(n)]
    second_pick = rng.choice(len(slugs), n, p=_zipf(len(slugs), 0.9))
    has_second = rng.random(n) < _SECOND_FIELD_SHARE
    fields: list[list[str]] = []
    for i in range(n):
        second = slugs[second_pick[i]]
        both = has_second[i] and second != primary[i]
        fields.append([primary[i], second] if both else [primary[i]])

    # organisations: a few per field, sized Zipf-like so that some are big employers
    org_names: list[str] = []
    org_index: dict[str, int] = {}

    def org_id_of(name: str) -> int:
        if name not in org_index:
            org_index[name] = len(org_names)
            org_names.append(name)
        return org_index[name]

    organisation: list[str | None] = [None] * n
    title: list[str | None] = [None] * n
    members: dict[str, list[int]] = {}
    for i, slug in enumerate(primary):
        members.setdefault(slug, []).append(i)
    neutral_count = max(1, math.ceil(n * 0.07 / 12))
    neutral = [org_id_of(name) for name in _organisation_names(rng, vocab, vocab.neutral,
                                                                neutral_count)]
    by_field: dict[str, list[int]] = {}
    telling: set[tuple[str, int]] = set()  # (field, organisation) where the name says the field
    for slug in slugs:
        idx = members.get(slug, [])
        if not idx:
            continue
        wanted = max(1, math.ceil(len(idx) / 7))
        made: dict[int, None] = {}
        for name in _organisation_names(rng, vocab, vocab.organisations[slug], wanted * 3):
            new = org_id_of(name)
            if new not in made and _top(None, name) == slug:
                telling.add((slug, new))
            made[new] = None
            if len(made) >= wanted:
                break
        by_field[slug] = list(made)
    all_orgs = [o for ids in by_field.values() for o in ids]
    roll = rng.random(n)
    pick = rng.random(n)
    title_roll = rng.random(n)
    generic_pick = rng.integers(0, max(len(vocab.generic_titles), 1), n)
    for slug, idx in members.items():
        ids = by_field[slug]
        weights = _zipf(len(ids), 0.9)
        choice = rng.choice(len(ids), len(idx), p=weights)
        names, title_weights = vocab.titles[slug]
        title_choice = rng.choice(len(names), len(idx), p=title_weights)
        for j, i in enumerate(idx):
            r = roll[i]
            org: int | None
            if r < 0.04:
                org = None
            elif r < 0.11:
                org = neutral[int(pick[i] * len(neutral))]
            elif r < 0.19:
                org = all_orgs[int(pick[i] * len(all_orgs))]  # a job outside the field
            else:
                org = ids[choice[j]]
            organisation[i] = None if org is None else org_names[org]
            t = title_roll[i]
            if t < 0.03:
                title[i] = None
            elif vocab.generic_titles and (
                (t < 0.15 and (slug, org) in telling)  # "Director" at a bank
                or (t < 0.2 and org is not None and org not in ids)  # field unknown
            ):
                title[i] = vocab.generic_titles[generic_pick[i]]
            else:
                title[i] = names[title_choice[j]]
    org_id = np.array(
        [-1 if o is None or o in _SOLO_ORGANISATIONS else org_index[o] for o in organisation],
        np.int64,
    )

    # places: many nearby, the rest around the world
    weights = np.array([c.weight for c in vocab.cities])
    weights = weights / weights.sum()
    home = int(rng.choice(len(vocab.cities), p=weights))
    city = rng.choice(len(vocab.cities), n, p=weights)
    place = rng.random(n)
    city = np.where(place < 0.40, home, city)
    city = np.where(place > 0.92, -1, city).astype(np.int64)
    return _People(given, family, display, fields, organisation, org_id, title, city, home)


# --- contact details --------------------------------------------------------------------------


def _domain(organisation: str | None) -> str | None:
    if not organisation or organisation in _SOLO_ORGANISATIONS:
        return None
    return f"{ascii_slug(organisation, '-')}.example"


def _unique(seen: set[str], candidates: Iterable[str]) -> str:
    """The first candidate not seen yet (and now seen)."""
    value = next(c for c in candidates if c not in seen)
    seen.add(value)
    return value


def _contacts(
    rng: np.random.Generator, vocab: _Vocabulary, people: _People
) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int, str, str, str]], list[str | None]]:
    n = len(people.display)
    emails: list[tuple[int, int, str, str]] = []
    seen_emails: set[str] = set()
    has_email = rng.random(n) < _EMAIL_SHARE
    work_first = rng.random(n) < 0.65
    second = rng.random(n) < 0.12
    personal = rng.integers(0, len(_PERSONAL_DOMAINS), n)
    digits = rng.integers(10, 99, n)
    for i in np.flatnonzero(has_email).tolist():
        local = f"{ascii_slug(people.given[i])}.{ascii_slug(people.family[i])}"
        work = _domain(people.organisation[i])
        home = _PERSONAL_DOMAINS[personal[i]]
        kinds = ["work"] if work_first[i] and work else ["home"]
        if second[i] and (kinds[0] == "work" or work):
            kinds.append("home" if kinds[0] == "work" else "work")
        for kind in kinds:
            domain = work if kind == "work" else home
            base = f"{local}{digits[i]}" if kind == "home" and digits[i] % 3 == 0 else local
            address = _unique(
                seen_emails, (f"{base}{k or ''}@{domain}" for k in itertools.count())
            )
            emails.append((len(emails) + 1, i + 1, address, kind))

    # phones from fictional ranges, by where the person lives
    phones: list[tuple[int, int, str, str, str]] = []
    pools = {name: list(ranges) for name, ranges in vocab.phone_pools.items()}
    sizes = {name: sum(10**nd for _, nd, _ in ranges) for name, ranges in pools.items()}
    order = {name: rng.permutation(size) for name, size in sizes.items()}
    used = dict.fromkeys(pools, 0)
    has_phone = rng.random(n) < _PHONE_SHARE
    fallback = rng.integers(0, len(pools), n)
    mobile = rng.random(n) < 0.7
    names = list(pools)
    for i in np.flatnonzero(has_phone).tolist():
        c = people.city[i]
        wanted = vocab.cities[c].phone if c >= 0 else ""
        candidates = [wanted] if wanted else []
        candidates += [names[(fallback[i] + k) % len(names)] for k in range(len(names))]
        pool = next((p for p in candidates if used[p] < sizes[p]), None)
        if pool is None:
            break
        number = int(order[pool][used[pool]])
        used[pool] += 1
        for prefix, nd, raw in pools[pool]:
            if number < 10**nd:
                tail = f"{number:0{nd}d}"
                phones.append(
                    (len(phones) + 1, i + 1, prefix + tail, raw + tail,
                     "mobile" if mobile[i] else "work")
                )
                break
            number -= 10**nd

    # LinkedIn profiles: https://www.linkedin.com/in/<given>-<family>-<hex>
    linkedin: list[str | None] = [None] * n
    seen_urls: set[str] = set()
    has_linkedin = rng.random(n) < _LINKEDIN_SHARE
    tails = rng.integers(0, 16**6, n)
    for i in np.flatnonzero(has_linkedin).tolist():
        slug = f"{ascii_slug(people.given[i], '-')}-{ascii_slug(people.family[i], '-')}"
        start = int(tails[i])
        linkedin[i] = _unique(
            seen_urls,
            (f"https://www.linkedin.com/in/{slug}-{(start + k) % 16**6:06x}"
             for k in itertools.count()),
        )
    return emails, phones, linkedin


# --- interactions -----------------------------------------------------------------------------


@dataclass
class _Drawn:
    """Interactions before they are put in time order (one primary person each)."""

    person: NDArray[np.int64]
    day: NDArray[np.int64]
    channel: NDArray[np.int64]
    intent: NDArray[np.int64]
    initiator: NDArray[np.int64]
    extra: NDArray[np.int64]  # (index into these arrays, person index): more participants


def _categorical(rng: np.random.Generator, table: NDArray[np.float64], rows: NDArray[Any]) -> Any:
    """One draw per element of ``rows`` from the probabilities in ``table[rows]``."""
    cum = np.cumsum(table, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(rows))
    out = np.zeros(len(rows), np.int64)
    for r in range(len(table)):
        at = rows == r
        out[at] = np.minimum(np.searchsorted(cum[r], u[at], side="right"), len(cum[r]) - 1)
    return out


def _weekday_shift(
    rng: np.random.Generator, day: NDArray[np.int64], work: NDArray[np.bool_]
) -> Any:
    """Move most work contacts that fell on a weekend to the Friday before."""
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    move = work & (weekday >= 5) & (rng.random(len(day)) < 0.7)
    return np.where(move, day - (weekday - 4), day)


def _draw_interactions(
    rng: np.random.Generator, ties: _Ties, people: _People, first: int, today: int
) -> _Drawn:
    n = len(ties.layer)
    who = np.repeat(np.arange(n, dtype=np.int64), ties.count)
    lo = np.maximum(ties.start, first + 1)[who]
    hi = np.maximum(ties.end[who], lo + 1)
    day = lo + (rng.random(len(who)) * (hi - lo)).astype(np.int64)
    layer = np.minimum(ties.layer[who], 4).astype(np.int64)
    kind = ties.kind[who]
    day = _weekday_shift(rng, day, layer >= 2)
    day = np.clip(day, first + 1, today - 1)
    m = len(who)

    # intent: asks and asks-of-me by layer and by each person's habits, then the deposits
    ask_habit = rng.gamma(2.0, 0.5, n)
    asked_habit = rng.gamma(2.0, 0.5, n)
    p_ask = _P_ASK[layer] * ask_habit[who]
    p_asked = _P_ASKED_OF_ME[layer] * asked_habit[who]
    u = rng.random(m)
    deposit = np.array([_CATCH_UP, _SHARE, _GIVE,
                        _RECEIVED])[_categorical(rng, _DEPOSITS, layer)]
    intent = np.where(
        u < p_ask, _ASK, np.where(u < p_ask + p_asked, _ASKED_OF_ME, deposit)
    )
    _cap_asks(rng, ties, who, intent, first)
    intent[kind == ASK_ONLY] = _ASK
    intent[kind == TAKER] = _ASKED_OF_ME

    # who started it: both sides for close ties; some ties are one-sided
    p_me = np.where(
        ties.layer <= 1, rng.beta(5, 5, n), np.where(ties.layer == 2, rng.beta(6, 4, n),
                                                     rng.beta(7, 3, n))
    )
    p_me = np.where(rng.random(n) < 0.12, 0.97, p_me)
    v = rng.random(m)
    me_starts = np.select(
        [intent == _ASK, intent == _ASKED_OF_ME,
         intent == _GIVE, intent == _RECEIVED],
        [np.ones(m, bool), np.zeros(m, bool), v < 0.9, v < 0.15],
        default=v < p_me[who],
    )
    initiator = np.where(me_starts, Initiator.ME.code, Initiator.THEM.code)

    channel = _categorical(rng, _CHANNELS, layer)
    lean = (kind == ASK_ONLY) | (kind == TAKER)
    channel[lean] = np.array([Channel.MESSAGE.code, Channel.EMAIL.code, Channel.CALL.code])[
        rng.choice(3, int(lean.sum()), p=[0.5, 0.35, 0.15])
    ]

    # group interactions: 2-4 people from one organisation, or from one circle of friends
    friendly = (ties.kind == REGULAR) & (ties.layer <= 3)
    group = np.flatnonzero(
        friendly[who] & ((intent == _CATCH_UP) | (intent == _SHARE)) & (rng.random(m) < 0.03)
    )
    channel[group] = np.array([Channel.IN_PERSON.code, Channel.VIDEO.code, Channel.EVENT.code])[
        rng.choice(3, len(group), p=[0.6, 0.25, 0.15])
    ]
    extra = _group_members(rng, ties, people, friendly, group, who)
    return _Drawn(who, day, channel, intent, initiator, extra)


def _cap_asks(rng: np.random.Generator, ties: _Ties, who: NDArray[np.int64],
              intent: NDArray[np.int64], first: int) -> None:
    """Keep at most ``_ASKS_PER_YEAR`` asks each way per active year of a tie; the rest become
    catch-ups (in place). Which asks are kept is random."""
    active_years = (ties.end - np.maximum(ties.start, first + 1)) / 365.25
    allowed = np.maximum(1, np.round(_ASKS_PER_YEAR * active_years)).astype(np.int64)
    for code in (_ASK, _ASKED_OF_ME):
        idx = np.flatnonzero(intent == code)
        if not len(idx):
            continue
        order = idx[np.lexsort((rng.random(len(idx)), who[idx]))]
        owner = who[order]
        starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        intent[order[rank >= allowed[owner]]] = _CATCH_UP


def _group_members(
    rng: np.random.Generator,
    ties: _Ties,
    people: _People,
    friendly: NDArray[np.bool_],
    group: NDArray[np.int64],
    who: NDArray[np.int64],
) -> NDArray[np.int64]:
    """1-3 more people for each group interaction: colleagues, or else close friends.

    Returns (index of the interaction, person index) rows, without the person it is with.
    """
    friends = np.flatnonzero(friendly & (ties.layer <= 2))
    pool_org = np.where(friendly, people.org_id, -1)
    members = np.flatnonzero(pool_org >= 0)
    members = members[np.argsort(pool_org[members], kind="stable")]
    orgs, starts, sizes = np.unique(pool_org[members], return_index=True, return_counts=True)
    if not len(group) or not (len(members) or len(friends)):
        return np.zeros((0, 2), np.int64)
    g = np.repeat(group, rng.integers(1, 4, len(group)))
    p = who[g]
    pos = np.clip(np.searchsorted(orgs, pool_org[p]), 0, max(len(orgs) - 1, 0))
    has_org = (pool_org[p] >= 0) & (sizes[pos] > 1) if len(orgs) else np.zeros(len(g), bool)
    u = rng.random(len(g))
    colleague = members[starts[pos] + (u * sizes[pos]).astype(np.int64)] if len(orgs) else p
    friend = friends[(u * len(friends)).astype(np.int64)] if len(friends) else p
    other = np.where(has_org, colleague, friend)
    rows = np.unique(np.stack([g, other], axis=1)[other != p], axis=0)
    return rows.astype(np.int64)


def _introductions(
    rng: np.random.Generator, ties: _Ties, people: _People, first: int, today: int
) -> list[tuple[int, int, int]]:
    """You introduced A and B: pairs (a, b, day), added to the drawn interactions as gives."""
    n = len(ties.layer)
    ok = ties.kind == REGULAR
    givers = np.flatnonzero(ok & (ties.layer <= 3))
    takers = np.flatnonzero(ok & (ties.layer >= 1) & (ties.layer <= 4))
    if len(givers) < 1 or len(takers) < 2:
        return []
    wanted = max(1, round(n * 0.02))
    weights = 1.0 / (1 + ties.layer[givers].astype(float))
    a_pick = rng.choice(givers, wanted * 2, p=weights / weights.sum())
    b_pick = rng.choice(takers, wanted * 2)
    prefer_other = rng.random(wanted * 2) < 0.7
    pairs: list[tuple[int, int, int]] = []
    seen: set[tuple[int, int]] = set()
    for a, b, other in zip(a_pick.tolist(), b_pick.tolist(), prefer_other.tolist(), strict=True):
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        if other and people.fields[a][0] == people.fields[b][0]:
            continue
        lo = max(int(ties.start[a]), int(ties.start[b]), first + 1)
        hi = min(int(ties.end[a]), int(ties.end[b]), today)
        if hi - lo < 1:
            continue
        seen.add(key)
        pairs.append((a, b, lo + int(rng.integers(0, hi - lo))))
        if len(pairs) >= wanted:
            break
    return pairs


def _offsets(
    vocab: _Vocabulary, city: NDArray[np.int64], day: NDArray[np.int64]
) -> NDArray[np.int64]:
    """The UTC offset in minutes in each city on each day (daylight saving by month)."""
    base = np.array([c.utc_offset for c in vocab.cities], np.int64)[city]
    rule = np.array([{"eu": 1, "us": 1, "au": 2}.get(c.dst, 0) for c in vocab.cities])[city]
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1
    north = (month >= 4) & (month <= 10)
    summer = np.where(rule == 1, north, np.where(rule == 2, ~north, False))
    return base + 60 * summer


def _assemble(
    rng: np.random.Generator,
    vocab: _Vocabulary,
    people: _People,
    drawn: _Drawn,
    intros: list[tuple[int, int, int]],
    today: int,
) -> tuple[dict[str, NDArray[Any]], NDArray[np.int64], list[tuple[int, int, int, int]]]:
    """Times, zones, order and ids; returns the columns, the participants and the intros."""
    k = len(intros)
    person = np.concatenate([drawn.person, np.array([a for a, _, _ in intros], np.int64)])
    day = np.concatenate([drawn.day, np.array([d for _, _, d in intros], np.int64)])
    channel = np.concatenate([drawn.channel, np.where(rng.random(k) < 0.7, Channel.EMAIL.code,
                                                      Channel.MESSAGE.code)])
    intent = np.concatenate([drawn.intent, np.full(k, _GIVE)])
    initiator = np.concatenate([drawn.initiator, np.full(k, Initiator.ME.code)])
    m = len(person)

    # local time of day, in the user's zone unless met in person elsewhere
    hour = rng.choice(24, m, p=_HOURS / _HOURS.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, m)
    meeting = (channel == Channel.IN_PERSON.code) | (channel == Channel.EVENT.code)
    there = people.city[person]
    away = meeting & (there >= 0) & (there != people.home_city) & (rng.random(m) < 0.5)
    city = np.where(away, there, people.home_city)
    offset = _offsets(vocab, city, day)
    date_only = np.where(channel == Channel.EVENT.code, rng.random(m) < 0.35, rng.random(m) < 0.03)
    at = day * _SECONDS_PER_DAY + seconds - offset * 60
    at = np.where(date_only, day * _SECONDS_PER_DAY + 43_200, at)
    offset = np.where(date_only, 0, offset)
    at = np.where(at >= today * _SECONDS_PER_DAY, at - _SECONDS_PER_DAY, at)

    order = np.argsort(at, kind="stable")
    rank = np.empty(m, np.int64)
    rank[order] = np.arange(1, m + 1)

    # notes: a few written for the interaction, and one for each introduction
    note = np.full(m, None, dtype=object)
    noted = rng.random(m) < 0.07
    picks = rng.random(m)
    for code, key in _INTENT_PHRASES.items():
        at_code = np.flatnonzero(noted & (intent == code))
        phrases = np.array(vocab.phrases[key], dtype=object)
        note[at_code] = phrases[(picks[at_code] * len(phrases)).astype(np.int64)]
    base = len(drawn.person)
    for j, (a, b, _) in enumerate(intros):
        note[base + j] = f"Introduced {people.display[a]} to {people.display[b]}"

    pairs = [np.stack([rank[: len(drawn.person)], drawn.person + 1], axis=1)]
    if len(drawn.extra):
        ex = drawn.extra
        pairs.append(np.stack([rank[ex[:, 0]], ex[:, 1] + 1], axis=1))
    if k:
        idx = np.arange(base, m)
        pairs.append(np.stack([rank[idx], person[idx] + 1], axis=1))
        pairs.append(np.stack([rank[idx], np.array([b for _, b, _ in intros]) + 1], axis=1))
    participants = np.concatenate(pairs)
    participants = participants[np.lexsort((participants[:, 1], participants[:, 0]))]

    columns: dict[str, NDArray[Any]] = {
        "id": np.arange(1, m + 1, dtype=np.int64),
        "at": at[order].astype(np.int64),
        "utc_offset": offset[order].astype(np.int16),
        "date_only": date_only[order],
        "channel": channel[order].astype(np.int8),
        "initiator": initiator[order].astype(np.int8),
        "intent": intent[order].astype(np.int8),
        "ask_id": np.zeros(m, np.int64),
        "note": note[order],
        "person": person[order] + 1,  # the primary participant, for the asks below
    }
    intro_rows = [
        (j + 1, a + 1, b + 1, int(rank[base + j])) for j, (a, b, _) in enumerate(intros)
    ]
    return columns, participants, intro_rows


def _asks(
    rng: np.random.Generator,
    vocab: _Vocabulary,
    people: _People,
    columns: dict[str, NDArray[Any]],
    today: int,
) -> list[tuple[Any, ...]]:
    """An ask row for every ask and ask of me, with a status; links the interactions to them."""
    intent = columns["intent"]
    idx = np.flatnonzero((intent == _ASK) | (intent == _ASKED_OF_ME))
    columns["ask_id"][idx] = np.arange(1, len(idx) + 1)
    local = columns["at"][idx] + columns["utc_offset"][idx].astype(np.int64) * 60
    opened = local // _SECONDS_PER_DAY
    age = today - opened
    u = rng.random(len(idx))
    recent = age < 45
    status = np.where(
        recent,
        np.where(u < 0.6, AskStatus.OPEN.code, np.where(u < 0.9, AskStatus.FULFILLED.code,
                                                         AskStatus.DECLINED.code)),
        np.select(
            [u < 0.07, u < 0.72, u < 0.9],
            [AskStatus.OPEN.code, AskStatus.FULFILLED.code, AskStatus.DECLINED.code],
            AskStatus.WITHDRAWN.code,
        ),
    )
    wait = np.minimum(rng.geometric(0.12, len(idx)), np.maximum(age - 1, 0))
    closed = np.where(status == AskStatus.OPEN.code, -1, opened + wait)
    mine = intent[idx] == _ASK
    what = np.full(len(idx), "", dtype=object)
    pick = rng.random(len(idx))
    for side, key in ((mine, "ask_mine"), (~mine, "ask_theirs")):
        phrases = np.array(vocab.phrases[key], dtype=object)
        what[side] = phrases[(pick[side] * len(phrases)).astype(np.int64)]
    # fill in a field, a city or an organisation where the phrase has a place for one
    field_names = {f.slug: f.name.lower() for f in taxonomy()}
    cities = [c.name for c in vocab.cities]
    context = rng.integers(0, 1 << 30, len(idx))
    person = columns["person"][idx]
    n = len(people.fields)
    for j in np.flatnonzero(["{" in t for t in what.tolist()]).tolist():
        c = int(context[j])
        what[j] = what[j].format(
            field=field_names[people.fields[c % n][0]],
            city=cities[c % len(cities)],
            org=people.organisation[person[j] - 1] or "their company",  # where they work
        )
    direction = np.where(mine, AskDirection.MINE.code, AskDirection.THEIRS.code)
    closed_on = [None if c < 0 else d for c, d in zip(closed.tolist(),
                                                      _dates(np.maximum(closed, 0)), strict=True)]
    return list(
        zip(
            range(1, len(idx) + 1), person.tolist(), direction.tolist(),
            what.tolist(), status.tolist(), _dates(opened), closed_on, strict=True,
        )
    )


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(_EPOCH.toordinal() + day)


def _dates(days: NDArray[np.int64]) -> list[dt.date]:
    """Day numbers as dates, all at once."""
    dates: list[dt.date] = np.asarray(days, np.int64).astype("datetime64[D]").tolist()
    return dates


# --- knows edges ------------------------------------------------------------------------------


def _knows(
    rng: np.random.Generator,
    ties: _Ties,
    people: _People,
    intro_rows: list[tuple[int, int, int, int]],
) -> NDArray[np.int64]:
    """Who knows whom: colleagues (sparse), what the user stated, and the introductions."""
    n = len(ties.layer)
    edges: list[NDArray[np.int64]] = []

    def pairs(a: NDArray[np.int64], b: NDArray[np.int64], source: EdgeSource) -> None:
        keep = a != b
        a, b = a[keep], b[keep]
        edges.append(
            np.stack([np.minimum(a, b) + 1, np.maximum(a, b) + 1, np.full(len(a), source.code)], 1)
        )

    def within(groups: NDArray[np.int64], mask: NDArray[np.bool_], picks: NDArray[np.int64],
               source: EdgeSource) -> None:
        """Each person picks ``picks`` others at random within their group."""
        members = np.flatnonzero(mask & (groups >= 0))
        if not len(members):
            return
        members = members[np.argsort(groups[members], kind="stable")]
        _, starts, sizes = np.unique(groups[members], return_index=True, return_counts=True)
        block = np.repeat(np.arange(len(starts)), sizes)
        who = np.repeat(np.arange(len(members)), picks[members])
        size = sizes[block[who]]
        other = starts[block[who]] + (rng.random(len(who)) * size).astype(np.int64)
        pairs(members[who], members[other], source)

    everyone = np.ones(n, bool)
    within(people.org_id, everyone, rng.binomial(2, 0.5, n), EdgeSource.SAME_ORGANISATION)
    slugs = {s: i for i, s in enumerate(f.slug for f in taxonomy())}
    field_id = np.array([slugs[f[0]] for f in people.fields], np.int64)
    within(field_id, everyone, (rng.random(n) < 0.05).astype(np.int64), EdgeSource.STATED)
    circle = np.where((ties.kind == REGULAR) & (ties.layer <= 1), 0, -1)
    within(circle, everyone, rng.binomial(3, 0.5, n), EdgeSource.STATED)
    if intro_rows:
        a = np.array([r[1] for r in intro_rows], np.int64) - 1
        b = np.array([r[2] for r in intro_rows], np.int64) - 1
        pairs(a, b, EdgeSource.INTRODUCTION)
    if not edges:
        return np.zeros((0, 4), np.int64)
    found = np.unique(np.concatenate(edges), axis=0)
    return np.column_stack([np.arange(1, len(found) + 1), found]).astype(np.int64)


# --- generate --------------------------------------------------------------------------------


def generate(
    *,
    people: int = 300,
    years: int = 6,
    seed: int = 7,
    today: dt.date | None = None,
    own_field: str = "software",
) -> DemoNetwork:
    """Draw a demo network of ``people`` over the ``years`` before ``today`` (same seed, same rows).

    About 20 interactions a person: 100,000 people over 6 years make about 2,000,000.
    """
    if people < 1:
        raise ValidationError("a demo network needs at least one person")
    if years < 1:
        raise ValidationError("a demo network covers at least one year")
    field_by_slug(own_field)
    today = today or dt.date.today()
    vocab = _vocabulary()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]
    today_day = (today - _EPOCH).days
    first = today_day - round(years * 365.25)

    ties = _ties(streams[0], people, first, today_day)
    folk = _people(streams[1], vocab, ties, own_field)
    emails, phones, linkedin = _contacts(streams[2], vocab, folk)
    drawn = _draw_interactions(streams[3], ties, folk, first, today_day)
    intros = _introductions(streams[4], ties, folk, first, today_day)
    columns, participants, intro_rows = _assemble(
        streams[5], vocab, folk, drawn, intros, today_day
    )
    asks = _asks(streams[6], vocab, folk, columns, today_day)
    knows = _knows(streams[7], ties, folk, intro_rows)
    rows, tags = _details(streams[8], vocab, ties, folk, linkedin, first, today_day)

    by_person = np.bincount(participants[:, 1], minlength=people + 1)[1:]
    introductions = [
        (i, a, b, _date(int(columns["at"][iid - 1] // _SECONDS_PER_DAY)),
         None, iid)
        for i, a, b, iid in intro_rows
    ]
    columns.pop("person")
    highlights = _highlights(ties, folk, by_person, own_field)
    name = _me_name(streams[8], vocab)
    return DemoNetwork(
        today=today,
        years=years,
        seed=seed,
        me={
            "name": name,
            "emails": [f"{ascii_slug(name, '.')}@home.example"],
            "own_fields": [own_field],
            "weekly_budget": 5,
        },
        people=rows,
        emails=emails,
        phones=phones,
        person_fields=[(i + 1, f) for i, fs in enumerate(folk.fields) for f in fs],
        tags=tags,
        asks=asks,
        interactions=columns,
        participants=participants,
        introductions=introductions,
        knows=knows,
        layer=ties.layer,
        kind=ties.kind,
        highlights=highlights,
    )


def _me_name(rng: np.random.Generator, vocab: _Vocabulary) -> str:
    culture = int(rng.choice(len(vocab.given), p=vocab.culture_weights))
    return f"{_pick(rng, vocab.given[culture])} {_pick(rng, vocab.family[culture])}"


def _details(
    rng: np.random.Generator,
    vocab: _Vocabulary,
    ties: _Ties,
    people: _People,
    linkedin: list[str | None],
    first: int,
    today: int,
) -> tuple[list[tuple[Any, ...]], list[tuple[int, str]]]:
    """The person rows: birthdays, how you met, notes, tags, ratings and connected-on dates."""
    n = len(ties.layer)
    phrases = vocab.phrases
    cities = [c.name for c in vocab.cities]
    close = ties.layer <= 2
    contacted = ties.kind != NEVER
    # birthdays: month and day from a non-leap year; most with a year
    has_birthday = rng.random(n) < np.where(close, 0.6, _BIRTHDAY_SHARE * 0.9)
    day_of_year = rng.integers(0, 365, n)
    with_year = rng.random(n) < 0.6
    birth_year = rng.integers(1952, 2003, n)
    # connected on: when the tie began (or, for a connection, some day in the period)
    lower = (dt.date(2004, 1, 1) - _EPOCH).days
    never_day = first + (rng.random(n) * (today - first - 1)).astype(np.int64)
    began = np.where(contacted, ties.start + rng.integers(0, 60, n), never_day)
    began = np.clip(began, lower, today - 1)
    has_connected = np.array([u is not None for u in linkedin]) | (rng.random(n) < 0.4)
    how_roll, note_roll, tag_roll = rng.random(n), rng.random(n), rng.random(n)
    text_pick = rng.integers(0, 1 << 30, n)
    rating_roll = rng.random(n)
    connected_on = _dates(began)
    year_2001 = np.arange(365) + (dt.date(2001, 1, 1) - _EPOCH).days
    calendar = [(d.month, d.day) for d in _dates(year_2001)]
    rows: list[tuple[Any, ...]] = []
    tags: list[tuple[int, str]] = []
    keys: dict[str, str] = {}
    pinned = 0
    for i in range(n):
        c = int(text_pick[i])
        city = cities[people.city[i]] if people.city[i] >= 0 else None
        where = city or cities[people.home_city]
        how_met = None
        if how_roll[i] < (0.5 if contacted[i] else 0.15):
            text = phrases["how_met"][c % len(phrases["how_met"])]
            if "{org}" in text and not people.organisation[i]:
                text = "Through LinkedIn"
            how_met = text.format(city=where, org=people.organisation[i])
        note = None
        if note_roll[i] < (0.15 if close[i] else 0.02):
            elsewhere = cities[(c // 11) % len(cities)]
            note = phrases["notes"][c % len(phrases["notes"])].format(city=elsewhere)
        if tag_roll[i] < (0.5 if close[i] else 0.25 if contacted[i] else 0.06):
            pool = phrases["close_tags"] if ties.layer[i] <= 1 else phrases["work_tags"]
            chosen = {pool[c % len(pool)]}
            if tag_roll[i] < 0.1:
                chosen.add(pool[(c // 7) % len(pool)])
            tags.extend((i + 1, t) for t in sorted(chosen))
        layer = int(ties.layer[i])
        rating = None
        tier = None
        if contacted[i] and layer <= 4 and rating_roll[i] < 0.2:
            rating = 5 - layer
            # a user pins a few of their very closest, current friends to the 5 layer (not
            # dozens, and not someone they have not seen for years)
            if layer == 0 and rating_roll[i] < 0.1 and ties.kind[i] != DORMANT and pinned < 3:
                tier = 5
                pinned += 1
        if has_birthday[i]:
            birthday = (int(birth_year[i]) if with_year[i] else None,
                        *calendar[day_of_year[i]])
        else:
            birthday = (None, None, None)
        display = people.display[i]
        key = keys.get(display)
        if key is None:
            key = keys[display] = fold_name(display)
        rows.append(
            (
                i + 1, display, people.given[i], people.family[i], key,
                people.organisation[i], people.title[i], city, linkedin[i], *birthday,
                how_met, note, tier, rating,
                connected_on[i] if has_connected[i] else None,
            )
        )
    return rows, tags


def _highlights(
    ties: _Ties, people: _People, by_person: NDArray[np.int64], own_field: str
) -> dict[str, int]:
    """Named people for the tour: one of each kind worth showing."""
    found: dict[str, int] = {}

    def best(mask: NDArray[np.bool_], key: str) -> None:
        idx = np.flatnonzero(mask)
        if len(idx):
            found[key] = int(idx[np.argmax(by_person[idx])]) + 1

    kind, layer = ties.kind, ties.layer
    best((kind == REGULAR) & (layer == 0), "close_friend")
    best(kind == DORMANT, "dormant_strong_tie")
    best(kind == ASK_ONLY, "ask_only_tie")
    best(kind == TAKER, "taker")
    other_field = np.array([f[0] != own_field for f in people.fields])
    best((kind == REGULAR) & (layer <= 2) & other_field, "other_field_friend")
    never = np.flatnonzero((kind == NEVER) & (by_person == 0))
    titled = [int(i) for i in never if people.title[i] and people.organisation[i]]
    if titled or len(never):
        found["never_contacted"] = (titled[0] if titled else int(never[0])) + 1
    return found


# --- write -----------------------------------------------------------------------------------


_SETTING_KEYS = ("name", "emails", "own_fields", "weekly_budget")
_BATCH = 25_000
_TABLES = (
    "person", "person_email", "person_phone", "person_field", "person_tag", "ask",
    "interaction", "interaction_person", "introduction", "knows",
)
#: tables whose ids the demo gives (PostgreSQL's sequences must then be moved past them)
_ID_TABLES = (
    "person", "person_email", "person_phone", "ask", "interaction", "introduction", "knows",
)
#: SQLite page cache while writing, in KiB (negative: a size, not a page count)
_SQLITE_CACHE_KIB = 64 * 1024


class _Writer:
    """Bulk inserts through the DBAPI connection, in one transaction, with explicit ids.

    On SQLite, binding parameters is most of the cost: values that are the same on every row
    go into the statement as literals, and each statement inserts many rows. On PostgreSQL
    with psycopg, rows go through COPY into a temporary table and on with one INSERT ...
    SELECT (PostgreSQL refuses COPY into a table under row-level security; the INSERT is
    checked by the policies and takes the acting user as the rows' owner).
    """

    def __init__(self, raw: Any, dialect: str, paramstyle: str, progress: Progress | None) -> None:
        self.raw = raw
        self.sqlite = dialect == "sqlite"
        self.mark = "?" if paramstyle == "qmark" else "%s"
        self.progress = progress
        self.cursor = raw.cursor()
        self.copy = not self.sqlite and hasattr(self.cursor, "copy")  # psycopg 3
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.now: Any = now
        if self.sqlite:  # as SQLAlchemy keeps a UTC datetime in SQLite
            self.now = now.replace(tzinfo=None).isoformat(" ", "microseconds")

    def day(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        total: int,
        constants: dict[str, Any] | None = None,
    ) -> None:
        """Insert ``rows`` (values for ``columns``); ``constants`` are the same on every row."""
        constants = constants or {}
        names = ", ".join(f'"{c}"' for c in (*columns, *constants))
        if self.sqlite:
            marks = ["?"] * len(columns) + [_literal(v) for v in constants.values()]
            values = "(" + ", ".join(marks) + ")"
        else:
            values = "(" + ", ".join([self.mark] * (len(columns) + len(constants))) + ")"
            extra = tuple(constants.values())
            if extra:
                rows = (tuple(row) + extra for row in rows)
        sql = f'INSERT INTO "{table}" ({names}) VALUES '
        per = max(1, 999 // max(len(columns), 1)) if self.sqlite else 1
        done = 0
        iterator = iter(rows)
        staging = f"_demo_{table}"
        if self.copy:
            self.cursor.execute(
                f'CREATE TEMPORARY TABLE IF NOT EXISTS "{staging}" ON COMMIT DROP AS '
                f'SELECT {names} FROM "{table}" WITH NO DATA'
            )
        while batch := list(itertools.islice(iterator, _BATCH)):
            if self.copy:
                with self.cursor.copy(f'COPY "{staging}" ({names}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row(row)
                self.cursor.execute(
                    f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{staging}"'
                )
                self.cursor.execute(f'TRUNCATE "{staging}"')
                done += len(batch)
                if self.progress is not None:
                    self.progress(table, done, total)
                continue
            full = len(batch) // per * per if per > 1 else 0
            if full:
                flat = list(itertools.chain.from_iterable(batch[:full]))
                step = per * len(columns)
                self.cursor.executemany(
                    sql + ", ".join([values] * per),
                    [flat[i : i + step] for i in range(0, len(flat), step)],
                )
            if full < len(batch):
                self.cursor.executemany(sql + values, batch[full:])
            done += len(batch)
            if self.progress is not None:
                self.progress(table, done, total)
        if total == 0 and self.progress is not None:
            self.progress(table, 0, 0)


def _literal(value: Any) -> str:
    """An SQL literal for one of the writer's own constants (never user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _interaction_rows(columns: dict[str, NDArray[Any]]) -> Iterator[tuple[Any, ...]]:
    size = len(columns["id"])
    for lo in range(0, size, _BATCH):
        part = {k: v[lo : lo + _BATCH] for k, v in columns.items()}
        yield from zip(
            part["id"].tolist(), part["at"].tolist(), part["utc_offset"].tolist(),
            part["date_only"].tolist(), part["channel"].tolist(), part["initiator"].tolist(),
            part["intent"].tolist(), [a or None for a in part["ask_id"].tolist()],
            part["note"].tolist(), strict=True,
        )


def write(
    database: Database, demo: DemoNetwork, *, progress: Progress | None = None
) -> None:
    """Write ``demo`` into an empty ledger, in one transaction (all of it or nothing).

    ``progress(stage, done, total)`` is called after every batch; the stage is a table name.
    Raises ValidationError if the ledger already has people.
    """
    engine = database.engine
    raw = engine.raw_connection()
    writer = _Writer(raw, engine.dialect.name, engine.dialect.paramstyle, progress)
    cur = writer.cursor
    cache = None
    try:
        if writer.sqlite:
            cache = cur.execute("PRAGMA cache_size").fetchone()[0]
            cur.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
            cur.execute("BEGIN IMMEDIATE")
        else:  # the rows' owner, and the user the row-level security policies apply to
            cur.execute("SELECT set_config('netfolio.user_id', %s, true)",
                        (str(database.user_id),))
        cur.execute("SELECT 1 FROM person LIMIT 1")
        if cur.fetchone() is not None:
            raise ValidationError(
                "this ledger already has people: the demo network is written only into an "
                "empty ledger (use a new --db)"
            )
        if writer.sqlite:
            # Bulk load: an index built once at the end is much faster than one kept up to
            # date row by row. Each is recreated from its own SQL, in the same transaction.
            marks = ", ".join("?" * len(_TABLES))
            indexes = cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks}) ORDER BY name", _TABLES,
            ).fetchall()
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            _write_all(writer, demo)
            for done, (_, sql) in enumerate(indexes, start=1):
                cur.execute(sql)
                if progress is not None:
                    progress("index", done, len(indexes))
            refresh_after_bulk(raw.driver_connection)
            cur.execute("COMMIT")
        else:
            # Bulk load: foreign keys are checked once per table at the end (adding one back
            # validates every row) rather than by a trigger per row.
            cur.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'f'"
                f" AND conrelid::regclass::text = ANY({writer.mark}) ORDER BY conname",
                (list(_TABLES),),
            )
            keys = cur.fetchall()
            cur.execute("SELECT count(*) FROM app_user")
            if int(cur.fetchone()[0]) > 1:
                # Other members' rows are there: adding a key back would check all of them.
                keys = []
            cur.execute("SAVEPOINT netfolio_demo")
            try:
                for table, name, _ in keys:
                    cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            except Exception:  # not the tables' owner: load with the checks in place
                cur.execute("ROLLBACK TO SAVEPOINT netfolio_demo")
                keys = []
            # Ids are drawn past every id in use (other users' rows are invisible here).
            offsets = {}
            for table in _ID_TABLES:
                cur.execute(f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id'))")
                offsets[table] = int(cur.fetchone()[0]) - 1
            _write_all(writer, demo.shifted(offsets) if any(offsets.values()) else demo)
            for done, (table, name, definition) in enumerate(keys, start=1):
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                if progress is not None:
                    progress("foreign key", done, len(keys))
            # ids were given, so move each id sequence past them for the rows added later
            from netfolio.core.db import advance_sequence_sql

            for table in _ID_TABLES:
                cur.execute(advance_sequence_sql(table))
            refresh_after_bulk(raw.driver_connection)
            # Fresh statistics, or the first queries plan for empty tables (only the
            # tables' owner may: for anyone else PostgreSQL skips them with a warning).
            for table in _TABLES:
                cur.execute(f'ANALYZE "{table}"')
            raw.commit()
    except BaseException:
        if not writer.sqlite:
            raw.rollback()
        elif getattr(raw.driver_connection, "in_transaction", False):
            cur.execute("ROLLBACK")
        raise
    finally:
        if cache is not None:
            cur.execute(f"PRAGMA cache_size={int(cache)}")
        cur.close()
        raw.close()


def _write_all(w: _Writer, demo: DemoNetwork) -> None:
    source = {"source": "demo"}
    w.insert(
        "person",
        PERSON_COLUMNS,
        ((*row[:16], w.day(row[16])) for row in demo.people),
        len(demo.people),
        {"source": "demo", "fact_sources": "{}", "created_at": w.now, "updated_at": w.now},
    )
    w.insert("person_email", EMAIL_COLUMNS, demo.emails, len(demo.emails), source)
    w.insert("person_phone", PHONE_COLUMNS, demo.phones, len(demo.phones), source)
    w.insert(
        "person_field", ("person_id", "field"), demo.person_fields, len(demo.person_fields),
        {"inferred": False, "source": "demo"},
    )
    w.insert("person_tag", ("person_id", "tag"), demo.tags, len(demo.tags))
    w.insert(
        "ask", ASK_COLUMNS,
        ((*row[:5], w.day(row[5]), w.day(row[6])) for row in demo.asks),
        len(demo.asks), source,
    )
    w.insert(
        "interaction", INTERACTION_COLUMNS, _interaction_rows(demo.interactions),
        demo.interaction_count,
        {"intent_inferred": False, "source": "demo", "created_at": w.now},
    )
    part = demo.participants
    w.insert(
        "interaction_person", ("interaction_id", "person_id"),
        (
            row
            for lo in range(0, len(part), _BATCH)
            for row in zip(part[lo : lo + _BATCH, 0].tolist(),
                           part[lo : lo + _BATCH, 1].tolist(), strict=True)
        ),
        len(part),
    )
    w.insert(
        "introduction", INTRODUCTION_COLUMNS,
        ((i, a, b, w.day(on), note, iid) for i, a, b, on, note, iid in demo.introductions),
        len(demo.introductions),
    )
    w.insert(
        "knows", ("id", "a_id", "b_id", "source"), map(tuple, demo.knows.tolist()),
        len(demo.knows), {"created_at": w.now},
    )
    keys = ", ".join([w.mark] * len(_SETTING_KEYS))
    w.cursor.execute(f'DELETE FROM "setting" WHERE "key" IN ({keys})', _SETTING_KEYS)
    w.insert(
        "setting", ("key", "value"),
        ((k, json.dumps(demo.me[k])) for k in _SETTING_KEYS), len(_SETTING_KEYS),
    )


def build(url: str, *, progress: Progress | None = None, **generate_kwargs: Any) -> DemoNetwork:
    """Open (creating) the ledger at ``url``, generate a demo network and write it there."""
    from netfolio.core.db import open_database

    database = open_database(url)
    try:
        demo = generate(**generate_kwargs)
        write(database, demo, progress=progress)
    finally:
        database.close()
    return demo


__all__ = [
    "INTERACTION_COLUMNS",
    "KIND_NAMES",
    "LAYER_NAMES",
    "PERSON_COLUMNS",
    "DemoNetwork",
    "build",
    "generate",
    "write",
]
