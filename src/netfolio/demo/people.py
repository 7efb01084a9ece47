"""The people: names, fields (biased toward the user's own), organisations, titles and places;
then their contact details (emails, fictional phone numbers, LinkedIn profiles)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from netfolio.core.taxonomy import taxonomy
from netfolio.demo.rows import (
    NEVER,
)
from netfolio.demo.ties import Ties
from netfolio.demo.vocabulary import (
    Vocabulary,
    ascii_slug,
    top_field,
    zipf,
)

_OWN_FIELD_SHARE = (0.30, 0.42, 0.33)  # close layers, other contacted layers, the rest
_SECOND_FIELD_SHARE = 0.08
_EMAIL_SHARE, _PHONE_SHARE, _LINKEDIN_SHARE = 0.60, 0.30, 0.80
_SOLO_ORGANISATIONS = frozenset({"Self-employed", "Stealth Startup"})
_PERSONAL_DOMAINS = ("mail.example", "post.example", "inbox.example")


@dataclass
class People:
    given: list[str]
    family: list[str]
    display: list[str]
    fields: list[list[str]]
    organisation: list[str | None]
    org_id: NDArray[np.int64]  # -1: none or a solo "organisation"
    title: list[str | None]
    city: NDArray[np.int64]  # index into the vocabulary's cities, -1 unknown
    home_city: int


def _names(rng: np.random.Generator, vocab: Vocabulary, n: int) -> tuple[list[str], ...]:
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
    rng: np.random.Generator, vocab: Vocabulary, patterns: Sequence[str], k: int
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


def draw_people(
    rng: np.random.Generator, vocab: Vocabulary, ties: Ties, own_field: str
) -> People:
    n = len(ties.layer)
    given, family, display = _names(rng, vocab, n)
    primary, fields = _fields(rng, ties, own_field)
    organisation, title, org_id = _organisations(rng, vocab, primary)
    city, home = _places(rng, vocab, n)
    return People(given, family, display, fields, organisation, org_id, title, city, home)


def _fields(
    rng: np.random.Generator, ties: Ties, own_field: str
) -> tuple[list[str], list[list[str]]]:
    """Each person's primary field and fields: a bias toward the user's own, the rest
    Zipf-like over the taxonomy."""
    n = len(ties.layer)
    slugs = [f.slug for f in taxonomy()]
    others = [s for s in slugs if s != own_field]
    others = [others[i] for i in rng.permutation(len(others))]
    contacted = ties.kind != NEVER
    own_share = np.where(
        ties.layer <= 1, _OWN_FIELD_SHARE[0], np.where(contacted, *_OWN_FIELD_SHARE[1:])
    )
    is_own = rng.random(n) < own_share
    other_pick = rng.choice(len(others), n, p=zipf(len(others), 0.9))
    primary = [own_field if is_own[i] else others[other_pick[i]] for i in range(n)]
    second_pick = rng.choice(len(slugs), n, p=zipf(len(slugs), 0.9))
    has_second = rng.random(n) < _SECOND_FIELD_SHARE
    fields: list[list[str]] = []
    for i in range(n):
        second = slugs[second_pick[i]]
        both = has_second[i] and second != primary[i]
        fields.append([primary[i], second] if both else [primary[i]])

    return primary, fields


def _organisations(
    rng: np.random.Generator, vocab: Vocabulary, primary: list[str]
) -> tuple[list[str | None], list[str | None], NDArray[np.int64]]:
    """Organisations and titles: a few organisations per field, sized Zipf-like so that some
    are big employers; returns each person's organisation, title and organisation id."""
    n = len(primary)
    slugs = [f.slug for f in taxonomy()]
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
            if new not in made and top_field(None, name) == slug:
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
        weights = zipf(len(ids), 0.9)
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
            generic = bool(vocab.generic_titles) and (
                (t < 0.15 and (slug, org) in telling)  # "Director" at a bank
                or (t < 0.2 and org is not None and org not in ids)  # field unknown
            )
            title[i] = (None if t < 0.03 else vocab.generic_titles[generic_pick[i]] if generic
                        else names[title_choice[j]])
    org_id = np.array(
        [-1 if o is None or o in _SOLO_ORGANISATIONS else org_index[o] for o in organisation],
        np.int64,
    )
    return organisation, title, org_id


def _places(rng: np.random.Generator, vocab: Vocabulary, n: int) -> tuple[NDArray[np.int64], int]:
    """Where people live: many near the user's home, the rest around the world."""
    weights = np.array([c.weight for c in vocab.cities])
    weights = weights / weights.sum()
    home = int(rng.choice(len(vocab.cities), p=weights))
    city = rng.choice(len(vocab.cities), n, p=weights)
    place = rng.random(n)
    city = np.where(place < 0.40, home, city)
    city = np.where(place > 0.92, -1, city).astype(np.int64)
    return city, home




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


def draw_contacts(
    rng: np.random.Generator, vocab: Vocabulary, people: People
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


