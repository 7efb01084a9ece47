"""Plain-data reports of the measures, shared by the CLI, the web app and scripts.

Each function takes a :class:`~netfolio.core.snapshot.Snapshot` and a day and returns
dataclasses of plain values (``to_dict()`` for JSON, the shape the web API serves): no numpy
in, no printing out. The
numbers come from :mod:`netfolio.measures`; this module only picks, names and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from netfolio.core.shapes import Plain, record
from netfolio.core.snapshot import Snapshot, day_to_date
from netfolio.measures import (
    Params,
    Portfolio,
    explain,
    goodwill_balances,
    reach,
    tie_strength,
    tier_status,
    value_series,
)
from netfolio.measures.diversity import DiversityIndexes


def _date(day: int) -> str | None:
    return day_to_date(int(day)).isoformat() if day >= 0 else None


def _round(x: float, n: int = 3) -> float:
    return float(round(float(x), n))


@dataclass
class Standing(Plain):
    """A person's place in the network on a day: tie strength (0-100), tier, contact,
    goodwill."""

    strength: float
    tier: int | None
    tier_set_by_you: bool
    last_contact: str | None
    days_since: int | None
    cadence_days: int | None
    overdue: bool
    goodwill: float
    relationship: bool


@dataclass
class PersonStanding(Standing):
    """One person and their :class:`Standing` (the standing's fields first)."""

    id: int
    name: str
    organisation: str
    title: str
    fields: list[str]


def standings(snapshot: Snapshot, day: int, params: Params, *,
              folio: Portfolio | None = None) -> list[PersonStanding]:
    """Every person's standing on ``day``, in person-id order.

    Pass the ``folio`` already computed for that day to reuse its strength, tiers, goodwill
    and relationships instead of computing them again.
    """
    if folio is not None:
        return _standings(snapshot, folio.strength, folio.tiers, folio.goodwill,
                          folio.reach.relationship)
    strength = tie_strength(snapshot, day, params)
    return _standings(snapshot, strength, tier_status(snapshot, strength, params),
                      goodwill_balances(snapshot, day, params),
                      reach(snapshot, strength, params).relationship)


def _standings(snapshot: Snapshot, strength: Any, tiers: Any, good: Any,
               two_way: Any) -> list[PersonStanding]:
    stats = strength.stats
    fields: list[list[str]] = [[] for _ in range(snapshot.n_people)]
    for p, f in zip(snapshot.pf_person.tolist(), snapshot.pf_field.tolist(), strict=True):
        fields[p].append(snapshot.field_slugs[f])
    out = []
    for row in range(snapshot.n_people):
        has_contact = bool(stats.count[row])
        tier = int(tiers.tier[row])
        out.append(PersonStanding(
            id=int(snapshot.person_id[row]), name=snapshot.name[row],
            organisation=snapshot.organisation[row], title=snapshot.title[row],
            fields=sorted(fields[row]), strength=_round(strength.score[row], 1),
            tier=tier or None, tier_set_by_you=not bool(tiers.inferred[row]),
            last_contact=_date(int(stats.last_day[row])) if has_contact else None,
            days_since=int(tiers.days_since[row]) if has_contact else None,
            cadence_days=int(tiers.cadence_days[row]) or None,
            overdue=bool(tiers.overdue[row]), goodwill=_round(good.balance[row], 2),
            relationship=bool(two_way[row]),
        ))
    return out


@dataclass
class StrengthPart:
    """One part of a tie's strength: its points and what they come from."""

    part: str
    points: float
    detail: str


@dataclass
class Why(Plain):
    """Why a person's numbers are what they are: the strength breakdown, tier and goodwill."""

    standing: PersonStanding
    parts: list[StrengthPart]
    deposits: float
    withdrawals: float
    asks_mine: int
    can_ask: bool
    next_ask: str | None
    inbound_asks: int
    inbound_builds: int
    ask_only: bool
    taker: bool


def why(snapshot: Snapshot, person_id: int, day: int, params: Params) -> Why:
    row = snapshot.row_of(person_id)
    strength = tie_strength(snapshot, day, params)
    good = goodwill_balances(snapshot, day, params)
    standing = _standings(snapshot, strength, tier_status(snapshot, strength, params), good,
                          reach(snapshot, strength, params).relationship)[row]
    return why_of(row=row, day=day, strength=strength, goodwill=good, standing=standing)


def why_of(*, row: int, day: int, strength: Any, goodwill: Any,
           standing: PersonStanding) -> Why:
    """A person's :class:`Why` from measures already computed for ``day``."""
    good = goodwill
    next_ask = int(good.next_ask_day[row])
    return Why(
        standing=standing,
        parts=[StrengthPart(p, _round(pts, 2), d) for p, pts, d in explain(strength, row)],
        deposits=_round(good.deposits[row], 2), withdrawals=_round(good.withdrawals[row], 2),
        asks_mine=int(good.asks_mine[row]), can_ask=bool(good.can_ask[row]),
        next_ask=_date(next_ask) if next_ask > day else None,
        inbound_asks=int(good.inbound_asks[row]), inbound_builds=int(good.inbound_builds[row]),
        ask_only=bool(good.ask_only[row]), taker=bool(good.taker[row]),
    )


@dataclass
class FieldLine:
    """One field of the allocation. ``people`` is a whole head count (a person in two fields
    counts in both); the shares split such a person between their fields."""

    field: str
    name: str
    own: bool
    people: int
    share_people: float
    share_strength: float
    target: float
    gap: float
    #: under target by more than rounding and noise (see measures.diversity.is_under_target)
    under: bool = False


@dataclass
class DormantLine:
    """A once-strong tie gone quiet: its value, peak and silence, and why it is listed."""

    id: int
    name: str
    organisation: str
    value: float
    peak: float
    peak_on: str | None
    strength: float
    last_contact: str | None
    days_silent: int
    typical_interval_days: float | None
    reason_codes: list[str]
    reasons: list[str]


@record
class ValuePoint(NamedTuple):
    """The network's value at a month-end."""

    date: str
    value: float


@dataclass
class PortfolioReport(Plain):
    """Everything `netfolio portfolio` and the dashboard show."""

    as_of: str
    people: int
    value: float
    value_a_year_ago: float | None
    series: list[ValuePoint]
    relationships: int
    connections: int
    never_contacted: int
    never_contacted_share: float
    tiers: dict[str, int]
    overdue: int
    allocation: list[FieldLine]
    by_strength: DiversityIndexes
    by_people: DiversityIndexes
    own_share_strength: float
    own_share_people: float
    unassigned_people: int
    rebalance: list[dict[str, Any]]
    goodwill_total: float
    transactional_index: float
    asks_12m: int
    outreach_12m: int
    builds_per_ask: float | None
    cold_asks_12m: int
    ask_only: int
    takers: int
    weekly_budget: int
    this_week: int
    streak_weeks: int
    dormant: list[DormantLine]
    brokerage: dict[str, Any] | None = None
    field_names: dict[str, str] = field(default_factory=dict)


def _indexes(d: DiversityIndexes) -> DiversityIndexes:
    """The measures' indexes, rounded for the report."""
    return replace(
        d, blau=_round(d.blau), blau_normalised=_round(d.blau_normalised),
        shannon=_round(d.shannon), evenness=_round(d.evenness),
        effective_number=_round(d.effective_number, 2), hhi=_round(d.hhi, 0),
    )


def _dormant_reason(code: str, t: Any) -> str:
    """A dormant tie's reason code in a few words, with its numbers."""
    if code == "high_past_peak":
        return f"strength peaked at {t.peak:.0f} ({_date(t.peak_day)})"
    if code == "silent_past_cadence":
        return (f"silent {t.days_silent} days, where its peak tier ({t.peak_tier}) expects "
                f"contact every {t.cadence_days} days")
    if code == "silent_past_rhythm" and t.typical_interval_days:
        return f"{t.silence_ratio:.0f}x the usual {t.typical_interval_days:.0f}-day gap"
    if code == "field_under_target":
        return "field under target"
    return code.replace("_", " ")


def dormant_lines(snapshot: Snapshot, folio: Portfolio, limit: int | None) -> list[DormantLine]:
    ties = folio.dormant if limit is None else folio.dormant[:limit]
    return [
        DormantLine(
            id=t.person_id, name=snapshot.name[t.row], organisation=snapshot.organisation[t.row],
            value=_round(t.value, 2), peak=_round(t.peak, 1), peak_on=_date(t.peak_day),
            strength=_round(t.strength, 1), last_contact=_date(t.last_day),
            days_silent=t.days_silent,
            typical_interval_days=None if t.typical_interval_days is None
            else _round(t.typical_interval_days, 1),
            reason_codes=list(t.reasons),
            reasons=[_dormant_reason(code, t) for code in t.reasons],
        )
        for t in ties
    ]


def portfolio_report(snapshot: Snapshot, folio: Portfolio, field_names: dict[str, str],
                     *, dormant_limit: int = 10) -> PortfolioReport:
    day = folio.as_of
    series = folio.series
    year_ago = day - 365
    before = np.nonzero(series.days <= year_ago)[0]
    a = folio.allocation
    t = folio.transactional
    g = folio.goodwill
    counts = folio.tiers.counts()
    heads = dict(zip(snapshot.field_slugs, np.bincount(
        snapshot.pf_field, minlength=len(snapshot.field_slugs)).tolist(), strict=True))
    report = PortfolioReport(
        as_of=_date(day) or "",
        people=snapshot.n_people,
        value=_round(folio.value, 1),
        value_a_year_ago=_round(series.value[before[-1]], 1) if len(before) else None,
        series=[ValuePoint(_date(int(d)) or "", _round(v, 1))
                for d, v in zip(series.days.tolist(), series.value.tolist(), strict=True)],
        relationships=folio.reach.relationships, connections=folio.reach.connections,
        never_contacted=folio.reach.never_contacted,
        never_contacted_share=_round(folio.reach.never_contacted_share),
        tiers={str(k) if k else "outer": v for k, v in counts.items()},
        overdue=int(np.count_nonzero(folio.tiers.overdue)),
        allocation=[
            FieldLine(field=f.field, name=field_names.get(f.field, f.field), own=f.own,
                      people=int(heads.get(f.field, 0)), share_people=_round(f.share_people),
                      share_strength=_round(f.share_strength), target=_round(f.target),
                      gap=_round(f.gap), under=f.under)
            for f in sorted(a.fields, key=lambda f: -f.share_strength)
        ],
        by_strength=_indexes(a.by_strength), by_people=_indexes(a.by_people),
        own_share_strength=_round(a.own_share_strength),
        own_share_people=_round(a.own_share_people),
        unassigned_people=a.unassigned_people,
        rebalance=[
            {"field": r.field, "name": field_names.get(r.field, r.field),
             "target": _round(r.target), "actual": _round(r.actual), "gap": _round(r.gap),
             "people": [{"id": pid, "name": snapshot.name[row]}
                        for pid, row in zip(r.person_ids[:5], r.rows[:5], strict=True)]}
            for r in folio.rebalance
        ],
        goodwill_total=_round(g.total, 1),
        transactional_index=_round(t.value), asks_12m=t.asks, outreach_12m=t.outreach,
        builds_per_ask=None if t.builds_per_ask is None else _round(t.builds_per_ask, 2),
        cold_asks_12m=t.cold_asks,
        ask_only=int(np.count_nonzero(g.ask_only)), takers=int(np.count_nonzero(g.taker)),
        weekly_budget=folio.contributions.budget, this_week=folio.contributions.this_week,
        streak_weeks=folio.contributions.streak_weeks,
        dormant=dormant_lines(snapshot, folio, dormant_limit),
        field_names=field_names,
    )
    if folio.brokerage is not None:
        b = folio.brokerage
        report.brokerage = {
            "alters": b.alters, "alter_ties": b.alter_ties, "constraint": _round(b.constraint),
            "effective_size": _round(b.effective_size, 2), "efficiency": _round(b.efficiency),
            "bridges": [
                {"id": br.person_id, "name": snapshot.name[br.row],
                 "fields": [list(p) for p in br.field_pairs]}
                for br in b.bridges[:10]
            ],
        }
    return report


def value_points(snapshot: Snapshot, day: int, params: Params) -> list[ValuePoint]:
    """The network's value at every month-end up to ``day``."""
    s = value_series(snapshot, day, params)
    return [ValuePoint(_date(int(d)) or "", _round(v, 1))
            for d, v in zip(s.days.tolist(), s.value.tolist(), strict=True)]


@dataclass
class GoodwillLine(Plain):
    """A person's goodwill: the balance, what went in and out, and the ask budget."""

    id: int
    name: str
    balance: float
    deposits: float
    withdrawals: float
    asks_mine: int
    inbound_asks: int
    inbound_builds: int
    can_ask: bool
    ask_only: bool
    taker: bool


def goodwill_lines(snapshot: Snapshot, day: int, params: Params, *, ask_only: bool = False,
                   takers: bool = False) -> tuple[float, list[GoodwillLine]]:
    """The total balance, and each person with any ledger, lowest balance first."""
    g = goodwill_balances(snapshot, day, params)
    mask = (g.deposits > 0) | (g.withdrawals > 0) | (g.inbound_asks > 0) | (g.inbound_builds > 0)
    if ask_only:
        mask &= g.ask_only
    if takers:
        mask &= g.taker
    rows = np.nonzero(mask)[0]
    rows = rows[np.lexsort((snapshot.person_id[rows], g.balance[rows]))]
    return _round(g.total, 1), [
        GoodwillLine(
            id=int(snapshot.person_id[r]), name=snapshot.name[r],
            balance=_round(g.balance[r], 2), deposits=_round(g.deposits[r], 2),
            withdrawals=_round(g.withdrawals[r], 2), asks_mine=int(g.asks_mine[r]),
            inbound_asks=int(g.inbound_asks[r]), inbound_builds=int(g.inbound_builds[r]),
            can_ask=bool(g.can_ask[r]), ask_only=bool(g.ask_only[r]), taker=bool(g.taker[r]),
        )
        for r in rows.tolist()
    ]


@dataclass
class TargetLine(Plain):
    """A field's allocation target: yours (``set_by_you``) or the default, against its share."""

    field: str
    name: str
    own: bool
    target: float
    set_by_you: bool
    share_strength: float
    under: bool
    #: the target you set for the field (a fraction of 1), None when it has its default
    yours: float | None = None


def target_lines(report: PortfolioReport, targets: dict[str, float]) -> list[TargetLine]:
    """The targets of the fields you set, your own fields and the fields with people, largest
    target first."""
    lines = [TargetLine(field=f.field, name=f.name, own=f.own, target=f.target,
                        set_by_you=f.field in targets, share_strength=f.share_strength,
                        under=f.under, yours=targets.get(f.field))
             for f in report.allocation if f.target > 0 or f.field in targets or f.own]
    return sorted(lines, key=lambda t: (-t.target, t.name))


# -- plain language -----------------------------------------------------------------------------

def in_words(share: float) -> str:
    """A share as a person would say it: "about 1 in 3", "about half", "nearly all"."""
    if share <= 0:
        return "none"
    if share >= 0.95:
        return "nearly all"
    if share >= 0.6:
        return f"about {round(share * 10)} in 10"
    if share >= 0.42:
        return "about half"
    if share >= 0.09:
        return f"about 1 in {round(1 / share)}"
    return "fewer than 1 in 10"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 day``, ``2 days``, ``1,500 people``: the count and the right form of the noun."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _and(items: list[str]) -> str:
    """``A, B and C``; names with their own "and" or comma are kept apart by semicolons
    (``Law; Banking and Insurance; and Design``), two of them by a comma."""
    if len(items) == 1:
        return items[0]
    if any(" and " in i or "," in i for i in items):
        if len(items) == 2:
            return f"{items[0]}, and {items[1]}"
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def plain_summary(r: PortfolioReport) -> list[str]:
    """The portfolio in a few sentences a person understands, before any index: who you know,
    where your strongest ties are, what is thin, this week's touches, how you give and ask.

    The CLI (``netfolio portfolio``, the tour) and the web dashboard both lead with it; the
    indices behind it are in :func:`measure_details`.
    """
    if r.people == 0:
        return ["Your ledger is empty: add the people you know, or import your contacts, and "
                "netfolio will show how broad your network is and who to contact this week."]
    out = []
    never = (f"; {plural(r.never_contacted, 'is a connection', 'are connections')} you have "
             "never contacted" if r.never_contacted else "")
    out.append(f"You know {plural(r.people, 'person', 'people')}: "
               f"{plural(r.relationships, 'is a relationship', 'are relationships')} (you have "
               f"both been in touch){never}.")
    own = [f for f in r.allocation if f.own]
    if own and r.own_share_strength > 0:
        names = _and([f.name for f in own])
        others = plural(max(0, r.by_strength.fields_present - len(own)), "other field")
        out.append(f"Your strongest ties are {in_words(r.own_share_strength)} in your own "
                   f"field{'s' if len(own) > 1 else ''} ({names}); the rest spread over "
                   f"{others}, as evenly as {r.by_strength.effective_number:.0f} equal ones "
                   "would be.")
    elif r.by_strength.fields_present:
        out.append(f"Your ties spread over {plural(r.by_strength.fields_present, 'field')}, as "
                   f"evenly as {r.by_strength.effective_number:.0f} equal ones would be.")
    thin = [item["name"] for item in r.rebalance[:3]]
    if thin:
        out.append(f"Thin: {_and(thin)} {'is' if len(thin) == 1 else 'are'} below "
                   f"{'its target' if len(thin) == 1 else 'their targets'}; this week's plan "
                   "suggests people there.")
    elif r.allocation:
        out.append("No field is below its target.")
    budget, done = r.weekly_budget, r.this_week
    touch = "a touch is a catch-up, a share or a give that you start"
    if done >= budget:
        extra = (f", {done - budget:,} more than the {budget} you aim for" if done > budget
                 else f": your aim of {budget}")
        out.append(f"This week you have made {plural(done, 'touch', 'touches')}{extra} "
                   f"({touch}).")
    else:
        out.append(f"This week you have made {done} of the {plural(budget, 'touch', 'touches')} "
                   f"you aim for ({touch}): {budget - done} to go.")
    if r.streak_weeks:
        out.append(f"You have kept to your aim {plural(r.streak_weeks, 'week')} in a row.")
    if r.asks_12m == 0:
        out.append("You have asked nobody for anything this year: your goodwill is all "
                   "deposits.")
    else:
        per = (f"one ask for every {r.builds_per_ask:.0f} times you gave or kept in touch"
               if r.builds_per_ask and r.builds_per_ask >= 1 else "more asks than gives")
        out.append(f"You asked for help {plural(r.asks_12m, 'time')} this year: {per}"
                   + (f"; {plural(r.cold_asks_12m, 'ask')} went to people you had not built "
                      "with first." if r.cold_asks_12m else "."))
    if r.dormant:
        out.append(f"{plural(len(r.dormant), 'once-strong tie has', 'once-strong ties have')} "
                   "gone quiet: reconnecting is often worth more than a new contact.")
    return out


@dataclass
class Detail:
    """One index behind the plain summary: its name, value and a line on what it means."""

    name: str
    value: str
    meaning: str


_BANDS = {"unconcentrated": "unconcentrated", "moderate": "moderately concentrated",
          "high": "highly concentrated", "none": "no ties to measure yet"}


def measure_details(r: PortfolioReport) -> list[Detail]:
    """The indices behind :func:`plain_summary`, one line each on what they mean."""
    s = r.by_strength
    out = [
        Detail("Network value", f"{r.value:,.0f}",
               "the sum of every tie's strength (0-100 each): what the portfolio is worth"),
        Detail("Blau index", f"{s.blau:.2f} (normalised {s.blau_normalised:.2f})",
               "the chance that two units of your tie strength sit in different fields: "
               "0 all in one field, 1 spread evenly over every field present"),
        Detail("Shannon evenness", f"{s.evenness:.2f}",
               "how evenly your tie strength spreads over the fields you have: 1 perfectly even"),
        Detail("Effective number of fields", f"{s.effective_number:.1f} of {s.fields_present}",
               "how many equally strong fields would give the same spread"),
        Detail("HHI", f"{s.hhi:,.0f} ({_BANDS.get(s.hhi_band, s.hhi_band)})",
               "concentration on the 0-10,000 scale competition authorities use: below "
               "1,500 unconcentrated, above 2,500 highly concentrated"),
        Detail("Own fields", f"{r.own_share_strength:.0%} of tie strength",
               "the share of your tie strength in the fields you work in"),
        Detail("Transactional index", f"{r.transactional_index:.0%}",
               "the share of the contacts you started this year that were asks: low is good"),
        Detail("Goodwill", f"{r.goodwill_total:,.0f}",
               "what you gave minus what you asked, in goodwill points, summed over everyone"),
    ]
    if r.brokerage:
        b = r.brokerage
        out += [
            Detail("Constraint", f"{b['constraint']:.2f}",
                   "Burt's constraint: how much your contacts know each other (0 they are "
                   "strangers to one another, so you bridge groups; 1 one closed circle)"),
            Detail("Effective size", f"{b['effective_size']:.1f} of {b['alters']}",
                   "how many of your known-connected contacts are not redundant with each "
                   "other"),
        ]
    return out
