"""Ledgers for the practice tests: random ones (for properties) and small hand-built ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from netfolio.core.plan_actions import AskFact, JobChangeFact, LedgerFacts
from netfolio.core.snapshot import Snapshot

WEEK = dt.date(2026, 3, 2)  # a Monday
FIELDS = ("software", "finance", "medicine", "arts", "law", "education")
FIELD_NAMES = {"software": "Software", "finance": "Finance", "medicine": "Medicine",
               "arts": "Arts", "law": "Law", "education": "Education"}
INTENTS = ("catch_up", "share", "give", "ask", "received", "asked_of_me")


def random_ledger(seed: int, people: int = 60, week: dt.date = WEEK
                  ) -> tuple[Snapshot, LedgerFacts]:
    """A random ledger around ``week``: ties of every kind, asks, birthdays, job changes."""
    rng = np.random.default_rng(seed)
    start = week
    records: list[dict[str, Any]] = []
    interactions: list[dict[str, Any]] = []
    asks: list[dict[str, Any]] = []
    facts = LedgerFacts(field_names=dict(FIELD_NAMES))
    for pid in range(1, people + 1):
        k = int(rng.integers(0, 3))
        fields = [str(f) for f in rng.choice(FIELDS, size=k, replace=False)]
        records.append({"id": pid, "name": f"Person {pid}", "organisation": f"Org {pid % 7}",
                        "title": "Engineer" if pid % 3 else "", "fields": fields,
                        "tier": 15 if rng.random() < 0.05 else None})
        kind = rng.random()
        if kind < 0.3:
            continue  # never contacted
        n = int(rng.integers(1, 25))
        span = int(rng.integers(10, 1500))
        last_gap = int(rng.integers(-6, 700))  # negative: inside the week
        for j in range(n):
            day = start - dt.timedelta(days=last_gap + int(rng.integers(0, span)))
            interactions.append({
                "person": pid, "at": day, "intent": INTENTS[int(rng.choice(
                    6, p=[0.45, 0.2, 0.15, 0.08, 0.07, 0.05]))],
                "channel": ["in_person", "call", "message", "email"][j % 4],
                "initiator": "me" if rng.random() < 0.6 else "them",
            })
        if rng.random() < 0.15:
            asks.append({"person": pid, "day": start - dt.timedelta(days=int(rng.integers(0, 90)))})
        if rng.random() < 0.25:
            when = start + dt.timedelta(days=int(rng.integers(-10, 10)))
            facts.birthdays[pid] = (None, when.month, when.day)
        if rng.random() < 0.05:
            facts.job_changes.append(JobChangeFact(pid, start - dt.timedelta(days=5), "Engineer",
                                                   "Lead", "Old", "New"))
        if rng.random() < 0.05:
            closed = start - dt.timedelta(days=int(rng.integers(0, 30)))
            facts.fulfilled_asks.append(AskFact(1000 + pid, pid, "a review", closed, closed))
    snapshot = Snapshot.from_records(people=records, interactions=interactions, asks=asks,
                                     own_fields=["software"], field_slugs=FIELDS)
    return snapshot, facts


def last_asks(snapshot: Snapshot, end: int) -> dict[int, int]:
    """Person id -> the day of your last ask on or before ``end`` (interactions and asks)."""
    out: dict[int, int] = {}
    for row, intent, day in zip(snapshot.ix_person.tolist(), snapshot.ix_intent.tolist(),
                                snapshot.ix_day.tolist(), strict=True):
        if intent == 3 and day <= end:
            pid = int(snapshot.person_id[row])
            out[pid] = max(out.get(pid, -1), day)
    for row, direction, day in zip(snapshot.ask_person.tolist(),
                                   snapshot.ask_direction.tolist(),
                                   snapshot.ask_day.tolist(), strict=True):
        if direction == 0 and day <= end:
            pid = int(snapshot.person_id[row])
            out[pid] = max(out.get(pid, -1), day)
    return out
