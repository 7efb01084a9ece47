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
from dataclasses import dataclass, field
from typing import Annotated, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from netfolio.core.practice_facts import LedgerFacts
from netfolio.core.shapes import Plain, Rounded, record
from netfolio.core.snapshot import Snapshot
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
from netfolio.practice.coach import compose
from netfolio.practice.people import PersonRef, Reason, jitter, person_facts, person_ref, tie_facts
from netfolio.practice.plan_selection import FieldIndex, select
from netfolio.practice.plan_signals import PlanWeek, holds, signals

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
    w = PlanWeek.of(week, today)
    m = measures or PlanMeasures.compute(snapshot, w.since - 1, params)
    ids = snapshot.person_id
    row_of = {int(pid): i for i, pid in enumerate(ids.tolist())}
    sig = signals(snapshot, m, facts, rules, w, row_of)
    held = holds(snapshot, facts, rules, w, row_of)

    salt = w.start
    tiebreak = jitter(ids, salt)
    score = sig.score
    candidates = np.flatnonzero(score > 0)
    order = candidates[np.lexsort((ids[candidates], tiebreak[candidates], -score[candidates]))]
    budget = max(0, int(params.weekly_budget))
    field_lists = FieldIndex(snapshot)
    chosen = select(order, sig, held, field_lists, budget, rules)

    items = []
    detail = sig.detail
    # touches are spread over the working days left in the week (all of them, from Monday)
    first_day, monday = w.first_day, w.monday
    days = [d for d in (monday + dt.timedelta(i) for i in range(5)) if d >= first_day] or [
        max(first_day, monday + dt.timedelta(6 if first_day.weekday() == 6 else 5))]
    for i, (row, status) in enumerate(chosen.chosen):
        reasons = _reasons(snapshot, row, m, detail, sig.overdue, sig.under, sig.never, facts)
        birthday = detail["birthday"].get(row)
        on = dt.date.fromisoformat(birthday["on"]) if birthday else days[i % len(days)]
        tier = int(m.tiers.tier[row])
        items.append(PlanItem(
            person=person_ref(snapshot, row), status=status, score=float(score[row]),
            strength=float(m.strength.score[row]), tier=tier or None, day=on,
            reasons=tuple(reasons),
            suggestion=_suggest(snapshot, row, m, detail, facts, rules, salt, field_lists),
        ))
    items.sort(key=lambda item: item.day)  # stable: the best first within a day
    return PlanReport(
        week=monday, budget=budget, items=items, candidates=len(candidates),
        held_back=chosen.held_back(),
        skipped=[person_ref(snapshot, r) for r in sorted(held.skipped)],
        snoozed=[Snoozed(person_ref(snapshot, r), until)
                 for r, until in sorted(held.snoozed.items())],
    )


# -- reasons and suggestions --------------------------------------------------------------------


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
    facts: LedgerFacts, rules: PlanRules, salt: int, field_lists: FieldIndex,
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
