"""The weekly plan's signals: one function per reason a person is a candidate this week.

Each signal gives every person its points (0 for those it does not pick) and, for those it
picks, the numbers behind it (what :mod:`netfolio.practice.plan` turns into reasons). A
person's score is the sum of the signals' points, added in the order of
:data:`netfolio.practice.plan.REASONS`. :func:`holds` gathers what keeps a candidate back
this week (asked recently, touched this week, done, skipped or snoozed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import TIERS, AskDirection, Initiator, Intent
from netfolio.core.practice_facts import ActionFact, LedgerFacts, week_of
from netfolio.core.snapshot import Snapshot, day_number, day_to_date
from netfolio.measures.value import DEPOSIT

if TYPE_CHECKING:
    from netfolio.practice.plan import PlanMeasures, PlanRules

_TIER_POINTS = dict(zip(TIERS, (25.0, 20.0, 15.0, 10.0, 5.0, 0.0), strict=True))

Detail = dict[int, dict[str, Any]]


@dataclass(frozen=True)
class PlanWeek:
    """The week a plan is for, as dates and day numbers."""

    monday: dt.date
    #: the first day a touch can be planned on (today, when the week has begun)
    first_day: dt.date
    start: int
    end: int
    #: the measures are as of the day before this one: the week's start, or today when
    #: planning ahead on a weekend (a touch logged today keeps the reasons it was planned for)
    since: int

    @classmethod
    def of(cls, week: dt.date | int, today: dt.date | None) -> PlanWeek:
        monday = week_of(week if isinstance(week, dt.date) else day_to_date(week))
        start = day_number(monday)
        return cls(
            monday=monday,
            first_day=max(monday, today) if today is not None else monday,
            start=start,
            end=start + 6,
            since=min(start, day_number(today)) if today is not None else start,
        )


@dataclass(frozen=True, eq=False)
class Signal:
    """One reason's points per person, who carries it, and the numbers behind it."""

    points: NDArray[np.float64]
    mask: NDArray[np.bool_]
    detail: Detail

    @classmethod
    def of_detail(cls, n: int, detail: Detail, points: float) -> Signal:
        """A signal worth the same ``points`` to every person in ``detail``."""
        rows = list(detail)
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        out = np.zeros(n)
        out[rows] += points
        return cls(out, mask, detail)


@dataclass(frozen=True, eq=False)
class Signals:
    """Every signal of the week by reason code, and the score they add up to."""

    by_code: dict[str, Signal]
    score: NDArray[np.float64]

    @property
    def detail(self) -> dict[str, Detail]:
        return {code: s.detail for code, s in self.by_code.items()}

    @property
    def overdue(self) -> NDArray[np.bool_]:
        return self.by_code["overdue"].mask

    @property
    def under(self) -> NDArray[np.bool_]:
        return self.by_code["under_weighted_field"].mask

    @property
    def never(self) -> NDArray[np.bool_]:
        return self.by_code["never_contacted"].mask

    def main_reason(self, row: int) -> str:
        """The most pressing reason ``row`` carries (the first of REASONS)."""
        for code, signal in self.by_code.items():
            if signal.mask[row] and code != "never_contacted":
                return code
        return "never_contacted"


def last_day(snapshot: Snapshot, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per person, the last day of the interaction rows in ``mask`` (-1 none)."""
    out = np.full(snapshot.n_people, -1, dtype=np.int64)
    np.maximum.at(out, snapshot.ix_person[mask], snapshot.ix_day[mask].astype(np.int64))
    return out


def signals(
    snapshot: Snapshot, m: PlanMeasures, facts: LedgerFacts, rules: PlanRules, week: PlanWeek,
    row_of: dict[int, int],
) -> Signals:
    """Every signal of the week, in the order of REASONS, and the score they add up to.

    Occasions and debts come from the ledger facts (few rows); a give since settles them (the
    week's own gives do not: they are its plan, acted on)."""
    n = snapshot.n_people
    contacted = m.strength.stats.count > 0
    upto = snapshot.ix_day <= m.as_of
    received = last_day(snapshot, upto & (snapshot.ix_intent == Intent.RECEIVED.code))
    gave = last_day(snapshot, upto & (snapshot.ix_intent == Intent.GIVE.code)
                    & (snapshot.ix_initiator == Initiator.ME.code))
    by_code = {
        "thank_you": Signal.of_detail(n, thank_you(facts, rules, week, row_of, gave), 100.0),
        "birthday": Signal.of_detail(n, birthday(facts, week, row_of, contacted), 90.0),
        "job_change": Signal.of_detail(n, job_change(facts, rules, week, row_of, gave), 85.0),
        "reciprocity_owed": reciprocity_owed(m.as_of, rules, received, gave),
        "overdue": overdue(snapshot, m, contacted),
        "dormant": dormant(n, m),
        "under_weighted_field": under_weighted_field(n, m),
        "never_contacted": never_contacted(snapshot, m, contacted),
    }
    score = np.zeros(n)
    for signal in by_code.values():
        score += signal.points
    return Signals(by_code, score)


def thank_you(
    facts: LedgerFacts, rules: PlanRules, week: PlanWeek, row_of: dict[int, int],
    gave: NDArray[np.int64],
) -> Detail:
    """A fulfilled ask of yours, closed lately, with no give back since."""
    found: Detail = {}
    for ask in facts.fulfilled_asks:
        row = row_of.get(ask.person_id)
        closed = day_number(ask.closed_on)
        if row is None or not week.start - rules.thanks_window_days <= closed <= week.end:
            continue
        if gave[row] < closed:
            found[row] = {"ask_id": ask.ask_id, "what": ask.what,
                          "closed_on": ask.closed_on.isoformat()}
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday(
    facts: LedgerFacts, week: PlanWeek, row_of: dict[int, int], contacted: NDArray[np.bool_]
) -> Detail:
    """A birthday in the week, from today on, of someone you have been in touch with (29
    February falls on the 28th in other years)."""
    days = (week.monday + dt.timedelta(i) for i in range(7))
    week_days = {(d.month, d.day): d for d in days}
    if (2, 28) in week_days and not _leap(week_days[(2, 28)].year):
        week_days[(2, 29)] = week_days[(2, 28)]
    found: Detail = {}
    for pid, (year, month, day) in facts.birthdays.items():
        row = row_of.get(pid)
        when = week_days.get((month, day))
        if row is None or when is None or when < week.first_day or not contacted[row]:
            continue
        found[row] = {"on": when.isoformat(), "age": when.year - year if year else None}
    return found


def job_change(
    facts: LedgerFacts, rules: PlanRules, week: PlanWeek, row_of: dict[int, int],
    gave: NDArray[np.int64],
) -> Detail:
    """A new title or organisation seen lately, with no give since."""
    found: Detail = {}
    for change in facts.job_changes:
        row = row_of.get(change.person_id)
        seen = day_number(change.seen_on)
        if row is None or not week.start - rules.job_change_window_days <= seen <= week.end:
            continue
        if gave[row] < seen:
            found[row] = {
                "seen_on": change.seen_on.isoformat(), "old_title": change.old_title,
                "new_title": change.new_title, "old_organisation": change.old_organisation,
                "new_organisation": change.new_organisation,
            }
    return found


def reciprocity_owed(
    as_of: int, rules: PlanRules, received: NDArray[np.int64], gave: NDArray[np.int64]
) -> Signal:
    """Help received (within the window) after your last give: 60 points."""
    owed = (received > gave) & (received >= as_of - rules.owed_window_days)
    points = np.zeros(len(owed))
    points[owed] += 60.0
    detail: Detail = {}
    for row in np.flatnonzero(owed).tolist():
        detail[row] = {
            "received_on": day_to_date(int(received[row])).isoformat(),
            "last_give": day_to_date(int(gave[row])).isoformat() if gave[row] >= 0 else None,
        }
    return Signal(points, owed, detail)


def overdue(snapshot: Snapshot, m: PlanMeasures, contacted: NDArray[np.bool_]) -> Signal:
    """Past the tier's cadence: 30, up to 25 more for an inner tier, up to 15 for how late."""
    t = m.tiers
    late_for_tier = t.overdue & (contacted | (snapshot.tier_override > 0))
    cadence = np.maximum(t.cadence_days, 1)
    tier_points = np.array([_TIER_POINTS.get(int(x), 0.0) for x in (*TIERS, 0)])
    tier_idx = np.where(t.tier > 0, np.searchsorted(np.asarray(TIERS), t.tier), len(TIERS))
    late = np.minimum(1.0, t.overdue_days / cadence)
    points = np.where(late_for_tier, 30.0 + tier_points[tier_idx] + 15.0 * late, 0.0)
    return Signal(points, late_for_tier, {})


def dormant(n: int, m: PlanMeasures) -> Signal:
    """A once-strong tie gone silent: 25 + 0.3 x its reconnection value."""
    points = np.zeros(n)
    mask = np.zeros(n, dtype=bool)
    detail: Detail = {}
    for d in m.dormant:
        points[d.row] += 25.0 + 0.3 * d.value
        mask[d.row] = True
        detail[d.row] = {"peak": round(d.peak, 1), "days_silent": d.days_silent,
                         "value": round(d.value, 1)}
    return Signal(points, mask, detail)


def under_weighted_field(n: int, m: PlanMeasures) -> Signal:
    """In a field under its target allocation (the rebalancing list): 20 + 20 x the gap."""
    points = np.zeros(n)
    mask = np.zeros(n, dtype=bool)
    detail: Detail = {}
    for f in m.rebalance:
        for row in f.rows:
            if row not in detail:
                mask[row] = True
                gap = f.gap / f.target if f.target > 0 else 0.0
                points[row] += 20.0 + 20.0 * min(1.0, gap)
                detail[row] = {
                    "field": f.field, "target": round(f.target, 3), "actual": round(f.actual, 3),
                }
    return Signal(points, mask, detail)


def never_contacted(snapshot: Snapshot, m: PlanMeasures, contacted: NDArray[np.bool_]) -> Signal:
    """A connection never contacted: 10 + 10 x field gap + 5 when their work is known."""
    never = ~contacted & (snapshot.tier_override == 0)
    known_work = np.fromiter((bool(o and t) for o, t in zip(snapshot.organisation,
                                                           snapshot.title, strict=True)),
                             dtype=bool, count=snapshot.n_people)
    points = np.where(never, 10.0 + 10.0 * m.field_gap + 5.0 * known_work, 0.0)
    return Signal(points, never, {})


@dataclass(frozen=True, eq=False)
class Holds:
    """What keeps a candidate back this week, besides the caps of the selection."""

    asked_recently: NDArray[np.bool_]
    touched: NDArray[np.bool_]
    #: this week's done rows, in order
    done: list[int]
    skipped: set[int]
    #: rows snoozed past this week, and until when
    snoozed: dict[int, dt.date]


def holds(
    snapshot: Snapshot, facts: LedgerFacts, rules: PlanRules, week: PlanWeek,
    row_of: dict[int, int],
) -> Holds:
    """Asked of lately (an ask logged or recorded), touched this week (or, planning ahead on
    a weekend, since today), and the week's done, skipped and snoozed."""
    p = snapshot.n_people
    mine_ask = (snapshot.ix_intent == Intent.ASK.code) & (snapshot.ix_day <= week.end)
    last_ask = last_day(snapshot, mine_ask)
    recorded = (snapshot.ask_direction == AskDirection.MINE.code) & (snapshot.ask_day <= week.end)
    np.maximum.at(last_ask, snapshot.ask_person[recorded], snapshot.ask_day[recorded])
    in_week = ((snapshot.ix_day >= week.since) & (snapshot.ix_day <= week.end)
               & DEPOSIT[snapshot.ix_intent])
    done, skipped, snoozed = _actions(facts.actions, week.monday, row_of)
    return Holds(
        asked_recently=last_ask >= week.start - rules.ask_quiet_days,
        touched=np.bincount(snapshot.ix_person[in_week], minlength=p) > 0,
        done=done, skipped=skipped, snoozed=snoozed,
    )


def _actions(
    actions: list[ActionFact], monday: dt.date, row_of: dict[int, int]
) -> tuple[list[int], set[int], dict[int, dt.date]]:
    """This week's done rows (in order), skipped rows, and rows snoozed past this week."""
    done: list[int] = []
    skipped: set[int] = set()
    snoozed: dict[int, dt.date] = {}
    sunday = monday + dt.timedelta(6)
    for a in actions:
        row = row_of.get(a.person_id)
        if row is None:
            continue
        if a.week == monday and a.action == "done" and row not in done:
            done.append(row)
        elif a.week == monday and a.action == "skip":
            skipped.add(row)
        elif a.action == "snooze" and a.until is not None and a.week <= monday \
                and a.until > sunday:
            snoozed[row] = max(a.until, snoozed.get(row, a.until))
    snoozed = {r: d for r, d in snoozed.items() if r not in done}
    return done, skipped - set(done), snoozed


__all__ = ["Holds", "PlanWeek", "Signal", "Signals", "holds", "last_day", "signals"]
