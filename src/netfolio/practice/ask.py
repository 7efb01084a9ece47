"""Ask mode: who is best placed to help with a need, who has the bandwidth, and the warm paths.

Building and pulling are different acts (the plan builds). When you do need help, ask mode ranks the
people you know who match the need (organisation, title, fields, tags, notes, city) by how well
they match, then tie strength, then goodwill; people you asked recently (the ask budget: one ask
per six months by default) or with an open ask come after, and people with a negative goodwill
balance come last, with the warning "build first".

For people matching the need whom you do not know yet, it finds warm paths: you → someone you
know → (someone they know →) the target, through knows edges and shared organisations, up to two
people between you and the target, ranked by the weakest tie on the path. The rules are in
``docs/practice.md``; every reason is data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import TIERS
from netfolio.core.folding import fold
from netfolio.core.practice_facts import LedgerFacts
from netfolio.core.shapes import Plain, Rounded
from netfolio.core.snapshot import AsOf, Snapshot, day_number, day_to_date
from netfolio.errors import ValidationError
from netfolio.measures import (
    Goodwill,
    Params,
    StrengthResult,
    goodwill_balances,
    reach,
    tie_strength,
    tier_status,
)
from netfolio.practice.coach import introduction_request
from netfolio.practice.need import STOP_WORDS, ParsedNeed, parse_need
from netfolio.practice.people import PersonRef, Reason, person_ref

#: Organisations that do not make their members know each other.
GENERIC_ORGANISATIONS = frozenset({
    "", "self-employed", "self employed", "freelance", "freelancer", "independent",
    "stealth startup", "stealth", "retired", "student", "unemployed", "none", "n/a",
})
#: Relevance from the people search index (``Network.ask``): column weights (bm25 on SQLite,
#: ts_rank's four classes on PostgreSQL) for the need's own words and for the roles that help
#: with it, and how the three parts add up (each search's scores are divided by its best, so
#: every part is at most its weight here; a person in a field the need points at adds
#: ``field``). Checked by ``python -m benchmarks ask`` (docs/practice.md).
WORD_WEIGHTS = {"name": 0.0, "organisation": 2.0, "title": 3.0, "fields": 2.0, "tags": 2.0,
                "notes": 1.0, "shared": 1.5, "place": 0.5}
ROLE_WEIGHTS = {"name": 0.0, "organisation": 0.5, "title": 3.0, "fields": 0.5, "tags": 1.0,
                "notes": 0.5, "shared": 0.5, "place": 0.0}
RELEVANCE_PARTS = {"words": 1.0, "roles": 0.6, "field": 0.5}
#: Points a matched word earns by where it matched (the best place counts once per word).
WHERE_POINTS = {"organisation": 3, "title": 2, "field": 2, "tag": 2, "notes": 1, "city": 1}

@dataclass(frozen=True)
class Need(Plain):
    """What you need: words, and optional filters (each one given must match).

    ``field`` is a field slug. ``company``, ``title`` and ``city`` match inside the person's
    organisation, title and location, ignoring case and accents. ``tier`` keeps the people
    you know to that Dunbar layer or closer (15: the 5 and the 15); warm paths, which lead to
    people you do not know yet, are not filtered by it.
    """

    text: str = ""
    company: str | None = None
    field: str | None = None
    title: str | None = None
    city: str | None = None
    tier: int | None = None

    @property
    def words(self) -> list[str]:
        """The need's content words (stop words and one-letter words dropped), folded."""
        found = re.findall(r"[\w][\w+#.&'-]*", fold(self.text))
        words = [w.strip(".'-") for w in found]
        return list(dict.fromkeys(w for w in words if len(w) > 1 and w not in STOP_WORDS))


@dataclass(frozen=True)
class AskRules:
    """Ask mode's rules beyond the measures' parameters (the ask budget is in ``Params``)."""

    known_min_strength: float = 10.0
    """You know a person when you have a relationship (two-way contact) or at least this tie
    strength; everyone else matching the need is a target for a warm path."""
    knows_tie: float = 40.0
    """The strength given to a knows edge on a path (who-knows-whom has no measured strength)."""
    organisation_tie: float = 25.0
    """The strength given to working at the same organisation (weaker than a stated tie)."""
    direct_limit: int = 10
    """How many direct contacts to show."""
    path_limit: int = 10
    """How many warm paths to show."""
    per_introducer: int = 3
    """At most this many of the warm paths shown go through the same first introducer."""
    bands: int = 4
    """Relevance is cut into this many bands (of the best match's relevance); within a band
    people come by reachability: free to ask first, then tie strength and goodwill."""


DEFAULT_ASK_RULES = AskRules()


@dataclass(frozen=True)
class AskCandidate(Plain):
    """A direct contact who can help: how they match, and where the tie stands.

    ``group`` orders the list: 0 free to ask, 1 asked recently or an ask still open (the ask
    budget), 2 negative goodwill balance ("build first").
    """

    person: PersonRef
    relevance: Annotated[float, Rounded(3)]
    strength: Annotated[float, Rounded(1)]
    balance: Annotated[float, Rounded(2)]
    group: int
    can_ask: bool
    next_ask: dt.date | None
    warning: str | None
    matches: tuple[Reason, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class WarmPath(Plain):
    """You → ``via`` (in order) → ``target``; ``links[i]`` says how step i is known.

    ``weakest`` is the weakest tie on the path (your tie strength with the first introducer,
    then ``AskRules.knows_tie`` or ``organisation_tie`` per step); ``hops`` is how many people
    stand between you and the target.
    """

    target: PersonRef
    via: tuple[PersonRef, ...]
    links: tuple[str, ...]
    weakest: Annotated[float, Rounded(1)]
    hops: int
    introducer_strength: Annotated[float, Rounded(1)]
    introducer_balance: Annotated[float, Rounded(2)]
    can_ask_introducer: bool
    warning: str | None
    matches: tuple[Reason, ...]
    introducer_reasons: tuple[Reason, ...] = ()
    reasons: tuple[Reason, ...] = ()
    request: str | None = None


@dataclass
class AskReport(Plain):
    """Who to ask for a need (direct contacts, best first) and the warm paths to the rest."""

    need: Need
    as_of: dt.date
    matched: int
    targets: int
    direct: list[AskCandidate] = field(default_factory=list)
    warm_paths: list[WarmPath] = field(default_factory=list)
    offset: int = 0
    limit: int = 10
    parsed: ParsedNeed = field(default_factory=lambda: ParsedNeed((), (), ()))


@dataclass(frozen=True)
class Relevance:
    """How well each person (snapshot row) matches the need's words, from the people search
    index (``Network.ask`` reads it; 0: no match), and what matched, in words, for the rows
    shown (``explain``: rows → reasons)."""

    score: NDArray[np.float64]
    explain: Callable[[Sequence[int]], dict[int, tuple[Reason, ...]]]
    parsed: ParsedNeed


# -- matching -----------------------------------------------------------------------------------


class _Column:
    """A text column of every person, folded once into one string, searched by regex."""

    def __init__(self, values: Sequence[str]) -> None:
        folded = fold("\n".join(v.replace("\n", " ") for v in values)).split("\n")
        lengths = np.fromiter((len(v) + 1 for v in folded), dtype=np.int64, count=len(folded))
        self.starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        self.blob = "\n".join(folded)
        self.n = len(folded)

    def rows(self, phrase: str, *, word_start: bool = True) -> NDArray[np.int64]:
        """Rows whose text contains ``phrase`` (folded), at the start of a word by default."""
        pattern = (r"(?<![\w])" if word_start else "") + re.escape(fold(phrase).strip())
        pos = np.fromiter((m.start() for m in re.finditer(pattern, self.blob)), dtype=np.int64)
        if len(pos) == 0:
            return pos
        return np.unique(np.searchsorted(self.starts, pos, side="right") - 1)


@dataclass
class _Matches:
    relevance: NDArray[Any]
    ok: NDArray[np.bool_]
    where: dict[int, list[tuple[str, str, str]]]  # row -> (where, word, value)


def _match(snapshot: Snapshot, facts: LedgerFacts, need: Need) -> _Matches:
    """Who matches the need: every filter given, and at least one content word when any."""
    p = snapshot.n_people
    ids = snapshot.person_id.tolist()
    columns = {
        "organisation": _Column(snapshot.organisation),
        "title": _Column(snapshot.title),
        "tag": _Column([" ".join(facts.tags.get(pid, ())) for pid in ids]),
        "notes": _Column([facts.notes.get(pid, "") for pid in ids]),
        "city": _Column([facts.locations.get(pid, "") for pid in ids]),
    }
    slug_index = {s: i for i, s in enumerate(snapshot.field_slugs)}

    def field_rows(slug: str) -> NDArray[np.int64]:
        if slug not in slug_index:
            return np.zeros(0, dtype=np.int64)
        return np.unique(snapshot.pf_person[snapshot.pf_field == slug_index[slug]]).astype(
            np.int64)

    relevance = np.zeros(p, dtype=np.int64)
    ok = np.ones(p, dtype=bool)
    hits: dict[int, list[tuple[str, str, str]]] = {}

    def note(rows: NDArray[np.int64], where: str, word: str) -> None:
        for r in rows.tolist():
            hits.setdefault(r, []).append((where, word, _value(snapshot, facts, r, where)))

    given = (("organisation", need.company), ("title", need.title), ("city", need.city))
    filters = [(where, value.strip(), columns[where].rows(value))
               for where, value in given if value and value.strip()]
    if need.field:
        filters.append(("field", need.field, field_rows(need.field)))
    for where, value, rows in filters:
        mask = np.zeros(p, dtype=bool)
        mask[rows] = True
        ok &= mask
        relevance[rows] += 3
        note(rows, where, value)
    words = need.words
    has_filter = bool(filters)
    if not words and not has_filter:
        raise ValidationError("say what you need: words like 'stripe payments' or a filter "
                              "(--company, --field, --title, --city)")
    if words:
        field_words = {s: fold(f"{s.replace('_', ' ')} {facts.field_names.get(s, '')}")
                       for s in snapshot.field_slugs}
        any_word = np.zeros(p, dtype=bool)
        for word in words:
            best = np.zeros(p, dtype=np.int64)
            for where, column in columns.items():
                rows = column.rows(word)
                if len(rows):
                    best[rows] = np.maximum(best[rows], WHERE_POINTS[where])
                    note(rows, where, word)
            for slug, text in field_words.items():
                if re.search(r"(?<![\w])" + re.escape(word), text):
                    rows = field_rows(slug)
                    best[rows] = np.maximum(best[rows], WHERE_POINTS["field"])
                    note(rows, "field", slug)
            relevance += best
            any_word |= best > 0
        if not has_filter:
            ok &= any_word
    return _Matches(relevance=relevance, ok=ok, where=hits)


def _value(snapshot: Snapshot, facts: LedgerFacts, row: int, where: str) -> str:
    pid = int(snapshot.person_id[row])
    if where == "organisation":
        return snapshot.organisation[row]
    if where == "title":
        return snapshot.title[row]
    if where == "tag":
        return ", ".join(facts.tags.get(pid, ()))
    if where == "notes":
        return facts.notes.get(pid, "")
    if where == "city":
        return facts.locations.get(pid, "")
    return ""


_WHERE_TEXT = {
    "organisation": "works at {value}", "title": "title: {value}", "field": "in the field {value}",
    "tag": "tagged {value}", "notes": "your notes: “{value}”", "city": "based in {value}",
}


def _match_reasons(matches: _Matches, row: int, facts: LedgerFacts) -> tuple[Reason, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for where, word, value in matches.where.get(row, []):
        shown = facts.field_names.get(word, word) if where == "field" else value
        if (where, shown) in seen:
            continue
        seen.add((where, shown))
        out.append(Reason(where, _WHERE_TEXT[where].format(value=shown),
                          {"matched": word, "value": shown}))
    return tuple(sorted(out, key=lambda r: -WHERE_POINTS.get(r.code, 0)))


# -- the ask ------------------------------------------------------------------------------------


def ask_mode(
    snapshot: Snapshot,
    as_of: AsOf,
    params: Params,
    facts: LedgerFacts,
    need: Need,
    rules: AskRules = DEFAULT_ASK_RULES,
    *,
    strength: StrengthResult | None = None,
    goodwill: Goodwill | None = None,
    relevance: Relevance | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> AskReport:
    """The direct contacts best placed to help with ``need`` and warm paths to the rest.

    Relevance first (cut into ``rules.bands`` bands of the best match), then reachability:
    free to ask before asked lately or an open ask before "build first", then tie strength
    and goodwill. ``relevance`` comes from the people search index (``Network.ask``);
    without it the need's words are matched in memory. ``offset``/``limit`` page both lists.
    """
    if offset < 0 or (limit is not None and limit < 1):
        raise ValidationError("offset must be 0 or more and limit 1 or more")
    day = day_number(as_of)
    s = strength if strength is not None else tie_strength(snapshot, day, params)
    g = goodwill if goodwill is not None else goodwill_balances(snapshot, day, params)
    known = reach(snapshot, s, params).relationship | (s.score >= rules.known_min_strength)
    if relevance is not None:
        filters = Need(company=need.company, field=need.field, title=need.title, city=need.city)
        has_filter = any(v and v.strip() for v in (need.company, need.title, need.city,
                                                    need.field))
        if not relevance.parsed.words and not has_filter:
            raise ValidationError("say what you need: words like 'stripe payments' or a filter "
                                  "(--company, --field, --title, --city)")
        matches = (_match(snapshot, facts, filters) if has_filter else
                   _Matches(np.zeros(snapshot.n_people, dtype=np.float64),
                            np.ones(snapshot.n_people, dtype=bool), {}))
        score = relevance.score.astype(np.float64)
        ok = matches.ok & (score > 0) if relevance.parsed.words else matches.ok
        matches = _Matches(score + matches.relevance * (1e-3 if relevance.parsed.words else 1),
                           ok, matches.where)
    else:
        matches = _match(snapshot, facts, need)
    matched = matches.ok
    ids = snapshot.person_id
    rel = matches.relevance.astype(np.float64)
    top = float(rel[matched].max()) if matched.any() else 0.0
    band = np.ceil(rel / top * rules.bands - 1e-9).astype(np.int64) if top > 0 else (
        np.zeros(len(rel), dtype=np.int64))

    open_mine = g.open_asks_mine > 0
    group = np.where(g.balance < 0, 2, np.where(~g.can_ask | open_mine, 1, 0))
    close = known
    if need.tier:
        if need.tier not in TIERS:
            raise ValidationError(f"a tier is one of {', '.join(map(str, TIERS))}")
        tier = tier_status(snapshot, s, params).tier
        close = known & (tier > 0) & (tier <= need.tier)
    direct_rows = np.flatnonzero(matched & close)
    order = np.lexsort((ids[direct_rows], -rel[direct_rows], -g.balance[direct_rows],
                        -s.score[direct_rows], group[direct_rows], -band[direct_rows]))
    size = limit if limit is not None else rules.direct_limit
    shown = direct_rows[order][offset: offset + size].tolist()
    target_rows = np.flatnonzero(matched & ~known)
    path_limit = limit if limit is not None else rules.path_limit
    explained: dict[int, tuple[Reason, ...]] = {}
    paths = _warm_paths(snapshot, s, g, known, target_rows, matches, facts, rules, day,
                        rel=rel, band=band, offset=offset, limit=path_limit, need=need,
                        relevance=relevance)
    if relevance is not None:
        explained = relevance.explain(shown)
    direct = [
        _candidate(snapshot, int(r), s, g, group, matches, facts, day, explained.get(int(r)))
        for r in shown
    ]
    return AskReport(need=need, as_of=day_to_date(day), matched=int(np.count_nonzero(matched)),
                     targets=len(target_rows), direct=direct, warm_paths=paths, offset=offset,
                     limit=size,
                     parsed=relevance.parsed if relevance is not None else parse_need(need.text))


def _bandwidth(g: Goodwill, row: int, day: int) -> tuple[Reason, ...]:
    """Why asking the person in ``row`` now would strain the tie: the ask budget, an open ask,
    a negative balance."""
    out = []
    balance = float(g.balance[row])
    last, nxt = int(g.last_ask_day[row]), int(g.next_ask_day[row])
    if balance < 0:
        out.append(Reason("build_first", f"Your goodwill balance with them is {balance:+g}: "
                          "build first (give before you ask).", {"balance": balance}))
    if last >= 0 and nxt > day:
        out.append(Reason(
            "asked_recently", f"You asked them on {day_to_date(last)}; the ask budget allows the "
            f"next ask from {day_to_date(nxt)}.",
            {"last_ask": day_to_date(last).isoformat(), "next_ask": day_to_date(nxt).isoformat()}))
    if g.open_asks_mine[row] > 0:
        out.append(Reason("open_ask", "An ask of yours is still open with them.",
                          {"open_asks": int(g.open_asks_mine[row])}))
    return tuple(out)


def _candidate(
    snapshot: Snapshot, row: int, s: StrengthResult, g: Goodwill, group: NDArray[np.int64],
    matches: _Matches, facts: LedgerFacts, day: int,
    explained: tuple[Reason, ...] | None = None,
) -> AskCandidate:
    strength, balance = float(s.score[row]), float(g.balance[row])
    nxt = int(g.next_ask_day[row])
    built = float(g.deposits[row]) > 0
    reasons = (Reason("tie_strength", f"Tie strength {strength:.0f} of 100.",
                      {"strength": round(strength, 1)}),
               Reason("goodwill", f"Goodwill balance {balance:+g}.", {"balance": balance}),
               *_bandwidth(g, row, day))
    if not built and balance >= 0:
        reasons = (*reasons, Reason(
            "never_built", "You have never checked in, listened or given to them: build "
            "first (a check-in or a give) before you ask.", {"deposits": 0}))
    last = int(g.last_ask_day[row])
    if last >= 0 and nxt <= day:
        reasons = (*reasons, Reason("last_ask", f"Your last ask of them was on "
                                    f"{day_to_date(last)}.",
                                    {"last_ask": day_to_date(last).isoformat()}))
    warning = "build first" if balance < 0 or not built else None
    found = (*_match_reasons(matches, row, facts), *(explained or ()))
    return AskCandidate(
        person=person_ref(snapshot, row), relevance=float(matches.relevance[row]),
        strength=strength, balance=balance, group=int(group[row]), can_ask=bool(g.can_ask[row]),
        next_ask=day_to_date(nxt) if nxt > day else None, warning=warning,
        matches=found, reasons=reasons,
    )


# -- warm paths ---------------------------------------------------------------------------------


@dataclass
class _Step:
    value: NDArray[np.float64]  # best weakest-tie value reaching each person (0: none)
    via: NDArray[np.int64]  # the previous person on that path (-1: none)
    link: NDArray[np.int8]  # 1 knows edge, 2 same organisation


def _organisations(snapshot: Snapshot) -> NDArray[np.int64]:
    """An organisation number per person (-1: none, or one that does not imply knowing)."""
    distinct = {o: " ".join(fold(o).split()) for o in dict.fromkeys(snapshot.organisation)}
    index: dict[str, int] = {}
    number = {o: -1 if f in GENERIC_ORGANISATIONS else index.setdefault(f, len(index))
              for o, f in distinct.items()}
    return np.array([number[o] for o in snapshot.organisation], dtype=np.int64)


def _spread(
    snapshot: Snapshot, value: NDArray[np.float64], org: NDArray[np.int64], rules: AskRules,
    prefer: NDArray[np.int64],
) -> _Step:
    """One step along knows edges and shared organisations from everyone with ``value`` > 0:
    the best ``min(value[from], tie)`` reaching each person, and from whom (ties broken by
    the lower ``prefer`` of the source, its higher value, then the lower person id)."""
    p = snapshot.n_people
    ids = snapshot.person_id
    src = np.concatenate((snapshot.edge_a, snapshot.edge_b)).astype(np.int64)
    dst = np.concatenate((snapshot.edge_b, snapshot.edge_a)).astype(np.int64)
    keep = (value[src] > 0) & (src != dst)
    src, dst = src[keep], dst[keep]
    cand_val = np.minimum(value[src], rules.knows_tie)
    cand_src, cand_dst = src, dst
    cand_link = np.ones(len(src), dtype=np.int8)

    # shared organisations: each member's best other member (the top two per organisation)
    members = np.flatnonzero((org >= 0) & (value > 0))
    if len(members):
        order = np.lexsort((ids[members], -value[members], prefer[members], org[members]))
        members = members[order]
        first = np.ones(len(members), dtype=bool)
        first[1:] = org[members][1:] != org[members][:-1]
        top1 = np.full(int(org.max()) + 1, -1, dtype=np.int64)
        top2 = np.full(int(org.max()) + 1, -1, dtype=np.int64)
        top1[org[members[first]]] = members[first]
        second = np.zeros(len(members), dtype=bool)
        second[1:] = ~first[1:] & first[:-1]
        top2[org[members[second]]] = members[second]
        everyone = np.flatnonzero(org >= 0)
        best = top1[org[everyone]]
        best = np.where(best == everyone, top2[org[everyone]], best)
        has = best >= 0
        cand_src = np.concatenate((cand_src, best[has]))
        cand_dst = np.concatenate((cand_dst, everyone[has]))
        cand_val = np.concatenate((cand_val, np.minimum(value[best[has]], rules.organisation_tie)))
        cand_link = np.concatenate((cand_link, np.full(int(has.sum()), 2, dtype=np.int8)))

    out = _Step(np.zeros(p), np.full(p, -1, dtype=np.int64), np.zeros(p, dtype=np.int8))
    if len(cand_dst) == 0:
        return out
    # per destination, the best candidate: highest value, then highest source value, lowest id
    order = np.lexsort((-ids[cand_src], value[cand_src], -prefer[cand_src], cand_val, cand_dst))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = cand_dst[order][1:] != cand_dst[order][:-1]
    pick = order[last]
    out.value[cand_dst[pick]] = cand_val[pick]
    out.via[cand_dst[pick]] = cand_src[pick]
    out.link[cand_dst[pick]] = cand_link[pick]
    return out


def _warm_paths(
    snapshot: Snapshot, s: StrengthResult, g: Goodwill, known: NDArray[np.bool_],
    targets: NDArray[np.int64], matches: _Matches, facts: LedgerFacts, rules: AskRules,
    day: int, *, rel: NDArray[np.float64], band: NDArray[np.int64], offset: int, limit: int,
    need: Need, relevance: Relevance | None,
) -> list[WarmPath]:
    if len(targets) == 0:
        return []
    org = _organisations(snapshot)
    # no path through someone you asked recently or with an ask still open: their bandwidth
    # is spent on you already
    recently = (g.next_ask_day > day) | (g.open_asks_mine > 0)
    first = np.where(known & ~recently, s.score, 0.0)
    # introducers with a positive balance first, "build first" ones after
    prefer = np.where(g.balance < 0, 2, 0).astype(np.int64)
    one = _spread(snapshot, first, org, rules, prefer)
    one.value[known] = 0.0  # a path's first step is someone you know; reaching them is moot
    second = np.where(one.via >= 0, prefer[np.maximum(one.via, 0)], 0)
    two = _spread(snapshot, one.value, org, rules, second)
    v1, v2 = one.value[targets], two.value[targets]
    use_two = v2 > v1
    weakest = np.maximum(v1, v2)
    hops = np.where(use_two, 2, 1)
    reachable = weakest > 0
    targets, weakest, hops, use_two = (targets[reachable], weakest[reachable], hops[reachable],
                                       use_two[reachable])
    introducer = np.where(use_two, one.via[two.via[targets]], one.via[targets])
    build_first = g.balance[introducer] < 0
    order = np.lexsort((snapshot.person_id[targets], -s.score[introducer], -rel[targets],
                        hops, -weakest, build_first, -band[targets]))
    picked: list[int] = []
    per: dict[int, int] = {}
    for i in order.tolist():
        if len(picked) >= offset + limit:
            break
        a = int(introducer[i])
        if per.get(a, 0) >= rules.per_introducer:
            continue
        per[a] = per.get(a, 0) + 1
        picked.append(i)
    picked = picked[offset:]
    explained = (relevance.explain([int(targets[i]) for i in picked])
                 if relevance is not None else {})
    out: list[WarmPath] = []
    for i in picked:
        a = int(introducer[i])
        t = int(targets[i])
        via: tuple[int, ...]
        steps: list[tuple[int, int, int]]  # (link code, from, to)
        if use_two[i]:
            b = int(two.via[t])
            via = (a, b)
            steps = [(int(one.link[b]), a, b), (int(two.link[t]), b, t)]
        else:
            via = (a,)
            steps = [(int(one.link[t]), a, t)]
        strength_a = float(s.score[a])
        links = (f"you know {snapshot.name[a]} (tie strength {strength_a:.0f})",
                 *(_link(snapshot, code, x, y) for code, x, y in steps))
        balance = float(g.balance[a])
        ties = [f"yours with {snapshot.name[a]} ({strength_a:.0f})"] + [
            f"{snapshot.name[x]}'s with {snapshot.name[y]} "
            f"({'a recorded acquaintance' if code == 1 else 'colleagues'}, counted as "
            f"{rules.knows_tie if code == 1 else rules.organisation_tie:.0f})"
            for code, x, y in steps]
        reasons = (Reason("weakest_tie", f"The weakest tie on the path is {weakest[i]:.0f}: "
                          + "; ".join(ties) + ".", {"weakest": round(float(weakest[i]), 1)}),)
        found = (*_match_reasons(matches, t, facts), *explained.get(t, ()))
        what = next((v.strip() for v in (need.text, need.company, need.title, need.field,
                                          need.city) if v and v.strip()), "")
        out.append(WarmPath(
            target=person_ref(snapshot, t), via=tuple(person_ref(snapshot, r) for r in via),
            links=links, weakest=float(weakest[i]), hops=int(hops[i]),
            introducer_strength=strength_a, introducer_balance=balance,
            can_ask_introducer=bool(g.can_ask[a]),
            warning="build first" if balance < 0 else None,
            matches=found,
            introducer_reasons=_bandwidth(g, a, day),
            reasons=reasons,
            request=introduction_request(
                introducer=snapshot.name[a], target=snapshot.name[via[-1] if len(via) > 1
                                                                   else t],
                final=snapshot.name[t], organisation=snapshot.organisation[t],
                title=snapshot.title[t], need=what),
        ))
    return out


def _link(snapshot: Snapshot, code: int, a: int, b: int) -> str:
    """How one step of a path is known, in words."""
    if code == 2:
        where = snapshot.organisation[b] or snapshot.organisation[a]
        return f"{snapshot.name[a]} and {snapshot.name[b]} both work at {where}"
    return f"{snapshot.name[a]} knows {snapshot.name[b]}"


__all__ = [
    "DEFAULT_ASK_RULES",
    "GENERIC_ORGANISATIONS",
    "RELEVANCE_PARTS",
    "ROLE_WEIGHTS",
    "STOP_WORDS",
    "WORD_WEIGHTS",
    "AskCandidate",
    "AskReport",
    "AskRules",
    "Need",
    "Relevance",
    "WarmPath",
    "ask_mode",
    "fold",
]
