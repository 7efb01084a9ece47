"""``/api/v1/plan``, ``/api/v1/ask``, asks, compose and check: the practice over the API."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from netfolio.core.plan_actions import PlanActionInfo
from netfolio.network import AskInfo
from netfolio.practice.ask import AskReport
from netfolio.practice.coach import CheckResult, Draft
from netfolio.practice.plan import PlanReport
from netfolio.web.api.models import (
    ERRORS,
    AskIn,
    AskResolve,
    CheckIn,
    ComposeIn,
    Id,
    PlanDone,
    Snooze,
)
from netfolio.web.deps import WebContext, get_ctx
from netfolio.web.practice_view import cached_inputs, this_week_plan

router = APIRouter(tags=["practice"])


def _text(length: int = 300) -> Any:
    return Query(None, max_length=length, pattern=r"^[^\x00]*$")


@router.get("/plan", response_model=PlanReport, responses=ERRORS)
def plan(week: str | None = _text(100), ctx: WebContext = Depends(get_ctx)) -> PlanReport:
    """The plan of this week (or of the week containing ``week``)."""
    return ctx.net.plan(week) if week else this_week_plan(ctx)


@router.post("/plan/{person_id}/done", response_model=PlanActionInfo, responses=ERRORS)
def plan_done(person_id: Id, body: PlanDone | None = None,
              ctx: WebContext = Depends(get_ctx)) -> PlanActionInfo:
    """Log a touch with a person of the plan (the suggested one by default) and mark it done."""
    body = body or PlanDone(intent=None, note=None)
    info = ctx.net.plan_done(person_id, intent=body.intent, channel=body.channel,
                             note=body.note)
    ctx.wrote()
    return info


#: How long a snooze without a date lasts.
SNOOZE_DEFAULT = "in 4 weeks"


@router.post("/plan/{person_id}/{action}", response_model=PlanActionInfo, responses=ERRORS)
def plan_mark(person_id: Id, action: Literal["skip", "snooze"], body: Snooze | None = None,
              ctx: WebContext = Depends(get_ctx)) -> PlanActionInfo:
    """Skip a person this week, or snooze them until a date (``{"until": "..."}``; without
    a body, for four weeks)."""
    if action == "skip":
        info = ctx.net.plan_skip(person_id)
    else:
        info = ctx.net.plan_snooze(person_id, body.until if body else SNOOZE_DEFAULT)
    ctx.wrote()
    return info


@router.get("/ask", response_model=AskReport, responses=ERRORS)
def ask(
    need: str = Query("", max_length=500, pattern=r"^[^\x00]*$"),
    company: str | None = _text(),
    field: str | None = _text(120),
    title: str | None = _text(),
    city: str | None = _text(),
    tier: int | None = Query(None, ge=5, le=1500, description="5, 15, 50, 150, 500 or 1500"),
    offset: int = Query(0, ge=0, le=100_000),
    limit: int = Query(10, ge=1, le=100),
    ctx: WebContext = Depends(get_ctx),
) -> AskReport:
    """Ask mode: the people you know best placed to help with a need (words, and optional
    company, field, title, city), and warm paths to those you don't know yet, each with an
    introduction request; ``offset``/``limit`` page both lists."""
    return ctx.net.ask(need, company=company or None, field=field or None,
                       title=title or None, city=city or None, tier=tier, offset=offset,
                       limit=limit, **cached_inputs(ctx))


@router.post("/asks", response_model=AskInfo, status_code=201, responses=ERRORS)
def record_ask(body: AskIn, ctx: WebContext = Depends(get_ctx)) -> AskInfo:
    """Record an ask you made of someone."""
    info = ctx.net.ask_record(body.person, body.what, channel=body.channel, when=body.when)
    ctx.wrote()
    return info


@router.post("/asks/{ask_id}/resolve", response_model=AskInfo, responses=ERRORS)
def resolve_ask(ask_id: Id, body: AskResolve,
                ctx: WebContext = Depends(get_ctx)) -> AskInfo:
    """Close an ask: fulfilled, declined or withdrawn."""
    info = ctx.net.ask_resolve(ask_id, body.status, on=body.on)
    ctx.wrote()
    return info


@router.post("/people/{person_id}/compose", response_model=Draft, responses=ERRORS)
def compose(person_id: Id, body: ComposeIn | None = None,
            ctx: WebContext = Depends(get_ctx)) -> Draft:
    """An opener that invites the person to share (the purpose chosen from the ledger by
    default)."""
    return ctx.net.compose(person_id, body.purpose if body else None)


@router.post("/check", response_model=CheckResult, responses=ERRORS)
def check(body: CheckIn, ctx: WebContext = Depends(get_ctx)) -> CheckResult:
    """Score a draft (about them? inviting them to share? how much does it ask?): 50 and
    above, send it."""
    return ctx.net.check(body.draft, body.person)
