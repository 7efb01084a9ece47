"""``/api/v1/plan``, ``/api/v1/ask``, asks, compose and check: the practice over the API."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from netfolio.web.api.models import (
    ERRORS,
    Ask,
    AskIn,
    AskResolve,
    AskSearch,
    Check,
    CheckIn,
    ComposeIn,
    Draft,
    Id,
    Plan,
    PlanAction,
    PlanDone,
    Snooze,
)
from netfolio.web.deps import WebContext, get_ctx
from netfolio.web.practice_view import cached_inputs, this_week_plan

router = APIRouter(tags=["practice"])


def _text(length: int = 300) -> Any:
    return Query(None, max_length=length, pattern=r"^[^\x00]*$")


@router.get("/plan", response_model=Plan, responses=ERRORS)
def plan(week: str | None = _text(100), ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """The plan of this week (or of the week containing ``week``)."""
    report = ctx.net.plan(week) if week else this_week_plan(ctx)
    data: dict[str, Any] = report.to_dict()
    return data


def _action(info: Any) -> dict[str, Any]:
    data: dict[str, Any] = info.to_dict()
    return data


@router.post("/plan/{person_id}/done", response_model=PlanAction, responses=ERRORS)
def plan_done(person_id: Id, body: PlanDone | None = None,
              ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Log a touch with a person of the plan (the suggested one by default) and mark it done."""
    body = body or PlanDone(intent=None, note=None)
    info = ctx.net.plan_done(person_id, intent=body.intent, channel=body.channel,
                             note=body.note)
    ctx.wrote()
    return _action(info)


#: How long a snooze without a date lasts.
SNOOZE_DEFAULT = "in 4 weeks"


@router.post("/plan/{person_id}/{action}", response_model=PlanAction, responses=ERRORS)
def plan_mark(person_id: Id, action: Literal["skip", "snooze"], body: Snooze | None = None,
              ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Skip a person this week, or snooze them until a date (``{"until": "..."}``; without
    a body, for four weeks)."""
    if action == "skip":
        info = ctx.net.plan_skip(person_id)
    else:
        info = ctx.net.plan_snooze(person_id, body.until if body else SNOOZE_DEFAULT)
    ctx.wrote()
    return _action(info)


@router.get("/ask", response_model=AskSearch, responses=ERRORS)
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
) -> dict[str, Any]:
    """Ask mode: the people you know best placed to help with a need (words, and optional
    company, field, title, city), and warm paths to those you don't know yet, each with an
    introduction request; ``offset``/``limit`` page both lists."""
    report = ctx.net.ask(need, company=company or None, field=field or None,
                         title=title or None, city=city or None, tier=tier, offset=offset,
                         limit=limit,
                         **cached_inputs(ctx))
    data: dict[str, Any] = report.to_dict()
    return data


@router.post("/asks", response_model=Ask, status_code=201, responses=ERRORS)
def record_ask(body: AskIn, ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Record an ask you made of someone."""
    info = ctx.net.ask_record(body.person, body.what, channel=body.channel, when=body.when)
    ctx.wrote()
    return info.to_dict()


@router.post("/asks/{ask_id}/resolve", response_model=Ask, responses=ERRORS)
def resolve_ask(ask_id: Id, body: AskResolve,
                ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Close an ask: fulfilled, declined or withdrawn."""
    info = ctx.net.ask_resolve(ask_id, body.status, on=body.on)
    ctx.wrote()
    return info.to_dict()


@router.post("/people/{person_id}/compose", response_model=Draft, responses=ERRORS)
def compose(person_id: Id, body: ComposeIn | None = None,
            ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """An opener that invites the person to share (the purpose chosen from the ledger by
    default)."""
    draft = ctx.net.compose(person_id, body.purpose if body else None)
    data: dict[str, Any] = draft.to_dict()
    return data


@router.post("/check", response_model=Check, responses=ERRORS)
def check(body: CheckIn, ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Score a draft (about them? inviting them to share? how much does it ask?)."""
    result = ctx.net.check(body.draft, body.person)
    return {"score": result.score, "findings": [f.to_dict() for f in result.findings]}
