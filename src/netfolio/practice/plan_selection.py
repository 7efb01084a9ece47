"""The weekly plan's selection step: who of the candidates fills the week's budget.

Candidates are taken best first (score, then a per-week jitter, then id); each is held back
by the first rule that applies (skipped, snoozed, touched this week, asked recently, the new
connections' weekly limit, the reason cap, the field cap), and a slot is kept for a
connection never contacted when there is one to suggest.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from netfolio.core.snapshot import Snapshot
from netfolio.practice.plan_signals import Holds, Signals

if TYPE_CHECKING:
    from netfolio.practice.plan import PlanRules


class FieldIndex:
    """Each person's field slugs, looked up by row (a sorted index: no loop over people)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.order = np.argsort(snapshot.pf_person, kind="stable")
        people = snapshot.pf_person[self.order]
        rows = np.arange(snapshot.n_people + 1)
        self.bounds = np.searchsorted(people, rows).tolist()
        self.fields = snapshot.pf_field
        self.slugs = snapshot.field_slugs

    def get(self, row: int, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        lo, hi = self.bounds[row], self.bounds[row + 1]
        if lo == hi:
            return default
        return tuple(sorted(self.slugs[int(f)] for f in self.fields[self.order[lo:hi]]))


class Selection:
    """The week's chosen rows (with their status) and why the others were held back."""

    def __init__(
        self, signals: Signals, holds: Holds, fields: FieldIndex, budget: int, rules: PlanRules
    ) -> None:
        self.signals = signals
        self.holds = holds
        self.fields = fields
        self.rules = rules
        self.per_field = max(rules.per_field, math.ceil(budget * rules.max_field_share))
        self.per_reason = max(rules.per_field, math.ceil(budget * rules.max_reason_share))
        self.chosen: list[tuple[int, str]] = []
        self.held: dict[int, str] = {}
        self.field_count: dict[str, int] = {}
        self.reason_count: dict[str, int] = {}

    def admit(self, row: int, status: str) -> None:
        self.chosen.append((row, status))
        self.held.pop(row, None)
        for f in self.fields.get(row, ("",)):
            self.field_count[f] = self.field_count.get(f, 0) + 1
        main = self.signals.main_reason(row)
        self.reason_count[main] = self.reason_count.get(main, 0) + 1

    def new_count(self) -> int:
        never = self.signals.never
        return sum(1 for r, _ in self.chosen if never[r])

    def rule_out(self, row: int, variety: bool) -> str | None:
        """The rule that holds ``row`` back this week, if any (``variety``: also the reason
        cap, which gives way when nothing else could fill the budget)."""
        holds, sig = self.holds, self.signals
        if row in holds.skipped:
            return "skipped"
        if row in holds.snoozed:
            return "snoozed"
        if holds.touched[row]:
            return "touched_this_week"
        if holds.asked_recently[row] and row not in sig.by_code["thank_you"].detail:
            return "asked_recently"
        if sig.never[row] and self.new_count() >= self.rules.new_per_week:
            return "new_per_week"
        if variety and self.reason_count.get(sig.main_reason(row), 0) >= self.per_reason:
            return "reason_cap"
        if any(self.field_count.get(f, 0) >= self.per_field
               for f in self.fields.get(row, ("",))):
            return "field_cap"
        return None

    def fill(
        self, ordered: list[int], until_full: int, *, reserve: int = 0, only_new: bool = False,
        variety: bool = True,
    ) -> None:
        never = self.signals.never
        for row in ordered:
            if len(self.chosen) >= until_full or (only_new and self.new_count() >= reserve):
                return
            if (only_new and not never[row]) or any(r == row for r, _ in self.chosen):
                continue
            why = self.rule_out(row, variety)
            if why is None:
                self.admit(row, "suggested")
            else:
                self.held.setdefault(row, why)

    def held_back(self) -> dict[str, int]:
        """How many candidates each rule held back."""
        counts: dict[str, int] = {}
        for why in self.held.values():
            counts[why] = counts.get(why, 0) + 1
        return counts


def select(
    order: NDArray[np.int64], signals: Signals, holds: Holds, fields: FieldIndex, budget: int,
    rules: PlanRules,
) -> Selection:
    """Fill the budget from ``order`` (candidate rows, best first): the week's done rows
    first, then the best, keeping a slot for a connection never contacted."""
    chosen = Selection(signals, holds, fields, budget, rules)
    for row in holds.done:
        chosen.admit(row, "done")
    reserve = rules.new_reserved if np.any(signals.never & (signals.score > 0)) else 0
    ordered = order.tolist()
    # the best, keeping the new slot free
    chosen.fill(ordered, budget - max(0, reserve - chosen.new_count()))
    chosen.fill(ordered, budget, reserve=reserve, only_new=True)  # the new slot
    chosen.fill(ordered, budget)  # anything left, when no new connection could take the slot
    chosen.fill(ordered, budget, variety=False)  # the budget is kept when one reason dominates
    return chosen


__all__ = ["FieldIndex", "Selection", "select"]
