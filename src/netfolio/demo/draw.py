"""Drawing a whole demo network from a seed (:func:`generate`), and the person rows' details."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.identity import fold_name
from netfolio.core.taxonomy import field_by_slug
from netfolio.demo.interactions import assemble, draw_asks, draw_interactions, draw_introductions
from netfolio.demo.knows import draw_knows
from netfolio.demo.people import People, draw_contacts, draw_people
from netfolio.demo.rows import (
    ASK_ONLY,
    DORMANT,
    EPOCH,
    NEVER,
    REGULAR,
    SECONDS_PER_DAY,
    TAKER,
    DemoNetwork,
    day_date,
    day_dates,
)
from netfolio.demo.ties import Ties, draw_ties
from netfolio.demo.vocabulary import (
    Vocabulary,
    ascii_slug,
    load_vocabulary,
    pick_one,
)
from netfolio.errors import ValidationError

# Share of people with a birthday on record (more among close ties).
BIRTHDAY_SHARE = 0.25


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
    vocab = load_vocabulary()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]
    today_day = (today - EPOCH).days
    first = today_day - round(years * 365.25)

    ties = draw_ties(streams[0], people, first, today_day)
    folk = draw_people(streams[1], vocab, ties, own_field)
    emails, phones, linkedin = draw_contacts(streams[2], vocab, folk)
    drawn = draw_interactions(streams[3], ties, folk, first, today_day)
    intros = draw_introductions(streams[4], ties, folk, first, today_day)
    columns, participants, intro_rows = assemble(
        streams[5], vocab, folk, drawn, intros, today_day
    )
    asks = draw_asks(streams[6], vocab, folk, columns, today_day)
    knows = draw_knows(streams[7], ties, folk, intro_rows)
    rows, tags = _details(streams[8], vocab, ties, folk, linkedin, first, today_day)

    by_person = np.bincount(participants[:, 1], minlength=people + 1)[1:]
    introductions = [
        (i, a, b, day_date(int(columns["at"][iid - 1] // SECONDS_PER_DAY)),
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


def _me_name(rng: np.random.Generator, vocab: Vocabulary) -> str:
    culture = int(rng.choice(len(vocab.given), p=vocab.culture_weights))
    return f"{pick_one(rng, vocab.given[culture])} {pick_one(rng, vocab.family[culture])}"


def _details(
    rng: np.random.Generator,
    vocab: Vocabulary,
    ties: Ties,
    people: People,
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
    has_birthday = rng.random(n) < np.where(close, 0.6, BIRTHDAY_SHARE * 0.9)
    day_of_year = rng.integers(0, 365, n)
    with_year = rng.random(n) < 0.6
    birth_year = rng.integers(1952, 2003, n)
    # connected on: when the tie began (or, for a connection, some day in the period)
    lower = (dt.date(2004, 1, 1) - EPOCH).days
    never_day = first + (rng.random(n) * (today - first - 1)).astype(np.int64)
    began = np.where(contacted, ties.start + rng.integers(0, 60, n), never_day)
    began = np.clip(began, lower, today - 1)
    has_connected = np.array([u is not None for u in linkedin]) | (rng.random(n) < 0.4)
    how_roll, note_roll, tag_roll = rng.random(n), rng.random(n), rng.random(n)
    text_pick = rng.integers(0, 1 << 30, n)
    rating_roll = rng.random(n)
    connected_on = day_dates(began)
    year_2001 = np.arange(365) + (dt.date(2001, 1, 1) - EPOCH).days
    calendar = [(d.month, d.day) for d in day_dates(year_2001)]
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
    ties: Ties, people: People, by_person: NDArray[np.int64], own_field: str
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


