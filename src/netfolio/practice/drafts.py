"""Drafts for a person of the ledger: the coach's facts read from a snapshot, and the purpose
chosen from what is going on (a fulfilled ask, a new job, a birthday, a long silence)."""

from __future__ import annotations

import datetime as dt

from netfolio.core.practice_facts import LedgerFacts
from netfolio.core.snapshot import AsOf, Snapshot, day_number, day_to_date
from netfolio.measures import Params, goodwill_balances, tie_strength
from netfolio.practice.coach import CheckContext, Draft, TieFacts, compose
from netfolio.practice.people import person_facts, tie_facts
from netfolio.practice.plan import DEFAULT_RULES, PlanRules


def choose_purpose(tie: TieFacts) -> str:
    """The purpose that fits the tie: thank, congratulate, learn (first contact) or reconnect."""
    if tie.thanks_for:
        return "thank"
    if tie.occasion:
        return "congratulate"
    if tie.introduce:
        return "intro"
    if not tie.contacted:
        return "learn"
    return "reconnect" if (tie.days_since or 0) > 90 else "learn"


def _tie(
    snapshot: Snapshot, row: int, day: int, params: Params, facts: LedgerFacts,
    rules: PlanRules, introduce: tuple[str, str] | None,
) -> TieFacts:
    pid = int(snapshot.person_id[row])
    strength = tie_strength(snapshot, day, params)
    balance = float(goodwill_balances(snapshot, day, params).balance[row])
    extra: dict[str, object] = {"introduce": introduce}
    today = day_to_date(day)
    thanks = [a for a in facts.fulfilled_asks if a.person_id == pid
              and 0 <= (today - a.closed_on).days <= rules.thanks_window_days]
    if thanks:
        extra["thanks_for"] = thanks[-1].what
    jobs = [j for j in facts.job_changes if j.person_id == pid
            and 0 <= (today - j.seen_on).days <= rules.job_change_window_days]
    if jobs:
        extra.update(occasion="job_change", new_title=jobs[-1].new_title,
                     new_organisation=jobs[-1].new_organisation)
    elif pid in facts.birthdays:
        _, month, mday = facts.birthdays[pid]
        try:
            this_year = dt.date(today.year, month, mday)
        except ValueError:  # 29 February in a common year
            this_year = dt.date(today.year, 2, 28)
        if abs((this_year - today).days) <= 3:
            extra["occasion"] = "birthday"
    return tie_facts(strength, row, balance, **extra)


def draft_for(
    snapshot: Snapshot,
    person_id: int,
    as_of: AsOf,
    params: Params,
    facts: LedgerFacts,
    purpose: str | None = None,
    *,
    seed: int | None = None,
    introduce: tuple[str, str] | None = None,
    rules: PlanRules = DEFAULT_RULES,
) -> Draft:
    """An opener for the person (see :func:`~netfolio.practice.coach.compose`); ``purpose``
    None chooses one from the ledger, ``seed`` None varies the wording by day."""
    day = day_number(as_of)
    row = snapshot.row_of(person_id)
    tie = _tie(snapshot, row, day, params, facts, rules, introduce)
    chosen = purpose or choose_purpose(tie)
    return compose(person_facts(snapshot, row, facts), tie, chosen,
                   person_id * 7919 + day if seed is None else seed)


def context_for(
    snapshot: Snapshot, person_id: int, as_of: AsOf, params: Params, facts: LedgerFacts
) -> CheckContext:
    """What :func:`~netfolio.practice.coach.check` should know of the recipient."""
    day = day_number(as_of)
    row = snapshot.row_of(person_id)
    tie = _tie(snapshot, row, day, params, facts, DEFAULT_RULES, None)
    return CheckContext.of(person_facts(snapshot, row, facts), tie)


__all__ = ["choose_purpose", "context_for", "draft_for"]
