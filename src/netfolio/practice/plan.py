"""The weekly plan (build mode): this week's contributions, each with its reasons and a way to give.

Like an index-fund contribution, the plan is small, steady and spread: at most the weekly
budget of touches, at most a few from one field, a few connections never contacted turned into
relationships, and never someone you asked something of in the last weeks. It is computed, not
stored, from the ledger as it stood at the start of the week (so it does not shift as you work
through it) plus what you did with it (done, skip, snooze), and it is the same for the same week
and ledger on every run.

Candidates and their points (the reasons add up; ``docs/practice.md`` explains each):

* ``thank_you`` a fulfilled ask of yours with no give back since (100)
* ``birthday`` their birthday falls in the week (90)
* ``job_change`` a new title or organisation seen in a recent import (85)
* ``reciprocity_owed`` they helped you and you have not given since (60)
* ``overdue`` past their tier's cadence (30, + up to 25 for an inner tier, + up to 15 for how late)
* ``dormant`` a once-strong tie gone silent (25 + 0.3 x reconnection value)
* ``under_weighted_field`` in a field under its target allocation (20 + 20 x the field's gap)
* ``never_contacted`` a connection never contacted (10 + 10 x field gap + 5 when their work is
  known), at most ``new_per_week`` a week
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Annotated, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import TIERS, AskDirection, Initiator, Intent
from netfolio.core.practice_facts import ActionFact, LedgerFacts, week_of
from netfolio.core.shapes import Plain, Rounded, record
from netfolio.core.snapshot import Snapshot, day_number, day_to_date
from netfolio.measures import (
    DormantTie,
    Goodwill,
    Params,
    RebalanceField,
    StrengthResult,
    TierResult,
    allocation,
    dormant_ties,
    goodwill_balances,
    rebalance,
    tie_strength,
    tier_status,
    value_series,
)
from netfolio.measures.value import DEPOSIT
from netfolio.practice.coach import compose
from netfolio.practice.people import PersonRef, Reason, jitter, person_facts, person_ref, tie_facts

#: Reason codes, most pressing first.
REASONS: tuple[str, ...] = (
    "thank_you", "birthday", "job_change", "reciprocity_owed", "overdue", "dormant",
    "under_weighted_field", "never_contacted",
)
#: Ways to give that a plan item can suggest.
SUGGESTIONS: tuple[str, ...] = ("thank", "congratulate", "introduce", "share", "ask_about_work")


@dataclass(frozen=True)
class PlanRules:
    """The plan's rules beyond the measures' parameters (the budget is ``Params.weekly_budget``)."""

    per_field: int = 2
    """At most this many people from one field a week (a person counts in each of their fields;
    people with no known field share one bucket)."""
    max_field_share: float = 0.4
    """With a large budget, a field may take up to this share of it (rounded up)."""
    max_reason_share: float = 0.4
    """At most this share of the budget (rounded up, and at least ``per_field``) shares one
    main reason, so a week of many thank-yous still makes room for overdue and new ties."""
    new_per_week: int = 2
    """At most this many connections never contacted a week."""
    new_reserved: int = 1
    """Slots kept each week for connections never contacted, when there are any: turning
    connections into relationships is steady work, not what is left over."""
    ask_quiet_days: int = 42
    """Nobody you asked something of in the last six weeks (a thank-you excepted)."""
    owed_window_days: int = 365
    """Help received within a year, with no give back since, is reciprocity owed."""
    thanks_window_days: int = 60
    """A fulfilled ask closed within two months asks for a thank-you."""
    job_change_window_days: int = 60
    """A job change seen within two months is an occasion to congratulate."""
    intro_min_strength: float = 20.0
    """Only people you know at least this well are suggested for an introduction."""


DEFAULT_RULES = PlanRules()


@dataclass(frozen=True)
class Suggestion(Plain):
    """How to give rather than take: a kind (see SUGGESTIONS), what to do, and an opener.

    ``intent`` is what ``plan done`` logs by default; ``introduce`` names the person to offer
    an introduction to; ``purpose`` is the coach's purpose of the opener.
    """

    kind: str
    text: str
    purpose: str
    opener: str
    intent: str
    introduce: PersonRef | None = None


@dataclass(frozen=True)
class PlanItem(Plain):
    """One touch of the week: who, why (reasons as data), how to give, and on which day."""

    person: PersonRef
    status: str
    score: Annotated[float, Rounded(2)]
    strength: Annotated[float, Rounded(1)]
    tier: int | None
    day: dt.date
    reasons: tuple[Reason, ...]
    suggestion: Suggestion


@record
class Snoozed(NamedTuple):
    """A person snoozed out of the plans until a day."""

    person: PersonRef
    until: dt.date


@dataclass
class PlanReport(Plain):
    """The plan of the week starting ``week`` (a Monday): items (done first, then suggested),
    the budget, and how many candidates each rule held back."""

    week: dt.date
    budget: int
    items: list[PlanItem]
    candidates: int = 0
    held_back: dict[str, int] = field(default_factory=dict)
    skipped: list[PersonRef] = field(default_factory=list)
    snoozed: list[Snoozed] = field(default_factory=list)
    json_extra = ("done",)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status == "done")

    def item_for(self, person_id: int) -> PlanItem | None:
        return next((i for i in self.items if i.person.id == person_id), None)


@dataclass(frozen=True, eq=False)
class PlanMeasures:
    """The measures a plan reads, at the end of the day before its week starts."""

    as_of: int
    strength: StrengthResult
    tiers: TierResult
    goodwill: Goodwill
    dormant: list[DormantTie]
    rebalance: list[RebalanceField]
    field_gap: NDArray[np.float64]

    @classmethod
    def compute(cls, snapshot: Snapshot, as_of: int, params: Params) -> PlanMeasures:
        strength = tie_strength(snapshot, as_of, params)
        tiers = tier_status(snapshot, strength, params)
        alloc = allocation(snapshot, strength, params)
        series = value_series(snapshot, as_of, params)
        return cls(
            as_of=as_of, strength=strength, tiers=tiers,
            goodwill=goodwill_balances(snapshot, as_of, params),
            dormant=dormant_ties(snapshot, as_of, params, strength=strength, series=series,
                                 alloc=alloc),
            rebalance=rebalance(snapshot, alloc, strength, tiers, params),
            field_gap=alloc.field_gap,
        )


_TIER_POINTS = dict(zip(TIERS, (25.0, 20.0, 15.0, 10.0, 5.0, 0.0), strict=True))


def weekly_plan(
    snapshot: Snapshot,
    week: dt.date | int,
    params: Params,
    facts: LedgerFacts,
    rules: PlanRules = DEFAULT_RULES,
    measures: PlanMeasures | None = None,
    *,
    today: dt.date | None = None,
) -> PlanReport:
    """The plan for the week containing ``week``: see the module docstring for the rules.

    ``today``: occasions before it (a birthday already past) are left out, and the touches
    are dated from it on; the items come in date order."""
    monday = week_of(week if isinstance(week, dt.date) else day_to_date(week))
    first_day = max(monday, today) if today is not None else monday
    start = day_number(monday)
    end = start + 6
    # measured as of the day before the week starts (or before today, when planning ahead on
    # a weekend: a touch logged today from that plan keeps the reasons it was planned for)
    since = min(start, day_number(today)) if today is not None else start
    m = measures or PlanMeasures.compute(snapshot, since - 1, params)
    p = snapshot.n_people
    ids = snapshot.person_id
    stats = m.strength.stats
    contacted = stats.count > 0
    row_of = {int(pid): i for i, pid in enumerate(ids.tolist())}

    score = np.zeros(p)
    detail: dict[str, dict[int, dict[str, Any]]] = {code: {} for code in REASONS}
    upto = snapshot.ix_day <= m.as_of
    received = _last_day(snapshot, upto & (snapshot.ix_intent == Intent.RECEIVED.code))
    gave = _last_day(snapshot, upto & (snapshot.ix_intent == Intent.GIVE.code)
                     & (snapshot.ix_initiator == Initiator.ME.code))

    # occasions and debts, from the ledger facts (few rows); a give since settles them (the
    # week's own gives do not: they are its plan, acted on)
    for ask in facts.fulfilled_asks:
        row = row_of.get(ask.person_id)
        closed = day_number(ask.closed_on)
        if row is None or not start - rules.thanks_window_days <= closed <= end:
            continue
        if gave[row] >= closed:
            continue
        detail["thank_you"][row] = {"ask_id": ask.ask_id, "what": ask.what,
                                    "closed_on": ask.closed_on.isoformat()}
    week_days = {(d.month, d.day): d for d in (monday + dt.timedelta(i) for i in range(7))}
    if (2, 28) in week_days and not _leap(week_days[(2, 28)].year):
        week_days[(2, 29)] = week_days[(2, 28)]
    for pid, (year, month, day) in facts.birthdays.items():
        row = row_of.get(pid)
        when = week_days.get((month, day))
        if row is None or when is None or when < first_day or not contacted[row]:
            continue
        detail["birthday"][row] = {"on": when.isoformat(),
                                   "age": when.year - year if year else None}
    for change in facts.job_changes:
        row = row_of.get(change.person_id)
        seen = day_number(change.seen_on)
        if row is None or not start - rules.job_change_window_days <= seen <= end:
            continue
        if gave[row] >= seen:
            continue
        detail["job_change"][row] = {
            "seen_on": change.seen_on.isoformat(), "old_title": change.old_title,
            "new_title": change.new_title, "old_organisation": change.old_organisation,
            "new_organisation": change.new_organisation,
        }
    for code, points in (("thank_you", 100.0), ("birthday", 90.0), ("job_change", 85.0)):
        rows = list(detail[code])
        score[rows] += points

    # reciprocity owed: help received (within the window) after your last give
    owed = (received > gave) & (received >= m.as_of - rules.owed_window_days)
    score[owed] += 60.0
    for row in np.flatnonzero(owed).tolist():
        detail["reciprocity_owed"][row] = {
            "received_on": day_to_date(int(received[row])).isoformat(),
            "last_give": day_to_date(int(gave[row])).isoformat() if gave[row] >= 0 else None,
        }

    # overdue for the tier's cadence
    t = m.tiers
    overdue = t.overdue & (contacted | (snapshot.tier_override > 0))
    cadence = np.maximum(t.cadence_days, 1)
    tier_points = np.array([_TIER_POINTS.get(int(x), 0.0) for x in (*TIERS, 0)])
    tier_idx = np.where(t.tier > 0, np.searchsorted(np.asarray(TIERS), t.tier), len(TIERS))
    late = np.minimum(1.0, t.overdue_days / cadence)
    score += np.where(overdue, 30.0 + tier_points[tier_idx] + 15.0 * late, 0.0)

    # dormant ties worth reconnecting
    for d in m.dormant:
        score[d.row] += 25.0 + 0.3 * d.value
        detail["dormant"][d.row] = {"peak": round(d.peak, 1), "days_silent": d.days_silent,
                                    "value": round(d.value, 1)}

    # under-weighted fields (the rebalancing list)
    under = np.zeros(p, dtype=bool)
    for f in m.rebalance:
        for row in f.rows:
            if row not in detail["under_weighted_field"]:
                under[row] = True
                gap = f.gap / f.target if f.target > 0 else 0.0
                score[row] += 20.0 + 20.0 * min(1.0, gap)
                detail["under_weighted_field"][row] = {
                    "field": f.field, "target": round(f.target, 3), "actual": round(f.actual, 3),
                }

    # connections never contacted
    never = ~contacted & (snapshot.tier_override == 0)
    known_work = np.fromiter((bool(o and t) for o, t in zip(snapshot.organisation,
                                                           snapshot.title, strict=True)),
                             dtype=bool, count=p)
    score += np.where(never, 10.0 + 10.0 * m.field_gap + 5.0 * known_work, 0.0)

    # who is held back this week
    mine_ask = (snapshot.ix_intent == Intent.ASK.code) & (snapshot.ix_day <= end)
    last_ask = _last_day(snapshot, mine_ask)
    recorded = (snapshot.ask_direction == AskDirection.MINE.code) & (snapshot.ask_day <= end)
    np.maximum.at(last_ask, snapshot.ask_person[recorded], snapshot.ask_day[recorded])
    asked_recently = last_ask >= start - rules.ask_quiet_days
    # touched this week (or, planning ahead on a weekend, since today): wait for another week
    in_week = (snapshot.ix_day >= since) & (snapshot.ix_day <= end) & DEPOSIT[snapshot.ix_intent]
    touched = np.bincount(snapshot.ix_person[in_week], minlength=p) > 0
    done, skipped, snoozed = _actions(facts.actions, monday, row_of)

    salt = start
    tiebreak = jitter(ids, salt)
    candidates = np.flatnonzero(score > 0)
    order = candidates[np.lexsort((ids[candidates], tiebreak[candidates], -score[candidates]))]

    budget = max(0, int(params.weekly_budget))
    per_field = max(rules.per_field, math.ceil(budget * rules.max_field_share))
    per_reason = max(rules.per_field, math.ceil(budget * rules.max_reason_share))
    field_lists = _FieldIndex(snapshot)
    field_count: dict[str, int] = {}
    reason_count: dict[str, int] = {}
    chosen: list[tuple[int, str]] = []
    held: dict[int, str] = {}

    def admit(row: int, status: str) -> None:
        chosen.append((row, status))
        held.pop(row, None)
        for f in field_lists.get(row, ("",)):
            field_count[f] = field_count.get(f, 0) + 1
        main = _main_reason(row, detail, overdue, under)
        reason_count[main] = reason_count.get(main, 0) + 1

    def rule_out(row: int, variety: bool) -> str | None:
        """The rule that holds ``row`` back this week, if any (``variety``: also the reason
        cap, which gives way when nothing else could fill the budget)."""
        if row in skipped:
            return "skipped"
        if row in snoozed:
            return "snoozed"
        if touched[row]:
            return "touched_this_week"
        if asked_recently[row] and row not in detail["thank_you"]:
            return "asked_recently"
        if never[row] and new_count() >= rules.new_per_week:
            return "new_per_week"
        if variety and reason_count.get(_main_reason(row, detail, overdue, under), 0) >= per_reason:
            return "reason_cap"
        if any(field_count.get(f, 0) >= per_field for f in field_lists.get(row, ("",))):
            return "field_cap"
        return None

    def new_count() -> int:
        return sum(1 for r, _ in chosen if never[r])

    for row in done:
        admit(row, "done")
    # a slot is kept for a connection never contacted, when there is one to suggest
    reserve = rules.new_reserved if np.any(never & (score > 0)) else 0
    ordered = order.tolist()

    def fill(until_full: int, only_new: bool = False, variety: bool = True) -> None:
        for row in ordered:
            if len(chosen) >= until_full or (only_new and new_count() >= reserve):
                return
            if (only_new and not never[row]) or any(r == row for r, _ in chosen):
                continue
            why = rule_out(row, variety)
            if why is None:
                admit(row, "suggested")
            else:
                held.setdefault(row, why)

    fill(budget - max(0, reserve - new_count()))  # the best, keeping the new slot free
    fill(budget, only_new=True)  # the new slot
    fill(budget)  # anything left, when no new connection could take the slot
    fill(budget, variety=False)  # the budget is kept even when one reason dominates
    held_back: dict[str, int] = {}
    for why in held.values():
        held_back[why] = held_back.get(why, 0) + 1

    items = []
    # touches are spread over the working days left in the week (all of them, from Monday)
    days = [d for d in (monday + dt.timedelta(i) for i in range(5)) if d >= first_day] or [
        max(first_day, monday + dt.timedelta(6 if first_day.weekday() == 6 else 5))]
    for i, (row, status) in enumerate(chosen):
        reasons = _reasons(snapshot, row, m, detail, overdue, under, never, facts)
        birthday = detail["birthday"].get(row)
        on = dt.date.fromisoformat(birthday["on"]) if birthday else days[i % len(days)]
        tier = int(t.tier[row])
        items.append(PlanItem(
            person=person_ref(snapshot, row), status=status, score=float(score[row]),
            strength=float(m.strength.score[row]), tier=tier or None, day=on,
            reasons=tuple(reasons),
            suggestion=_suggest(snapshot, row, m, detail, facts, rules, salt, field_lists),
        ))
    items.sort(key=lambda item: item.day)  # stable: the best first within a day
    return PlanReport(
        week=monday, budget=budget, items=items, candidates=len(candidates),
        held_back=held_back,
        skipped=[person_ref(snapshot, r) for r in sorted(skipped)],
        snoozed=[Snoozed(person_ref(snapshot, r), until) for r, until in sorted(snoozed.items())],
    )


# -- helpers ------------------------------------------------------------------------------------


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _last_day(snapshot: Snapshot, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per person, the last day of the interaction rows in ``mask`` (-1 none)."""
    out = np.full(snapshot.n_people, -1, dtype=np.int64)
    np.maximum.at(out, snapshot.ix_person[mask], snapshot.ix_day[mask].astype(np.int64))
    return out


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


class _FieldIndex:
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


def _main_reason(
    row: int, detail: dict[str, dict[int, dict[str, Any]]], overdue: NDArray[np.bool_],
    under: NDArray[np.bool_],
) -> str:
    """The most pressing reason a candidate has (the first of REASONS it carries)."""
    for code in ("thank_you", "birthday", "job_change", "reciprocity_owed"):
        if row in detail[code]:
            return code
    if overdue[row]:
        return "overdue"
    if row in detail["dormant"]:
        return "dormant"
    return "under_weighted_field" if under[row] else "never_contacted"


def _reasons(
    snapshot: Snapshot, row: int, m: PlanMeasures, detail: dict[str, dict[int, dict[str, Any]]],
    overdue: NDArray[np.bool_], under: NDArray[np.bool_], never: NDArray[np.bool_],
    facts: LedgerFacts,
) -> list[Reason]:
    """The reasons for one person, most pressing first, with the numbers behind them."""
    out: list[Reason] = []
    names = facts.field_names
    if d := detail["thank_you"].get(row):
        out.append(Reason("thank_you", f"You asked them for “{d['what']}” and it was fulfilled "
                          f"on {d['closed_on']}: say thank you.", d))
    if d := detail["birthday"].get(row):
        out.append(Reason("birthday", f"Their birthday is on {d['on']}.", d))
    if d := detail["job_change"].get(row):
        new = " at ".join(x for x in (d["new_title"], d["new_organisation"]) if x)
        out.append(Reason("job_change", f"New role seen on {d['seen_on']}: {new}.", d))
    if d := detail["reciprocity_owed"].get(row):
        out.append(Reason("reciprocity_owed", f"They helped you on {d['received_on']} and you "
                          "have not given anything back since.", d))
    if overdue[row]:
        t = m.tiers
        tier, cadence, since = int(t.tier[row]), int(t.cadence_days[row]), int(t.days_since[row])
        facts_ = {"tier": tier or None, "cadence_days": cadence,
                  "days_since": since if since >= 0 else None,
                  "overdue_days": int(t.overdue_days[row])}
        text = (f"Last contact {since} days ago; your {tier:,} layer expects contact every "
                f"{cadence} days." if since >= 0 else
                f"Never contacted, and you put them in your {tier:,} layer.")
        out.append(Reason("overdue", text, facts_))
    if d := detail["dormant"].get(row):
        out.append(Reason("dormant", f"A dormant tie: strength peaked at {d['peak']:g} and you "
                          f"have been silent for {d['days_silent']} days. Reconnected dormant "
                          "ties give advice as valuable as current ones, and more novel.", d))
    if under[row]:
        d = detail["under_weighted_field"][row]
        name = names.get(d["field"], d["field"])
        out.append(Reason("under_weighted_field", f"{name} is under-weighted: "
                          f"{d['actual']:.0%} of your tie strength against a target of "
                          f"{d['target']:.0%}.", d))
    if never[row]:
        gap = float(m.field_gap[row])
        out.append(Reason("never_contacted", "A connection you have never contacted: a first "
                          "message turns a connection into a relationship.",
                          {"field_gap": round(gap, 3)}))
    return out


def _suggest(
    snapshot: Snapshot, row: int, m: PlanMeasures, detail: dict[str, dict[int, dict[str, Any]]],
    facts: LedgerFacts, rules: PlanRules, salt: int, field_lists: _FieldIndex,
) -> Suggestion:
    """How to give to the person in ``row``: thank, congratulate, introduce, share, or ask
    about their work, with an opener from the coach."""
    pid = int(snapshot.person_id[row])
    seed = pid * 7919 + salt
    person = person_facts(snapshot, row, facts)
    balance = float(m.goodwill.balance[row])
    fields = field_lists.get(row, ())
    field_name = facts.field_names.get(fields[0], fields[0]) if fields else None
    contacted = bool(m.strength.stats.count[row] > 0)

    if d := detail["thank_you"].get(row):
        tie = tie_facts(m.strength, row, balance, thanks_for=d["what"])
        return Suggestion("thank", f"Thank them for “{d['what']}”, and tell them what came of "
                          "it.", "thank", compose(person, tie, "thank", seed).text, "give")
    if d := detail["job_change"].get(row):
        tie = tie_facts(m.strength, row, balance, occasion="job_change",
                        new_title=d["new_title"], new_organisation=d["new_organisation"])
        new = " at ".join(x for x in (d["new_title"], d["new_organisation"]) if x)
        return Suggestion("congratulate", f"Congratulate them on the new role ({new}).",
                          "congratulate", compose(person, tie, "congratulate", seed).text, "give")
    if detail["birthday"].get(row):
        tie = tie_facts(m.strength, row, balance, occasion="birthday")
        return Suggestion("congratulate", "Wish them a happy birthday: no agenda, just warmth.",
                          "congratulate", compose(person, tie, "congratulate", seed).text, "give")

    match = suggest_introduction(snapshot, row, m.strength, facts, rules, salt)
    owed = row in detail["reciprocity_owed"]
    if not contacted:
        kinds = ["ask_about_work"]
    elif owed:
        kinds = ["introduce", "share"]
    elif row in detail["dormant"]:
        kinds = ["ask_about_work"]
    else:
        rotation = ["share", "introduce", "ask_about_work"]
        k = int(jitter(np.array([pid], dtype=np.int64), salt + 1)[0] * 3)
        kinds = rotation[k:] + rotation[:k]
    for kind in kinds:
        if kind == "introduce" and match is not None:
            other, interest = match
            tie = tie_facts(m.strength, row, balance, introduce=(other.name, interest))
            return Suggestion(
                "introduce", f"Offer to introduce them to {other.label}, who shares their "
                f"interest in {interest}.", "intro", compose(person, tie, "intro", seed).text,
                "give", introduce=other)
        if kind == "share" and (field_name or person.title):
            topic = field_name or person.title
            tie = tie_facts(m.strength, row, balance)
            purpose = "reconnect" if contacted else "learn"
            return Suggestion(
                "share", f"Share something in their field ({topic}): an article, a talk, an "
                "event or a tool they would value, with a line on why it made you think of them.",
                purpose, compose(person, tie, purpose, seed).text, "give")
        if kind == "ask_about_work":
            break
    tie = tie_facts(m.strength, row, balance)
    purpose = "reconnect" if contacted else "learn"
    what = person.title or field_name or "their work"
    return Suggestion(
        "ask_about_work", f"Ask about their work ({what}): invite them to share what they "
        "know; ask for nothing.", purpose, compose(person, tie, purpose, seed).text,
        "catch_up")


def suggest_introduction(
    snapshot: Snapshot, row: int, strength: StrengthResult, facts: LedgerFacts,
    rules: PlanRules = DEFAULT_RULES, salt: int = 0,
) -> tuple[PersonRef, str] | None:
    """Someone you know well who shares a field with the person in ``row`` and is not known
    to know them yet (not at the same organisation, no knows edge): the best to introduce."""
    mine = snapshot.pf_field[snapshot.pf_person == row]
    if len(mine) == 0:
        return None
    in_field = snapshot.pf_person[np.isin(snapshot.pf_field, mine)]
    ok = np.zeros(snapshot.n_people, dtype=bool)
    ok[in_field] = True
    ok &= strength.score >= rules.intro_min_strength
    ok[row] = False
    org = snapshot.organisation[row]
    rows = np.flatnonzero(ok)
    if org:
        rows = rows[np.array([snapshot.organisation[r] != org for r in rows.tolist()],
                             dtype=bool)]
    known = np.concatenate((snapshot.edge_b[snapshot.edge_a == row],
                            snapshot.edge_a[snapshot.edge_b == row]))
    rows = rows[~np.isin(rows, known)]
    if len(rows) == 0:
        return None
    pid = int(snapshot.person_id[row])
    tags = set(facts.tags.get(pid, ()))
    shared_tags = np.array([len(tags & set(facts.tags.get(int(snapshot.person_id[r]), ())))
                            for r in rows.tolist()]) if tags else np.zeros(len(rows))
    score = 10.0 * shared_tags + strength.score[rows] + 5.0 * jitter(
        snapshot.person_id[rows], salt + pid)
    best = int(rows[int(np.argmax(score))])
    shared = sorted(set(snapshot.fields_of(best)) & set(snapshot.fields_of(row)))
    interest = facts.field_names.get(shared[0], shared[0])
    return person_ref(snapshot, best), interest


__all__ = [
    "DEFAULT_RULES",
    "REASONS",
    "SUGGESTIONS",
    "PlanItem",
    "PlanMeasures",
    "PlanReport",
    "PlanRules",
    "Suggestion",
    "suggest_introduction",
    "weekly_plan",
]
