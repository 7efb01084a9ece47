"""The practice (the weekly plan, ask mode, compose and check) as the pages show it.

The plan reads the whole ledger (about a second at 10,000 people), so this week's plan is
kept with the cached measures: it is computed once per ledger version, in the background
after a write when the server runs with ``warm``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netfolio.core.shapes import Plain

if TYPE_CHECKING:
    from netfolio.practice.ask import AskReport
    from netfolio.practice.plan import PlanReport
    from netfolio.web.cache import Measured
    from netfolio.web.deps import WebContext

SNOOZE_WEEKS = 4
PURPOSES = ("learn", "reconnect", "congratulate", "thank", "intro")


def this_week_plan(ctx: WebContext, measured: Measured | None = None) -> PlanReport:
    """This week's plan, computed once per ledger version (kept with the measures)."""
    from netfolio.web.deps import PAGE_WAIT

    measured = measured or ctx.cache.get(wait=PAGE_WAIT)
    snapshot = measured.snapshot
    plan: PlanReport = measured.once(("plan", measured.day),
                                     lambda: ctx.net.plan(snapshot=snapshot))
    return plan


@dataclass
class PlanActionResult(Plain):
    """What a plan button did, for the page's script and for the flash line."""

    person_id: int
    action: str
    message: str
    state: str



def cached_inputs(ctx: WebContext, *, texts: bool = False) -> dict[str, Any]:
    """What ``Network.ask`` would load, from the server's cache: the snapshot, the portfolio's
    measures and the ledger facts (kept with the measures: loading them again per request
    would take seconds at 100,000 people; ``texts``: with notes and places, for a city)."""
    from netfolio.web.deps import PAGE_WAIT

    measured = ctx.cache.get(wait=PAGE_WAIT)
    snapshot = measured.snapshot
    facts = measured.once(("ask_facts", texts),
                          lambda: ctx.net.practice_facts(snapshot=snapshot, texts=texts))
    return {"snapshot": measured.snapshot, "measured": measured.folio, "facts": facts}


def ask_report(ctx: WebContext, need: str, **wanted: Any) -> AskReport:
    """``Network.ask`` over the cached inputs; each answer is kept with the measures, so the
    same question asked again on the same ledger generation (a reload, going back a page)
    costs nothing."""
    from netfolio.web.deps import PAGE_WAIT

    measured = ctx.cache.get(wait=PAGE_WAIT)
    key = (need, *sorted(wanted.items()))

    def make() -> AskReport:
        return ctx.net.ask(need, **wanted, **cached_inputs(ctx, texts=bool(wanted.get("city"))))

    report: AskReport = measured.recent("asks", key, make)
    return report


def plan_action(ctx: WebContext, person_id: int, action: str, *, intent: str | None = None,
                channel: str = "message", note: str | None = None,
                until: str | None = None) -> PlanActionResult:
    """Done (logs the touch the plan suggested), skip (this week) or snooze (for weeks)."""
    from netfolio.errors import ValidationError

    if action == "done":
        info = ctx.net.plan_done(person_id, intent=intent or None, channel=channel,
                                 note=note or None)
        words = (info.intent or "catch_up").replace("_", " ")
        result = PlanActionResult(person_id, action,
                                  f"Logged a {words} with {info.person_name}.", "Done")
    elif action == "skip":
        info = ctx.net.plan_skip(person_id)
        result = PlanActionResult(person_id, action,
                                  f"Skipped {info.person_name} this week.", "Skipped")
    elif action == "snooze":
        day = until or (dt.date.today() + dt.timedelta(weeks=SNOOZE_WEEKS)).isoformat()
        info = ctx.net.plan_snooze(person_id, day)
        shown = info.until.isoformat() if info.until else day
        result = PlanActionResult(person_id, action,
                                  f"Snoozed {info.person_name} until {shown}.",
                                  f"Snoozed until {shown}")
    else:
        raise ValidationError(f"{action!r}: say done, skip or snooze")
    ctx.wrote()
    return result


@dataclass
class ComposeView:
    purpose: str
    draft: Any
    text: str
    check: Any


def compose_context(ctx: WebContext, person_id: int, purpose: str, draft: str) -> ComposeView:
    """An opener for the purpose chosen (``auto``: from the ledger), or a check of a draft."""
    if draft.strip():
        return ComposeView(purpose=purpose, draft=None, text=draft,
                           check=ctx.net.check(draft, person_id))
    made = ctx.net.compose(person_id, None if purpose in ("", "auto") else purpose)
    return ComposeView(purpose=made.purpose, draft=made, text=made.text,
                       check=ctx.net.check(made.text, person_id))
