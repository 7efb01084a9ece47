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

The package's modules follow the drawing: :mod:`~netfolio.demo.vocabulary` (the words),
:mod:`~netfolio.demo.ties`, :mod:`~netfolio.demo.people`, :mod:`~netfolio.demo.interactions`,
:mod:`~netfolio.demo.knows`, :mod:`~netfolio.demo.draw` (all of it from a seed) and
:mod:`~netfolio.demo.writer` (into a ledger); :mod:`~netfolio.demo.rows` holds the result.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401 (the doctest above)

from netfolio.demo.draw import generate
from netfolio.demo.rows import (
    ASK_COLUMNS,
    EMAIL_COLUMNS,
    INTERACTION_COLUMNS,
    INTRODUCTION_COLUMNS,
    KIND_NAMES,
    LAYER_NAMES,
    PERSON_COLUMNS,
    PHONE_COLUMNS,
    DemoNetwork,
    Progress,
)
from netfolio.demo.writer import build, write

__all__ = [
    "ASK_COLUMNS",
    "EMAIL_COLUMNS",
    "INTERACTION_COLUMNS",
    "INTRODUCTION_COLUMNS",
    "KIND_NAMES",
    "LAYER_NAMES",
    "PERSON_COLUMNS",
    "PHONE_COLUMNS",
    "DemoNetwork",
    "Progress",
    "build",
    "generate",
    "write",
]
